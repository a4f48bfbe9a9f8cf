"""The web request an audited action belongs to: set by the request middleware."""

from __future__ import annotations

from contextvars import ContextVar
from dataclasses import dataclass


@dataclass(frozen=True)
class RequestContext:
    """What the audit log records about the request behind an action."""

    request_id: str = ""
    client_address: str = ""


# A frozen dataclass: the shared default can never be changed in place.
_current: ContextVar[RequestContext] = ContextVar(
    "audit_request",
    default=RequestContext(),  # noqa: B039
)


def set_request(request_id: str, client_address: str) -> None:
    """Remember the current request (the middleware calls this for every HTTP request)."""
    _current.set(RequestContext(request_id=request_id, client_address=client_address[:64]))


def current() -> RequestContext:
    """The current request, or an empty one outside HTTP (command line, tests)."""
    return _current.get()
