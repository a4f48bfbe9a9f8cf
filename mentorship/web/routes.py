"""Every page controller, in one list for the application (the API routers are in app.py)."""

from __future__ import annotations

from litestar.types import ControllerRouterHandler

from mentorship.accounts.pages import AccountPages
from mentorship.agreement.pages import AgreementPages
from mentorship.assistance.pages import ReferralPages, RequestPages
from mentorship.audit.pages import AuditPages
from mentorship.auth.pages import SignInPages
from mentorship.cases.pages import CasePages
from mentorship.district.pages import JobRolePages, SitePages, SkillPages
from mentorship.home.pages import HomePages
from mentorship.matching.pages import MatchBoardPages, QueuePages
from mentorship.pool.pages import DevelopmentPages, MentorPages, PoolPages
from mentorship.program.pages import ProgramPages

PAGE_CONTROLLERS: list[ControllerRouterHandler] = [
    SignInPages,
    HomePages,
    RequestPages,
    ReferralPages,
    CasePages,
    DevelopmentPages,
    MentorPages,
    PoolPages,
    QueuePages,
    MatchBoardPages,
    AuditPages,
    ProgramPages,
    AccountPages,
    SitePages,
    JobRolePages,
    SkillPages,
    AgreementPages,
]
