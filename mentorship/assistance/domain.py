"""The requests domain: asking for help, referrals and the employee's consent."""

from __future__ import annotations

from mentorship.access.roles import Role
from mentorship.assistance.controllers import ReferralController, RequestController
from mentorship.assistance.pages import ReferralPages, RequestPages
from mentorship.lib.domain import Domain
from mentorship.web.nav import MY_HELP, SUPERVISING, link

DOMAIN = Domain(
    name="assistance",
    piccolo_app="mentorship.assistance.piccolo_app",
    api=[RequestController, ReferralController],
    pages=[RequestPages, ReferralPages],
    menu=[
        link(MY_HELP, 10, "Ask for help", "/requests/new", Role.EMPLOYEE),
        link(MY_HELP, 20, "My requests", "/requests", Role.EMPLOYEE),
        link(SUPERVISING, 10, "Refer someone", "/referrals/new", Role.SUPERVISOR),
        link(SUPERVISING, 20, "My referrals", "/referrals", Role.SUPERVISOR),
    ],
)
