"""Response shapes and filters of the audit-log API."""

from __future__ import annotations

from datetime import date, datetime

import msgspec

from mentorship.audit.chain import DetailValue, Outcome


class EventRead(msgspec.Struct):
    """One audited action, as stored (the hashes are checked by `mentorship audit verify`)."""

    sequence: int
    occurred_at: datetime
    actor_id: int | None
    actor_name: str
    actor_role: str
    action: str
    object_type: str
    object_id: str
    outcome: Outcome
    purpose: str
    agreement_version: int | None
    request_id: str
    client_address: str
    case_id: int | None
    details: dict[str, DetailValue]


class EventFilter(msgspec.Struct, forbid_unknown_fields=True):
    """Which events to list: every given filter must hold. Dates are whole UTC days."""

    case_id: int | None = None
    actor_id: int | None = None
    action: str | None = None
    object_type: str | None = None
    outcome: Outcome | None = None
    since: date | None = None
    until: date | None = None
