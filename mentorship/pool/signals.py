"""What the mentor pool announces, and asks, of the domains above it (see lib.events)."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from mentorship.lib.events import Provision, Signal


@dataclass(frozen=True)
class MentorUnavailable:
    """A mentor stopped taking new cases (suspended, retired, or no longer available)."""

    account_id: int
    reason: str


mentor_unavailable: Signal[MentorUnavailable] = Signal("pool.mentor_unavailable")

# Weighted capacity each mentor's open cases take (the cases domain answers).
caseloads: Provision[[Iterable[int]], dict[int, int]] = Provision("pool.caseloads")
