"""Pages for asking for help (employees) and referring someone (supervisors). A request's own
page, with the mentor matching suggests, is matching's (`matching/offer_pages.py`); a
referral's page, with its case's status, is the cases domain's (`cases/referral_pages.py`).

Every rule (who may file, consent, withdraw or decline a mentor; what a referring supervisor
may see) is the services' own: these handlers read the form, call the service and show what
it returns in plain words.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from litestar import Controller, Request, Response, get
from litestar.params import FromPath
from litestar.response import Template

from mentorship.access.guards import access, roles
from mentorship.access.principal import Principal
from mentorship.access.roles import Role
from mentorship.agreement import services as agreement
from mentorship.assistance import services
from mentorship.assistance.messages import ASSISTANCE, track_words
from mentorship.assistance.schemas import (
    ConsentBody,
    ReferralCreate,
    RequestCreate,
    RequestRead,
)
from mentorship.assistance.states import PENDING_STATES, RequestState, Urgency
from mentorship.district import job_roles_and_skills, profiles
from mentorship.lib.errors import Conflict, ValidationFailed
from mentorship.lib.messages import Message
from mentorship.web.forms import Form, convert, field_errors, read_form, sentence
from mentorship.web.pages import BackTo, Banner, FormPage, form_post
from mentorship.web.render import page, redirect

Me = Request[Principal, Any, Any]

# How much a skill matters: the schema's priorities 1 to 3 in the words the form shows.
PRIORITIES: tuple[tuple[int, str], ...] = ((1, "Nice to have"), (2, "Important"), (3, "Essential"))
PRIORITY_WORDS = dict(PRIORITIES)

URGENCY_CHOICES: tuple[tuple[str, str], ...] = (
    (Urgency.NORMAL.value, "In the coming weeks is fine"),
    (Urgency.URGENT.value, "Urgent: I need help soon"),
)

# The form's field names are the schema's; these are the labels the messages use.
LABELS = {
    "needed_skills": "What you would like help with",
    "description": "Tell us a little more",
    "urgency": "How soon",
    "preferred_language": "Preferred language",
    "employee_id": "The person you are referring",
    "reason": "Your reason",
}

# A request's state in the employee's words and a badge tone.
EMPLOYEE_STATES: dict[RequestState, tuple[str, str]] = {
    RequestState.AWAITING_CONSENT: ("Waiting for your answer", "warn"),
    RequestState.OPEN: ("Looking for a mentor", "info"),
    RequestState.PROPOSED: ("A mentor has been suggested", "info"),
    RequestState.MATCHED: ("Matched with a mentor", "ok"),
    RequestState.DECLINED: ("You said no to this referral", "neutral"),
    RequestState.WITHDRAWN: ("Withdrawn", "neutral"),
    RequestState.CANCELLED: ("Cancelled by the program", "neutral"),
}

# A referral's state as the referring supervisor reads it.
SUPERVISOR_STATES: dict[RequestState, tuple[str, str]] = {
    RequestState.AWAITING_CONSENT: ("Waiting for the employee's answer", "warn"),
    RequestState.OPEN: ("Accepted; looking for a mentor", "info"),
    RequestState.PROPOSED: ("Accepted; a mentor is being arranged", "info"),
    RequestState.MATCHED: ("Matched with a mentor", "ok"),
    RequestState.DECLINED: ("The employee declined", "neutral"),
    RequestState.WITHDRAWN: ("Withdrawn", "neutral"),
    RequestState.CANCELLED: ("Cancelled by the program", "neutral"),
}

TRACKS = track_words(own=True)

WORDS = {
    "employee_states": EMPLOYEE_STATES,
    "supervisor_states": SUPERVISOR_STATES,
    "tracks": TRACKS,
    "priority_words": PRIORITY_WORDS,
    "priorities": PRIORITIES,
    "urgency_choices": URGENCY_CHOICES,
}


def read_needs(form: Form) -> tuple[dict[str, Any], dict[str, Any]]:
    """The needs part of the ask-for-help and referral forms.

    Returns the data for the API schema (needed_skills, description, urgency,
    preferred_language) and the values to show again if the form comes back: the ticked
    skills and each skill's chosen priority.
    """
    chosen = form.getall("skill")
    priorities = {
        name.removeprefix("priority-"): value
        for name, value in form.values.items()
        if name.startswith("priority-")
    }
    needed = [{"skill_id": skill, "priority": priorities.get(skill, "2")} for skill in chosen]
    data: dict[str, Any] = {
        "needed_skills": needed,
        "description": form.get("description"),
        "urgency": form.get("urgency", Urgency.NORMAL.value) or Urgency.NORMAL.value,
    }
    if form.get("preferred_language"):
        data["preferred_language"] = form.get("preferred_language")
    values: dict[str, Any] = {
        **form.values,
        "skills_chosen": chosen,
        "priorities": priorities,
    }
    return data, values


def _needs_errors(errors: Mapping[str, str]) -> dict[str, str]:
    """Service and schema messages put at the form's own fields, in full sentences."""
    fixed = {}
    for name, message in errors.items():
        if name == "needed_skills" and ("required" in message or "at least" in message):
            message = "Choose at least one thing you would like help with."
        elif name == "needed_skills" and "at most" in message:
            message = "Choose at most 15 topics: the ones that matter most."
        fixed[name] = sentence(message)
    return fixed


