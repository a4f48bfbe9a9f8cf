"""Cases: opening them (for matching), reading them, and who accessed them."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from mentorship.agreement.terms import AgreementTerms
from mentorship.assistance.states import Track
from mentorship.audit import services as audit
from mentorship.cases import case_reads, keys, meetings, notes, reports
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
)
from mentorship.cases.policy import Action, Relation, may, relation
from mentorship.cases.schemas import (
    AccessRead,
    AssignmentRead,
    CaseRead,
    CaseStatusRead,
    MeetingRead,
    NoteRead,
    ReleasedReport,
    ReportRead,
)
from mentorship.cases.states import CaseOutcome, CaseState
from mentorship.cases.tables import Case, CaseAssignment
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


async def get_case(case_id: int, actor: Actor) -> CaseRead:
    """One case for its mentee, current mentor or a coordinator (audited)."""

    async def work() -> CaseRead:
        access = await authorize(case_id, actor, Action.VIEW, purpose="view the case")
        return await case_reads.case_read(access)

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
        return await case_reads.reads(rows, relations)


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
        reads = await case_reads.reads(await query)
    return [read for read in reads if read.flags] if flagged else reads


async def assignments(case_id: int, actor: Actor) -> list[AssignmentRead]:
    """Who mentored the case when (mentee, current mentor, coordinator)."""

    async def work() -> list[AssignmentRead]:
        access = await authorize(case_id, actor, Action.VIEW, purpose="view the case's mentors")
        return case_reads.assignment_reads(access)

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
            done = (await case_reads.activity([case["id"]]))[case["id"]]
            status.meeting_count = done.meetings
            status.meeting_hours = round(done.minutes / 60, 2)
        return status


async def fresh(case_id: int, who: Relation = Relation.COORDINATOR) -> CaseRead:
    """The case after a change, as the person who made it sees it."""
    async with db.reading():
        row = await case_rows().where(Case.id == case_id).first()
        if row is None:
            raise case_not_found(case_id)
        (read,) = await case_reads.reads([row], {case_id: who})
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


_APPROVED_MENTORS = db.Prepared(
    lambda: Mentor.select(Mentor.account, Mentor.account.display_name.as_alias("name")).where(
        Mentor.status == db.Param(0)
    )
)


async def _mentor_options(access: Access) -> list[tuple[int, str]]:
    """Approved mentors the coordinator may hand the open case to, by name."""
    if Action.MANAGE not in permitted(access) or not is_open(access.case):
        return []
    rows = await _APPROVED_MENTORS.rows(MentorStatus.APPROVED.value)
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
            case=await case_reads.case_read(
                access, case_reads.page_activity(held, written, note_rows)
            ),
            can=can,
            terms=access.terms,
            meetings=held,
            assignments=case_reads.assignment_reads(access),
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
