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
from mentorship.district import services
from mentorship.district.schemas import (
    JobRoleCreate,
    JobRoleUpdate,
    LinkWrite,
    SiteCreate,
    SiteRead,
    SiteUpdate,
    SkillCreate,
    SkillUpdate,
)
from mentorship.district.settings import SettingType
from mentorship.lib.errors import Conflict, NotFound, ValidationFailed
from mentorship.web.forms import Form, convert, read_form, sentence
from mentorship.web.render import form_page, page, redirect

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
FORMATS = {
    ("site", "code"): "Site code may use only letters, digits, - and _ (no spaces), e.g. LHS-2.",
    (
        "job_role",
        "code",
    ): "Short code may use only letters, digits and _ (no spaces), e.g. para_sped.",
}


def setting_options() -> list[tuple[str, str]]:
    """Each kind of program a site can run, as value and words."""
    return [(setting.value, setting.label) for setting in SettingType]


def friendly(
    kind: str, fields: Mapping[str, str], typed: Mapping[str, Any], labels: Mapping[str, str]
) -> dict[str, str]:
    """Field messages as sentences, saying what shape a wrongly shaped value needs."""
    result = {}
    for name, message in fields.items():
        text = message.strip()
        if text.endswith("is required.") and str(typed.get(name) or "").strip():
            text = FORMATS.get((kind, name), text)
        elif text and text[0].islower():
            text = f"{labels.get(name, name.replace('_', ' ').capitalize())} {text}"
        result[name] = text if text.endswith(".") else text + "."
    return result


# --- sites and travel ------------------------------------------------------------------------


async def _sites_context(
    origin: int | None = None,
    destination: int | None = None,
    link_values: Mapping[str, Any] | None = None,
) -> dict[str, Any]:
    sites = await services.list_sites(include_inactive=True)
    by_id = {site.id: site for site in sites}
    links: list[dict[str, Any]] = [
        {
            "a": by_id[link.site_a],
            "b": by_id[link.site_b],
            "minutes": link.minutes,
        }
        for link in await services.list_links()
        if link.site_a in by_id and link.site_b in by_id
    ]
    links.sort(key=lambda link: (link["a"].name, link["b"].name))
    open_sites = sorted((s for s in sites if s.active), key=lambda s: s.name)
    travel = None
    if origin is not None and destination is not None:
        try:
            found = await services.travel_between(origin, destination)
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
    async def new_form(self) -> Template:
        """The form for a new site."""
        return page(
            "district/site_new.html",
            {"setting_options": setting_options(), "values": {}, "errors": {}},
        )

    @post("/new")
    async def create(self, request: Me) -> Response[Any]:
        """Add the site; a code in use or a bad value comes back at its field."""
        form = await read_form(request)
        data = {
            "code": form.get("code"),
            "name": form.get("name"),
            "setting_type": form.get("setting_type"),
            "region": form.get("region"),
        }
        context = {"setting_options": setting_options()}
        try:
            site = await services.create_site(convert(SiteCreate, data, labels=SITE_LABELS))
        except ValidationFailed as exc:
            errors = friendly("site", exc.fields, data, SITE_LABELS)
            return form_page("district/site_new.html", context, form.values, errors)
        except Conflict:
            errors = {"code": "Another site already has this code: choose a different one."}
            return form_page("district/site_new.html", context, form.values, errors)
        return redirect(
            request,
            f"/admin/sites/{site.id}",
            f"{site.name} was added. Link it to nearby sites so travel times can be worked out.",
        )

    @post("/links")
    async def set_link(self, request: Me) -> Response[Any]:
        """Add a direct link between two sites, or change its minutes."""
        form = await read_form(request)
        errors: dict[str, str] = {}
        site_a = form.integer("site_a", errors, SITE_LABELS["site_a"])
        site_b = form.integer("site_b", errors, SITE_LABELS["site_b"])
        if site_a is None and "site_a" not in errors:
            errors["site_a"] = "Choose the site the link starts from."
        if site_b is None and "site_b" not in errors:
            errors["site_b"] = "Choose the site the link goes to."
        written = None
        try:
            data = convert(LinkWrite, {"minutes": form.get("minutes") or None}, SITE_LABELS)
        except ValidationFailed as exc:
            errors.update(friendly("site", exc.fields, {}, SITE_LABELS))
            data = None
        if not errors and data is not None and site_a is not None and site_b is not None:
            try:
                written = await services.set_link(site_a, site_b, data.minutes)
            except ValidationFailed:
                errors["site_b"] = "Choose two different sites."
            except NotFound:
                errors["site_a"] = "One of these sites no longer exists: reload the page."
        if written is None:
            context = await _sites_context()
            return form_page("district/sites.html", context, form.values, errors)
        return redirect(
            request,
            "/admin/sites#travel",
            f"Travel between {written.site_a_code} and {written.site_b_code} is set to"
            f" {written.minutes} minutes.",
        )

    @post("/links/remove")
    async def remove_link(self, request: Me) -> Response[Any]:
        """Remove the direct link between two sites."""
        form = await read_form(request)
        errors: dict[str, str] = {}
        site_a = form.integer("site_a", errors, "Site")
        site_b = form.integer("site_b", errors, "Site")
        if errors or site_a is None or site_b is None:
            raise NotFound("no such travel link")
        await services.remove_link(site_a, site_b)
        first, second = await services.get_site(site_a), await services.get_site(site_b)
        return redirect(
            request,
            "/admin/sites#travel",
            f"The direct link between {first.name} and {second.name} was removed.",
        )

    @get("/{site_id:int}", name="admin-site")
    async def show(self, site_id: FromPath[int]) -> Template:
        """One site: change its details, close or reopen it, and its direct links."""
        site = await services.get_site(site_id)
        return page("district/site.html", await _site_context(site))

    @post("/{site_id:int}")
    async def update(self, request: Me, site_id: FromPath[int]) -> Response[Any]:
        """Save the site's name, kind of program and region."""
        form = await read_form(request)
        site = await services.get_site(site_id)
        data = {
            "name": form.get("name"),
            "setting_type": form.get("setting_type"),
            "region": form.get("region"),
        }
        try:
            await services.update_site(site_id, convert(SiteUpdate, data, labels=SITE_LABELS))
        except ValidationFailed as exc:
            errors = friendly("site", exc.fields, data, SITE_LABELS)
            context = await _site_context(site)
            return form_page("district/site.html", context, form.values, errors)
        return redirect(request, f"/admin/sites/{site_id}", "The site's details were saved.")

    @post("/{site_id:int}/close")
    async def close(self, request: Me, site_id: FromPath[int]) -> Response[Any]:
        """Close the site: it leaves the travel graph and cannot be chosen for a profile."""
        site = await services.update_site(site_id, SiteUpdate(active=False))
        return redirect(request, f"/admin/sites/{site_id}", f"{site.name} is closed.")

    @post("/{site_id:int}/reopen")
    async def reopen(self, request: Me, site_id: FromPath[int]) -> Response[Any]:
        """Reopen a closed site."""
        site = await services.update_site(site_id, SiteUpdate(active=True))
        return redirect(request, f"/admin/sites/{site_id}", f"{site.name} is open again.")


