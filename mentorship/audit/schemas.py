"""Response shapes and filters of the audit-log API."""

from __future__ import annotations

from datetime import date

import msgspec

from mentorship.audit.chain import Event, Outcome


class EventRead(Event, frozen=True):
    """One audited action, as stored (the hashes are checked by `mentorship audit verify`)."""


class EventFilter(msgspec.Struct, forbid_unknown_fields=True):
    """Which events to list: every given filter must hold. Dates are whole UTC days."""

    case_id: int | None = None
    actor_id: int | None = None
    action: str | None = None
    object_type: str | None = None
    outcome: Outcome | None = None
    since: date | None = None
    until: date | None = None
