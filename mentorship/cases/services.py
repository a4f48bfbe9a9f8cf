"""Cases: opening them (for matching), reading them, and who accessed them."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from mentorship.agreement import services as agreement
from mentorship.agreement.terms import AgreementTerms
from mentorship.assistance.states import Track
from mentorship.audit import services as audit
from mentorship.cases import keys, meetings, notes, reports
from mentorship.cases.access import (
    _OPEN,
    Access,
    Actor,
    accesses_of,
    authorize,
    case_facts,
    case_not_found,
    case_row,
    case_rows,
    is_open,
    permitted,
    reading,
    record_read,
)
from mentorship.cases.policy import Action, Relation, may, relation
from mentorship.cases.schemas import (
    AccessRead,
    AssignmentRead,
    CaseFlag,
    CaseRead,
    CaseStatusRead,
    MeetingRead,
    NoteRead,
    ReleasedReport,
    ReportRead,
)
from mentorship.cases.states import CaseOutcome, CaseState, NoteAudience
from mentorship.cases.tables import Case, CaseAssignment, Meeting, Note, StatusReport
from mentorship.lib import clock, db
from mentorship.pool.tables import Mentor, MentorStatus

# --- capacity and opening (used by matching) ----------------------------------------------


async def caseloads(mentor_ids: Iterable[int]) -> dict[int, int]:
    """Weighted capacity each mentor's open (active or paused) cases take."""
    ids = list(mentor_ids)
    loads = dict.fromkeys(ids, 0)
    if not ids:
        return loads
    rows = await Case.select(Case.mentor, Case.weight).where(
        Case.mentor.is_in(ids) & Case.state.is_in(_OPEN)
    )
    for row in rows:
        loads[row["mentor"]] += row["weight"]
    return loads


async def open_case(
    *,
    request_id: int,
    employee_id: int,
    mentor_id: int,
    track: Track,
    weight: int,
    agreement_version: int,
    opened_by: int | None,
) -> int:
    """Open the case for an approved match (inside the caller's transaction); its id.

    The case gets its own data key and its first mentor assignment at once.
    """
    now = clock.now()
    rows = await Case.insert(
        Case(
            request=request_id,
            employee=employee_id,
            mentor=mentor_id,
            track=track.value,
            weight=weight,
            state=CaseState.ACTIVE.value,
            agreement_version=agreement_version,
            opened_at=now,
            opened_by=opened_by,
            state_changed_at=now,
        )
    ).returning(Case.id)
    case_id = int(rows[0]["id"])
    await CaseAssignment.insert(CaseAssignment(case=case_id, mentor=mentor_id, started_at=now))
    await keys.create_data_key(case_id)
    return case_id


# --- reading cases ------------------------------------------------------------------------


@dataclass(frozen=True)
class _Activity:
    meetings: int = 0
    minutes: int = 0
    notes: int = 0
    shared_notes: int = 0
    reports: int = 0
    last_report_at: datetime | None = None


async def _activity(case_ids: list[int]) -> dict[int, _Activity]:
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
        case_id: _Activity(
            meetings=len(meetings.get(case_id, [])),
            minutes=sum(meetings.get(case_id, [])),
            notes=notes.get(case_id, 0),
            shared_notes=shared.get(case_id, 0),
            reports=len(written.get(case_id, [])),
            last_report_at=max(written[case_id]) if case_id in written else None,
        )
        for case_id in case_ids
    }


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
    case: dict[str, Any], terms: AgreementTerms, activity: _Activity, mentor_out: bool = False
) -> list[CaseFlag]:
    """What needs the coordinator's (and the mentor's) attention on an open case."""
    if case["state"] not in _OPEN:
        return []
    now = clock.now()
    found: list[CaseFlag] = []
    if mentor_out:
        found.append(
            CaseFlag(
                code="mentor_unavailable",
                message="the mentor was suspended, retired or deactivated: reassign the case",
            )
        )
    age = (now - case["opened_at"]).days
    if age > terms.max_case_days:
        found.append(
            CaseFlag(
                code="over_max_days",
                message=f"open {age} days, longer than the agreement's {terms.max_case_days}:"
                " review whether it should continue",
            )
        )
    if case["track"] == Track.REFERRED.value:
        since = activity.last_report_at or case["opened_at"]
        if now - since > timedelta(days=terms.report_every_days):
            what = "the last status report" if activity.last_report_at else "the case opened"
            found.append(
                CaseFlag(
                    code="report_due",
                    message=f"a status report is due: {what} was more than"
                    f" {terms.report_every_days} days ago",
                )
            )
    return found


