"""What the mentor pool announces; the domains above it listen (see lib.events)."""

from __future__ import annotations

from dataclasses import dataclass

from mentorship.lib.events import Signal


@dataclass(frozen=True)
class MentorUnavailable:
    """A mentor stopped taking new cases (suspended, retired, or no longer available)."""

    account_id: int
    reason: str


mentor_unavailable: Signal[MentorUnavailable] = Signal("pool.mentor_unavailable")
