"""The web request behind the current work: its id, the client and the signed-in actor.

The request middleware sets the request, the authentication middleware the actor; code
below the web layer (the audit log) reads them without importing either.
"""

from __future__ import annotations

from contextvars import ContextVar
from dataclasses import dataclass, replace


@dataclass(frozen=True)
class RequestContext:
    """What the audit log records about the request behind an action."""

    request_id: str = ""
    client_address: str = ""
    actor_id: int | None = None
    actor_name: str = ""


# A frozen dataclass: the shared default can never be changed in place.
_current: ContextVar[RequestContext] = ContextVar(
    "request_context",
    default=RequestContext(),  # noqa: B039
)


def set_request(request_id: str, client_address: str) -> None:
    """Remember the current request (the middleware calls this for every HTTP request)."""
    _current.set(RequestContext(request_id=request_id, client_address=client_address[:64]))


def set_actor(actor_id: int, actor_name: str) -> None:
    """Remember who is signed in for the current request (the authentication middleware)."""
    _current.set(replace(_current.get(), actor_id=actor_id, actor_name=actor_name))


def current() -> RequestContext:
    """The current request, or an empty one outside HTTP (command line, tests)."""
    return _current.get()
