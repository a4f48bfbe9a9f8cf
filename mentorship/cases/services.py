"""Case rules: opening, access checks (audited), views, flags and state changes."""

from __future__ import annotations

import logging
from collections.abc import Awaitable, Callable, Iterable
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any, Protocol, TypeVar

from mentorship.access.roles import Role
from mentorship.accounts.services import lock_account
from mentorship.accounts.tables import Account
from mentorship.agreement import services as agreement
from mentorship.agreement.terms import AgreementTerms
from mentorship.assistance.states import Track
from mentorship.audit import services as audit
from mentorship.audit.chain import Outcome
from mentorship.audit.schemas import EventFilter, EventRead
from mentorship.cases import keys
from mentorship.cases.crypto import ContentUnavailable, open_text
from mentorship.cases.policy import Action, CaseFacts, Relation, hides_case, may, relation
from mentorship.cases.schemas import (
    AccessRead,
    AssignmentRead,
    CaseFlag,
    CaseRead,
    CaseStatusRead,
    CloseBody,
    ReleasedReport,
)
from mentorship.cases.states import (
    CLOSING_OUTCOMES,
    OPEN_CASE_STATES,
    CaseOutcome,
    CaseState,
    NoteAudience,
)
from mentorship.cases.tables import Case, CaseAssignment, Meeting, Note, StatusReport
from mentorship.district import services as district
from mentorship.lib import clock, db
from mentorship.lib.errors import (
    Conflict,
    DomainError,
    NotFound,
    PermissionDenied,
    ValidationFailed,
)
from mentorship.pool.tables import Mentor, MentorStatus

_OPEN = [s.value for s in OPEN_CASE_STATES]
T = TypeVar("T")
logger = logging.getLogger(__name__)


class Actor(Protocol):
    """The signed-in person acting (the web's Principal fits)."""

    @property
    def account_id(self) -> int:
        """Their account."""

    @property
    def display_name(self) -> str:
        """Their name, copied into audit events."""

    @property
    def roles(self) -> frozenset[Role]:
        """Their roles."""


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


def is_open(case: dict[str, Any]) -> bool:
    """Whether the case is active or paused."""
    return case["state"] in _OPEN


# --- access: every case service goes through here -----------------------------------------


@dataclass(frozen=True)
class Access:
    """A permitted access: the case row, the facts the policy used, and who is asking."""

    case: dict[str, Any]
    facts: CaseFacts
    terms: AgreementTerms
    relation: Relation
    actor: Actor

    @property
    def case_id(self) -> int:
        """The case's id."""
        return int(self.case["id"])


class Refused(Exception):
    """An access the policy refused; recorded in the audit log after the work is undone."""

    def __init__(
        self,
        error: DomainError,
        *,
        actor: Actor,
        who: Relation,
        action: str,
        object_type: str,
        object_id: int,
        case_id: int | None,
        purpose: str,
    ) -> None:
        super().__init__(error.message)
        self.error = error
        self.actor = actor
        self.who = who
        self.action = action
        self.object_type = object_type
        self.object_id = object_id
        self.case_id = case_id
        self.purpose = purpose


class ContentDamaged(DomainError):
    """Stored confidential text failed its integrity check (altered or moved)."""

    status_code = 409
    title = "Stored content failed its integrity check"


def refuse(
    access: Access,
    error: DomainError,
    *,
    action: str,
    object_type: str,
    object_id: int,
    purpose: str,
) -> Refused:
    """A refusal, after the case itself was allowed (a hidden note, a damaged text, …)."""
    return Refused(
        error,
        actor=access.actor,
        who=access.relation,
        action=action,
        object_type=object_type,
        object_id=object_id,
        case_id=access.case_id,
        purpose=purpose,
    )


# --- sealed content: the case key and opening text -----------------------------------------


async def content_key(access: Access) -> bytes | None:
    """The case's data key (None once retention destroyed it); a refusal if it will not open."""
    try:
        return await keys.data_key(access.case_id)
    except ContentUnavailable as exc:
        raise refuse(
            access,
            ContentDamaged(f"case {access.case_id}'s key could not be opened: {exc}"),
            action="read",
            object_type="case_key",
            object_id=access.case_id,
            purpose="integrity check failed",
        ) from exc


