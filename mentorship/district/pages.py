"""Admin pages for the district's reference data: sites and travel, job roles, skills."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from litestar import Controller, Request, Response, get, post
from litestar.params import FromPath, FromQuery
from litestar.response import Template

from mentorship.access.guards import access, roles
from mentorship.access.principal import Principal
from mentorship.access.roles import Role
from mentorship.district import job_roles_and_skills
from mentorship.district import sites as district_sites
from mentorship.district.messages import DISTRICT
from mentorship.district.schemas import (
    JobRoleCreate,
    JobRoleUpdate,
    LinkRead,
    LinkWrite,
    SiteCreate,
    SiteRead,
    SiteUpdate,
    SkillCreate,
    SkillUpdate,
)
from mentorship.district.settings import SettingType
from mentorship.lib.errors import Conflict, NotFound, ValidationFailed
from mentorship.lib.messages import Message
from mentorship.web.forms import Form, convert, field_errors, read_form
from mentorship.web.pages import AnyRequest, At, FormPage, form_post
from mentorship.web.render import page, redirect

Me = Request[Principal, Any, Any]

SITE_LABELS = {
    "code": "Site code",
    "name": "Site name",
    "setting_type": "Kind of program",
    "region": "Region",
    "minutes": "Travel minutes",
    "site_a": "From site",
    "site_b": "To site",
}
JOB_ROLE_LABELS = {"code": "Short code", "name": "Job role name"}
SKILL_LABELS = {"name": "Skill name", "description": "Description"}

# What a value that is there but has the wrong shape should look like (msgspec reports a
# failed pattern the same way as a blank value).
SITE_FORMATS = {
    "code": "Site code may use only letters, digits, - and _ (no spaces), e.g. LHS-2.",
}
JOB_ROLE_FORMATS = {
    "code": "Short code may use only letters, digits and _ (no spaces), e.g. para_sped.",
}


def setting_options() -> list[tuple[str, str]]:
    """Each kind of program a site can run, as value and words."""
    return [(setting.value, setting.label) for setting in SettingType]


async def _sites_context(
    origin: int | None = None,
    destination: int | None = None,
    link_values: Mapping[str, Any] | None = None,
) -> dict[str, Any]:
    sites = await district_sites.list_sites(include_inactive=True)
    by_id = {site.id: site for site in sites}
    links: list[dict[str, Any]] = [
        {
            "a": by_id[link.site_a],
            "b": by_id[link.site_b],
            "minutes": link.minutes,
        }
        for link in await district_sites.list_links()
        if link.site_a in by_id and link.site_b in by_id
    ]
    links.sort(key=lambda link: (link["a"].name, link["b"].name))
    open_sites = sorted((s for s in sites if s.active), key=lambda s: s.name)
    travel = None
    if origin is not None and destination is not None:
        try:
            found = await district_sites.travel_between(origin, destination)
        except NotFound:
            found = None
        if found is not None:
            names = {site.code: site.name for site in sites}
            travel = {
                "origin": by_id[origin],
                "destination": by_id[destination],
                "reachable": found.reachable,
                "minutes": found.minutes,
                "route": [names.get(code, code) for code in found.route],
            }
    return {
        "sites": sites,
        "links": links,
        "site_options": [(s.id, f"{s.name} ({s.code})") for s in open_sites],
        "all_site_options": [(s.id, f"{s.name} ({s.code})") for s in sites],
        "travel": travel,
        "travel_values": {"origin": origin or "", "destination": destination or ""},
        "values": dict(link_values or {}),
        "errors": {},
    }


async def _site_page(request: AnyRequest, form: Form | None) -> dict[str, Any]:
    return await _site_context(await district_sites.get_site(int(request.path_params["site_id"])))


async def _site_context(site: SiteRead) -> dict[str, Any]:
    sites = {s.id: s for s in await district_sites.list_sites(include_inactive=True)}
    links: list[dict[str, Any]] = []
    for link in await district_sites.list_links(site_id=site.id):
        other = link.site_b if link.site_a == site.id else link.site_a
        if other in sites:
            links.append({"other": sites[other], "minutes": link.minutes})
    links.sort(key=lambda link: link["other"].name)
    return {
        "site": site,
        "links": links,
        "setting_options": setting_options(),
        "values": {
            "name": site.name,
            "setting_type": site.setting_type.value,
            "region": site.region,
        },
    }


async def _job_roles_context(request: AnyRequest, form: Form | None) -> dict[str, Any]:
    return {"job_roles": await job_roles_and_skills.list_job_roles(include_inactive=True)}


async def _skills_context(request: AnyRequest, form: Form | None) -> dict[str, Any]:
    return {"skills": await job_roles_and_skills.list_skills(include_inactive=True)}


async def _site_new_context(request: AnyRequest, form: Form | None) -> dict[str, Any]:
    return {"setting_options": setting_options()}


async def _sites_page(request: AnyRequest, form: Form | None) -> dict[str, Any]:
    return await _sites_context()


async def _job_role_page(request: AnyRequest, form: Form | None) -> dict[str, Any]:
    role = await job_roles_and_skills.get_job_role(int(request.path_params["job_role_id"]))
    return {"role": role, "values": {"name": role.name}}


async def _skill_page(request: AnyRequest, form: Form | None) -> dict[str, Any]:
    skill = await job_roles_and_skills.get_skill(int(request.path_params["skill_id"]))
    return {"skill": skill, "values": {"name": skill.name, "description": skill.description}}


def _site_new(form: Form) -> dict[str, Any]:
    return {**_site_details(form), "code": form.get("code")}


def _site_details(form: Form) -> dict[str, Any]:
    return {
        "name": form.get("name"),
        "setting_type": form.get("setting_type"),
        "region": form.get("region"),
    }


def _link(form: Form) -> tuple[int, int, int]:
    """The two sites and the minutes of a travel link; every mistake at once."""
    errors: dict[str, Message] = {}
    site_a = form.integer("site_a", errors, SITE_LABELS["site_a"])
    site_b = form.integer("site_b", errors, SITE_LABELS["site_b"])
    if site_a is None and "site_a" not in errors:
        errors["site_a"] = DISTRICT("choose_link_start")
    if site_b is None and "site_b" not in errors:
        errors["site_b"] = DISTRICT("choose_link_end")
    minutes = {"minutes": form.get("minutes") or None}
    errors.update(field_errors(LinkWrite, minutes, SITE_LABELS))
    if site_a is not None and site_a == site_b and not errors:
        errors["site_b"] = DISTRICT("choose_two_sites")
    if errors or site_a is None or site_b is None:
        raise ValidationFailed(errors)
    return site_a, site_b, convert(LinkWrite, minutes, SITE_LABELS).minutes


def _link_ends(form: Form) -> tuple[int, int]:
    """The two sites of a link to remove; NotFound when the form does not name two."""
    errors: dict[str, Message] = {}
    site_a = form.integer("site_a", errors, "Site")
    site_b = form.integer("site_b", errors, "Site")
    if errors or site_a is None or site_b is None:
        raise NotFound(DISTRICT("no_such_link"))
    return site_a, site_b


def _link_set(written: LinkRead) -> Message:
    """The notice after a travel link is set: between which sites, how many minutes."""
    site_a, site_b = written.site_a_code, written.site_b_code
    return DISTRICT("notice.link_set", site_a=site_a, site_b=site_b, minutes=written.minutes)


def _job_role(form: Form) -> dict[str, Any]:
    return {"code": form.get("code"), "name": form.get("name")}


def _job_role_name(form: Form) -> dict[str, Any]:
    return {"name": form.get("name")}


def _skill(form: Form) -> dict[str, Any]:
    return {"name": form.get("name"), "description": form.get("description")}


SITE_NEW = FormPage(
    "district/site_new.html",
    _site_new_context,
    SITE_LABELS,
    formats=SITE_FORMATS,
    refusals={Conflict: At("code", "Another site already has this code: choose a different one.")},
)
SITE = FormPage("district/site.html", _site_page, SITE_LABELS, formats=SITE_FORMATS)
LINKS = FormPage(
    "district/sites.html",
    _sites_page,
    SITE_LABELS,
    names={"site": "site_b"},
    refusals={NotFound: At("site_a", "One of these sites no longer exists: reload the page.")},
)
JOB_ROLES = FormPage(
    "district/job_roles.html",
    _job_roles_context,
    JOB_ROLE_LABELS,
    formats=JOB_ROLE_FORMATS,
    refusals={Conflict: At("code", "Another job role already has this short code.")},
)
JOB_ROLE = FormPage(
    "district/job_role.html", _job_role_page, JOB_ROLE_LABELS, formats=JOB_ROLE_FORMATS
)
SKILLS = FormPage(
    "district/skills.html", _skills_context, SKILL_LABELS, refusals={Conflict: At("name")}
)
SKILL = SKILLS.but(template="district/skill.html", context=_skill_page)


class SitePages(Controller):
    """Sites and the travel times between them."""

    path = "/admin/sites"
    include_in_schema = False
    opt = access(roles(Role.ADMIN))

    @get("/", name="admin-sites")
    async def index(
        self,
        origin: FromQuery[int | None] = None,
        destination: FromQuery[int | None] = None,
        site_a: FromQuery[int | None] = None,
        site_b: FromQuery[int | None] = None,
        minutes: FromQuery[int | None] = None,
    ) -> Template:
        """Every site, the direct travel links, a form to set one, and a travel-time lookup."""
        link_values = {"site_a": site_a or "", "site_b": site_b or "", "minutes": minutes or ""}
        return page("district/sites.html", await _sites_context(origin, destination, link_values))

    @get("/new", name="admin-site-new")
    async def new_form(self, request: Me) -> Template:
        """The form for a new site."""
        return await SITE_NEW.show(request)

    @form_post("/new", SITE_NEW)
    async def create(self, request: Me) -> Response[Any]:
        """Add the site; a code in use or a bad value comes back at its field."""
        site = await district_sites.create_site(await SITE_NEW.read(request, SiteCreate, _site_new))
        notice = DISTRICT("notice.site_added", site=site.name)
        return redirect(request, f"/admin/sites/{site.id}", notice)

    @form_post("/links", LINKS)
    async def set_link(self, request: Me) -> Response[Any]:
        """Add a direct link between two sites, or change its minutes."""
        written = await district_sites.set_link(*_link(await LINKS.form(request)))
        return redirect(request, "/admin/sites#travel", _link_set(written))

    @post("/links/remove")
    async def remove_link(self, request: Me) -> Response[Any]:
        """Remove the direct link between two sites."""
        first, second = await district_sites.remove_link(*_link_ends(await read_form(request)))
        notice = DISTRICT("notice.link_removed", site_a=first.name, site_b=second.name)
        return redirect(request, "/admin/sites#travel", notice)

    @get("/{site_id:int}", name="admin-site")
    async def show(self, site_id: FromPath[int]) -> Template:
        """One site: change its details, close or reopen it, and its direct links."""
        site = await district_sites.get_site(site_id)
        return page("district/site.html", await _site_context(site))

    @form_post("/{site_id:int}", SITE)
    async def update(self, request: Me, site_id: FromPath[int]) -> Response[Any]:
        """Save the site's name, kind of program and region."""
        await district_sites.update_site(
            site_id, await SITE.read(request, SiteUpdate, _site_details)
        )
        return redirect(request, f"/admin/sites/{site_id}", DISTRICT("notice.site_saved"))

    @post("/{site_id:int}/close")
    async def close(self, request: Me, site_id: FromPath[int]) -> Response[Any]:
        """Close the site: it leaves the travel graph and cannot be chosen for a profile."""
        site = await district_sites.update_site(site_id, SiteUpdate(active=False))
        return redirect(
            request, f"/admin/sites/{site_id}", DISTRICT("notice.site_closed", site=site.name)
        )

    @post("/{site_id:int}/reopen")
    async def reopen(self, request: Me, site_id: FromPath[int]) -> Response[Any]:
        """Reopen a closed site."""
        site = await district_sites.update_site(site_id, SiteUpdate(active=True))
        return redirect(
            request, f"/admin/sites/{site_id}", DISTRICT("notice.site_reopened", site=site.name)
        )