async def _site_context(site: SiteRead) -> dict[str, Any]:
    sites = {s.id: s for s in await services.list_sites(include_inactive=True)}
    links: list[dict[str, Any]] = []
    for link in await services.list_links(site_id=site.id):
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
        "errors": {},
    }


# --- job roles -------------------------------------------------------------------------------


class JobRolePages(Controller):
    """Job roles."""

    path = "/admin/job-roles"
    include_in_schema = False
    opt = access(roles(Role.ADMIN))

    @get("/", name="admin-job-roles")
    async def index(self) -> Template:
        """Every job role, in use or retired, and a form to add one."""
        return page("district/job_roles.html", await _job_roles_context())

    @post("/")
    async def create(self, request: Me) -> Response[Any]:
        """Add a job role."""
        form = await read_form(request)
        data = {"code": form.get("code"), "name": form.get("name")}
        try:
            created = await services.create_job_role(
                convert(JobRoleCreate, data, labels=JOB_ROLE_LABELS)
            )
        except ValidationFailed as exc:
            errors = friendly("job_role", exc.fields, data, JOB_ROLE_LABELS)
            return form_page(
                "district/job_roles.html", await _job_roles_context(), form.values, errors
            )
        except Conflict:
            errors = {"code": "Another job role already has this short code."}
            return form_page(
                "district/job_roles.html", await _job_roles_context(), form.values, errors
            )
        return redirect(request, "/admin/job-roles", f"The job role {created.name} was added.")

    @get("/{job_role_id:int}", name="admin-job-role")
    async def show(self, job_role_id: FromPath[int]) -> Template:
        """One job role: rename it, retire or restore it."""
        role = await services.get_job_role(job_role_id)
        return page(
            "district/job_role.html", {"role": role, "values": {"name": role.name}, "errors": {}}
        )

    @post("/{job_role_id:int}")
    async def rename(self, request: Me, job_role_id: FromPath[int]) -> Response[Any]:
        """Save a new name."""
        form = await read_form(request)
        role = await services.get_job_role(job_role_id)
        try:
            data = convert(JobRoleUpdate, {"name": form.get("name")}, labels=JOB_ROLE_LABELS)
            await services.update_job_role(job_role_id, data)
        except ValidationFailed as exc:
            errors = friendly("job_role", exc.fields, form.values, JOB_ROLE_LABELS)
            return form_page("district/job_role.html", {"role": role}, form.values, errors)
        return redirect(request, f"/admin/job-roles/{job_role_id}", "The new name was saved.")

    @post("/{job_role_id:int}/retire")
    async def retire(self, request: Me, job_role_id: FromPath[int]) -> Response[Any]:
        """Retire the job role (people who hold it keep it)."""
        role = await services.update_job_role(job_role_id, JobRoleUpdate(active=False))
        return redirect(request, f"/admin/job-roles/{job_role_id}", f"{role.name} is retired.")

    @post("/{job_role_id:int}/restore")
    async def restore(self, request: Me, job_role_id: FromPath[int]) -> Response[Any]:
        """Bring a retired job role back into use."""
        role = await services.update_job_role(job_role_id, JobRoleUpdate(active=True))
        return redirect(request, f"/admin/job-roles/{job_role_id}", f"{role.name} is in use again.")


