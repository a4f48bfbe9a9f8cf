"""Pages for asking for help (employees) and referring someone (supervisors)."""

from __future__ import annotations

from litestar import Controller

from mentorship.accounts.roles import Role
from mentorship.auth.guards import access, roles


class RequestPages(Controller):
    """An employee's own requests: ask for help, follow it, answer a referral."""

    path = "/requests"
    include_in_schema = False
    opt = access(roles(Role.EMPLOYEE))


class ReferralPages(Controller):
    """A supervisor's referrals: refer a supervisee, follow the status."""

    path = "/referrals"
    include_in_schema = False
    opt = access(roles(Role.SUPERVISOR))
