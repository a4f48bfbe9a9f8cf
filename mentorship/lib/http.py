"""HTTP plumbing shared by every domain: request ids, security headers, access log, errors."""

from __future__ import annotations

import logging
import re
import time
import uuid
from collections.abc import Mapping
from typing import Any

from litestar import MediaType, Request, Response
from litestar.datastructures import MutableScopeHeaders
from litestar.exceptions import (
    HTTPException,
    NotAuthorizedException,
    PermissionDeniedException,
    ValidationException,
)
from litestar.response import Redirect, Template
from litestar.types import ASGIApp, Message, Receive, Scope, Send

from mentorship.lib import clock, context
from mentorship.lib.errors import (
    LIB,
    Conflict,
    DomainError,
    NotAuthenticated,
    TooManyAttempts,
    ValidationFailed,
)
from mentorship.lib.messages import Message as CodedMessage
from mentorship.lib.messages import word

logger = logging.getLogger("mentorship.http")
access_logger = logging.getLogger("mentorship.access")

_INCOMING_REQUEST_ID = re.compile(r"^[A-Za-z0-9._-]{8,64}$")

CONTENT_SECURITY_POLICY = (
    "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; "
    "font-src 'self'; connect-src 'self'; object-src 'none'; base-uri 'none'; "
    "form-action 'self'; frame-ancestors 'none'"
)
SECURITY_HEADERS = {
    "content-security-policy": CONTENT_SECURITY_POLICY,
    "x-content-type-options": "nosniff",
    "referrer-policy": "same-origin",
    "x-frame-options": "DENY",
    "cross-origin-opener-policy": "same-origin",
    "permissions-policy": "camera=(), microphone=(), geolocation=(), payment=()",
}


def request_id(scope: Scope) -> str:
    """This request's id: the load balancer's X-Request-ID when sane, else a new one."""
    state = scope.setdefault("state", {})
    if "request_id" not in state:
        incoming = ""
        for name, value in scope.get("headers", ()):
            if name == b"x-request-id":
                incoming = value.decode("latin-1")
                break
        state["request_id"] = incoming if _INCOMING_REQUEST_ID.match(incoming) else uuid.uuid4().hex
    return str(state["request_id"])


def host_name(host_header: str) -> str:
    """The host part of a Host header, without port: 'a.org:8000' → 'a.org', '[::1]:80' → '::1'."""
    value = host_header.strip().lower()
    if value.startswith("["):
        return value[1 : value.find("]")] if "]" in value else value
    return value.rsplit(":", 1)[0] if value.count(":") == 1 else value


def host_allowed(host_header: str, allowed: tuple[str, ...]) -> bool:
    """True when the Host header names one of the allowed hosts (any port)."""
    name = host_name(host_header)
    if not name:
        return False
    for pattern in allowed:
        pattern = pattern.lower()
        if pattern == "*" or name == pattern:
            return True
        if pattern.startswith("*.") and name.endswith(pattern[1:]):
            return True
    return False


class RequestContextMiddleware:
    """Stamps the request's start time and id, and refuses unknown Host headers.

    The host check is ours rather than Litestar's AllowedHostsConfig, which compares the
    port as well: an operator would have to list every host:port the service is reached on.
    """

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        """Record the start, check the host and pass the request on."""
        if scope["type"] == "http":
            scope.setdefault("state", {})["started"] = time.perf_counter()
            client = scope.get("client")
            context.set_request(request_id(scope), client[0] if client else "")
            host = next((v.decode("latin-1") for k, v in scope["headers"] if k == b"host"), "")
            if not host_allowed(host, scope["litestar_app"].state.settings.allowed_hosts):
                raise HTTPException(status_code=400, detail="This address is not served here.")
        await self.app(scope, receive, send)


def make_response_hook(hsts: bool, notice_cookie: str = "", clear_notice: str = "") -> Any:
    """The before-send hook: security headers, request id and one access-log line.

    When the request carries the one-time notice cookie `notice_cookie`, the HTML page that
    shows it also sends `clear_notice` (a Set-Cookie value removing it); the web layer
    passes both in, so this plumbing knows nothing of it.

    A hook rather than a middleware because it sees every response, including the ones
    Litestar's exception handling sends from outside the middleware stack.
    """

    async def before_send(message: Message, scope: Scope) -> None:
        if message["type"] != "http.response.start" or scope["type"] != "http":
            return
        headers = MutableScopeHeaders.from_message(message)
        for name, value in SECURITY_HEADERS.items():
            if name not in headers:
                headers[name] = value
        if hsts:
            headers["strict-transport-security"] = "max-age=31536000; includeSubDomains"
        # Responses carry personal data: no browser or proxy may keep them. Static assets
        # set their own Cache-Control and are left alone.
        if "cache-control" not in headers:
            headers["cache-control"] = "no-store"
        rid = request_id(scope)
        headers["x-request-id"] = rid
        if notice_cookie and _shows_notice(scope, headers, notice_cookie):
            headers.add("set-cookie", clear_notice)
        _log_access(scope, message["status"], rid)

    return before_send


def _shows_notice(scope: Scope, headers: MutableScopeHeaders, notice_cookie: str) -> bool:
    """True when this response is the HTML page that shows a redirect's one-time message."""
    if not headers.get("content-type", "").startswith("text/html"):
        return False
    cookie = next((v for k, v in scope.get("headers", ()) if k == b"cookie"), b"")
    return notice_cookie.encode() + b"=" in cookie


