"""Mentor-pool pages: apply and train (mentors); applications, verification, pool (coordinators);
and everyone's professional-development record (training and meeting hours, CSV transcript)."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from litestar import Controller, Request, Response, get, post
from litestar.params import FromPath, FromQuery
from litestar.response import Template

from mentorship.access.guards import access, roles
from mentorship.access.principal import Principal
from mentorship.access.roles import Role
from mentorship.agreement import services as agreement
from mentorship.district import services as district
from mentorship.lib.errors import (
    Conflict,
    DomainError,
    NotFound,
    PermissionDenied,
    ValidationFailed,
)
from mentorship.pool import services
from mentorship.pool.schemas import (
    ApproveBody,
    CapacitySet,
    Decision,
    MentorApply,
    MentorRead,
    TrainingCreate,
)
from mentorship.pool.signals import caseloads
from mentorship.pool.tables import MentorStatus
from mentorship.web.forms import Form, convert, field_errors, read_form
from mentorship.web.pages import AnyRequest, Banner, FormPage, as_said, form_post
from mentorship.web.render import page, redirect

Me = Request[Principal, Any, Any]

# How each pool status reads to people, with the badge tone that goes with it.
STATUS_WORDS: dict[MentorStatus, tuple[str, str]] = {
    MentorStatus.APPLIED: ("Waiting for a decision", "info"),
    MentorStatus.APPROVED: ("Active mentor", "ok"),
    MentorStatus.DECLINED: ("Application declined", "neutral"),
    MentorStatus.SUSPENDED: ("Suspended", "alert"),
    MentorStatus.RETIRED: ("Left the pool", "neutral"),
}
# The pool list's filter, in the order a coordinator thinks of them.
STATUS_FILTERS: list[tuple[str, str]] = [
    ("", "Everyone who applied"),
    (MentorStatus.APPROVED.value, "Active mentors"),
    (MentorStatus.SUSPENDED.value, "Suspended"),
    (MentorStatus.APPLIED.value, "Waiting for a decision"),
    (MentorStatus.DECLINED.value, "Declined"),
    (MentorStatus.RETIRED.value, "Left the pool"),
]
LEVELS: list[tuple[int, str]] = [(1, "Some experience"), (2, "Solid experience"), (3, "Expert")]

APPLY_LABELS = {
    "skills": "Skills you can offer",
    "languages": "Languages",
    "statement": "Why you want to mentor",
}
TRAINING_LABELS = {
    "topic": "Topic",
    "hours": "Hours",
    "completed_on": "Date you finished",
    "provider": "Who gave the training",
}
APPLIED = "Your application was sent. A coordinator will look at it and let you know."
UPDATED = "Your application was updated."
HOURS_MESSAGE = "Enter the hours as a number above 0 and up to 200, in quarter hours (like 1.5)."


def _template_globals() -> dict[str, Any]:
    return {"status_words": STATUS_WORDS, "levels": dict(LEVELS)}


# --- shared form handling -------------------------------------------------------------------


def _training_input(form: Form) -> dict[str, Any]:
    """The training form's fields as TrainingCreate wants them."""
    return {
        "topic": form.get("topic"),
        "hours": form.get("hours") or None,
        "completed_on": form.get("completed_on") or None,
        "provider": form.get("provider"),
    }


def _training_errors(fields: Mapping[str, str]) -> dict[str, str]:
    """Plain words for the training form, keyed by the form's own field names."""
    errors: dict[str, str] = {}
    for name, message in fields.items():
        if name == "hours":
            message = HOURS_MESSAGE
        elif name == "completed_on":
            if "future" in message:
                message = "The date you finished cannot be in the future."
            elif "required" in message or "date" not in message.lower():
                message = "Enter the date you finished the training."
        elif name == "topic" and "required" in message:
            message = "Enter the topic of the training."
        errors[name] = message
    return errors


def _training(form: Form, account_id: int | None) -> TrainingCreate:
    """The training form as TrainingCreate; every blank field named at once."""
    blank = {
        "topic": "Enter the topic of the training.",
        "hours": HOURS_MESSAGE,
        "completed_on": "Enter the date you finished the training.",
    }
    missing = {name: text for name, text in blank.items() if not form.get(name)}
    if missing:
        raise ValidationFailed(missing)
    data = convert(TrainingCreate, _training_input(form), labels=TRAINING_LABELS)
    if account_id is not None:
        data.account_id = account_id
    return data


