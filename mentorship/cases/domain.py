"""The cases domain: mentoring cases, meetings, confidential notes and status reports."""

from __future__ import annotations

from mentorship.access.roles import Role
from mentorship.cases.commands import COMMANDS
from mentorship.cases.controllers import (
    CaseController,
    ReferralCaseController,
)
from mentorship.cases.hours import meeting_time
from mentorship.cases.pages import CasePages
from mentorship.cases.referral_pages import ReferralCasePages
from mentorship.cases.services import caseloads
from mentorship.development import signals as development_signals
from mentorship.lib.domain import Domain
from mentorship.pool import signals as pool_signals
from mentorship.web.nav import COORDINATION, MENTORING, MY_HELP, link

DOMAIN = Domain(
    name="cases",
    piccolo_app="mentorship.cases.piccolo_app",
    api=[CaseController, ReferralCaseController],
    commands=COMMANDS,
    pages=[CasePages, ReferralCasePages],
    providers=[
        (pool_signals.caseloads, caseloads),
        (development_signals.meeting_time, meeting_time),
    ],
    menu=[
        link(MY_HELP, 30, "My case", "/my-cases", Role.EMPLOYEE),
        link(MENTORING, 30, "My caseload", "/caseload", Role.MENTOR),
        link(COORDINATION, 30, "Cases", "/cases", Role.COORDINATOR),
    ],
)
