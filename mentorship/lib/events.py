"""Between domains, the dependency points one way: a lower domain never imports a higher one.
When a lower domain must tell a higher one something, it sends a `Signal` (what happened) and
the higher domains that care listen; when it must ask something only a higher domain knows, it
asks a `Provision` and one higher domain answers.

Listeners run in the announcer's transaction, in the order they were connected. Every signal
and provision must be connected by the time it is used: the composition root
(`mentorship.domains`) connects them all, and one used before that fails loudly instead of
being lost or guessed.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from typing import Generic, ParamSpec, TypeVar

E = TypeVar("E")
P = ParamSpec("P")
R = TypeVar("R")
Listener = Callable[[E], Awaitable[None]]


class NobodyListening(RuntimeError):
    """A signal was sent, or a provision asked, before any domain connected to it (the domains
    were not composed)."""


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


class Provision(Generic[P, R]):
    """A question a lower domain asks and one higher domain answers (its provider)."""

    def __init__(self, name: str) -> None:
        self.name = name
        self._provider: Callable[P, Awaitable[R]] | None = None

    def connect(self, provider: Callable[P, Awaitable[R]]) -> None:
        """Answer the question with `provider` from now on (one provider; the last one wins)."""
        self._provider = provider

    async def __call__(self, *args: P.args, **kwargs: P.kwargs) -> R:
        """The provider's answer."""
        if self._provider is None:
            raise NobodyListening(
                f"nobody answers {self.name!r}: compose the domains first "
                "(mentorship.domains.compose())"
            )
        return await self._provider(*args, **kwargs)
