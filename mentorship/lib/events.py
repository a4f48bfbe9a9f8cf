"""Announcements between domains: a lower domain announces what happened, and the higher
domains that care listen, so the dependency points one way (the announcer never imports them).

Listeners run in the announcer's transaction, in the order they were connected. Every signal
must have a listener by the time it is sent: the composition root (`mentorship.domains`)
connects them all, and a signal sent before that fails loudly instead of being lost.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from typing import Generic, TypeVar

E = TypeVar("E")
Listener = Callable[[E], Awaitable[None]]


class NobodyListening(RuntimeError):
    """A signal was sent before any domain connected to it (the domains were not composed)."""


class Signal(Generic[E]):
    """One kind of announcement, carrying an event of type E."""

    def __init__(self, name: str) -> None:
        self.name = name
        self._listeners: list[Listener[E]] = []

    def connect(self, listener: Listener[E]) -> None:
        """Call `listener` for every event sent from now on (connecting twice is harmless)."""
        if listener not in self._listeners:
            self._listeners.append(listener)

    @property
    def listeners(self) -> tuple[Listener[E], ...]:
        """The listeners connected so far, in calling order."""
        return tuple(self._listeners)

    async def send(self, event: E) -> None:
        """Tell every listener, in the caller's transaction; their errors reach the caller."""
        if not self._listeners:
            raise NobodyListening(
                f"nobody listens to {self.name!r}: compose the domains first "
                "(mentorship.domains.compose())"
            )
        for listener in self._listeners:
            await listener(event)
