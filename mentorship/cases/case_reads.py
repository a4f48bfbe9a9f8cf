"""How a case reads to the people who see it: its row, activity counts, flags and mentors.

The read model shared by every case read (one case, lists, the case page); it reads only
what it is given or asked for and records nothing: the services around it authorise and
audit.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from mentorship.agreement import services as agreement
from mentorship.agreement.terms import AgreementTerms
from mentorship.assistance.states import Track
from mentorship.cases.access import _OPEN, Access, record_read
from mentorship.cases.messages import CASES
from mentorship.cases.policy import Relation
from mentorship.cases.schemas import AssignmentRead, CaseFlag, CaseRead, MeetingRead, ReportRead
from mentorship.cases.states import CaseOutcome, CaseState, NoteAudience
from mentorship.cases.tables import Meeting, Note, StatusReport
from mentorship.lib import clock
from mentorship.pool.tables import Mentor, MentorStatus


@dataclass(frozen=True)
class Activity:
    """What happened in a case so far: meetings, notes, status reports."""

    meetings: int = 0
    minutes: int = 0
    notes: int = 0
    shared_notes: int = 0
    reports: int = 0
    last_report_at: datetime | None = None


async def activity(case_ids: list[int]) -> dict[int, Activity]:
    """Each case's activity, in three statements whatever the number of cases."""
    if not case_ids:
        return {}
    meetings: dict[int, list[int]] = {}
    for row in await Meeting.select(Meeting.case, Meeting.minutes).where(
        Meeting.case.is_in(case_ids)
    ):
        meetings.setdefault(row["case"], []).append(row["minutes"])
    notes: dict[int, int] = {}
    shared: dict[int, int] = {}
    for row in await Note.select(Note.case, Note.audience).where(Note.case.is_in(case_ids)):
        notes[row["case"]] = notes.get(row["case"], 0) + 1
        if row["audience"] == NoteAudience.SHARED.value:
            shared[row["case"]] = shared.get(row["case"], 0) + 1
    written: dict[int, list[datetime]] = {}
    for row in await StatusReport.select(StatusReport.case, StatusReport.written_at).where(
        StatusReport.case.is_in(case_ids)
    ):
        written.setdefault(row["case"], []).append(row["written_at"])
    return {
        case_id: Activity(
            meetings=len(meetings.get(case_id, [])),
            minutes=sum(meetings.get(case_id, [])),
            notes=notes.get(case_id, 0),
            shared_notes=shared.get(case_id, 0),
            reports=len(written.get(case_id, [])),
            last_report_at=max(written[case_id]) if case_id in written else None,
        )
        for case_id in case_ids
    }


def page_activity(
    held: list[MeetingRead], written: list[ReportRead], note_rows: list[dict[str, Any]]
) -> Activity:
    """The case's activity from the meetings, reports and notes a page already read."""
    return Activity(
        meetings=len(held),
        minutes=sum(meeting.minutes for meeting in held),
        notes=len(note_rows),
        shared_notes=sum(1 for row in note_rows if row["audience"] == NoteAudience.SHARED.value),
        reports=len(written),
        last_report_at=max((report.written_at for report in written), default=None),
    )


async def _mentors_out_of_pool(cases: list[dict[str, Any]]) -> set[int]:
    """Mentors suspended, retired or deactivated: their open cases need a new mentor."""
    ids = sorted({case["mentor"] for case in cases})
    if not ids:
        return set()
    out = {
        row["account"]
        for row in await Mentor.select(Mentor.account).where(
            Mentor.account.is_in(ids)
            & Mentor.status.is_in([MentorStatus.SUSPENDED.value, MentorStatus.RETIRED.value])
        )
    }
    return out | {case["mentor"] for case in cases if not case["mentor_active"]}


