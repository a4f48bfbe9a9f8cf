"""The district domain: sites and travel, job roles, skills, employees and supervision."""

from __future__ import annotations

from mentorship.access.roles import Role
from mentorship.district.account_pages import AccountPages
from mentorship.district.controllers import (
    EmployeeController,
    JobRoleController,
    MyDistrictController,
    SiteController,
    SkillController,
)
from mentorship.district.pages import JobRolePages, SitePages, SkillPages
from mentorship.lib.domain import Domain
from mentorship.web.nav import ADMINISTRATION, link

DOMAIN = Domain(
    name="district",
    piccolo_app="mentorship.district.piccolo_app",
    api=[
        SiteController,
        JobRoleController,
        SkillController,
        EmployeeController,
        MyDistrictController,
    ],
    pages=[AccountPages, SitePages, JobRolePages, SkillPages],
    menu=[
        link(ADMINISTRATION, 10, "Accounts", "/admin/accounts", Role.ADMIN),
        link(ADMINISTRATION, 20, "Sites and travel", "/admin/sites", Role.ADMIN),
        link(ADMINISTRATION, 30, "Job roles", "/admin/job-roles", Role.ADMIN),
        link(ADMINISTRATION, 40, "Skills", "/admin/skills", Role.ADMIN),
    ],
)
