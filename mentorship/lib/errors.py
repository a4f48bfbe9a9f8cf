"""The error tree services raise; `lib.http` renders it as problem JSON or an HTML page."""

from __future__ import annotations

from collections.abc import Mapping

from mentorship.lib.messages import Message, word


class DomainError(Exception):
    """A refusal a user can act on: `reason` as raised (a coded message, or text), `message`
    its English wording for logs and for readers without a language of their own."""

    status_code = 400
    title = "Bad request"

    def __init__(self, message: str | Message) -> None:
        super().__init__(word(message))
        self.reason = message
        self.message = word(message)


class ValidationFailed(DomainError):
    """Input broke a rule; `reasons` maps each field name to what was wrong with it (coded or
    text), `fields` the same in English words."""

    status_code = 422
    title = "Some details need fixing"

    def __init__(
        self, fields: Mapping[str, str | Message], message: str | Message | None = None
    ) -> None:
        worded = {name: word(reason) for name, reason in fields.items()}
        super().__init__(message or "; ".join(f"{k}: {v}" for k, v in worded.items()))
        self.reasons = dict(fields)
        self.fields = worded


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

    def __init__(self, message: str | Message, retry_after: int) -> None:
        super().__init__(message)
        self.retry_after = max(1, retry_after)
