"""Mentor-pool pages: apply and train (mentors); applications, verification, pool (coordinators)."""

from __future__ import annotations

from litestar import Controller

from mentorship.accounts.roles import Role
from mentorship.auth.guards import access, roles


class MentorPages(Controller):
    """A would-be or serving mentor's application and training."""

    path = "/mentor"
    include_in_schema = False
    opt = access(roles(Role.EMPLOYEE, Role.MENTOR))


class PoolPages(Controller):
    """The coordinator's view of applications, training to verify and the mentor pool."""

    path = "/pool"
    include_in_schema = False
    opt = access(roles(Role.COORDINATOR))


class DevelopmentPages(Controller):
    """The professional-development record: training and meeting hours by topic."""

    path = "/development"
    include_in_schema = False
    opt = access(roles(Role.EMPLOYEE, Role.MENTOR))
