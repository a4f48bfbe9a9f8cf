"""Resolves the session cookie to a Principal on every request (anonymous when there is none)."""

from __future__ import annotations

from litestar.connection import ASGIConnection
from litestar.middleware import AbstractAuthenticationMiddleware, AuthenticationResult

from mentorship.auth.services import resolve_session
from mentorship.config import Settings
from mentorship.lib import context


class SessionAuthenticationMiddleware(AbstractAuthenticationMiddleware):
    """Sets `request.user` to the Principal of a valid session, or None.

    It never refuses a request itself: whether anonymity is acceptable is each route's
    access rule, enforced by `mentorship.access.guards.access_guard`.
    """

    async def authenticate_request(self, connection: ASGIConnection) -> AuthenticationResult:
        """Look the session token up in the database."""
        settings: Settings = connection.app.state.settings
        token = connection.cookies.get(settings.session_cookie_name, "")
        principal = await resolve_session(settings, token) if token else None
        if principal is not None:
            # The audit log names the actor from here, without asking the accounts domain.
            context.set_actor(principal.account_id, principal.display_name)
        return AuthenticationResult(user=principal, auth=None)
