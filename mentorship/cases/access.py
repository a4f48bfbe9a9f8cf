"""Access to a case: the one authorisation, refusals (audited) and sealed content.

Every case service goes through `authorize`; writes run in `guarded` (a write transaction),
reads in `reading` (a shared transaction that takes no write lock, whose audit events are
written with the request's others before the response).
"""

from __future__ import annotations

import logging
from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field
from typing import Any, Protocol, TypeVar

from mentorship.access.roles import Role
from mentorship.agreement import services as agreement
from mentorship.agreement.terms import AgreementTerms
from mentorship.assistance.states import Track
from mentorship.audit import services as audit
from mentorship.audit.chain import Outcome
from mentorship.cases import keys
from mentorship.cases.crypto import ContentUnavailable, open_text
from mentorship.cases.messages import CASES
from mentorship.cases.policy import Action, CaseFacts, Relation, hides_case, may, relation
from mentorship.cases.schemas import AccessRead
from mentorship.cases.states import OPEN_CASE_STATES, NoteAudience
from mentorship.cases.tables import Case, CaseAssignment
from mentorship.lib import db
from mentorship.lib.errors import DomainError, NotFound, PermissionDenied

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
    assignments: list[dict[str, Any]]  # who mentored the case when, oldest first
    # The case's opened data key, once asked for: a page reading notes and reports opens it
    # once. (Mutable inside a frozen Access, and never outside the request that opened it.)
    opened_key: list[bytes | None] = field(default_factory=list)

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
    if access.opened_key:
        return access.opened_key[0]
    try:
        access.opened_key.append(await keys.data_key(access.case_id))
        return access.opened_key[0]
    except ContentUnavailable as exc:
        raise refuse(
            access,
            ContentDamaged(CASES("key_damaged", case_id=access.case_id, problem=str(exc))),
            action="read",
            object_type="case_key",
            object_id=access.case_id,
            purpose="integrity check failed",
        ) from exc


async def writing_key(access: Access) -> bytes:
    """The data key to seal new text with (open cases always have one)."""
    data_key = await content_key(access)
    if data_key is None:
        raise ContentDamaged(CASES("no_content_key", case_id=access.case_id))
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
            ContentDamaged(CASES("text_damaged", object_type=object_type, object_id=object_id)),
            action=action,
            object_type=object_type,
            object_id=object_id,
            purpose="integrity check failed",
        ) from exc


_REFUSALS = {
    Action.LOG_MEETING: "mentor_logs_meetings",
    Action.WRITE_NOTE: "mentor_writes_notes",
    Action.READ_NOTE: "read_notes",
    Action.READ_NOTE_HISTORY: "note_history_author_only",
    Action.WRITE_REPORT: "mentor_writes_reports",
    Action.READ_REPORT: "read_reports",
    Action.RESPOND_TO_REPORT: "employee_responds",
    Action.PROPOSE_CLOSURE: "mentor_proposes_closure",
    Action.WITHDRAW: "employee_withdraws",
    Action.MANAGE: "coordinator_manages",
    Action.VIEW_ACCESSES: "who_sees_accesses",
}


def case_not_found(case_id: int) -> NotFound:
    """The one answer for a missing case and for a case the person may not know about."""
    return NotFound(CASES("not_found", case_id=case_id))


# The case row with what every view of it shows: the referrer, the two names, whether the
# mentor's account is still active (one statement instead of four).
_CASE_COLUMNS = (
    *Case.all_columns(),
    Case.request.filed_by.as_alias("filed_by"),
    Case.employee.display_name.as_alias("employee_name"),
    Case.mentor.display_name.as_alias("mentor_name"),
    Case.mentor.active.as_alias("mentor_active"),
)


def case_rows() -> Any:
    """A query for case rows with the referrer, both names and the mentor's account state."""
    return Case.select(*_CASE_COLUMNS)


async def case_row(case_id: int, *, lock: bool) -> dict[str, Any] | None:
    """One case row (from `case_rows`), locked for a change when asked; None if missing."""
    if lock:
        # PostgreSQL cannot lock the nullable side of the join: lock the case row alone.
        await db.for_update(Case.select(Case.id).where(Case.id == case_id)).first()
    rows: list[dict[str, Any]] = await case_rows().where(Case.id == case_id)
    return rows[0] if rows else None