def flags(
    case: dict[str, Any], terms: AgreementTerms, activity: Activity, mentor_out: bool = False
) -> list[CaseFlag]:
    """What needs the coordinator's (and the mentor's) attention on an open case."""
    if case["state"] not in _OPEN:
        return []
    now = clock.now()
    found: list[CaseFlag] = []
    if mentor_out:
        found.append(CaseFlag.of(CASES("flag.mentor_unavailable")))
    age = (now - case["opened_at"]).days
    if age > terms.max_case_days:
        flag = CASES("flag.over_max_days", age=age, max_days=terms.max_case_days)
        found.append(CaseFlag.of(flag))
    if case["track"] == Track.REFERRED.value:
        since = activity.last_report_at or case["opened_at"]
        if now - since > timedelta(days=terms.report_every_days):
            what = CASES("flag.since_report" if activity.last_report_at else "flag.since_opened")
            flag = CASES("flag.report_due", since=what, days=terms.report_every_days)
            found.append(CaseFlag.of(flag))
    return found


def _case_read(
    case: dict[str, Any], who: Relation | None, done: Activity, flagged: list[CaseFlag]
) -> CaseRead:
    """One case row as this reader sees it."""
    # The mentee sees the notes shared with them (and no count of the private ones).
    mentee = who is Relation.MENTEE
    return CaseRead(
        id=case["id"],
        request_id=case["request"],
        track=Track(case["track"]),
        state=CaseState(case["state"]),
        outcome=CaseOutcome(case["outcome"]) if case["outcome"] else None,
        employee_id=case["employee"],
        employee_name=case["employee_name"],
        mentor_id=case["mentor"],
        mentor_name=case["mentor_name"],
        agreement_version=case["agreement_version"],
        opened_at=case["opened_at"],
        closed_at=case["closed_at"],
        closure_summary=case["closure_summary"],
        state_reason=case["state_reason"],
        meeting_count=done.meetings,
        meeting_hours=round(done.minutes / 60, 2),
        note_count=done.shared_notes if mentee else done.notes,
        report_count=done.reports,
        flags=flagged,
        closure_proposed_at=case["closure_proposed_at"],
        closure_proposed_outcome=(
            CaseOutcome(case["closure_proposed_outcome"])
            if case["closure_proposed_outcome"]
            else None
        ),
        closure_proposed_summary=case["closure_proposed_summary"],
        legal_hold=case["legal_hold"],
        content_destroyed_at=case["content_destroyed_at"],
        your_relation=who.value if who else "",
    )


async def reads(
    cases: list[dict[str, Any]],
    relations: dict[int, Relation] | None = None,
    known_terms: dict[int, AgreementTerms] | None = None,
    known_activity: dict[int, Activity] | None = None,
) -> list[CaseRead]:
    """The cases as their readers see them (rows from `case_rows`)."""
    ids = [case["id"] for case in cases]
    done = known_activity if known_activity is not None else await activity(ids)
    relations = relations or {}
    # Flags are working notes for the coordinator and the mentor, and only on open cases.
    flagged = [
        case
        for case in cases
        if case["state"] in _OPEN and relations.get(case["id"]) is not Relation.MENTEE
    ]
    out_of_pool = await _mentors_out_of_pool(flagged)
    terms: dict[int, AgreementTerms] = dict(known_terms or {})
    found = []
    for case in cases:
        version = case["agreement_version"]
        if version not in terms:
            terms[version] = await agreement.terms_of(version)
        who = relations.get(case["id"])
        case_done = done.get(case["id"], Activity())
        shown = (
            []
            if who is Relation.MENTEE
            else flags(case, terms[version], case_done, case["mentor"] in out_of_pool)
        )
        found.append(_case_read(case, who, case_done, shown))
    return found


async def case_read(access: Access, done: Activity | None = None) -> CaseRead:
    """The case as the person with this access sees it (one audit event)."""
    await record_read(access, "read", purpose="view the case")
    known = {access.case["agreement_version"]: access.terms}
    activity_known = None if done is None else {access.case_id: done}
    (read,) = await reads([access.case], {access.case_id: access.relation}, known, activity_known)
    return read


def assignment_reads(access: Access) -> list[AssignmentRead]:
    """Who mentored the case when, oldest first."""
    return [
        AssignmentRead(
            mentor_id=row["mentor"],
            mentor_name=row["mentor_name"],
            started_at=row["started_at"],
            ended_at=row["ended_at"],
            ended_outcome=CaseOutcome(row["ended_outcome"]) if row["ended_outcome"] else None,
            ended_reason=row["ended_reason"],
        )
        for row in access.assignments
    ]