def _log_access(scope: Scope, status: int, rid: str) -> None:
    # Method, path and status only: bodies, query strings, cookies and headers can carry
    # passwords, session tokens or personal data and are never logged.
    started = scope.get("state", {}).get("started")
    duration = f"{(time.perf_counter() - started) * 1000:.1f}ms" if started else "-"
    user = scope.get("user")
    client = scope.get("client")
    access_logger.info(
        "%s %s %s %s request_id=%s account=%s client=%s",
        scope.get("method", "-"),
        scope.get("path", "-"),
        status,
        duration,
        rid,
        getattr(user, "account_id", "-"),
        client[0] if client else "-",
    )


def wants_json(request: Request[Any, Any, Any]) -> bool:
    """API and health paths answer with JSON; everything else is a page."""
    path = request.scope.get("path", "")
    return path.startswith("/api") or path == "/health"


def handle_exception(request: Request[Any, Any, Any], exc: Exception) -> Response[Any]:
    """The one mapping from any exception to problem-details JSON or an HTML error page.

    The JSON body words the refusal in `detail` (and each field's in `errors`) and gives it
    as a code too: `code` and `params` for the whole, `error_codes` per field (the shape of
    `Message.as_dict`), so a client can tell refusals apart, or word them itself.
    """
    status, title, reason, fields = _describe(exc)
    rid = request_id(request.scope)
    if status >= 500:
        logger.error("unhandled error request_id=%s", rid, exc_info=exc)
    headers: dict[str, str] = {}
    if isinstance(exc, TooManyAttempts):
        headers["retry-after"] = str(exc.retry_after)
    if wants_json(request):
        coded = reason.as_dict()
        body: dict[str, Any] = {
            "type": "about:blank",
            "title": title,
            "status": status,
            "detail": word(reason),
            "code": coded["code"],
            "params": coded["params"],
            "request_id": rid,
        }
        if fields:
            body["errors"] = {name: word(message) for name, message in fields.items()}
            body["error_codes"] = {name: message.as_dict() for name, message in fields.items()}
        return Response(
            content=body, status_code=status, media_type="application/problem+json", headers=headers
        )
    if status == 401:
        return Redirect(path=f"/login?next={request.url.path}", status_code=303)
    return Template(
        template_name="error.html",
        context={"status": status, "title": title, "detail": word(reason), "request_id": rid},
        status_code=status,
        media_type=MediaType.HTML,
        headers=headers,
    )


def _describe(exc: Exception) -> tuple[int, str, CodedMessage, Mapping[str, CodedMessage]]:
    """Status, title, coded reason and each field's coded reason for an exception."""
    if isinstance(exc, ValidationFailed):
        return exc.status_code, exc.title, exc.reason, exc.reasons
    if isinstance(exc, DomainError):
        return exc.status_code, exc.title, exc.reason, {}
    if isinstance(exc, ValidationException):
        fields = _litestar_field_errors(exc)
        return 422, ValidationFailed.title, LIB("invalid_request"), fields
    if isinstance(exc, PermissionDeniedException) and "CSRF" in str(exc.detail):
        return 403, "Form expired", LIB("form_expired"), {}
    if isinstance(exc, NotAuthorizedException):
        return 401, NotAuthenticated.title, LIB("sign_in"), {}
    if _is_unique_violation(exc):
        # The services check first; this only catches two requests racing past the check.
        return 409, Conflict.title, LIB("changed_meanwhile"), {}
    if isinstance(exc, HTTPException):
        title = _STATUS_TITLES.get(exc.status_code, "Request refused")
        if exc.status_code >= 500:
            return exc.status_code, title, LIB("server_error_short"), {}
        return exc.status_code, title, LIB("http", detail=str(exc.detail)), {}
    return 500, "Server error", LIB("server_error"), {}


def _is_unique_violation(exc: Exception) -> bool:
    """A unique constraint refused a write (sqlite3.IntegrityError or asyncpg's own error)."""
    name = type(exc).__name__
    return name in ("IntegrityError", "UniqueViolationError") and "unique" in str(exc).lower()


def _litestar_field_errors(exc: ValidationException) -> dict[str, CodedMessage]:
    fields: dict[str, CodedMessage] = {}
    extra = exc.extra if isinstance(exc.extra, list) else []
    for item in extra:
        if isinstance(item, dict):
            key = str(item.get("key") or item.get("source") or "body")
            fields[key] = LIB("invalid_value", detail=str(item.get("message", "is not valid")))
    if not fields:
        fields["body"] = LIB("invalid_value", detail=str(exc.detail))
    return fields


_STATUS_TITLES = {
    400: "Bad request",
    403: "Not allowed",
    404: "Not found",
    405: "Method not allowed",
    413: "Request too large",
    415: "Unsupported media type",
}


CSV_MEDIA_TYPE = "text/csv"  # Litestar adds "; charset=utf-8"


def csv_download(text: str, name: str) -> Response[str]:
    """A CSV file the browser saves as `<name>-<today>.csv`."""
    filename = f"{name}-{clock.now().date().isoformat()}.csv"
    return Response(
        text,
        media_type=CSV_MEDIA_TYPE,
        headers={"content-disposition": f'attachment; filename="{filename}"'},
    )
