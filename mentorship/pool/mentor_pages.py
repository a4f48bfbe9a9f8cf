"""The mentor's own pool pages: applying to the pool and availability (their training:
`development.training_pages`)."""

from __future__ import annotations

from typing import Any

from litestar import Controller, Response, get, post
from litestar.response import Template

from mentorship.access.guards import access, roles
from mentorship.access.roles import Role
from mentorship.development import training_records
from mentorship.district import job_roles_and_skills, profiles
from mentorship.lib.errors import NotFound, ValidationFailed
from mentorship.pool import applications as pool_applications
from mentorship.pool import mentors as pool_mentors
from mentorship.pool.messages import POOL
from mentorship.pool.schemas import MentorApply, MentorRead
from mentorship.pool.shared_pages import Me, template_globals
from mentorship.pool.tables import MentorStatus
from mentorship.web.forms import Form, convert, field_errors, read_form
from mentorship.web.pages import FormPage, as_said, form_post
from mentorship.web.render import redirect

APPLY_LABELS = {
    "skills": "Skills you can offer",
    "languages": "Languages",
    "statement": "Why you want to mentor",
}


async def _first_application(account_id: int) -> bool:
    """Whether an application now is a first one (or one after leaving the pool)."""
    try:
        standing = await pool_mentors.get_mentor(account_id)
    except NotFound:
        return True
    return standing.status in (MentorStatus.DECLINED, MentorStatus.RETIRED)


async def _application(form: Form) -> MentorApply:
    """The application form as MentorApply: every blank part and every bad value at once."""
    chosen = []
    for skill in await job_roles_and_skills.list_skills():
        level = form.get(f"skill_{skill.id}")
        if level:
            chosen.append({"skill_id": skill.id, "level": level})
    languages = [part.strip() for part in form.get("languages").split(",") if part.strip()]
    blank = {
        "skills": POOL("choose_skill"),
        "languages": POOL("enter_language"),
        "statement": POOL("enter_statement"),
    }
    given = {"skills": chosen, "languages": languages, "statement": form.get("statement")}
    missing = {name: blank[name] for name, value in given.items() if not value}
    if missing:
        raise ValidationFailed({**field_errors(MentorApply, given, APPLY_LABELS), **missing})
    return convert(MentorApply, given, labels=APPLY_LABELS)


async def _apply_context(request: Me, form: Form | None) -> dict[str, Any]:
    account_id = request.user.account_id
    try:
        standing: MentorRead | None = await pool_mentors.get_mentor(account_id)
    except NotFound:
        standing = None
    profile = await profiles.get_profile(account_id)
    context = {
        **template_globals(),
        "standing": standing,
        "may_apply": pool_applications.may_apply(standing.status if standing else None),
        "skills": await job_roles_and_skills.list_skills(),
        "training": await training_records.my_standing(account_id),
        "profile_languages": profile.languages,
    }
    return context if form is not None else {**context, "values": _current_values(context)}


def _current_values(context: dict[str, Any]) -> dict[str, Any]:
    """The form filled with what the person sent last time (or their profile)."""
    standing: MentorRead | None = context["standing"]
    values: dict[str, Any] = {"languages": ", ".join(context["profile_languages"])}
    if standing is not None:
        values["statement"] = standing.statement
        for skill in standing.skills:
            values[f"skill_{skill.skill_id}"] = str(skill.level)
    return values


APPLY = FormPage("pool/apply.html", _apply_context, APPLY_LABELS, words=as_said)


class MentorPages(Controller):
    """A would-be or serving mentor's application and availability."""

    path = "/mentor"
    include_in_schema = False
    opt = access(roles(Role.EMPLOYEE, Role.MENTOR))

    @get("/apply")
    async def apply_page(self, request: Me) -> Template:
        """Become a mentor: the form, or where my application stands."""
        return await APPLY.show(request)

    @form_post("/apply", APPLY, opt=access(roles(Role.EMPLOYEE)))
    async def apply(self, request: Me) -> Response[Any]:
        """Send (or change, or send again) my application to the mentor pool."""
        data = await _application(await APPLY.form(request))
        first_time = await _first_application(request.user.account_id)
        await pool_applications.apply(request.user.account_id, data)
        said = "notice.applied" if first_time else "notice.application_updated"
        return redirect(request, "/mentor/apply", POOL(said))

    @post("/availability", opt=access(roles(Role.MENTOR)))
    async def availability(self, request: Me) -> Response[Any]:
        """Take new cases, or pause taking them (cases already open go on)."""
        available = (await read_form(request)).get("available") == "yes"
        await pool_mentors.set_availability(request.user.account_id, available)
        said = "notice.taking_again" if available else "notice.paused"
        return redirect(request, "/mentor/apply", POOL(said))