async def case_facts(
    case: dict[str, Any],
) -> tuple[CaseFacts, AgreementTerms, list[dict[str, Any]]]:
    """What the policy needs to know about a case, its terms, and its mentors over time."""
    terms = await agreement.terms_of(case["agreement_version"])
    mentors = (
        await CaseAssignment.select(
            *CaseAssignment.all_columns(),
            CaseAssignment.mentor.display_name.as_alias("mentor_name"),
        )
        .where(CaseAssignment.case == case["id"])
        .order_by(CaseAssignment.started_at)
    )
    referred = case["track"] == Track.REFERRED.value
    facts = CaseFacts(
        employee_id=case["employee"],
        mentor_id=case["mentor"],
        referrer_id=case["filed_by"] if referred else None,
        former_mentor_ids=frozenset(
            row["mentor"] for row in mentors if row["ended_at"] is not None
        ),
        is_open=is_open(case),
        coordinator_reads_notes=terms.coordinator_reads_notes,
        supervisor_sees_activity=terms.supervisor_visibility == "status_and_activity",
    )
    return facts, terms, mentors


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
    case = await case_row(case_id, lock=lock)
    if case is None:
        who = Relation.NONE
        allowed = False
        facts = terms = None
        mentors: list[dict[str, Any]] = []
    else:
        facts, terms, mentors = await case_facts(case)
        who = relation(actor.account_id, actor.roles, facts)
        allowed = may(who, action, facts)
    if not allowed or case is None or facts is None or terms is None:
        error: DomainError = (
            case_not_found(case_id)
            if case is None or hides_case(who)
            else PermissionDenied(CASES(_REFUSALS.get(action, "not_allowed")))
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
    return Access(
        case=case, facts=facts, terms=terms, relation=who, actor=actor, assignments=mentors
    )


def _refusal(refused: Refused) -> dict[str, Any]:
    """The audit event of a refusal, as keyword arguments."""
    return {
        "action": refused.action,
        "object_type": refused.object_type,
        "object_id": refused.object_id,
        "outcome": Outcome.DENIED,
        "actor_id": refused.actor.account_id,
        "actor_name": refused.actor.display_name,
        "actor_role": refused.who.value,
        "purpose": refused.purpose,
        "case_id": refused.case_id,
    }


async def guarded(work: Callable[[], Awaitable[T]]) -> T:
    """Run `work` in one write transaction; a refusal undoes it, is audited, then raised."""
    try:
        async with db.transaction():
            return await work()
    except Refused as refused:
        await audit.record(**_refusal(refused))
        raise refused.error from None


async def reading(work: Callable[[], Awaitable[T]]) -> T:
    """Run a read in one shared transaction that takes no write lock.

    Its audit events (`record_read`, and a refusal's) are written together after it: with
    the rest of the web request's, in one transaction before the response; at once when
    there is no request (command line, tests).
    """
    async with audit.batch():
        try:
            async with db.reading():
                return await work()
        except Refused as refused:
            await audit.record(**_refusal(refused), read=True)
            raise refused.error from None


async def record(
    access: Access,
    action: str,
    *,
    purpose: str,
    object_type: str = "case",
    object_id: int | None = None,
    details: dict[str, Any] | None = None,
    read: bool = False,
) -> None:
    """Audit an allowed action on the case: a change now, inside the caller's write
    transaction; a `read` (of the case or one confidential object in it) with the request's
    other reads, before the response."""
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
        read=read,
    )


async def record_read(access: Access, action: str, **event: Any) -> None:
    """`record` for a read: written with the request's other reads before the response."""
    await record(access, action, read=True, **event)


# --- what a page may offer ----------------------------------------------------------------


def permitted(access: Access) -> frozenset[Action]:
    """Everything the policy lets this person do with the case."""
    return frozenset(action for action in Action if may(access.relation, action, access.facts))


# --- who accessed the case ----------------------------------------------------------------


# A private note is the mentor's own: the mentee is not told of the mentor's work on it
# (anyone else's access to it, a coordinator's included, is shown).
_MENTORS_PRIVATE_WORK = audit.Hidden(
    object_type="note",
    actor_role=Relation.MENTOR.value,
    detail="audience",
    value=NoteAudience.PRIVATE.value,
)


async def accesses_of(access: Access, limit: int, others_only: bool) -> list[AccessRead]:
    """The case's latest audited actions this person may see (one audit event)."""
    events = await audit.case_events(
        access.case_id,
        limit=limit,
        except_actor=access.actor.account_id if others_only else None,
        hidden=_MENTORS_PRIVATE_WORK if access.relation is Relation.MENTEE else None,
    )
    await record_read(access, "read", purpose="see who accessed the case", object_type="accesses")
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
