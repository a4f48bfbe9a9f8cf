"""Route access rules: every handler declares who may call it, and anything else is refused.

A handler states its rule in `opt={"access": …}` (on the handler or its controller):
`PUBLIC`, `SIGNED_IN`, or `roles(Role.ADMIN, …)`. A handler that declares nothing is
refused to everyone, so a forgotten declaration fails closed.
"""

from __future__ import annotations

from typing import Any

from litestar.connection import ASGIConnection
from litestar.handlers.base import BaseRouteHandler

from mentorship.access.messages import ACCESS
from mentorship.access.principal import Principal
from mentorship.access.roles import Role
from mentorship.lib.errors import NotAuthenticated, PermissionDenied

ACCESS_KEY = "access"
PUBLIC = "public"
SIGNED_IN = "signed-in"


def roles(*allowed: Role) -> frozenset[Role]:
    """An access rule admitting people who hold any of the given roles."""
    return frozenset(allowed)


def access(rule: str | frozenset[Role]) -> dict[str, Any]:
    """The `opt` mapping declaring a handler's access rule."""
    return {ACCESS_KEY: rule}


async def access_guard(connection: ASGIConnection, handler: BaseRouteHandler) -> None:
    """Enforce the handler's declared access rule; deny when none is declared.

    A coroutine although it never waits: Litestar would run a plain function in a worker
    thread, a thread hop on every request.
    """
    rule = handler.opt.get(ACCESS_KEY)
    if rule == PUBLIC:
        return
    user: Principal | None = connection.scope.get("user")
    if rule is None:
        raise PermissionDenied(ACCESS("no_rule"))
    if user is None:
        raise NotAuthenticated(ACCESS("sign_in"))
    if rule == SIGNED_IN:
        return
    if isinstance(rule, frozenset) and user.has_any_role(rule):
        return
    raise PermissionDenied(ACCESS("no_role"))
