"""Sign-in API: login, logout and who am I."""

from __future__ import annotations

from typing import Any

from litestar import Controller, Request, Response, get, post
from litestar.di import NamedDependency
from litestar.exceptions import HTTPException
from litestar.params import JSONBody

from mentorship.access.guards import PUBLIC, SIGNED_IN, access
from mentorship.access.principal import Principal
from mentorship.auth import services
from mentorship.auth.cookies import end_session, start_session
from mentorship.auth.schemas import LoginRequest, LoginResponse, MeRead
from mentorship.config import Settings


def client_address(request: Request[Any, Any, Any]) -> str:
    """The caller's address (uvicorn resolves X-Forwarded-For from trusted proxies)."""
    return request.client.host if request.client else "unknown"


class AuthController(Controller):
    """Sign in and out with a server-side session cookie."""

    path = "/auth"
    tags = ["auth"]

    @post(
        "/login",
        operation_id="login",
        status_code=200,
        opt={**access(PUBLIC), "exclude_from_csrf": True},
        summary="Sign in and receive a session cookie",
    )
    async def login(
        self,
        request: Request[Any, Any, Any],
        data: JSONBody[LoginRequest],
        settings: NamedDependency[Settings],
    ) -> Response[LoginResponse]:
        """Check credentials; on success set a new session cookie (401/429 otherwise)."""
        # Excluded from the CSRF check, so insist on JSON: a cross-site HTML form cannot
        # send application/json without a CORS preflight, which this API never grants.
        if request.content_type[0] != "application/json":
            raise HTTPException(status_code=415, detail="Send the credentials as JSON.")
        result = await services.sign_in(
            settings,
            data.email,
            data.password,
            client_address(request),
            request.headers.get("user-agent", ""),
        )
        response: Response[LoginResponse] = Response(
            LoginResponse(me=MeRead.from_principal(result.principal), csrf_token="")
        )
        response.content.csrf_token = start_session(response, settings, result.token)
        return response

    @post(
        "/logout",
        operation_id="logout",
        status_code=204,
        opt=access(PUBLIC),
        summary="End the current session",
    )
    async def logout(
        self, request: Request[Any, Any, Any], settings: NamedDependency[Settings]
    ) -> Response[None]:
        """Destroy the session server-side and clear the cookie."""
        await services.sign_out(request.cookies.get(settings.session_cookie_name, ""))
        response: Response[None] = Response(None, status_code=204)
        end_session(response, settings)
        return response


class MeController(Controller):
    """The signed-in person."""

    path = "/me"
    tags = ["auth"]
    opt = access(SIGNED_IN)

    @get("/", operation_id="me", summary="Who is signed in")
    async def me(self, request: Request[Principal, Any, Any]) -> MeRead:
        """The current account, its roles and session times."""
        return MeRead.from_principal(request.user)