async def _skills_context() -> dict[str, Any]:
    return {"skills": await job_roles_and_skills.list_skills(), **WORDS}


async def _ask_context(request: Me, form: Form | None) -> dict[str, Any]:
    in_force = await agreement.in_force()
    mine = await services.my_requests(request.user.account_id)
    in_progress = [r for r in mine if r.state in PENDING_STATES]
    return {
        **await _skills_context(),
        "voluntary_offered": in_force.terms.tracks.voluntary,
        "in_progress": in_progress,
        "values": read_needs(form)[1] if form else {"urgency": Urgency.NORMAL.value},
    }


async def _refer_context(request: Me, form: Form | None) -> dict[str, Any]:
    in_force = await agreement.in_force()
    people = await profiles.supervisees(request.user.account_id)
    return {
        **await _skills_context(),
        "people": people,
        "direct": [p for p in people if p.directly],
        "indirect": [p for p in people if not p.directly],
        "referred_offered": in_force.terms.tracks.referred,
        "consent_needed": in_force.terms.tracks.referred_requires_consent,
        "activity_visible": in_force.terms.supervisor_visibility == "status_and_activity",
        "values": read_needs(form)[1] if form else {"urgency": Urgency.NORMAL.value},
    }


def _needs(form: Form) -> dict[str, Any]:
    return read_needs(form)[0]


def _referral(form: Form) -> ReferralCreate:
    """The referral form as the API's schema; every mistake at once, the person included."""
    data = {**_needs(form), "employee_id": form.get("employee_id") or 0}
    errors = field_errors(ReferralCreate, data, LABELS)
    if not form.get("employee_id"):
        errors["employee_id"] = ASSISTANCE("choose_person")
    if errors:
        raise ValidationFailed(errors)
    return convert(ReferralCreate, data, LABELS)


def _consent(form: Form) -> dict[str, Any]:
    return {"decision": form.get("decision"), "agreement_version": form.get("agreement_version")}


def _consent_notice(answered: RequestRead) -> Message:
    if answered.state is RequestState.DECLINED:
        return ASSISTANCE("notice.consent_declined")
    return ASSISTANCE("notice.consented")


async def _my_requests(account_id: int) -> dict[str, Any]:
    """The employee's requests: the ones waiting for their answer apart from the others."""
    everything = await services.my_requests(account_id)
    waiting = [r for r in everything if r.state is RequestState.AWAITING_CONSENT]
    others = [r for r in everything if r.state is not RequestState.AWAITING_CONSENT]
    return {"waiting": waiting, "requests": others, "pending_states": PENDING_STATES, **WORDS}


ASK = FormPage(
    "assistance/ask.html",
    _ask_context,
    LABELS,
    words=_needs_errors,
    refusals={Conflict: Banner()},
)
REFER = ASK.but(template="assistance/refer.html", context=_refer_context)
BACK_TO_REQUEST = BackTo("/requests/{request_id}")


