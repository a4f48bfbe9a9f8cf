"""Setting and clearing the session and CSRF cookies, shared by the API and the pages."""

from __future__ import annotations

from typing import Any

from litestar import Response
from litestar.middleware.csrf import generate_csrf_token

from mentorship.config import Settings


def start_session(response: Response[Any], settings: Settings, token: str) -> str:
    """Put the new session token in its cookie and issue a fresh CSRF token, returned."""
    response.set_cookie(
        key=settings.session_cookie_name,
        value=token,
        max_age=settings.session_absolute_hours * 3600,
        path="/",
        httponly=True,
        secure=settings.cookie_secure,
        samesite="lax",
    )
    # A new CSRF token at sign-in, so one planted before it is worthless after it.
    csrf_token = generate_csrf_token(secret=settings.secret_key)
    response.set_cookie(
        key=settings.csrf_cookie_name,
        value=csrf_token,
        path="/",
        httponly=False,  # the page's own script reads it for HTMX requests
        secure=settings.cookie_secure,
        samesite="lax",
    )
    return csrf_token


def end_session(response: Response[Any], settings: Settings) -> None:
    """Remove the session cookie from the browser."""
    response.delete_cookie(key=settings.session_cookie_name, path="/")
