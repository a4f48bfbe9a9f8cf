"""JSON API for sites, travel, job roles, skills and employee profiles."""

from __future__ import annotations

from typing import Annotated, Any

from litestar import Controller, Request, delete, get, patch, post, put
from litestar.params import FromPath, FromQuery, JSONBody, QueryParameter

from mentorship.access.guards import SIGNED_IN, access, roles
from mentorship.access.principal import Principal
from mentorship.access.roles import Role
from mentorship.district import job_roles_and_skills
from mentorship.district import profiles as district_profiles
from mentorship.district import sites as district_sites
from mentorship.district.schemas import (
    JobRoleCreate,
    JobRoleRead,
    JobRoleUpdate,
    LinkRead,
    LinkWrite,
    ProfileRead,
    ProfileUpdate,
    SiteCreate,
    SiteRead,
    SiteUpdate,
    SkillCreate,
    SkillRead,
    SkillUpdate,
    SuperviseeRead,
    TravelRead,
)

ADMIN = access(roles(Role.ADMIN))


class SiteController(Controller):
    """Sites and the travel graph; everyone signed in may read, admins change."""

    path = "/sites"
    tags = ["reference data"]
    opt = access(SIGNED_IN)

    @get("/", operation_id="listSites", summary="List sites")
    async def list_sites(self, include_inactive: FromQuery[bool] = False) -> list[SiteRead]:
        """Sites by region and name (closed ones only when asked)."""
        return await district_sites.list_sites(include_inactive=include_inactive)

    @post("/", operation_id="createSite", summary="Add a site", opt=ADMIN)
    async def create_site(self, data: JSONBody[SiteCreate]) -> SiteRead:
        """Add a site; its code is unique and kept upper-case."""
        return await district_sites.create_site(data)

    @get("/{site_id:int}", operation_id="getSite", summary="Show a site")
    async def get_site(self, site_id: FromPath[int]) -> SiteRead:
        """One site."""
        return await district_sites.get_site(site_id)

    @patch("/{site_id:int}", operation_id="updateSite", summary="Change a site", opt=ADMIN)
    async def update_site(self, site_id: FromPath[int], data: JSONBody[SiteUpdate]) -> SiteRead:
        """Change name, setting type, region, or close/reopen the site."""
        return await district_sites.update_site(site_id, data)

    @get("/links", operation_id="listTravelLinks", summary="List direct travel links")
    async def list_links(self, site_id: FromQuery[int | None] = None) -> list[LinkRead]:
        """Every direct link, or those touching one site."""
        return await district_sites.list_links(site_id=site_id)

    @put(
        "/{site_id:int}/links/{other_id:int}",
        operation_id="setTravelLink",
        summary="Set the travel minutes between two sites",
        opt=ADMIN,
    )
    async def set_link(
        self, site_id: FromPath[int], other_id: FromPath[int], data: JSONBody[LinkWrite]
    ) -> LinkRead:
        """Create or change a direct link; travel times are recomputed."""
        return await district_sites.set_link(site_id, other_id, data.minutes)

    @delete(
        "/{site_id:int}/links/{other_id:int}",
        operation_id="removeTravelLink",
        summary="Remove a direct link",
        opt=ADMIN,
    )
    async def remove_link(self, site_id: FromPath[int], other_id: FromPath[int]) -> None:
        """Remove the direct link between two sites."""
        await district_sites.remove_link(site_id, other_id)

    @get(
        "/{site_id:int}/travel/{other_id:int}",
        operation_id="travelTime",
        summary="Shortest travel time between two sites",
    )
    async def travel(self, site_id: FromPath[int], other_id: FromPath[int]) -> TravelRead:
        """Minutes and route of the shortest path in the site graph."""
        return await district_sites.travel_between(site_id, other_id)


