"""The matching domain: optimal mentor proposals, their review, and taking them back."""

from __future__ import annotations

from mentorship.access.roles import Role
from mentorship.accounts.signals import account_deactivated
from mentorship.assistance.signals import request_withdrawn
from mentorship.lib.domain import Domain
from mentorship.matching.case_pages import CaseReassignmentPages
from mentorship.matching.commands import COMMANDS
from mentorship.matching.controllers import (
    CaseReassignmentController,
    MatchingController,
    MentorOfferController,
)
from mentorship.matching.offer_pages import RequestOfferPages
from mentorship.matching.pages import MatchBoardPages, QueuePages
from mentorship.matching.withdrawals import (
    withdraw_for_deactivated_account,
    withdraw_for_request,
    withdraw_for_unavailable_mentor,
)
from mentorship.pool.signals import mentor_unavailable
from mentorship.web.nav import COORDINATION, link

DOMAIN = Domain(
    name="matching",
    piccolo_app="mentorship.matching.piccolo_app",
    api=[MatchingController, MentorOfferController, CaseReassignmentController],
    pages=[QueuePages, MatchBoardPages, RequestOfferPages, CaseReassignmentPages],
    commands=COMMANDS,
    menu=[
        link(COORDINATION, 10, "Request queue", "/queue", Role.COORDINATOR),
        link(COORDINATION, 20, "Match board", "/matching", Role.COORDINATOR),
    ],
    listeners=[
        (account_deactivated, withdraw_for_deactivated_account),
        (mentor_unavailable, withdraw_for_unavailable_mentor),
        (request_withdrawn, withdraw_for_request),
    ],
)
