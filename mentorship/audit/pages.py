"""The coordinator's audit-log page: filters and export."""

from __future__ import annotations

from litestar import Controller

from mentorship.accounts.roles import Role
from mentorship.auth.guards import access, roles


class AuditPages(Controller):
    """Browse and export the audit log."""

    path = "/audit"
    include_in_schema = False
    opt = access(roles(Role.COORDINATOR))
