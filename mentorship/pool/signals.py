"""What the mentor pool announces, and asks, of the domains above it (see lib.events)."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from mentorship.lib.events import Provision, Signal
from mentorship.lib.messages import Message


@dataclass(frozen=True)
class MentorUnavailable:
    """A mentor stopped taking new cases (suspended, retired, or no longer available)."""

    account_id: int
    reason: Message  # a `pool.unavailable.*` code, stored where a proposal is withdrawn


mentor_unavailable: Signal[MentorUnavailable] = Signal("pool.mentor_unavailable")

# Weighted capacity each mentor's open cases take (the cases domain answers).
caseloads: Provision[[Iterable[int]], dict[int, int]] = Provision("pool.caseloads")
