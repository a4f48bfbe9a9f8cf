"""Case pages: the employee's own case, the mentor's caseload, every case for the coordinator,
and the case page itself.

What each person sees on a case is what the case services return for them: the page asks
`services.allowed_actions` only to decide which sections and forms to offer, and every read
and change goes through the service, which checks the access policy again (and audits it).
A refusal is left to the one error mapping: a person who may not know the case gets the
same 404 as for a case that does not exist.
"""

from __future__ import annotations

from typing import Any

from litestar import Controller, Request, Response, get, post
from litestar.params import FromPath
from litestar.response import Template

from mentorship.access.guards import SIGNED_IN, access, roles
from mentorship.access.principal import Principal
from mentorship.access.roles import Role
from mentorship.cases import lifecycle, meetings, notes, reports, services
from mentorship.cases.messages import CASES
from mentorship.cases.policy import Action
from mentorship.cases.schemas import (
    CloseBody,
    MeetingCreate,
    NoteCreate,
    NoteEdit,
    ReportCreate,
    ReportResponse,
)
from mentorship.cases.states import (
    CLOSING_OUTCOMES,
    CaseState,
    NoteAudience,
)
from mentorship.cases.words import (
    FLAG_WORDS,
    MODE_WORDS,
    OUTCOME_WORDS,
    REPORT_WORDS,
    STATE_WORDS,
    WORDS,
)
from mentorship.district import job_roles_and_skills
from mentorship.lib import clock
from mentorship.lib.errors import Conflict, ValidationFailed
from mentorship.lib.messages import Message
from mentorship.web.forms import Form, convert, field_errors
from mentorship.web.pages import At, FormPage, as_said, form_post
from mentorship.web.render import page, redirect

Me = Request[Principal, Any, Any]

# --- words for the codes the services use ---------------------------------------------------

LABELS = {
    "held_on": "Date of the meeting",
    "minutes": "Length in minutes",
    "mode": "How you met",
    "topic_ids": "Topics",
    "audience": "Who can read this note",
    "text": "The note",
    "report_status": "Status",
    "report_text": "The report",
    "response": "Your response",
    "outcome": "Outcome",
    "summary": "Summary",
    "close_outcome": "Outcome",
    "close_summary": "Closing summary",
    "pause_reason": "Why the case is paused",
    "mentor_id": "New mentor",
    "reassign_reason": "Why the case moves",
    "hold_reason": "Reason",
}
ACCESS_LIMIT = 100


async def case_context(case_id: int, user: Principal) -> dict[str, Any]:
    """Everything the case page shows this person: only what each service returns them."""
    page = await services.case_page(case_id, user, ACCESS_LIMIT)
    case, can = page.case, page.can
    context: dict[str, Any] = {
        **WORDS,
        "case": case,
        "can": {action.value for action in can},
        "relation": case.your_relation,
        "is_open": case.state is not CaseState.CLOSED,
        "today": clock.now().date(),
        "now": clock.now(),
        "values": {},
        "errors": {},
    }
    context["meetings"] = page.meetings
    context["assignments"] = page.assignments
    context["reports"] = page.reports
    context["notes"] = page.notes
    context["accesses"] = page.accesses
    context["mode_options"] = [(mode.value, words) for mode, words in MODE_WORDS.items()]
    context["report_options"] = [(status.value, words) for status, words in REPORT_WORDS.items()]
    context["skill_options"] = (
        [(skill.id, skill.name) for skill in await job_roles_and_skills.list_skills()]
        if Action.LOG_MEETING in can
        else []
    )
    if Action.WRITE_NOTE in can:
        context["coordinator_reads_notes"] = page.terms.coordinator_reads_notes
    if Action.MANAGE in can and case.state is not CaseState.CLOSED:
        context["mentor_options"] = page.mentor_options
    context["closing_outcomes"] = [(o.value, OUTCOME_WORDS[o]) for o in CLOSING_OUTCOMES]
    return context


async def _case_page(request: Me, form: Form | None) -> dict[str, Any]:
    return await case_context(int(request.path_params["case_id"]), request.user)


async def _note_page(request: Me, form: Form | None) -> dict[str, Any]:
    params = request.path_params
    context = await _note_context(request.user, int(params["case_id"]), int(params["note_id"]))
    note = context["note"]
    return {**context, "values": {"text": note.text or "", "audience": note.audience.value}}


