"""Case pages: my case, the caseload, the case page, all cases, the development record."""

from __future__ import annotations

from litestar import Controller

from mentorship.accounts.roles import Role
from mentorship.auth.guards import SIGNED_IN, access, roles


class CasePages(Controller):
    """Case lists and the case page; what each person sees is decided by the case services."""

    path = "/"
    include_in_schema = False
    opt = access(SIGNED_IN)


class DevelopmentPages(Controller):
    """The professional-development record: training and meeting hours by topic."""

    path = "/development"
    include_in_schema = False
    opt = access(roles(Role.EMPLOYEE, Role.MENTOR))
