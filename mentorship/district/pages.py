"""Admin pages for the district's reference data: sites and travel, job roles, skills."""

from __future__ import annotations

from litestar import Controller

from mentorship.accounts.roles import Role
from mentorship.auth.guards import access, roles


class SitePages(Controller):
    """Sites and the travel times between them."""

    path = "/admin/sites"
    include_in_schema = False
    opt = access(roles(Role.ADMIN))


class JobRolePages(Controller):
    """Job roles."""

    path = "/admin/job-roles"
    include_in_schema = False
    opt = access(roles(Role.ADMIN))


class SkillPages(Controller):
    """Skills that requests ask for and mentors offer."""

    path = "/admin/skills"
    include_in_schema = False
    opt = access(roles(Role.ADMIN))
