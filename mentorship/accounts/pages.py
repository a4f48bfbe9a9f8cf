"""Admin pages for accounts and roles."""

from __future__ import annotations

from litestar import Controller

from mentorship.accounts.roles import Role
from mentorship.auth.guards import access, roles


class AccountPages(Controller):
    """Accounts: create, edit, grant and revoke roles, deactivate."""

    path = "/admin/accounts"
    include_in_schema = False
    opt = access(roles(Role.ADMIN))