async def _note_context(user: Principal, case_id: int, note_id: int) -> dict[str, Any]:
    case = await services.get_case(case_id, user)
    note = await notes.read_note(case_id, note_id, user)
    can = await services.allowed_actions(case_id, user)
    author = note.author_id == user.account_id and case.your_relation == "mentor"
    # The author, or a coordinator where the agreement opens notes to them (the policy's
    # answer; the service checks again when it reads the history).
    sees_history = author or (
        case.your_relation == "coordinator" and Action.READ_NOTE_HISTORY in can
    )
    history = await notes.note_history(case_id, note_id, user) if sees_history else []
    return {
        **WORDS,
        "case": case,
        "note": note,
        "is_author": note.author_id == user.account_id,
        "history": history,
        "may_edit": author and Action.WRITE_NOTE in can,
    }


def _meeting(form: Form) -> MeetingCreate:
    """The meeting form as MeetingCreate; every mistake at once."""
    errors: dict[str, Message] = {}
    minutes = form.integer("minutes", errors, LABELS["minutes"])
    data = {
        "held_on": form.get("held_on"),
        "minutes": minutes,
        "mode": form.get("mode"),
        "topic_ids": [int(t) for t in form.getall("topic_ids") if t.isdigit()],
    }
    errors = {**field_errors(MeetingCreate, data, LABELS), **errors}
    if errors:
        raise ValidationFailed(errors)
    return convert(MeetingCreate, data, LABELS)


def _note(form: Form) -> dict[str, Any]:
    return {"audience": form.get("audience") or None, "text": form.get("text")}


def _report(form: Form) -> dict[str, Any]:
    return {"status": form.get("report_status") or None, "text": form.get("report_text")}


def _proposal(form: Form) -> dict[str, Any]:
    return {"outcome": form.get("outcome") or None, "summary": form.get("summary")}


def _closing(form: Form) -> dict[str, Any]:
    return {"outcome": form.get("close_outcome") or None, "summary": form.get("close_summary")}


def _given(form: Form, name: str, missing: Message) -> str:
    """The text typed in `name`, or ValidationFailed saying what is `missing` there."""
    if not form.get(name):
        raise ValidationFailed({name: missing})
    return form.get(name)


def reassignment(form: Form) -> tuple[int, str]:
    """The new mentor and the reason; both mistakes at once."""
    errors: dict[str, Message] = {}
    mentor_id = form.integer("mentor_id", errors, LABELS["mentor_id"])
    if mentor_id is None and not errors:
        errors["mentor_id"] = CASES("choose_new_mentor")
    reason = form.get("reassign_reason")
    if not reason:
        errors["reassign_reason"] = CASES("say_why_moved")
    if errors or mentor_id is None:
        raise ValidationFailed(errors)
    return mentor_id, reason


CASE = FormPage("cases/case.html", _case_page, LABELS, lists=frozenset({"topic_ids"}))
REPORT = CASE.but(
    labels={**LABELS, "status": "Status", "text": "The report"},
    names={"status": "report_status", "text": "report_text"},
)
RESPONSE = CASE.but(
    labels={"text": "Your response"}, names={"text": "response-{report_id}"}, words=as_said
)
CLOSE = CASE.but(
    labels={**LABELS, "outcome": "Outcome", "summary": "Closing summary"},
    names={"outcome": "close_outcome", "summary": "close_summary"},
)
REASSIGN = CASE.but(refusals={Conflict: At("mentor_id")})  # matching/case_pages.py
NOTE = FormPage("cases/note.html", _note_page, LABELS)


def case_url(case_id: int, section: str = "") -> str:
    """The case page's address, at one of its sections when given."""
    return f"/cases/{case_id}" + (f"#{section}" if section else "")


async def _all_cases(query: Any) -> dict[str, Any]:
    """Every case in the chosen state, narrowed to what needs attention when asked."""
    state = query.get("state", "")
    flag = query.get("flag", "") or ("any" if query.get("flagged") else "")
    states = [CaseState(state)] if state in {s.value for s in CaseState} else None
    if flag and flag != "any" and flag not in FLAG_WORDS:
        flag = ""
    found = await services.list_cases(states, flagged=bool(flag))
    if flag and flag != "any":
        found = [case for case in found if any(f.code == flag for f in case.flags)]
    return {
        **WORDS,
        "cases": found,
        "values": {"state": state if states else "", "flag": flag},
        "state_options": [(s.value, STATE_WORDS[s]) for s in CaseState],
        "flag_options": [("any", "Anything that needs attention"), *FLAG_WORDS.items()],
    }