async def writing_key(access: Access) -> bytes:
    """The data key to seal new text with (open cases always have one)."""
    data_key = await content_key(access)
    if data_key is None:
        raise ContentDamaged(f"case {access.case_id} has no content key")
    return data_key


def open_sealed(
    access: Access,
    data_key: bytes | None,
    sealed: Any,
    identity: bytes,
    *,
    object_type: str,
    object_id: int,
    action: str,
) -> str | None:
    """Sealed text, or None once destroyed; a refusal (audited) when it fails its check."""
    if data_key is None or sealed is None:
        return None
    try:
        return open_text(data_key, bytes(sealed), identity)
    except ContentUnavailable as exc:
        logger.error(
            "%s %s of case %s did not open: %s", object_type, object_id, access.case_id, exc
        )
        raise refuse(
            access,
            ContentDamaged(
                f"{object_type} {object_id} could not be opened: its stored text failed the"
                " integrity check. The attempt is recorded in the audit log."
            ),
            action=action,
            object_type=object_type,
            object_id=object_id,
            purpose="integrity check failed",
        ) from exc


_REFUSALS = {
    Action.LOG_MEETING: "Only the case's mentor logs meetings.",
    Action.WRITE_NOTE: "Only the case's mentor writes progress notes.",
    Action.READ_NOTE: "You may not read this case's notes.",
    Action.READ_NOTE_HISTORY: "Only the mentor who wrote a note sees its earlier versions.",
    Action.WRITE_REPORT: "Only the case's mentor writes status reports.",
    Action.READ_REPORT: "You may not read this case's reports.",
    Action.RESPOND_TO_REPORT: "Only the employee the report is about may respond to it.",
    Action.PROPOSE_CLOSURE: "Only the case's mentor proposes closing it.",
    Action.WITHDRAW: "Only the employee may withdraw from their case.",
    Action.MANAGE: "Only a program coordinator manages cases.",
    Action.VIEW_ACCESSES: "Only the employee and coordinators see who accessed a case.",
}


def case_not_found(case_id: int) -> NotFound:
    """The one answer for a missing case and for a case the person may not know about."""
    return NotFound(f"case {case_id} was not found")


async def _case_row(case_id: int, *, lock: bool) -> dict[str, Any] | None:
    query = Case.select(*Case.all_columns(), Case.request.filed_by.as_alias("filed_by")).where(
        Case.id == case_id
    )
    if lock:
        # PostgreSQL cannot lock the nullable side of the join: lock the case row alone.
        await db.for_update(Case.select(Case.id).where(Case.id == case_id)).first()
    rows: list[dict[str, Any]] = await query
    return rows[0] if rows else None


async def _facts(case: dict[str, Any]) -> tuple[CaseFacts, AgreementTerms]:
    terms = await agreement.terms_of(case["agreement_version"])
    former = await CaseAssignment.select(CaseAssignment.mentor).where(
        (CaseAssignment.case == case["id"]) & CaseAssignment.ended_at.is_not_null()
    )
    referred = case["track"] == Track.REFERRED.value
    facts = CaseFacts(
        employee_id=case["employee"],
        mentor_id=case["mentor"],
        referrer_id=case["filed_by"] if referred else None,
        former_mentor_ids=frozenset(row["mentor"] for row in former),
        is_open=is_open(case),
        coordinator_reads_notes=terms.coordinator_reads_notes,
        supervisor_sees_activity=terms.supervisor_visibility == "status_and_activity",
    )
    return facts, terms