async def _job_roles_context() -> dict[str, Any]:
    return {
        "job_roles": await services.list_job_roles(include_inactive=True),
        "values": {},
        "errors": {},
    }


# --- skills ----------------------------------------------------------------------------------


class SkillPages(Controller):
    """Skills that requests ask for and mentors offer."""

    path = "/admin/skills"
    include_in_schema = False
    opt = access(roles(Role.ADMIN))

    @get("/", name="admin-skills")
    async def index(self) -> Template:
        """Every skill, in use or retired, and a form to add one."""
        return page("district/skills.html", await _skills_context())

    @post("/")
    async def create(self, request: Me) -> Response[Any]:
        """Add a skill (names are unique ignoring capitals)."""
        form = await read_form(request)
        data = {"name": form.get("name"), "description": form.get("description")}
        try:
            created = await services.create_skill(convert(SkillCreate, data, labels=SKILL_LABELS))
        except ValidationFailed as exc:
            errors = friendly("skill", exc.fields, data, SKILL_LABELS)
            return form_page("district/skills.html", await _skills_context(), form.values, errors)
        except Conflict as exc:
            errors = {"name": sentence(exc.message)}
            return form_page("district/skills.html", await _skills_context(), form.values, errors)
        return redirect(request, "/admin/skills", f"The skill {created.name} was added.")

    @get("/{skill_id:int}", name="admin-skill")
    async def show(self, skill_id: FromPath[int]) -> Template:
        """One skill: rename or describe it, retire or restore it."""
        skill = await services.get_skill(skill_id)
        values = {"name": skill.name, "description": skill.description}
        return page("district/skill.html", {"skill": skill, "values": values, "errors": {}})

    @post("/{skill_id:int}")
    async def update(self, request: Me, skill_id: FromPath[int]) -> Response[Any]:
        """Save the name and description."""
        form = await read_form(request)
        skill = await services.get_skill(skill_id)
        data = {"name": form.get("name"), "description": form.get("description")}
        try:
            await services.update_skill(skill_id, convert(SkillUpdate, data, labels=SKILL_LABELS))
        except ValidationFailed as exc:
            errors = friendly("skill", exc.fields, data, SKILL_LABELS)
            return form_page("district/skill.html", {"skill": skill}, form.values, errors)
        except Conflict as exc:
            return _skill_again(skill, form, {"name": sentence(exc.message)})
        return redirect(request, f"/admin/skills/{skill_id}", "The skill was saved.")

    @post("/{skill_id:int}/retire")
    async def retire(self, request: Me, skill_id: FromPath[int]) -> Response[Any]:
        """Retire the skill (it stays on old requests and mentor profiles)."""
        skill = await services.update_skill(skill_id, SkillUpdate(active=False))
        return redirect(request, f"/admin/skills/{skill_id}", f"{skill.name} is retired.")

    @post("/{skill_id:int}/restore")
    async def restore(self, request: Me, skill_id: FromPath[int]) -> Response[Any]:
        """Bring a retired skill back into use."""
        skill = await services.update_skill(skill_id, SkillUpdate(active=True))
        return redirect(request, f"/admin/skills/{skill_id}", f"{skill.name} is in use again.")


def _skill_again(skill: Any, form: Form, errors: Mapping[str, str]) -> Template:
    return form_page("district/skill.html", {"skill": skill}, form.values, errors)


async def _skills_context() -> dict[str, Any]:
    return {"skills": await services.list_skills(include_inactive=True), "values": {}, "errors": {}}