class CasePages(Controller):
    """Case lists and the case page; what each person sees is decided by the case services."""

    path = "/"
    include_in_schema = False
    opt = access(SIGNED_IN)

    # --- lists ---------------------------------------------------------------------------

    @get("/my-cases", opt=access(roles(Role.EMPLOYEE)))
    async def my_cases(self, request: Me) -> Template:
        """The employee's own cases (as the person helped), newest first."""
        return page("cases/my_cases.html", {**WORDS, "cases": await _helped(request.user)})

    @get("/caseload", opt=access(roles(Role.MENTOR)))
    async def caseload(self, request: Me) -> Template:
        """The mentor's open cases, the ones needing attention first."""
        return page("cases/caseload.html", {**WORDS, "cases": await _mentored(request.user)})

    @get("/cases", opt=access(roles(Role.COORDINATOR)))
    async def all_cases(self, request: Me) -> Template:
        """Every case, filtered by state and by what needs attention."""
        return page("cases/all_cases.html", await _all_cases(request.query_params))

    # --- the case page -------------------------------------------------------------------

    @get("/cases/{case_id:int}")
    async def case(self, request: Me, case_id: FromPath[int]) -> Template:
        """One case, as this person may see it."""
        return await CASE.show(request)

    @form_post("/cases/{case_id:int}/meetings", CASE)
    async def log_meeting(self, request: Me, case_id: FromPath[int]) -> Response[Any]:
        """The mentor logs a meeting."""
        data = _meeting(await CASE.form(request))
        await meetings.log_meeting(case_id, request.user, data)
        notice = CASES("notice.meeting_logged", length=meeting_length(data.minutes))
        return redirect(request, case_url(case_id, "meetings"), notice)

    @form_post("/cases/{case_id:int}/notes", CASE)
    async def write_note(self, request: Me, case_id: FromPath[int]) -> Response[Any]:
        """The mentor writes a note, private or shared with the employee."""
        data = await CASE.read(request, NoteCreate, _note)
        saved = await notes.write_note(case_id, request.user, data)
        notice = await _note_saved(case_id, request.user, saved.audience)
        return redirect(request, case_url(case_id, "notes"), notice)

    @get("/cases/{case_id:int}/notes/{note_id:int}")
    async def note(self, request: Me, case_id: FromPath[int], note_id: FromPath[int]) -> Template:
        """One note with its earlier versions (for its author) and the form to edit it."""
        return await NOTE.show(request)

    @form_post("/cases/{case_id:int}/notes/{note_id:int}", NOTE)
    async def edit_note(
        self, request: Me, case_id: FromPath[int], note_id: FromPath[int]
    ) -> Response[Any]:
        """The note's author saves a new version (and may change who can read it)."""
        data = await NOTE.read(request, NoteEdit, _note)
        saved = await notes.edit_note(case_id, note_id, request.user, data)
        shared = saved.audience is NoteAudience.SHARED
        notice = CASES("notice.note_updated_shared" if shared else "notice.note_updated_private")
        return redirect(request, case_url(case_id, "notes"), notice)

    @form_post("/cases/{case_id:int}/reports", REPORT)
    async def write_report(self, request: Me, case_id: FromPath[int]) -> Response[Any]:
        """The mentor writes a status report on a referred case."""
        data = await REPORT.read(request, ReportCreate, _report)
        await reports.write_report(case_id, request.user, data)
        notice = CASES("notice.report_saved")
        return redirect(request, case_url(case_id, "reports"), notice)

    @form_post("/cases/{case_id:int}/reports/{report_id:int}/response", RESPONSE)
    async def respond(
        self, request: Me, case_id: FromPath[int], report_id: FromPath[int]
    ) -> Response[Any]:
        """The employee responds to a status report about them."""
        text = (await RESPONSE.form(request)).get(f"response-{report_id}")
        data = convert(ReportResponse, {"text": text}, labels=RESPONSE.labels)
        await reports.respond(case_id, report_id, request.user, data)
        notice = CASES("notice.responded")
        return redirect(request, case_url(case_id, "reports"), notice)

    @get("/cases/{case_id:int}/withdraw")
    async def withdraw_form(self, request: Me, case_id: FromPath[int]) -> Template:
        """Ask the employee to confirm leaving their voluntary case."""
        return page("cases/withdraw.html", await _withdraw_context(case_id, request.user))

    @post("/cases/{case_id:int}/withdraw")
    async def withdraw(self, request: Me, case_id: FromPath[int]) -> Response[Any]:
        """The employee leaves their voluntary case."""
        await lifecycle.withdraw(case_id, request.user)
        return redirect(request, "/my-cases", CASES("notice.left"))

    @form_post("/cases/{case_id:int}/closure-proposal", CASE)
    async def propose_closure(self, request: Me, case_id: FromPath[int]) -> Response[Any]:
        """The mentor proposes closing the case; the coordinator decides."""
        data = await CASE.read(request, CloseBody, _proposal)
        await lifecycle.propose_closure(case_id, request.user, data)
        notice = CASES("notice.closure_proposed")
        return redirect(request, case_url(case_id, "closing"), notice)

    # --- the coordinator's changes -------------------------------------------------------

    @form_post("/cases/{case_id:int}/pause", CASE)
    async def pause(self, request: Me, case_id: FromPath[int]) -> Response[Any]:
        """Pause an active case, saying why."""
        form = await CASE.form(request)
        reason = _given(form, "pause_reason", CASES("say_why_paused"))
        await lifecycle.pause(case_id, request.user, reason)
        return redirect(request, case_url(case_id), CASES("notice.paused"))

    @post("/cases/{case_id:int}/resume")
    async def resume(self, request: Me, case_id: FromPath[int]) -> Response[Any]:
        """Resume a paused case."""
        await lifecycle.resume(case_id, request.user)
        return redirect(request, case_url(case_id), CASES("notice.resumed"))

    @form_post("/cases/{case_id:int}/close", CLOSE)
    async def close(self, request: Me, case_id: FromPath[int]) -> Response[Any]:
        """Close a case with its outcome and a non-confidential summary."""
        await lifecycle.close(case_id, request.user, await CLOSE.read(request, CloseBody, _closing))
        return redirect(request, case_url(case_id), CASES("notice.closed"))

    @form_post("/cases/{case_id:int}/legal-hold", CASE)
    async def legal_hold(self, request: Me, case_id: FromPath[int]) -> Response[Any]:
        """Set or lift a legal hold."""
        form = await CASE.form(request)
        hold, reason = form.get("hold") == "yes", _given(form, "hold_reason", HOLD_REASON)
        await lifecycle.set_legal_hold(case_id, request.user, hold, reason)
        notice = CASES("notice.hold_set" if hold else "notice.hold_lifted")
        return redirect(request, case_url(case_id), notice)