async def _reads(
    cases: list[dict[str, Any]],
    relations: dict[int, Relation] | None = None,
    known_terms: dict[int, AgreementTerms] | None = None,
    known_activity: dict[int, _Activity] | None = None,
) -> list[CaseRead]:
    """The cases as their readers see them (rows from `case_rows`)."""
    ids = [case["id"] for case in cases]
    activity = known_activity if known_activity is not None else await _activity(ids)
    # Flags are for the coordinator and the mentor, and only on open cases.
    flagged = [
        case
        for case in cases
        if case["state"] in _OPEN and (relations or {}).get(case["id"]) is not Relation.MENTEE
    ]
    out_of_pool = await _mentors_out_of_pool(flagged)
    terms_by_version: dict[int, AgreementTerms] = dict(known_terms or {})
    reads = []
    for case in cases:
        version = case["agreement_version"]
        if version not in terms_by_version:
            terms_by_version[version] = await agreement.terms_of(version)
        done = activity.get(case["id"], _Activity())
        who = relations.get(case["id"]) if relations else None
        # The mentee sees the notes shared with them (and no count of the private ones), and
        # the flags are working notes for the coordinator and the mentor.
        mentee = who is Relation.MENTEE
        reads.append(
            CaseRead(
                id=case["id"],
                request_id=case["request"],
                track=Track(case["track"]),
                state=CaseState(case["state"]),
                outcome=CaseOutcome(case["outcome"]) if case["outcome"] else None,
                employee_id=case["employee"],
                employee_name=case["employee_name"],
                mentor_id=case["mentor"],
                mentor_name=case["mentor_name"],
                agreement_version=version,
                opened_at=case["opened_at"],
                closed_at=case["closed_at"],
                closure_summary=case["closure_summary"],
                state_reason=case["state_reason"],
                meeting_count=done.meetings,
                meeting_hours=round(done.minutes / 60, 2),
                note_count=done.shared_notes if mentee else done.notes,
                report_count=done.reports,
                flags=[]
                if mentee
                else flags(case, terms_by_version[version], done, case["mentor"] in out_of_pool),
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
        )
    return reads


async def _case_read(access: Access, activity: _Activity | None = None) -> CaseRead:
    """The case as the person with this access sees it (one audit event)."""
    await record_read(access, "read", purpose="view the case")
    known = {access.case["agreement_version"]: access.terms}
    done = None if activity is None else {access.case_id: activity}
    (read,) = await _reads([access.case], {access.case_id: access.relation}, known, done)
    return read


async def get_case(case_id: int, actor: Actor) -> CaseRead:
    """One case for its mentee, current mentor or a coordinator (audited)."""

    async def work() -> CaseRead:
        access = await authorize(case_id, actor, Action.VIEW, purpose="view the case")
        return await _case_read(access)

    return await reading(work)


async def my_cases(actor: Actor) -> list[CaseRead]:
    """Cases I am the employee of (any state), and the open cases I mentor."""
    async with db.reading():
        rows = await (
            case_rows()
            .where(
                (Case.employee == actor.account_id)
                | ((Case.mentor == actor.account_id) & Case.state.is_in(_OPEN))
            )
            .order_by(Case.opened_at, ascending=False)
        )
        relations = {
            row["id"]: Relation.MENTEE if row["employee"] == actor.account_id else Relation.MENTOR
            for row in rows
        }
        return await _reads(rows, relations)


async def list_cases(
    states: list[CaseState] | None = None,
    mentor_id: int | None = None,
    employee_id: int | None = None,
    flagged: bool = False,
) -> list[CaseRead]:
    """Every case for the coordinator, newest first, optionally filtered; no content."""
    query = case_rows().order_by(Case.opened_at, ascending=False)
    if states:
        query = query.where(Case.state.is_in([s.value for s in states]))
    if mentor_id is not None:
        query = query.where(Case.mentor == mentor_id)
    if employee_id is not None:
        query = query.where(Case.employee == employee_id)
    async with db.reading():
        reads = await _reads(await query)
    return [read for read in reads if read.flags] if flagged else reads


def _assignments(access: Access) -> list[AssignmentRead]:
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


async def assignments(case_id: int, actor: Actor) -> list[AssignmentRead]:
    """Who mentored the case when (mentee, current mentor, coordinator)."""

    async def work() -> list[AssignmentRead]:
        access = await authorize(case_id, actor, Action.VIEW, purpose="view the case's mentors")
        return _assignments(access)

    return await reading(work)


# --- the referring supervisor's view ------------------------------------------------------


async def referral_case_status(request_id: int, viewer_id: int) -> CaseStatusRead | None:
    """Status, dates and released report statuses of the case a referral opened, if any.

    The caller has already checked that the viewer filed the referral; what the referrer may
    see is the policy's answer, and the view is audited (the employee sees it among the
    accesses to their case).
    """
    async with audit.batch(), db.reading():
        found = await Case.select(Case.id).where(Case.request == request_id).first()
        case = None if found is None else await case_row(found["id"], lock=False)
        if case is None or case["track"] != Track.REFERRED.value:
            return None
        facts, _, _ = await case_facts(case)
        if not may(Relation.REFERRER, Action.VIEW_STATUS, facts):
            return None
        await audit.record(
            read=True,
            action="read",
            object_type="case_status",
            object_id=case["id"],
            actor_id=viewer_id,
            actor_role=Relation.REFERRER.value,
            purpose="follow a referral's status",
            agreement_version=case["agreement_version"],
            case_id=case["id"],
        )
        released = await reports.released(case["id"])
        status = CaseStatusRead(
            state=CaseState(case["state"]),
            outcome=CaseOutcome(case["outcome"]) if case["outcome"] else None,
            opened_at=case["opened_at"],
            closed_at=case["closed_at"],
            reports=[
                ReleasedReport(written_at=r.written_at, released_at=r.released_at, status=r.status)
                for r in released
            ],
        )
        if may(Relation.REFERRER, Action.VIEW_ACTIVITY_COUNTS, facts):
            done = (await _activity([case["id"]]))[case["id"]]
            status.meeting_count = done.meetings
            status.meeting_hours = round(done.minutes / 60, 2)
        return status


async def fresh(case_id: int, who: Relation = Relation.COORDINATOR) -> CaseRead:
    """The case after a change, as the person who made it sees it."""
    async with db.reading():
        row = await case_rows().where(Case.id == case_id).first()
        if row is None:
            raise case_not_found(case_id)
        (read,) = await _reads([row], {case_id: who})
    return read


# --- who accessed the case ----------------------------------------------------------------


async def accesses(
    case_id: int, actor: Actor, limit: int, *, others_only: bool = False
) -> list[AccessRead]:
    """Audited actions on the case, newest first: for its employee and coordinators.

    `others_only` leaves out the asker's own actions (the employee's page: their own visits
    are not news to them).
    """

    async def work() -> list[AccessRead]:
        access = await authorize(
            case_id, actor, Action.VIEW_ACCESSES, purpose="see who accessed the case"
        )
        return await accesses_of(access, limit, others_only)

    return await reading(work)


# --- what a page may offer ----------------------------------------------------------------


async def allowed_actions(case_id: int, actor: Actor) -> frozenset[Action]:
    """What the actor may do with the case, by the policy (empty when they may not know it).

    For pages deciding which sections and forms to show; no content is read and nothing is
    recorded. Each service still asks the policy itself when the action is tried.
    """
    async with db.reading():
        case = await case_row(case_id, lock=False)
        if case is None:
            return frozenset()
        facts, _, _ = await case_facts(case)
    who = relation(actor.account_id, actor.roles, facts)
    return frozenset(action for action in Action if may(who, action, facts))


# --- the case page ------------------------------------------------------------------------


@dataclass(frozen=True)
class CasePage:
    """Everything the case page shows one person, read under one authorisation."""

    case: CaseRead
    can: frozenset[Action]
    terms: AgreementTerms
    meetings: list[MeetingRead]
    assignments: list[AssignmentRead]
    reports: list[ReportRead]
    notes: list[NoteRead] | None  # None: this person may not read the notes
    accesses: list[AccessRead] | None  # None: this person may not see who accessed it
    mentor_options: list[tuple[int, str]]  # whom a coordinator may reassign the case to


def _page_activity(
    held: list[MeetingRead], written: list[ReportRead], note_rows: list[dict[str, Any]]
) -> _Activity:
    """The case's activity from the meetings, reports and notes the page already read."""
    return _Activity(
        meetings=len(held),
        minutes=sum(meeting.minutes for meeting in held),
        notes=len(note_rows),
        shared_notes=sum(1 for row in note_rows if row["audience"] == NoteAudience.SHARED.value),
        reports=len(written),
        last_report_at=max((report.written_at for report in written), default=None),
    )


async def _mentor_options(access: Access) -> list[tuple[int, str]]:
    """Approved mentors the coordinator may hand the open case to, by name."""
    if Action.MANAGE not in permitted(access) or not is_open(access.case):
        return []
    rows = await Mentor.select(Mentor.account, Mentor.account.display_name.as_alias("name")).where(
        Mentor.status == MentorStatus.APPROVED.value
    )
    taken = (access.case["mentor"], access.case["employee"])
    return sorted(
        ((row["account"], row["name"]) for row in rows if row["account"] not in taken),
        key=lambda option: (option[1], option[0]),
    )


async def case_page(case_id: int, actor: Actor, access_limit: int) -> CasePage:
    """The case page's content in one shared transaction, one event per object read."""

    async def work() -> CasePage:
        access = await authorize(case_id, actor, Action.VIEW, purpose="view the case")
        can = permitted(access)
        held = await meetings.meetings_of(access)
        written = await reports.reports_of(access)
        note_rows = await notes.note_rows(access)
        return CasePage(
            case=await _case_read(access, _page_activity(held, written, note_rows)),
            can=can,
            terms=access.terms,
            meetings=held,
            assignments=_assignments(access),
            reports=written,
            notes=await notes.notes_of(access, note_rows) if Action.READ_NOTE in can else None,
            accesses=(
                await accesses_of(access, access_limit, access.relation is Relation.MENTEE)
                if Action.VIEW_ACCESSES in can
                else None
            ),
            mentor_options=await _mentor_options(access),
        )

    return await reading(work)
