"""Coordinator pages for the request queue and the match board."""

from __future__ import annotations

from litestar import Controller

from mentorship.accounts.roles import Role
from mentorship.auth.guards import access, roles


class QueuePages(Controller):
    """The request queue with waiting times."""

    path = "/queue"
    include_in_schema = False
    opt = access(roles(Role.COORDINATOR))


class MatchBoardPages(Controller):
    """Run matching, review proposals side by side, approve, reject or override."""

    path = "/matching"
    include_in_schema = False
    opt = access(roles(Role.COORDINATOR))