class RequestPages(Controller):
    """An employee's own requests: ask for help, follow it, answer a referral."""

    path = "/requests"
    include_in_schema = False
    opt = access(roles(Role.EMPLOYEE))

    @get("/")
    async def mine(self, request: Me) -> Template:
        """My requests: the ones waiting for my answer first, then all, newest first."""
        return page("assistance/my_requests.html", await _my_requests(request.user.account_id))

    @get("/new")
    async def new_form(self, request: Me) -> Template:
        """The ask-for-help form."""
        return await ASK.show(request)

    @form_post("/new", ASK)
    async def submit(self, request: Me) -> Response[Any]:
        """File the request; on bad input show the form again with the input kept."""
        data = await ASK.read(request, RequestCreate, _needs)
        created = await services.file_self_request(request.user.account_id, data)
        notice = ASSISTANCE("notice.request_sent")
        return redirect(request, f"/requests/{created.id}", notice)

    @form_post("/{request_id:int}/consent", BACK_TO_REQUEST)
    async def consent(self, request: Me, request_id: FromPath[int]) -> Response[Any]:
        """Answer a referral: consent (it joins the queue) or decline (it ends)."""
        body = convert(ConsentBody, _consent(await read_form(request)))
        answered = await services.answer_referral(request_id, request.user.account_id, body)
        return redirect(request, f"/requests/{request_id}", _consent_notice(answered))

    @get("/{request_id:int}/withdraw")
    async def confirm_withdraw(self, request: Me, request_id: FromPath[int]) -> Template:
        """Ask before withdrawing: what withdrawing means."""
        found = await services.get_request(request_id, request.user.account_id, request.user.roles)
        return page(
            "assistance/withdraw.html",
            {"item": found, "may_withdraw": offers_withdraw(found), **WORDS},
        )

    @form_post("/{request_id:int}/withdraw", BackTo("/requests/{request_id}", (Conflict,)))
    async def withdraw(self, request: Me, request_id: FromPath[int]) -> Response[Any]:
        """Withdraw the request (the service says whether it still may be)."""
        await services.withdraw(request_id, request.user.account_id, request.user.roles)
        return redirect(request, f"/requests/{request_id}", ASSISTANCE("notice.request_withdrawn"))


class ReferralPages(Controller):
    """A supervisor's referrals: refer a supervisee, follow the status."""

    path = "/referrals"
    include_in_schema = False
    opt = access(roles(Role.SUPERVISOR))

    @get("/")
    async def mine(self, request: Me) -> Template:
        """Referrals I filed, newest first: status and dates only."""
        referrals = await services.my_referrals(request.user.account_id)
        return page("assistance/my_referrals.html", {"referrals": referrals, **WORDS})

    @get("/new")
    async def new_form(self, request: Me) -> Template:
        """The refer-someone form."""
        return await REFER.show(request)

    @form_post("/new", REFER)
    async def submit(self, request: Me) -> Response[Any]:
        """File the referral; on bad input show the form again with the input kept."""
        body = _referral(await REFER.form(request))
        filed = await services.file_referral(request.user.account_id, body)
        notice = ASSISTANCE("notice.referral_sent", name=filed.employee_name)
        return redirect(request, f"/referrals/{filed.id}", notice)

    @get("/{request_id:int}/withdraw")
    async def confirm_withdraw(self, request: Me, request_id: FromPath[int]) -> Template:
        """Ask before withdrawing a referral the employee has not answered yet."""
        status = await services.referral_status(request_id, request.user.account_id)
        return page("assistance/withdraw_referral.html", {"referral": status, **WORDS})

    @form_post("/{request_id:int}/withdraw", BackTo("/referrals/{request_id}", (Conflict,)))
    async def withdraw(self, request: Me, request_id: FromPath[int]) -> Response[Any]:
        """Withdraw the referral (only until the employee answers; the service decides)."""
        await services.withdraw(request_id, request.user.account_id, request.user.roles)
        return redirect(
            request, f"/referrals/{request_id}", ASSISTANCE("notice.referral_withdrawn")
        )


def offers_withdraw(found: RequestRead) -> bool:
    """Whether the employee's pages offer withdrawing: while the request is pending, except a
    referral still waiting for their answer, which they decline instead (one clear choice;
    the service itself would allow either)."""
    return found.state in PENDING_STATES and found.consent_needed is None
