"""A referral's page for the supervisor who filed it: the request's status and, once it became
a case, the case's status (never its content). The rest of the referral pages are the requests
domain's; this one is the cases domain's because it shows a case."""

from __future__ import annotations

from typing import Any

from litestar import Controller, Request, get
from litestar.params import FromPath
from litestar.response import Template

from mentorship.access.guards import access, roles
from mentorship.access.principal import Principal
from mentorship.access.roles import Role
from mentorship.assistance.pages import WORDS
from mentorship.cases import referrals
from mentorship.cases.states import CaseOutcome, CaseState, ReportStatus
from mentorship.web.render import page

Me = Request[Principal, Any, Any]

# A case's state, outcome and released report statuses as the referring supervisor reads them.
CASE_STATES: dict[CaseState, tuple[str, str]] = {
    CaseState.ACTIVE: ("Under way", "ok"),
    CaseState.PAUSED: ("Paused for now", "warn"),
    CaseState.CLOSED: ("Closed", "neutral"),
}

CASE_OUTCOMES: dict[CaseOutcome, str] = {
    CaseOutcome.COMPLETED: "Completed",
    CaseOutcome.WITHDRAWN: "Ended by the employee",
    CaseOutcome.REASSIGNED: "Moved to another mentor",
    CaseOutcome.RELEASED: "Ended by the program",
}

REPORT_STATUSES: dict[ReportStatus, tuple[str, str]] = {
    ReportStatus.PROGRESSING: ("Progressing", "ok"),
    ReportStatus.NEEDS_MORE_TIME: ("Needs more time", "warn"),
    ReportStatus.NOT_PARTICIPATING: ("Not taking part at the moment", "alert"),
}

CASE_WORDS = {
    "case_states": CASE_STATES,
    "case_outcomes": CASE_OUTCOMES,
    "report_statuses": REPORT_STATUSES,
}


class ReferralCasePages(Controller):
    """A referral's status with its case's, for the supervisor who filed it."""

    path = "/referrals"
    include_in_schema = False
    opt = access(roles(Role.SUPERVISOR))

    @get("/{request_id:int}")
    async def one(self, request: Me, request_id: FromPath[int]) -> Template:
        """One referral: its status and dates, and the case's status where allowed."""
        status = await referrals.referral_with_case(request_id, request.user.account_id)
        return page("cases/referral.html", {"referral": status, **WORDS, **CASE_WORDS})
