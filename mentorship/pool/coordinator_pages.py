"""The coordinator's pool pages: applications and the mentor pool (training to verify:
`development.training_pages`)."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from litestar import Controller, Response, get
from litestar.params import FromPath, FromQuery
from litestar.response import Template

from mentorship.access.guards import access, roles
from mentorship.access.roles import Role
from mentorship.agreement import services as agreement
from mentorship.development import training_records
from mentorship.development.training_form import record_training, training_errors
from mentorship.district import profiles
from mentorship.lib.errors import Conflict, DomainError, PermissionDenied, ValidationFailed
from mentorship.lib.messages import Message, word
from mentorship.pool import applications as pool_applications
from mentorship.pool import mentors as pool_mentors
from mentorship.pool.messages import POOL
from mentorship.pool.schemas import ApproveBody, CapacitySet, Decision
from mentorship.pool.shared_pages import Me, template_globals
from mentorship.pool.signals import caseloads
from mentorship.pool.tables import MentorStatus
from mentorship.web.forms import Form, convert, field_errors
from mentorship.web.pages import AnyRequest, Banner, FormPage, as_said, form_post
from mentorship.web.render import page, redirect

# The pool list's filter, in the order a coordinator thinks of them.
STATUS_FILTERS: list[tuple[str, str]] = [
    ("", "Everyone who applied"),
    (MentorStatus.APPROVED.value, "Active mentors"),
    (MentorStatus.SUSPENDED.value, "Suspended"),
    (MentorStatus.APPLIED.value, "Waiting for a decision"),
    (MentorStatus.DECLINED.value, "Declined"),
    (MentorStatus.RETIRED.value, "Left the pool"),
]


def _reason(form: Form, name: str, doing: str) -> str:
    """The reason typed in `name`, or ValidationFailed with a message at that field (asking
    for a reason for `doing`, a `pool.reason.*` code's name, unless it was too long)."""
    data = {"reason": form.get(name)}
    message = field_errors(Decision, data, {}).get("reason")
    if message is not None:
        if message.code != "web.too_long":
            message = POOL("give_reason", doing=POOL(f"reason.{doing}"))
        raise ValidationFailed({name: message})
    return convert(Decision, data).reason


def _capacity(form: Form, name: str, required: bool) -> int | None:
    """The capacity chosen in `name` (None for the agreement's cap when not required)."""
    raw = form.get(name)
    if not raw and not required:
        return None
    data = {"capacity": raw or None}
    if field_errors(CapacitySet, data, {}):
        raise ValidationFailed({name: POOL("choose_capacity")})
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
    who: str | Message = (await profiles.names_of([account_id])).get(account_id, "")
    return word(POOL("not_approved", who=who or POOL("this_person"), reason=refusal.reason))


async def _applications_context(request: AnyRequest, form: Form | None) -> dict[str, Any]:
    terms = (await agreement.in_force()).terms
    applicants = await pool_mentors.list_mentors(MentorStatus.APPLIED)
    applicants.sort(key=lambda m: (m.applied_at, m.display_name))
    return {
        **template_globals(),
        "applicants": applicants,
        "cap": terms.caseload_cap,
        "problem": "",
    }


async def _mentor_context(request: AnyRequest, form: Form | None) -> dict[str, Any]:
    account_id = int(request.path_params["account_id"])
    mentor = await pool_mentors.get_mentor(account_id)
    terms = (await agreement.in_force()).terms
    record = await training_records.development_record(account_id)
    load = (await caseloads([account_id]))[account_id]
    return {
        **template_globals(),
        "mentor": mentor,
        "load": load,
        "cap": terms.caseload_cap,
        "valid_days": terms.training_valid_days,
        "records": [
            (r, training_records.counts_until(r.completed_on, terms.training_valid_days))
            for r in record.records
        ],
        "expires_soon": training_records.standing_expires_soon(mentor.training),
        "required_topics": [t.topic for t in terms.required_training.topics],
        "today": training_records.today(),
        "problem": "",
    }


PROBLEM = Banner("problem", own_status=True)
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
MENTOR = FormPage(
    "pool/mentor.html",
    _mentor_context,
    words=as_said,
    refusals={Conflict: PROBLEM, PermissionDenied: PROBLEM},
)
MENTOR_APPROVE = MENTOR.but(names={"capacity": "approve_capacity"}, words=_capacity_words)
MENTOR_CAPACITY = MENTOR.but(words=_capacity_words)
MENTOR_TRAINING = MENTOR.but(words=training_errors)


async def _pool_list(status: str | None) -> dict[str, Any]:
    """The pool in the chosen status, with each mentor's load and standing."""
    chosen = next((MentorStatus(v) for v, _ in STATUS_FILTERS if v and v == status), None)
    everyone = await pool_mentors.list_mentors(chosen)
    loads = await caseloads(m.account_id for m in everyone)
    return {
        **template_globals(),
        "mentors": everyone,
        "loads": loads,
        "soon": {
            m.account_id for m in everyone if training_records.standing_expires_soon(m.training)
        },
        "filters": STATUS_FILTERS,
        "values": {"status": chosen.value if chosen else ""},
        "chosen_label": dict(STATUS_FILTERS)[chosen.value if chosen else ""],
    }


class PoolPages(Controller):
    """The coordinator's view of applications and the mentor pool."""

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
        mentor = await pool_applications.approve(account_id, request.user.account_id, body)
        return redirect(
            request, "/pool/applications", POOL("notice.now_mentor", name=mentor.display_name)
        )

    @form_post("/applications/{account_id:int}/decline", APPLICATIONS)
    async def decline_from_list(self, request: Me, account_id: FromPath[int]) -> Response[Any]:
        """Turn an application down with the reason the applicant will read."""
        form = await APPLICATIONS.form(request)
        reason = _reason(form, f"reason_{account_id}", "decline")
        mentor = await pool_applications.decline(account_id, request.user.account_id, reason)
        notice = POOL("notice.declined", name=mentor.display_name)
        return redirect(request, "/pool/applications", notice)

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
        mentor = await pool_applications.approve(account_id, request.user.account_id, body)
        notice = POOL("notice.now_mentor", name=mentor.display_name)
        return redirect(request, _mentor_page(account_id), notice)

    @form_post("/mentors/{account_id:int}/decline", MENTOR)
    async def decline(self, request: Me, account_id: FromPath[int]) -> Response[Any]:
        """Turn this application down."""
        return await _with_reason(request, "decline", pool_applications.decline, "declined")

    @form_post("/mentors/{account_id:int}/capacity", MENTOR_CAPACITY)
    async def capacity(self, request: Me, account_id: FromPath[int]) -> Response[Any]:
        """Set how many (weighted) cases the mentor can carry."""
        value = _capacity(await MENTOR.form(request), "capacity", required=True)
        mentor = await pool_mentors.set_capacity(account_id, value or 0)
        notice = POOL("notice.capacity", name=mentor.display_name, capacity=mentor.capacity)
        return redirect(request, _mentor_page(account_id), notice)

    @form_post("/mentors/{account_id:int}/availability", MENTOR)
    async def availability(self, request: Me, account_id: FromPath[int]) -> Response[Any]:
        """Mark the mentor as taking, or not taking, new cases."""
        available = (await MENTOR.form(request)).get("available") == "yes"
        mentor = await pool_mentors.set_availability(account_id, available)
        said = "notice.taking_cases" if available else "notice.not_taking_cases"
        return redirect(request, _mentor_page(account_id), POOL(said, name=mentor.display_name))

    @form_post("/mentors/{account_id:int}/suspend", MENTOR)
    async def suspend(self, request: Me, account_id: FromPath[int]) -> Response[Any]:
        """Take the mentor out of matching for now."""
        return await _with_reason(request, "suspend", pool_applications.suspend, "suspended")

    @form_post("/mentors/{account_id:int}/reinstate", MENTOR)
    async def reinstate(self, request: Me, account_id: FromPath[int]) -> Response[Any]:
        """Bring a suspended mentor back."""
        mentor = await pool_applications.reinstate(account_id, request.user.account_id)
        notice = POOL("notice.reinstated", name=mentor.display_name)
        return redirect(request, _mentor_page(account_id), notice)

    @form_post("/mentors/{account_id:int}/retire", MENTOR)
    async def retire(self, request: Me, account_id: FromPath[int]) -> Response[Any]:
        """Take the person out of the pool for good."""
        return await _with_reason(request, "retire", pool_applications.retire, "retired")

    @form_post("/mentors/{account_id:int}/training", MENTOR_TRAINING)
    async def record_training(self, request: Me, account_id: FromPath[int]) -> Response[Any]:
        """Record a training for this person (a coordinator's record counts at once)."""
        form = await MENTOR.form(request)
        topic = await record_training(form, request.user, account_id)
        notice = POOL("notice.training_recorded", topic=topic)
        return redirect(request, _mentor_page(account_id), notice)


def _mentor_page(account_id: int) -> str:
    return f"/pool/mentors/{account_id}"


async def _with_reason(request: Me, doing: str, act: Any, done: str) -> Response[Any]:
    """A change to a mentor that needs a reason (typed in `<doing>_reason`): the reason
    read, `act` called with it, and back to the mentor's page with the `pool.notice.<done>`
    notice naming them."""
    account_id = int(request.path_params["account_id"])
    reason = _reason(await MENTOR.form(request), f"{doing}_reason", doing)
    mentor = await act(account_id, request.user.account_id, reason)
    notice = POOL(f"notice.{done}", name=mentor.display_name)
    return redirect(request, _mentor_page(account_id), notice)
