"""JSON API for cases, meetings, notes, status reports and professional-development hours.

Handlers only translate HTTP: who may do what to which case is decided (and audited) by
the services, through `mentorship.cases.policy`.
"""

from __future__ import annotations

from typing import Annotated, Any

from litestar import Controller, Request, get, post, put
from litestar.params import FromPath, FromQuery, JSONBody, QueryParameter

from mentorship.access.guards import SIGNED_IN, access, roles
from mentorship.access.principal import Principal
from mentorship.access.roles import Role
from mentorship.cases import lifecycle, meetings, notes, referrals, reports, services
from mentorship.cases.schemas import (
    AccessRead,
    AssignmentRead,
    CaseRead,
    CloseBody,
    LegalHoldBody,
    MeetingCreate,
    MeetingRead,
    NoteCreate,
    NoteEdit,
    NoteRead,
    NoteVersionRead,
    PauseBody,
    ReferralWithCase,
    ReportCreate,
    ReportRead,
    ReportResponse,
)
from mentorship.cases.states import CaseState

Me = Request[Principal, Any, Any]


class CaseController(Controller):
    """Cases: the mentee's, the mentor's caseload, and the coordinator's management."""

    path = "/cases"
    tags = ["cases"]
    opt = access(SIGNED_IN)

    @get(
        "/",
        operation_id="listCases",
        summary="Every case (coordinator)",
        opt=access(roles(Role.COORDINATOR)),
    )
    async def list_cases(
        self,
        states: Annotated[list[CaseState] | None, QueryParameter(name="state")] = None,
        mentor_id: FromQuery[int | None] = None,
        employee_id: FromQuery[int | None] = None,
        flagged: FromQuery[bool] = False,
    ) -> list[CaseRead]:
        """Cases newest first, with their flags (over the agreement's length, report due)."""
        return await services.list_cases(states, mentor_id, employee_id, flagged)

    @get("/mine", operation_id="myCases", summary="My cases")
    async def mine(self, request: Me) -> list[CaseRead]:
        """Cases I am the employee of, and the open cases I mentor."""
        return await services.my_cases(request.user)

    @get("/{case_id:int}", operation_id="getCase", summary="One case")
    async def one(self, request: Me, case_id: FromPath[int]) -> CaseRead:
        """A case for its employee, its current mentor or a coordinator (no note text)."""
        return await services.get_case(case_id, request.user)

    @get("/{case_id:int}/mentors", operation_id="caseMentors", summary="The case's mentors")
    async def mentors(self, request: Me, case_id: FromPath[int]) -> list[AssignmentRead]:
        """Who mentored the case, and when each assignment ended."""
        return await services.assignments(case_id, request.user)

    @get(
        "/{case_id:int}/accesses",
        operation_id="caseAccesses",
        summary="Who accessed the case",
    )
    async def accesses(
        self,
        request: Me,
        case_id: FromPath[int],
        limit: Annotated[int, QueryParameter(ge=1, le=1000)] = 200,
    ) -> list[AccessRead]:
        """Every audited action on the case, its notes and reports, newest first."""
        return await services.accesses(case_id, request.user, limit)

    @post("/{case_id:int}/pause", operation_id="pauseCase", status_code=200, summary="Pause")
    async def pause(
        self, request: Me, case_id: FromPath[int], data: JSONBody[PauseBody]
    ) -> CaseRead:
        """Pause an active case (coordinator)."""
        return await lifecycle.pause(case_id, request.user, data.reason)

    @post("/{case_id:int}/resume", operation_id="resumeCase", status_code=200, summary="Resume")
    async def resume(self, request: Me, case_id: FromPath[int]) -> CaseRead:
        """Resume a paused case (coordinator)."""
        return await lifecycle.resume(case_id, request.user)

    @post("/{case_id:int}/close", operation_id="closeCase", status_code=200, summary="Close")
    async def close(
        self, request: Me, case_id: FromPath[int], data: JSONBody[CloseBody]
    ) -> CaseRead:
        """Close a case with its outcome and a non-confidential summary (coordinator)."""
        return await lifecycle.close(case_id, request.user, data)

    @post(
        "/{case_id:int}/legal-hold",
        operation_id="setLegalHold",
        status_code=200,
        summary="Set or lift a legal hold",
    )
    async def legal_hold(
        self, request: Me, case_id: FromPath[int], data: JSONBody[LegalHoldBody]
    ) -> CaseRead:
        """While held, retention never destroys the case's content (coordinator)."""
        return await lifecycle.set_legal_hold(case_id, request.user, data.hold, data.reason)

    @post(
        "/{case_id:int}/withdraw",
        operation_id="withdrawFromCase",
        status_code=200,
        summary="Leave a voluntary case",
    )
    async def withdraw(self, request: Me, case_id: FromPath[int]) -> CaseRead:
        """The employee ends their voluntary case, at any time, without giving a reason."""
        return await lifecycle.withdraw(case_id, request.user)

    @post(
        "/{case_id:int}/closure-proposal",
        operation_id="proposeClosure",
        status_code=200,
        summary="Propose closing the case",
    )
    async def propose_closure(
        self, request: Me, case_id: FromPath[int], data: JSONBody[CloseBody]
    ) -> CaseRead:
        """The mentor proposes an outcome and summary; the coordinator closes the case."""
        return await lifecycle.propose_closure(case_id, request.user, data)

    @get("/{case_id:int}/meetings", operation_id="listMeetings", summary="The case's meetings")
    async def list_meetings(self, request: Me, case_id: FromPath[int]) -> list[MeetingRead]:
        """Meetings newest first (employee, mentor, coordinator)."""
        return await meetings.list_meetings(case_id, request.user)

    @post("/{case_id:int}/meetings", operation_id="logMeeting", summary="Log a meeting")
    async def log_meeting(
        self, request: Me, case_id: FromPath[int], data: JSONBody[MeetingCreate]
    ) -> MeetingRead:
        """The mentor logs a meeting: date, minutes, mode and topics."""
        return await meetings.log_meeting(case_id, request.user, data)

    @get("/{case_id:int}/notes", operation_id="listNotes", summary="Notes I may read")
    async def list_notes(self, request: Me, case_id: FromPath[int]) -> list[NoteRead]:
        """The mentor's own and shared notes for the mentor; shared notes for the employee."""
        return await notes.list_notes(case_id, request.user)

    @post("/{case_id:int}/notes", operation_id="writeNote", summary="Write a progress note")
    async def write_note(
        self, request: Me, case_id: FromPath[int], data: JSONBody[NoteCreate]
    ) -> NoteRead:
        """A note private to the mentor, or shared with the employee; encrypted at rest."""
        return await notes.write_note(case_id, request.user, data)

    @get("/{case_id:int}/notes/{note_id:int}", operation_id="readNote", summary="One note")
    async def read_note(
        self, request: Me, case_id: FromPath[int], note_id: FromPath[int]
    ) -> NoteRead:
        """A note's current text."""
        return await notes.read_note(case_id, note_id, request.user)

    @put("/{case_id:int}/notes/{note_id:int}", operation_id="editNote", summary="Edit a note")
    async def edit_note(
        self, request: Me, case_id: FromPath[int], note_id: FromPath[int], data: JSONBody[NoteEdit]
    ) -> NoteRead:
        """A new version of the note; earlier versions are kept."""
        return await notes.edit_note(case_id, note_id, request.user, data)

    @get(
        "/{case_id:int}/notes/{note_id:int}/versions",
        operation_id="noteHistory",
        summary="A note's versions",
    )
    async def note_history(
        self, request: Me, case_id: FromPath[int], note_id: FromPath[int]
    ) -> list[NoteVersionRead]:
        """Every version of a note, newest first (its author)."""
        return await notes.note_history(case_id, note_id, request.user)

    @get("/{case_id:int}/reports", operation_id="listReports", summary="Status reports")
    async def list_reports(self, request: Me, case_id: FromPath[int]) -> list[ReportRead]:
        """Reports newest first; their text for the employee and mentor."""
        return await reports.list_reports(case_id, request.user)

    @post("/{case_id:int}/reports", operation_id="writeReport", summary="Write a status report")
    async def write_report(
        self, request: Me, case_id: FromPath[int], data: JSONBody[ReportCreate]
    ) -> ReportRead:
        """A referred case's report; the employee sees it first and may respond."""
        return await reports.write_report(case_id, request.user, data)

    @post(
        "/{case_id:int}/reports/{report_id:int}/response",
        operation_id="respondToReport",
        status_code=200,
        summary="Respond to a status report",
    )
    async def respond(
        self,
        request: Me,
        case_id: FromPath[int],
        report_id: FromPath[int],
        data: JSONBody[ReportResponse],
    ) -> ReportRead:
        """The employee's response; the report is then released to the supervisor."""
        return await reports.respond(case_id, report_id, request.user, data)


class ReferralCaseController(Controller):
    """A referral's status with its case's, for the supervisor who filed it."""

    path = "/referrals"
    tags = ["requests"]
    opt = access(roles(Role.SUPERVISOR))

    @get("/{request_id:int}", operation_id="getReferral", summary="One referral's status")
    async def one(self, request: Me, request_id: FromPath[int]) -> ReferralWithCase:
        """State and dates of a referral I filed, and of the case it opened."""
        return await referrals.referral_with_case(request_id, request.user.account_id)
