"""The coordinator's program reports: charts with a data table beside each."""

from __future__ import annotations

from litestar import Controller

from mentorship.accounts.roles import Role
from mentorship.auth.guards import access, roles


class ProgramPages(Controller):
    """Program reports."""

    path = "/program"
    include_in_schema = False
    opt = access(roles(Role.COORDINATOR))
