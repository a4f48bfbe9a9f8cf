"""What the requests domain announces; the domains above it listen (see lib.events)."""

from __future__ import annotations

from dataclasses import dataclass

from mentorship.lib.events import Signal


@dataclass(frozen=True)
class RequestWithdrawn:
    """A request left matching before it became a case."""

    request_id: int


request_withdrawn: Signal[RequestWithdrawn] = Signal("assistance.request_withdrawn")
