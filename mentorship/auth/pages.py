"""Sign-in and sign-out pages."""

from __future__ import annotations

from typing import Any

from litestar import Controller, MediaType, Request, Response, get, post
from litestar.di import NamedDependency
from litestar.params import FromQuery, URLEncodedBody
from litestar.response import Redirect, Template

from mentorship.access.guards import PUBLIC, access
from mentorship.auth import services
from mentorship.auth.controllers import client_address
from mentorship.auth.cookies import end_session, start_session
from mentorship.config import Settings
from mentorship.lib.errors import InvalidCredentials, TooManyAttempts


def safe_next(target: str | None) -> str:
    """Where to go after sign-in: a path on this site only, never another origin."""
    if target and target.startswith("/") and not target.startswith("//") and "\\" not in target:
        return target
    return "/"


class SignInPages(Controller):
    """The sign-in form and sign-out action."""

    path = "/"
    include_in_schema = False
    opt = access(PUBLIC)

    @get("/login", name="login-page")
    async def login_form(
        self, request: Request[Any, Any, Any], next: FromQuery[str | None] = None
    ) -> Any:
        """Show the sign-in form (or go home when already signed in)."""
        if request.user is not None:
            return Redirect(path=safe_next(next), status_code=303)
        return Template(
            "auth/login.html",
            context={"next": safe_next(next), "email": ""},
            media_type=MediaType.HTML,
        )

    @post("/login", status_code=303)
    async def login_submit(
        self,
        request: Request[Any, Any, Any],
        settings: NamedDependency[Settings],
        data: URLEncodedBody[dict[str, str]],
    ) -> Response[Any]:
        """Sign in from the form; on failure show the form again with the reason."""
        email = data.get("email", "").strip()
        target = safe_next(data.get("next"))
        errors: dict[str, str] = {}
        if not email:
            errors["email"] = "Enter your email address."
        if not data.get("password"):
            errors["password"] = "Enter your password."  # noqa: S105 (a message)
        if errors:
            return _form(email, target, None, errors, 422)
        try:
            result = await services.sign_in(
                settings,
                email,
                data.get("password", ""),
                client_address(request),
                request.headers.get("user-agent", ""),
            )
        except TooManyAttempts as exc:
            response = _form(email, target, exc.message, {}, 429)
            response.headers["retry-after"] = str(exc.retry_after)
            return response
        except InvalidCredentials as exc:
            return _form(email, target, exc.message, {}, 401)
        redirect: Response[Any] = Redirect(path=target, status_code=303)
        start_session(redirect, settings, result.token)
        return redirect

    @post("/logout", status_code=303)
    async def logout(
        self, request: Request[Any, Any, Any], settings: NamedDependency[Settings]
    ) -> Response[Any]:
        """End the session and return to the sign-in page."""
        await services.sign_out(request.cookies.get(settings.session_cookie_name, ""))
        redirect: Response[Any] = Redirect(path="/login?signed_out=1", status_code=303)
        end_session(redirect, settings)
        return redirect


def _form(
    email: str, target: str, message: str | None, errors: dict[str, str], status: int
) -> Template:
    return Template(
        "auth/login.html",
        context={"email": email, "next": target, "message": message, "errors": errors},
        status_code=status,
        media_type=MediaType.HTML,
    )