async def authorize(
    case_id: int,
    actor: Actor,
    action: Action,
    *,
    purpose: str,
    lock: bool = False,
    object_type: str = "case",
    object_id: int | None = None,
) -> Access:
    """The case, if the actor may do `action` to it; raises Refused otherwise."""
    case = await _case_row(case_id, lock=lock)
    if case is None:
        who = Relation.NONE
        allowed = False
        facts = terms = None
    else:
        facts, terms = await _facts(case)
        who = relation(actor.account_id, actor.roles, facts)
        allowed = may(who, action, facts)
    if not allowed or case is None or facts is None or terms is None:
        error: DomainError = (
            case_not_found(case_id)
            if case is None or hides_case(who)
            else PermissionDenied(_REFUSALS.get(action, "You may not do this with this case."))
        )
        raise Refused(
            error,
            actor=actor,
            who=who,
            action=action.value,
            object_type=object_type,
            object_id=case_id if object_id is None else object_id,
            case_id=case_id if case is not None else None,
            purpose=purpose,
        )
    return Access(case=case, facts=facts, terms=terms, relation=who, actor=actor)


async def guarded(work: Callable[[], Awaitable[T]]) -> T:
    """Run `work` in one transaction; a refusal undoes it, is audited, then raised."""
    try:
        async with db.transaction():
            return await work()
    except Refused as refused:
        await audit.record(
            action=refused.action,
            object_type=refused.object_type,
            object_id=refused.object_id,
            outcome=Outcome.DENIED,
            actor_id=refused.actor.account_id,
            actor_name=refused.actor.display_name,
            actor_role=refused.who.value,
            purpose=refused.purpose,
            case_id=refused.case_id,
        )
        raise refused.error from None


async def record(
    access: Access,
    action: str,
    *,
    purpose: str,
    object_type: str = "case",
    object_id: int | None = None,
    details: dict[str, Any] | None = None,
) -> None:
    """Audit an allowed action on the case (inside the caller's transaction)."""
    await audit.record(
        action=action,
        object_type=object_type,
        object_id=access.case_id if object_id is None else object_id,
        actor_id=access.actor.account_id,
        actor_name=access.actor.display_name,
        actor_role=access.relation.value,
        purpose=purpose,
        agreement_version=access.case["agreement_version"],
        case_id=access.case_id,
        details=details,
    )


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
    reports: dict[int, list[datetime]] = {}
    for row in await StatusReport.select(StatusReport.case, StatusReport.written_at).where(
        StatusReport.case.is_in(case_ids)
    ):
        reports.setdefault(row["case"], []).append(row["written_at"])
    return {
        case_id: _Activity(
            meetings=len(meetings.get(case_id, [])),
            minutes=sum(meetings.get(case_id, [])),
            notes=notes.get(case_id, 0),
            shared_notes=shared.get(case_id, 0),
            reports=len(reports.get(case_id, [])),
            last_report_at=max(reports[case_id]) if case_id in reports else None,
        )
        for case_id in case_ids
    }


async def _mentors_out_of_pool(mentor_ids: Iterable[int]) -> set[int]:
    """Mentors suspended, retired or deactivated: their open cases need a new mentor."""
    ids = sorted(set(mentor_ids))
    if not ids:
        return set()
    out = {
        row["account"]
        for row in await Mentor.select(Mentor.account).where(
            Mentor.account.is_in(ids)
            & Mentor.status.is_in([MentorStatus.SUSPENDED.value, MentorStatus.RETIRED.value])
        )
    }
    inactive = await Account.select(Account.id).where(
        Account.id.is_in(ids) & (Account.active == False)  # noqa: E712 (Piccolo builds SQL)
    )
    return out | {row["id"] for row in inactive}


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
    cases: list[dict[str, Any]], relations: dict[int, Relation] | None = None
) -> list[CaseRead]:
    ids = [case["id"] for case in cases]
    activity = await _activity(ids)
    out_of_pool = await _mentors_out_of_pool(case["mentor"] for case in cases)
    names = await district.names_of(
        [case["employee"] for case in cases] + [case["mentor"] for case in cases]
    )
    terms_by_version: dict[int, AgreementTerms] = {}
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
                employee_name=names.get(case["employee"], ""),
                mentor_id=case["mentor"],
                mentor_name=names.get(case["mentor"], ""),
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


