"""The error tree services raise; `lib.http` renders it as problem JSON or an HTML page."""

from __future__ import annotations

from collections.abc import Mapping


class DomainError(Exception):
    """A refusal a user can act on; `message` is written for the person reading it."""

    status_code = 400
    title = "Bad request"

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


class ValidationFailed(DomainError):
    """Input broke a rule; `fields` maps each field name to what was wrong with it."""

    status_code = 422
    title = "Some details need fixing"

    def __init__(self, fields: Mapping[str, str], message: str | None = None) -> None:
        super().__init__(message or "; ".join(f"{k}: {v}" for k, v in fields.items()))
        self.fields = dict(fields)


class NotAuthenticated(DomainError):
    """The request needs a signed-in person and has none."""

    status_code = 401
    title = "Please sign in"


class InvalidCredentials(NotAuthenticated):
    """Email or password wrong; deliberately never says which."""

    title = "Sign-in failed"


class PermissionDenied(DomainError):
    """The signed-in person may not do this."""

    status_code = 403
    title = "Not allowed"


class NotFound(DomainError):
    """The thing asked for does not exist (or the person may not know that it does)."""

    status_code = 404
    title = "Not found"


class Conflict(DomainError):
    """The request clashes with the current state of stored data."""

    status_code = 409
    title = "Conflict"


class TooManyAttempts(DomainError):
    """Sign-in throttled; `retry_after` is whole seconds until the next attempt may succeed."""

    status_code = 429
    title = "Too many attempts"

    def __init__(self, message: str, retry_after: int) -> None:
        super().__init__(message)
        self.retry_after = max(1, retry_after)
