"""The error tree services raise; `lib.http` renders it as problem JSON or an HTML page."""

from __future__ import annotations

from collections.abc import Mapping

from mentorship.lib.messages import Catalogue, Message, word

# The messages of the shared plumbing: a refusal's fields joined into one sentence, and the
# answers the HTTP layer gives for errors no service raised.
LIB = Catalogue(
    "lib",
    {
        "field": "{name}: {reason}",
        "fields": "{items}",
        "invalid_request": "The request has invalid or missing values.",
        "form_expired": "The request was refused because its security token was missing or"
        " wrong. Reload the page and try again.",
        "sign_in": "Please sign in to continue.",
        "changed_meanwhile": "Someone changed the same thing at the same moment. Reload and try"
        " again.",
        "server_error": "Something went wrong on our side. Please try again later.",
        "server_error_short": "Something went wrong on our side.",
        # Litestar's own refusals (no route, wrong method, body too large…) in its words.
        "http": "{detail}",
        # msgspec's words for a value of a JSON body it could not read.
        "invalid_value": "{detail}",
    },
)


class DomainError(Exception):
    """A refusal a user can act on: `reason` the coded message as raised, `message` its
    English wording for logs and for readers without a language of their own."""

    status_code = 400
    title = "Bad request"

    def __init__(self, message: Message) -> None:
        super().__init__(word(message))
        self.reason = message
        self.message = word(message)


class ValidationFailed(DomainError):
    """Input broke a rule; `reasons` maps each field name to the coded message of what was
    wrong with it, `fields` the same in English words."""

    status_code = 422
    title = "Some details need fixing"

    def __init__(self, fields: Mapping[str, Message], message: Message | None = None) -> None:
        joined = tuple(LIB("field", name=name, reason=reason) for name, reason in fields.items())
        super().__init__(message or LIB("fields", items=joined))
        self.reasons = dict(fields)
        self.fields = {name: word(reason) for name, reason in fields.items()}


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

    def __init__(self, message: Message, retry_after: int) -> None:
        super().__init__(message)
        self.retry_after = max(1, retry_after)