class JobRolePages(Controller):
    """Job roles."""

    path = "/admin/job-roles"
    include_in_schema = False
    opt = access(roles(Role.ADMIN))

    @get("/", name="admin-job-roles")
    async def index(self, request: Me) -> Template:
        """Every job role, in use or retired, and a form to add one."""
        return await JOB_ROLES.show(request)

    @form_post("/", JOB_ROLES)
    async def create(self, request: Me) -> Response[Any]:
        """Add a job role."""
        data = await JOB_ROLES.read(request, JobRoleCreate, _job_role)
        created = await job_roles_and_skills.create_job_role(data)
        return redirect(
            request, "/admin/job-roles", DISTRICT("notice.job_role_added", name=created.name)
        )

    @get("/{job_role_id:int}", name="admin-job-role")
    async def show(self, request: Me, job_role_id: FromPath[int]) -> Template:
        """One job role: rename it, retire or restore it."""
        return await JOB_ROLE.show(request)

    @form_post("/{job_role_id:int}", JOB_ROLE)
    async def rename(self, request: Me, job_role_id: FromPath[int]) -> Response[Any]:
        """Save a new name."""
        await job_roles_and_skills.get_job_role(job_role_id)
        data = await JOB_ROLE.read(request, JobRoleUpdate, _job_role_name)
        await job_roles_and_skills.update_job_role(job_role_id, data)
        return redirect(
            request, f"/admin/job-roles/{job_role_id}", DISTRICT("notice.job_role_renamed")
        )

    @post("/{job_role_id:int}/retire")
    async def retire(self, request: Me, job_role_id: FromPath[int]) -> Response[Any]:
        """Retire the job role (people who hold it keep it)."""
        role = await job_roles_and_skills.update_job_role(job_role_id, JobRoleUpdate(active=False))
        return redirect(
            request, f"/admin/job-roles/{job_role_id}", DISTRICT("notice.retired", name=role.name)
        )

    @post("/{job_role_id:int}/restore")
    async def restore(self, request: Me, job_role_id: FromPath[int]) -> Response[Any]:
        """Bring a retired job role back into use."""
        role = await job_roles_and_skills.update_job_role(job_role_id, JobRoleUpdate(active=True))
        return redirect(
            request, f"/admin/job-roles/{job_role_id}", DISTRICT("notice.restored", name=role.name)
        )