HOLD_REASON = CASES("give_hold_reason")


async def _helped(user: Principal) -> list[Any]:
    """The cases in which the person is the one helped."""
    return [case for case in await services.my_cases(user) if case.employee_id == user.account_id]


async def _mentored(user: Principal) -> list[Any]:
    """The cases the person mentors (not their own), the ones needing attention first."""
    mentored = [
        case
        for case in await services.my_cases(user)
        if case.mentor_id == user.account_id and case.employee_id != case.mentor_id
    ]
    mentored.sort(key=lambda case: (not case.flags, case.state is CaseState.PAUSED))
    return mentored


async def _withdraw_context(case_id: int, user: Principal) -> dict[str, Any]:
    """The case the employee would leave, and whether they may."""
    case = await services.get_case(case_id, user)
    can = await services.allowed_actions(case_id, user)
    return {**WORDS, "case": case, "may_withdraw": Action.WITHDRAW in can}


async def _note_saved(case_id: int, user: Principal, audience: NoteAudience) -> Message:
    """The notice after a note is written: who can read it."""
    employee = (await services.get_case(case_id, user)).employee_name
    if audience is NoteAudience.SHARED:
        return CASES("notice.note_shared", employee=employee)
    return CASES("notice.note_private", employee=employee)


def meeting_length(minutes: int) -> Message:
    """'45 minutes', '1 hour', '1 hour 30 minutes' as a code."""
    hours, rest = divmod(minutes, 60)
    in_hours = CASES("length.hours.one" if hours == 1 else "length.hours", count=hours)
    in_minutes = CASES("length.minutes", count=rest)
    if not hours:
        return in_minutes
    if not rest:
        return in_hours
    return CASES("length.hours_minutes", hours=in_hours, minutes=in_minutes)