class JobRoleController(Controller):
    """Job roles; everyone signed in may read, admins change."""

    path = "/job-roles"
    tags = ["reference data"]
    opt = access(SIGNED_IN)

    @get("/", operation_id="listJobRoles", summary="List job roles")
    async def list_job_roles(self, include_inactive: FromQuery[bool] = False) -> list[JobRoleRead]:
        """Job roles by name."""
        return await job_roles_and_skills.list_job_roles(include_inactive=include_inactive)

    @post("/", operation_id="createJobRole", summary="Add a job role", opt=ADMIN)
    async def create_job_role(self, data: JSONBody[JobRoleCreate]) -> JobRoleRead:
        """Add a job role."""
        return await job_roles_and_skills.create_job_role(data)

    @patch(
        "/{job_role_id:int}", operation_id="updateJobRole", summary="Change a job role", opt=ADMIN
    )
    async def update_job_role(
        self, job_role_id: FromPath[int], data: JSONBody[JobRoleUpdate]
    ) -> JobRoleRead:
        """Rename or (de)activate a job role."""
        return await job_roles_and_skills.update_job_role(job_role_id, data)


class SkillController(Controller):
    """The skills taxonomy; everyone signed in may read, admins change."""

    path = "/skills"
    tags = ["reference data"]
    opt = access(SIGNED_IN)

    @get("/", operation_id="listSkills", summary="List skills")
    async def list_skills(self, include_inactive: FromQuery[bool] = False) -> list[SkillRead]:
        """The taxonomy by name."""
        return await job_roles_and_skills.list_skills(include_inactive=include_inactive)

    @post("/", operation_id="createSkill", summary="Add a skill", opt=ADMIN)
    async def create_skill(self, data: JSONBody[SkillCreate]) -> SkillRead:
        """Add a skill (names unique ignoring case)."""
        return await job_roles_and_skills.create_skill(data)

    @patch("/{skill_id:int}", operation_id="updateSkill", summary="Change a skill", opt=ADMIN)
    async def update_skill(self, skill_id: FromPath[int], data: JSONBody[SkillUpdate]) -> SkillRead:
        """Rename, describe or retire a skill."""
        return await job_roles_and_skills.update_skill(skill_id, data)


class EmployeeController(Controller):
    """Where each person works and who supervises them."""

    path = "/employees"
    tags = ["employees"]
    opt = access(roles(Role.ADMIN, Role.COORDINATOR))

    @get("/{account_id:int}", operation_id="getEmployee", summary="Show a person's profile")
    async def get_profile(self, account_id: FromPath[int]) -> ProfileRead:
        """Site, job role, supervisor and languages."""
        return await district_profiles.get_profile(account_id)

    @patch(
        "/{account_id:int}",
        operation_id="updateEmployee",
        summary="Change site, job role, supervisor or languages",
        opt=ADMIN,
    )
    async def update_profile(
        self, account_id: FromPath[int], data: JSONBody[ProfileUpdate]
    ) -> ProfileRead:
        """Change the profile; a supervisor change that would make a loop is refused (409)."""
        return await district_profiles.update_profile(account_id, data)


class MyDistrictController(Controller):
    """The signed-in person's own place in the district."""

    path = "/me"
    tags = ["employees"]

    @get("/profile", operation_id="myProfile", summary="My profile", opt=access(SIGNED_IN))
    async def my_profile(self, request: Request[Principal, Any, Any]) -> ProfileRead:
        """My site, job role, supervisor and languages."""
        return await district_profiles.get_profile(request.user.account_id)

    @get(
        "/supervisees",
        operation_id="mySupervisees",
        summary="People in my supervision chain",
        opt=access(roles(Role.SUPERVISOR)),
    )
    async def my_supervisees(
        self,
        request: Request[Principal, Any, Any],
        search: Annotated[str | None, QueryParameter(max_length=200)] = None,
    ) -> list[SuperviseeRead]:
        """Everyone I supervise directly or through others (whom I may refer)."""
        people = await district_profiles.supervisees(request.user.account_id)
        if search:
            needle = search.casefold()
            people = [p for p in people if needle in p.display_name.casefold()]
        return people
