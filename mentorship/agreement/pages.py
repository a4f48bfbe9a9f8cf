"""Admin pages for the agreement versions between the district and the union."""

from __future__ import annotations

from litestar import Controller

from mentorship.accounts.roles import Role
from mentorship.auth.guards import access, roles


class AgreementPages(Controller):
    """Agreement versions: read them and publish a new one."""

    path = "/admin/agreement"
    include_in_schema = False
    opt = access(roles(Role.ADMIN))
