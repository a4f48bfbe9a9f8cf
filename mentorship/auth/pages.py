"""Sign-in and sign-out pages."""

from __future__ import annotations

from typing import Any

from litestar import Controller, Request, Response, get, post
from litestar.di import NamedDependency
from litestar.params import FromQuery
from litestar.response import Redirect

from mentorship.access.guards import PUBLIC, access
from mentorship.auth import services
from mentorship.auth.controllers import client_address
from mentorship.auth.cookies import end_session, start_session
from mentorship.auth.messages import AUTH
from mentorship.config import Settings
from mentorship.lib.errors import InvalidCredentials, TooManyAttempts, ValidationFailed
from mentorship.lib.messages import Message
from mentorship.web.forms import Form
from mentorship.web.pages import AnyRequest, Banner, FormPage, as_said, form_post


def safe_next(target: str | None) -> str:
    """Where to go after sign-in: a path on this site only, never another origin."""
    if target and target.startswith("/") and not target.startswith("//") and "\\" not in target:
        return target
    return "/"


async def _login_context(request: AnyRequest, form: Form | None) -> dict[str, Any]:
    """The sign-in form around what was typed: the address kept, where to go after."""
    target = form.get("next") if form is not None else request.query_params.get("next")
    email = form.get("email") if form is not None else ""
    return {"email": email, "next": safe_next(target), "message": None}


def _credentials(form: Form) -> tuple[str, str]:
    """The email and password typed; ValidationFailed naming each one left blank."""
    errors: dict[str, Message] = {}
    if not form.get("email"):
        errors["email"] = AUTH("enter_email")
    if not form.raw.get("password"):
        errors["password"] = AUTH("enter_password")
    if errors:
        raise ValidationFailed(errors)
    return form.get("email"), form.raw["password"]


def _into_session(settings: Settings, token: str, form: Form) -> Response[Any]:
    """The see-other to where the person was going, carrying their new session."""
    response: Response[Any] = Redirect(path=safe_next(form.get("next")), status_code=303)
    start_session(response, settings, token)
    return response


REFUSED = Banner("message", own_status=True)
LOGIN = FormPage(
    "auth/login.html",
    _login_context,
    words=as_said,
    refusals={TooManyAttempts: REFUSED, InvalidCredentials: REFUSED},
)


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
        return await LOGIN.show(request)

    @form_post("/login", LOGIN, status_code=303)
    async def login_submit(
        self, request: Request[Any, Any, Any], settings: NamedDependency[Settings]
    ) -> Response[Any]:
        """Sign in from the form; on failure show the form again with the reason."""
        form = await LOGIN.form(request)
        email, password = _credentials(form)
        agent = request.headers.get("user-agent", "")
        result = await services.sign_in(settings, email, password, client_address(request), agent)
        return _into_session(settings, result.token, form)

    @post("/logout", status_code=303)
    async def logout(
        self, request: Request[Any, Any, Any], settings: NamedDependency[Settings]
    ) -> Response[Any]:
        """End the session and return to the sign-in page."""
        await services.sign_out(request.cookies.get(settings.session_cookie_name, ""))
        redirect: Response[Any] = Redirect(path="/login?signed_out=1", status_code=303)
        end_session(redirect, settings)
        return redirect