async def get_case(case_id: int, actor: Actor) -> CaseRead:
    """One case for its mentee, current mentor or a coordinator (audited)."""

    async def work() -> CaseRead:
        access = await authorize(case_id, actor, Action.VIEW, purpose="view the case")
        await record(access, "read", purpose="view the case")
        (read,) = await _reads([access.case], {access.case_id: access.relation})
        return read

    return await guarded(work)


async def my_cases(actor: Actor) -> list[CaseRead]:
    """Cases I am the employee of (any state), and the open cases I mentor."""
    rows = (
        await Case.select()
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
    query = Case.select().order_by(Case.opened_at, ascending=False)
    if states:
        query = query.where(Case.state.is_in([s.value for s in states]))
    if mentor_id is not None:
        query = query.where(Case.mentor == mentor_id)
    if employee_id is not None:
        query = query.where(Case.employee == employee_id)
    reads = await _reads(await query)
    return [read for read in reads if read.flags] if flagged else reads


async def assignments(case_id: int, actor: Actor) -> list[AssignmentRead]:
    """Who mentored the case when (mentee, current mentor, coordinator)."""

    async def work() -> list[AssignmentRead]:
        await authorize(case_id, actor, Action.VIEW, purpose="view the case's mentors")
        rows = (
            await CaseAssignment.select(
                *CaseAssignment.all_columns(),
                CaseAssignment.mentor.display_name.as_alias("mentor_name"),
            )
            .where(CaseAssignment.case == case_id)
            .order_by(CaseAssignment.started_at)
        )
        return [
            AssignmentRead(
                mentor_id=row["mentor"],
                mentor_name=row["mentor_name"],
                started_at=row["started_at"],
                ended_at=row["ended_at"],
                ended_outcome=CaseOutcome(row["ended_outcome"]) if row["ended_outcome"] else None,
                ended_reason=row["ended_reason"],
            )
            for row in rows
        ]

    return await guarded(work)


# --- the referring supervisor's view ------------------------------------------------------


async def referral_case_status(request_id: int, viewer_id: int) -> CaseStatusRead | None:
    """Status, dates and released report statuses of the case a referral opened, if any.

    The caller has already checked that the viewer filed the referral; what the referrer may
    see is the policy's answer, and the view is audited (the employee sees it among the
    accesses to their case).
    """
    found = await Case.select(Case.id).where(Case.request == request_id).first()
    case = None if found is None else await _case_row(found["id"], lock=False)
    if case is None or case["track"] != Track.REFERRED.value:
        return None
    facts, _ = await _facts(case)
    if not may(Relation.REFERRER, Action.VIEW_STATUS, facts):
        return None
    await audit.record(
        action="read",
        object_type="case_status",
        object_id=case["id"],
        actor_id=viewer_id,
        actor_role=Relation.REFERRER.value,
        purpose="follow a referral's status",
        agreement_version=case["agreement_version"],
        case_id=case["id"],
    )
    from mentorship.cases import reports  # reports builds on this module

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


# --- state changes ------------------------------------------------------------------------


async def _set_state(access: Access, changes: dict[Any, Any], action: str, purpose: str) -> None:
    await Case.update({**changes, Case.state_changed_at: clock.now()}).where(
        Case.id == access.case_id
    )
    await record(access, action, purpose=purpose)


def _require_state(access: Access, allowed: Iterable[CaseState], doing: str) -> None:
    state = CaseState(access.case["state"])
    if state not in allowed:
        raise Conflict(f"case {access.case_id} is {state.value}: it cannot be {doing}")


async def pause(case_id: int, actor: Actor, reason: str) -> CaseRead:
    """Pause an active case (it keeps the mentor's capacity; no meetings meanwhile)."""

    async def work() -> None:
        access = await authorize(case_id, actor, Action.MANAGE, purpose="pause", lock=True)
        _require_state(access, [CaseState.ACTIVE], "paused")
        await _set_state(
            access,
            {Case.state: CaseState.PAUSED.value, Case.state_reason: reason.strip()},
            "pause",
            reason.strip(),
        )

    await guarded(work)
    return await _fresh(case_id)


async def resume(case_id: int, actor: Actor) -> CaseRead:
    """Resume a paused case."""

    async def work() -> None:
        access = await authorize(case_id, actor, Action.MANAGE, purpose="resume", lock=True)
        _require_state(access, [CaseState.PAUSED], "resumed")
        await _set_state(
            access, {Case.state: CaseState.ACTIVE.value, Case.state_reason: ""}, "resume", "resume"
        )

    await guarded(work)
    return await _fresh(case_id)


async def _close(access: Access, outcome: CaseOutcome, summary: str, purpose: str) -> None:
    _require_state(access, OPEN_CASE_STATES, "closed")
    if outcome not in CLOSING_OUTCOMES:
        choices = ", ".join(o.value for o in CLOSING_OUTCOMES)
        raise ValidationFailed(
            {"outcome": f"a case closes as one of {choices}; use reassign to change mentors"}
        )
    now = clock.now()
    await CaseAssignment.update(
        {CaseAssignment.ended_at: now, CaseAssignment.ended_outcome: outcome.value}
    ).where((CaseAssignment.case == access.case_id) & CaseAssignment.ended_at.is_null())
    await _set_state(
        access,
        {
            Case.state: CaseState.CLOSED.value,
            Case.outcome: outcome.value,
            Case.closed_at: now,
            Case.closed_by: access.actor.account_id,
            Case.closure_summary: summary.strip(),
        },
        "close",
        purpose,
    )


async def close(case_id: int, actor: Actor, data: CloseBody) -> CaseRead:
    """Close a case with an outcome and a non-confidential summary; retention starts now."""

    async def work() -> None:
        access = await authorize(case_id, actor, Action.MANAGE, purpose="close", lock=True)
        await _close(access, data.outcome, data.summary, f"close: {data.outcome.value}")

    await guarded(work)
    return await _fresh(case_id)


async def withdraw(case_id: int, actor: Actor) -> CaseRead:
    """The employee leaves a voluntary case, at any time and without giving a reason."""

    async def work() -> None:
        access = await authorize(case_id, actor, Action.WITHDRAW, purpose="withdraw", lock=True)
        if access.case["track"] != Track.VOLUNTARY.value:
            raise Conflict(
                "a referred case is closed by the program coordinator: ask them, or your"
                " mentor, to close it"
            )
        await _close(access, CaseOutcome.WITHDRAWN, "", "the employee withdrew")

    await guarded(work)
    return await _fresh(case_id, Relation.MENTEE)


async def propose_closure(case_id: int, actor: Actor, data: CloseBody) -> CaseRead:
    """The mentor proposes closing the case; the coordinator decides."""

    async def work() -> None:
        access = await authorize(
            case_id, actor, Action.PROPOSE_CLOSURE, purpose="propose closure", lock=True
        )
        _require_state(access, OPEN_CASE_STATES, "proposed for closure")
        if data.outcome not in CLOSING_OUTCOMES:
            raise ValidationFailed({"outcome": "propose completed, withdrawn or released"})
        await Case.update(
            {
                Case.closure_proposed_at: clock.now(),
                Case.closure_proposed_outcome: data.outcome.value,
                Case.closure_proposed_summary: data.summary.strip(),
            }
        ).where(Case.id == case_id)
        await record(access, "propose_closure", purpose=f"propose closure: {data.outcome.value}")

    await guarded(work)
    return await _fresh(case_id, Relation.MENTOR)


async def reassign(case_id: int, actor: Actor, mentor_id: int, reason: str) -> CaseRead:
    """Give the case to another eligible mentor. The old mentor's access ends at once.

    The new mentor sees the case, its meetings and the notes shared with the mentee, but
    not the previous mentor's private notes.
    """
    from mentorship.matching import review  # matching builds on cases

    async def work() -> None:
        await lock_account(mentor_id)  # the same lock approvals take: capacity is exact
        access = await authorize(case_id, actor, Action.MANAGE, purpose="reassign", lock=True)
        _require_state(access, OPEN_CASE_STATES, "reassigned")
        if mentor_id == access.case["mentor"]:
            raise ValidationFailed({"mentor_id": "is already this case's mentor"})
        await review.check_reassignment(access.case["request"], mentor_id)
        now = clock.now()
        await CaseAssignment.update(
            {
                CaseAssignment.ended_at: now,
                CaseAssignment.ended_outcome: CaseOutcome.REASSIGNED.value,
                CaseAssignment.ended_reason: reason.strip(),
            }
        ).where((CaseAssignment.case == case_id) & CaseAssignment.ended_at.is_null())
        await CaseAssignment.insert(CaseAssignment(case=case_id, mentor=mentor_id, started_at=now))
        await Case.update(
            {
                Case.mentor: mentor_id,
                Case.closure_proposed_at: None,
                Case.closure_proposed_outcome: None,
                Case.closure_proposed_summary: "",
            }
        ).where(Case.id == case_id)
        await record(
            access,
            "reassign",
            purpose=reason.strip()[:200],
            details={"from_mentor": access.case["mentor"], "to_mentor": mentor_id},
        )

    await guarded(work)
    return await _fresh(case_id)


async def set_legal_hold(case_id: int, actor: Actor, hold: bool, reason: str) -> CaseRead:
    """Set or lift a legal hold; retention never destroys a held case's content."""

    async def work() -> None:
        access = await authorize(case_id, actor, Action.MANAGE, purpose="legal hold", lock=True)
        if access.case["content_destroyed_at"] is not None and hold:
            raise Conflict(f"case {case_id}'s content was already destroyed by retention")
        await Case.update({Case.legal_hold: hold}).where(Case.id == case_id)
        await record(
            access, "legal_hold" if hold else "lift_legal_hold", purpose=reason.strip()[:200]
        )

    await guarded(work)
    return await _fresh(case_id)


async def _fresh(case_id: int, who: Relation = Relation.COORDINATOR) -> CaseRead:
    """The case after a change, as the person who made it sees it."""
    row = await Case.select().where(Case.id == case_id).first()
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
    are not news to them). Events are read back in batches until `limit` are kept, so a long
    run of left-out events never hides older ones that count.
    """

    async def work() -> list[AccessRead]:
        access = await authorize(
            case_id, actor, Action.VIEW_ACCESSES, purpose="see who accessed the case"
        )

        def shown(event: EventRead) -> bool:
            if others_only and event.actor_id == actor.account_id:
                return False
            # A private note is the mentor's own: the mentee is not told of the mentor's
            # work on it (anyone else's access to it, a coordinator's included, is shown).
            return not (
                access.relation is Relation.MENTEE
                and event.object_type == "note"
                and event.actor_role == Relation.MENTOR.value
                and event.details.get("audience") == NoteAudience.PRIVATE.value
            )

        events: list[EventRead] = []
        before: int | None = None
        while len(events) < limit:
            batch = await audit.search(
                EventFilter(case_id=case_id), limit=max(limit, 200), before_sequence=before
            )
            events.extend(event for event in batch if shown(event))
            if len(batch) < max(limit, 200):
                break
            before = batch[-1].sequence
        events = events[:limit]
        await record(access, "read", purpose="see who accessed the case", object_type="accesses")
        return [
            AccessRead(
                occurred_at=event.occurred_at,
                actor_name=event.actor_name,
                actor_role=event.actor_role,
                action=event.action,
                object_type=event.object_type,
                object_id=event.object_id,
                outcome=event.outcome.value,
                purpose=event.purpose,
            )
            for event in events
        ]

    return await guarded(work)


# --- what a page may offer ----------------------------------------------------------------


async def allowed_actions(case_id: int, actor: Actor) -> frozenset[Action]:
    """What the actor may do with the case, by the policy (empty when they may not know it).

    For pages deciding which sections and forms to show; no content is read and nothing is
    recorded. Each service still asks the policy itself when the action is tried.
    """
    case = await _case_row(case_id, lock=False)
    if case is None:
        return frozenset()
    facts, _ = await _facts(case)
    who = relation(actor.account_id, actor.roles, facts)
    return frozenset(action for action in Action if may(who, action, facts))