class SkillPages(Controller):
    """Skills that requests ask for and mentors offer."""

    path = "/admin/skills"
    include_in_schema = False
    opt = access(roles(Role.ADMIN))

    @get("/", name="admin-skills")
    async def index(self, request: Me) -> Template:
        """Every skill, in use or retired, and a form to add one."""
        return await SKILLS.show(request)

    @form_post("/", SKILLS)
    async def create(self, request: Me) -> Response[Any]:
        """Add a skill (names are unique ignoring capitals)."""
        created = await job_roles_and_skills.create_skill(
            await SKILLS.read(request, SkillCreate, _skill)
        )
        return redirect(request, "/admin/skills", DISTRICT("notice.skill_added", name=created.name))

    @get("/{skill_id:int}", name="admin-skill")
    async def show(self, request: Me, skill_id: FromPath[int]) -> Template:
        """One skill: rename or describe it, retire or restore it."""
        return await SKILL.show(request)

    @form_post("/{skill_id:int}", SKILL)
    async def update(self, request: Me, skill_id: FromPath[int]) -> Response[Any]:
        """Save the name and description."""
        await job_roles_and_skills.get_skill(skill_id)
        await job_roles_and_skills.update_skill(
            skill_id, await SKILL.read(request, SkillUpdate, _skill)
        )
        return redirect(request, f"/admin/skills/{skill_id}", DISTRICT("notice.skill_saved"))

    @post("/{skill_id:int}/retire")
    async def retire(self, request: Me, skill_id: FromPath[int]) -> Response[Any]:
        """Retire the skill (it stays on old requests and mentor profiles)."""
        skill = await job_roles_and_skills.update_skill(skill_id, SkillUpdate(active=False))
        return redirect(
            request, f"/admin/skills/{skill_id}", DISTRICT("notice.retired", name=skill.name)
        )

    @post("/{skill_id:int}/restore")
    async def restore(self, request: Me, skill_id: FromPath[int]) -> Response[Any]:
        """Bring a retired skill back into use."""
        skill = await job_roles_and_skills.update_skill(skill_id, SkillUpdate(active=True))
        return redirect(
            request, f"/admin/skills/{skill_id}", DISTRICT("notice.restored", name=skill.name)
        )