async def _record_training(form: Form, actor: Principal, account_id: int | None) -> str:
    """Record a training from the form (the service decides whether it counts at once)."""
    data = _training(form, account_id)
    record = await services.add_training(data, actor.account_id, Role.COORDINATOR in actor.roles)
    return record.topic


def _reason(form: Form, name: str, doing: str) -> str:
    """The reason typed in `name`, or ValidationFailed with a message at that field."""
    data = {"reason": form.get(name)}
    message = field_errors(Decision, data, {}).get("reason")
    if message is not None:
        if "characters" not in message:
            message = f"Give a reason for {doing}."
        raise ValidationFailed({name: message})
    return convert(Decision, data).reason


def _capacity(form: Form, name: str, required: bool) -> int | None:
    """The capacity chosen in `name` (None for the agreement's cap when not required)."""
    raw = form.get(name)
    if not raw and not required:
        return None
    data = {"capacity": raw or None}
    if field_errors(CapacitySet, data, {}):
        raise ValidationFailed({name: "Choose how many cases this mentor can take."})
    return convert(CapacitySet, data).capacity


def _capacity_words(fields: Mapping[str, str]) -> dict[str, str]:
    """A service's capacity message ('must be between 1 and 3 …') as a sentence."""
    return {
        name: f"Capacity {message}." if message.startswith("must") else message
        for name, message in fields.items()
    }


async def _said(request: AnyRequest, refusal: DomainError) -> str:
    return refusal.message


async def _not_approved(request: AnyRequest, refusal: DomainError) -> str:
    account_id = int(request.path_params["account_id"])
    who = (await district.names_of([account_id])).get(account_id, "This person")
    return f"{who} could not be approved: {refusal.message}."


async def _first_application(account_id: int) -> bool:
    """Whether an application now is a first one (or one after leaving the pool)."""
    try:
        standing = await services.get_mentor(account_id)
    except NotFound:
        return True
    return standing.status in (MentorStatus.DECLINED, MentorStatus.RETIRED)


async def _application(form: Form) -> MentorApply:
    """The application form as MentorApply: every blank part and every bad value at once."""
    chosen = []
    for skill in await district.list_skills():
        level = form.get(f"skill_{skill.id}")
        if level:
            chosen.append({"skill_id": skill.id, "level": level})
    languages = [part.strip() for part in form.get("languages").split(",") if part.strip()]
    blank = {
        "skills": "Choose at least one skill and your level in it.",
        "languages": "Enter at least one language you can mentor in.",
        "statement": "Tell us in a few words why you want to mentor.",
    }
    given = {"skills": chosen, "languages": languages, "statement": form.get("statement")}
    missing = {name: blank[name] for name, value in given.items() if not value}
    if missing:
        raise ValidationFailed({**field_errors(MentorApply, given, APPLY_LABELS), **missing})
    return convert(MentorApply, given, labels=APPLY_LABELS)


