"""Page responses: HTML templates, redirects after a form with a one-time message, and the
signed cookie that carries that message to the next page (as its code and parameters, worded
when the page shows it)."""

from __future__ import annotations

import base64
import hashlib
import hmac
import json
from collections.abc import Mapping
from typing import Any

from litestar import MediaType, Request, Response
from litestar.datastructures import Cookie
from litestar.response import Redirect, Template

from mentorship.lib.messages import Message, word

FLASH_COOKIE = "mentorship_notice"
_MAX_PARAM = 120  # characters of one text parameter kept in the cookie (a name, a title)
_MAX_COOKIE = 1500  # bytes of the encoded notice read back; anything longer is not ours


def page(template: str, context: Mapping[str, Any] | None = None, status: int = 200) -> Template:
    """A full HTML page from `template` (which extends base.html)."""
    return Template(
        template, context=dict(context or {}), status_code=status, media_type=MediaType.HTML
    )


def is_htmx(request: Request[Any, Any, Any]) -> bool:
    """True when HTMX sent the request (it wants a fragment, not a whole page)."""
    return request.headers.get("hx-request") == "true"


def redirect(
    request: Request[Any, Any, Any], path: str, notice: Message | None = None
) -> Response[Any]:
    """See-other to `path` after a successful form, with a message for the next page."""
    response: Response[Any] = Redirect(path=path, status_code=303)
    if notice:
        response.set_cookie(_notice_cookie(request, notice))
    return response


def take_notice(request: Request[Any, Any, Any]) -> str | None:
    """The one-time message a redirect left for this page in words, if genuine (the cookie is
    cleared by the response hook once an HTML page has shown it)."""
    notice = read_notice(request)
    return word(notice) if notice is not None else None


def read_notice(request: Request[Any, Any, Any]) -> Message | None:
    """The one-time message a redirect left for this page, as its code, if genuine."""
    raw = request.cookies.get(FLASH_COOKIE)
    if not raw or "." not in raw or len(raw) > _MAX_COOKIE:
        return None
    encoded, signature = raw.rsplit(".", 1)
    if not hmac.compare_digest(signature, _sign(request, encoded)):
        return None
    try:
        notice = Message.from_dict(json.loads(base64.urlsafe_b64decode(encoded.encode())))
        word(notice)  # a code this version no longer knows is dropped, not shown broken
    except (ValueError, KeyError, TypeError, IndexError, AttributeError):
        return None
    return notice


def _notice_cookie(request: Request[Any, Any, Any], notice: Message) -> Cookie:
    stored = json.dumps(_shortened(notice.as_dict()), separators=(",", ":"))
    encoded = base64.urlsafe_b64encode(stored.encode()).decode()
    settings = request.app.state.settings
    return Cookie(
        key=FLASH_COOKIE,
        value=f"{encoded}.{_sign(request, encoded)}",
        path="/",
        httponly=True,
        secure=settings.cookie_secure,
        samesite="lax",
        max_age=120,
    )


def _shortened(stored: Any) -> Any:
    """The stored message with long text parameters cut, so the cookie stays small."""
    if isinstance(stored, str):
        return stored[:_MAX_PARAM]
    if isinstance(stored, list):
        return [_shortened(item) for item in stored]
    if isinstance(stored, dict):
        return {key: _shortened(value) for key, value in stored.items()}
    return stored


def _sign(request: Request[Any, Any, Any], encoded: str) -> str:
    key = hashlib.sha256(b"notice:" + request.app.state.settings.secret_key.encode()).digest()
    return hmac.new(key, encoded.encode(), hashlib.sha256).hexdigest()[:32]


def clear_notice_header(cookie_secure: bool) -> str:
    """The Set-Cookie header value that removes the one-time message."""
    secure = "; Secure" if cookie_secure else ""
    return f"{FLASH_COOKIE}=; Path=/; Max-Age=0; HttpOnly; SameSite=Lax{secure}"