async def _apply_context(request: Me, form: Form | None) -> dict[str, Any]:
    account_id = request.user.account_id
    try:
        standing: MentorRead | None = await services.get_mentor(account_id)
    except NotFound:
        standing = None
    profile = await district.get_profile(account_id)
    context = {
        **_template_globals(),
        "standing": standing,
        "may_apply": services.may_apply(standing.status if standing else None),
        "skills": await district.list_skills(),
        "training": await services.my_standing(account_id),
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


async def _training_context(request: Me, form: Form | None) -> dict[str, Any]:
    account_id = request.user.account_id
    terms = (await agreement.in_force()).terms
    record = await services.development_record(account_id)
    standing = await services.my_standing(account_id)
    valid_days = terms.training_valid_days
    try:
        in_pool: MentorRead | None = await services.get_mentor(account_id)
    except NotFound:
        in_pool = None
    return {
        **_template_globals(),
        "records": [(r, services.counts_until(r.completed_on, valid_days)) for r in record.records],
        "unverified_hours": record.unverified_hours,
        "standing": standing,
        "expires_soon": services.standing_expires_soon(standing),
        "valid_days": valid_days,
        "required_topics": [t.topic for t in terms.required_training.topics],
        "in_pool": in_pool,
        "today": services.today(),
    }


async def _applications_context(request: AnyRequest, form: Form | None) -> dict[str, Any]:
    terms = (await agreement.in_force()).terms
    applicants = await services.list_mentors(MentorStatus.APPLIED)
    applicants.sort(key=lambda m: (m.applied_at, m.display_name))
    return {
        **_template_globals(),
        "applicants": applicants,
        "cap": terms.caseload_cap,
        "problem": "",
    }


async def _verify_context(request: AnyRequest, form: Form | None) -> dict[str, Any]:
    waiting = await services.unverified_training()
    names = await district.names_of(r.account_id for r in waiting)
    pool = {m.account_id: m for m in await services.list_mentors()}
    return {
        **_template_globals(),
        "waiting": waiting,
        "names": names,
        "pool": pool,
        "problem": "",
    }


async def _mentor_context(request: AnyRequest, form: Form | None) -> dict[str, Any]:
    account_id = int(request.path_params["account_id"])
    mentor = await services.get_mentor(account_id)
    terms = (await agreement.in_force()).terms
    record = await services.development_record(account_id)
    load = (await caseloads([account_id]))[account_id]
    return {
        **_template_globals(),
        "mentor": mentor,
        "load": load,
        "cap": terms.caseload_cap,
        "valid_days": terms.training_valid_days,
        "records": [
            (r, services.counts_until(r.completed_on, terms.training_valid_days))
            for r in record.records
        ],
        "expires_soon": services.standing_expires_soon(mentor.training),
        "required_topics": [t.topic for t in terms.required_training.topics],
        "today": services.today(),
        "problem": "",
    }


PROBLEM = Banner("problem", own_status=True)
APPLY = FormPage("pool/apply.html", _apply_context, APPLY_LABELS, words=as_said)
TRAINING = FormPage(
    "pool/training.html", _training_context, TRAINING_LABELS, words=_training_errors
)
APPLICATIONS = FormPage(
    "pool/applications.html",
    _applications_context,
    words=as_said,
    refusals={
        Conflict: Banner("problem", True, _said),
        PermissionDenied: Banner("problem", True, _said),
    },
)
APPROVE_FROM_LIST = APPLICATIONS.but(
    names={"capacity": "capacity_{account_id}"},
    words=_capacity_words,
    refusals={
        Conflict: Banner("problem", True, _not_approved),
        PermissionDenied: Banner("problem", True, _not_approved),
    },
)
VERIFY = FormPage("pool/verify.html", _verify_context, refusals={PermissionDenied: PROBLEM})
MENTOR = FormPage(
    "pool/mentor.html",
    _mentor_context,
    words=as_said,
    refusals={Conflict: PROBLEM, PermissionDenied: PROBLEM},
)
MENTOR_APPROVE = MENTOR.but(names={"capacity": "approve_capacity"}, words=_capacity_words)
MENTOR_CAPACITY = MENTOR.but(words=_capacity_words)
MENTOR_TRAINING = MENTOR.but(words=_training_errors)


# --- employees and mentors: apply, training, availability -----------------------------------


class MentorPages(Controller):
    """A would-be or serving mentor's application and training."""

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
        await services.apply(request.user.account_id, data)
        return redirect(request, "/mentor/apply", APPLIED if first_time else UPDATED)

    @post("/availability", opt=access(roles(Role.MENTOR)))
    async def availability(self, request: Me) -> Response[Any]:
        """Take new cases, or pause taking them (cases already open go on)."""
        form = await read_form(request)
        available = form.get("available") == "yes"
        await services.set_availability(request.user.account_id, available)
        notice = (
            "You are taking new cases again."
            if available
            else "You will not be offered new cases until you say so. Your open cases go on."
        )
        return redirect(request, "/mentor/apply", notice)

    @get("/training")
    async def training_page(self, request: Me) -> Template:
        """My mentor training: records, what counts, and a form to add one."""
        return await TRAINING.show(request)

    @form_post("/training", TRAINING)
    async def add_training(self, request: Me) -> Response[Any]:
        """Record a training I finished (a coordinator checks it before it counts)."""
        topic = await _record_training(await TRAINING.form(request), request.user, None)
        notice = (
            f"Your training “{topic}” was recorded. It counts once a coordinator has checked it."
        )
        return redirect(request, "/mentor/training", notice)


# --- coordinators: applications, training to verify, the pool -------------------------------


async def _pool_list(status: str | None) -> dict[str, Any]:
    """The pool in the chosen status, with each mentor's load and standing."""
    chosen = next((MentorStatus(v) for v, _ in STATUS_FILTERS if v and v == status), None)
    everyone = await services.list_mentors(chosen)
    loads = await caseloads(m.account_id for m in everyone)
    return {
        **_template_globals(),
        "mentors": everyone,
        "loads": loads,
        "soon": {m.account_id for m in everyone if services.standing_expires_soon(m.training)},
        "filters": STATUS_FILTERS,
        "values": {"status": chosen.value if chosen else ""},
        "chosen_label": dict(STATUS_FILTERS)[chosen.value if chosen else ""],
    }


class PoolPages(Controller):
    """The coordinator's view of applications, training to verify and the mentor pool."""

    path = "/pool"
    include_in_schema = False
    opt = access(roles(Role.COORDINATOR))

    # applications ---------------------------------------------------------------------------

    @get("/applications")
    async def applications(self, request: Me) -> Template:
        """Applications waiting for a decision, oldest first."""
        return await APPLICATIONS.show(request)

    @form_post("/applications/{account_id:int}/approve", APPROVE_FROM_LIST)
    async def approve_from_list(self, request: Me, account_id: FromPath[int]) -> Response[Any]:
        """Admit an applicant (refused with the missing training while it is incomplete)."""
        capacity = _capacity(await APPLICATIONS.form(request), f"capacity_{account_id}", False)
        body = ApproveBody(capacity=capacity)
        mentor = await services.approve(account_id, request.user.account_id, body)
        return redirect(request, "/pool/applications", f"{mentor.display_name} is now a mentor.")

    @form_post("/applications/{account_id:int}/decline", APPLICATIONS)
    async def decline_from_list(self, request: Me, account_id: FromPath[int]) -> Response[Any]:
        """Turn an application down with the reason the applicant will read."""
        form = await APPLICATIONS.form(request)
        reason = _reason(form, f"reason_{account_id}", "declining (the applicant will see it)")
        mentor = await services.decline(account_id, request.user.account_id, reason)
        notice = f"The application from {mentor.display_name} was declined."
        return redirect(request, "/pool/applications", notice)

    # training to verify ---------------------------------------------------------------------

    @get("/training")
    async def training(self, request: Me) -> Template:
        """Training people recorded themselves, waiting to be checked."""
        return await VERIFY.show(request)

    @form_post("/training/{record_id:int}/verify", VERIFY)
    async def verify(self, request: Me, record_id: FromPath[int]) -> Response[Any]:
        """Confirm a training record: from now on it counts."""
        back = _back(await VERIFY.form(request), "/pool/training")
        record = await services.verify_training(record_id, request.user.account_id)
        name = (await district.names_of([record.account_id])).get(record.account_id, "")
        notice = f"Verified: {name}, “{record.topic}”. It now counts toward their training."
        return redirect(request, back, notice)

    @get("/training/{record_id:int}/remove")
    async def remove_confirm(
        self, record_id: FromPath[int], back: FromQuery[str | None] = None
    ) -> Template:
        """Ask before removing a training record entered by mistake."""
        record = await services.get_training(record_id)
        name = (await district.names_of([record.account_id])).get(record.account_id, "")
        return page(
            "pool/remove_training.html",
            {"record": record, "name": name, "back": _safe_back(back, "/pool/training")},
        )

    @post("/training/{record_id:int}/remove")
    async def remove(self, request: Me, record_id: FromPath[int]) -> Response[Any]:
        """Delete a training record entered by mistake."""
        form = await read_form(request)
        record = await services.get_training(record_id)
        await services.remove_training(record_id)
        return redirect(
            request,
            _back(form, "/pool/training"),
            f"The training record “{record.topic}” was removed.",
        )

    # the pool -------------------------------------------------------------------------------

    @get("/mentors")
    async def mentors(self, status: FromQuery[str | None] = None) -> Template:
        """The pool: status, capacity, load, availability and training of each person."""
        return page("pool/mentors.html", await _pool_list(status))

    @get("/mentors/{account_id:int}")
    async def mentor(self, request: Me, account_id: FromPath[int]) -> Template:
        """One person in the pool: standing, training records and what can be changed."""
        return await MENTOR.show(request)

    @form_post("/mentors/{account_id:int}/approve", MENTOR_APPROVE)
    async def approve(self, request: Me, account_id: FromPath[int]) -> Response[Any]:
        """Admit this applicant."""
        capacity = _capacity(await MENTOR.form(request), "approve_capacity", required=False)
        body = ApproveBody(capacity=capacity)
        mentor = await services.approve(account_id, request.user.account_id, body)
        return redirect(
            request, _mentor_page(account_id), f"{mentor.display_name} is now a mentor."
        )

    @form_post("/mentors/{account_id:int}/decline", MENTOR)
    async def decline(self, request: Me, account_id: FromPath[int]) -> Response[Any]:
        """Turn this application down."""
        doing = "declining (the applicant will see it)"
        notice = "The application from {name} was declined."
        return await _with_reason(request, "decline_reason", doing, services.decline, notice)

    @form_post("/mentors/{account_id:int}/capacity", MENTOR_CAPACITY)
    async def capacity(self, request: Me, account_id: FromPath[int]) -> Response[Any]:
        """Set how many (weighted) cases the mentor can carry."""
        value = _capacity(await MENTOR.form(request), "capacity", required=True)
        mentor = await services.set_capacity(account_id, value or 0)
        notice = f"{mentor.display_name} can now take up to {mentor.capacity} cases."
        return redirect(request, _mentor_page(account_id), notice)

    @form_post("/mentors/{account_id:int}/availability", MENTOR)
    async def availability(self, request: Me, account_id: FromPath[int]) -> Response[Any]:
        """Mark the mentor as taking, or not taking, new cases."""
        available = (await MENTOR.form(request)).get("available") == "yes"
        mentor = await services.set_availability(account_id, available)
        notice = (
            f"{mentor.display_name} is taking new cases."
            if available
            else f"{mentor.display_name} will not be offered new cases for now."
        )
        return redirect(request, _mentor_page(account_id), notice)

    @form_post("/mentors/{account_id:int}/suspend", MENTOR)
    async def suspend(self, request: Me, account_id: FromPath[int]) -> Response[Any]:
        """Take the mentor out of matching for now."""
        doing, notice = "suspending this mentor", "{name} is suspended and will not be matched."
        return await _with_reason(request, "suspend_reason", doing, services.suspend, notice)

    @form_post("/mentors/{account_id:int}/reinstate", MENTOR)
    async def reinstate(self, request: Me, account_id: FromPath[int]) -> Response[Any]:
        """Bring a suspended mentor back."""
        mentor = await services.reinstate(account_id, request.user.account_id)
        notice = f"{mentor.display_name} is an active mentor again."
        return redirect(request, _mentor_page(account_id), notice)

    @form_post("/mentors/{account_id:int}/retire", MENTOR)
    async def retire(self, request: Me, account_id: FromPath[int]) -> Response[Any]:
        """Take the person out of the pool for good."""
        doing, notice = "taking this mentor out of the pool", "{name} has left the mentor pool."
        return await _with_reason(request, "retire_reason", doing, services.retire, notice)

    @form_post("/mentors/{account_id:int}/training", MENTOR_TRAINING)
    async def record_training(self, request: Me, account_id: FromPath[int]) -> Response[Any]:
        """Record a training for this person (a coordinator's record counts at once)."""
        form = await MENTOR.form(request)
        topic = await _record_training(form, request.user, account_id)
        notice = f"The training “{topic}” was recorded."
        return redirect(request, _mentor_page(account_id), notice)


def _mentor_page(account_id: int) -> str:
    return f"/pool/mentors/{account_id}"


async def _with_reason(
    request: Me, reason_input: str, doing: str, act: Any, notice: str
) -> Response[Any]:
    """A change to a mentor that needs a reason: the reason read, `act` called with it, and
    back to the mentor's page with `notice` (naming them as {name})."""
    account_id = int(request.path_params["account_id"])
    reason = _reason(await MENTOR.form(request), reason_input, doing)
    mentor = await act(account_id, request.user.account_id, reason)
    return redirect(request, _mentor_page(account_id), notice.format(name=mentor.display_name))


def _safe_back(target: str | None, default: str) -> str:
    """Where to return after an action: one of the pool's own pages only."""
    if target and target.startswith("/pool/") and "//" not in target and "\\" not in target:
        return target
    return default


def _back(form: Form, default: str) -> str:
    return _safe_back(form.get("back"), default)


# --- the professional-development record ----------------------------------------------------
