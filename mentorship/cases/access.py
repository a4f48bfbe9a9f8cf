"""Access to a case: the one authorisation, refusals (audited) and sealed content.

Every case service goes through `authorize`; writes run in `guarded` (a write transaction),
reads in `reading` (a shared transaction that takes no write lock, whose audit events are
written with the request's others before the response).
"""

from __future__ import annotations

import functools
import logging
from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field
from typing import Any, Protocol, TypeVar

from mentorship.access.roles import Role
from mentorship.agreement import services as agreement
from mentorship.agreement.terms import AgreementTerms, parse_terms
from mentorship.assistance.states import Track
from mentorship.audit import services as audit
from mentorship.audit.chain import Outcome
from mentorship.cases.crypto import ContentUnavailable, Keyring, open_text
from mentorship.cases.messages import CASES
from mentorship.cases.policy import Action, CaseFacts, Relation, hides_case, may, relation
from mentorship.cases.schemas import AccessRead
from mentorship.cases.states import OPEN_CASE_STATES, NoteAudience
from mentorship.cases.tables import Case, CaseAssignment
from mentorship.config import get_settings
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
    wrapped_key: tuple[str | None, Any] = (None, None)  # the data key as stored (id, wrapped)
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


@functools.cache
def _keyring_of(current: str, previous: str | None) -> Keyring:
    return Keyring.from_secrets(current, [previous])


def _keyring() -> Keyring:
    """The configured master keys (derived once per configuration, not once per read)."""
    settings = get_settings()
    return _keyring_of(settings.notes_key, settings.notes_previous_key)


async def content_key(access: Access) -> bytes | None:
    """The case's data key (None once retention destroyed it); a refusal if it will not open."""
    if access.opened_key:
        return access.opened_key[0]
    key_id, wrapped = access.wrapped_key
    try:
        opened = (
            None
            if wrapped is None
            else _keyring().unwrap(access.case_id, key_id or "", bytes(wrapped))
        )
        access.opened_key.append(opened)
        return opened
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


# One case for an authorisation: its row as `case_rows` gives it, plus the terms of its
# agreement version and its wrapped data key, in one statement written once.
_CASE = (
    "SELECT c.*, r.filed_by, e.display_name AS employee_name, m.display_name AS mentor_name,"
    " m.active AS mentor_active, v.terms AS agreement_terms, k.key_id AS data_key_id,"
    ' k.wrapped AS data_key_wrapped FROM "case" c'
    " LEFT JOIN assistance_request r ON r.id = c.request"
    " LEFT JOIN account e ON e.id = c.employee LEFT JOIN account m ON m.id = c.mentor"
    " LEFT JOIN agreement_version v ON v.version = c.agreement_version"
    ' LEFT JOIN case_key k ON k."case" = c.id WHERE c.id = {}'
)
_LOCK_CASE = db.Prepared(lambda: db.for_update(Case.select(Case.id).where(Case.id == db.Param(0))))
_EXTRAS = ("agreement_terms", "data_key_id", "data_key_wrapped")
_MENTORS = db.Prepared(
    lambda: (
        CaseAssignment.select(
            *CaseAssignment.all_columns(),
            CaseAssignment.mentor.display_name.as_alias("mentor_name"),
        )
        .where(CaseAssignment.case == db.Param(0))
        .order_by(CaseAssignment.started_at)
    )
)


async def _case_and_extras(
    case_id: int, lock: bool
) -> tuple[dict[str, Any] | None, dict[str, Any]]:
    """The case row (from `case_rows`, locked for a change when asked) and, apart, its
    agreement terms as stored and its wrapped data key; (None, {}) if it is missing."""
    if lock:
        # PostgreSQL cannot lock the nullable side of the join: lock the case row alone.
        await _LOCK_CASE.rows(case_id)
    rows = await db.fetch(_CASE, case_id)
    if not rows:
        return None, {}
    case = rows[0]
    return case, {name: case.pop(name) for name in _EXTRAS}


async def case_row(case_id: int, *, lock: bool) -> dict[str, Any] | None:
    """One case row (from `case_rows`), locked for a change when asked; None if missing."""
    case, _ = await _case_and_extras(case_id, lock)
    return case


async def case_facts(
    case: dict[str, Any], stored_terms: Any = None
) -> tuple[CaseFacts, AgreementTerms, list[dict[str, Any]]]:
    """What the policy needs to know about a case, its terms (read now unless the stored
    terms are given), and its mentors over time."""
    if stored_terms is None:
        terms = await agreement.terms_of(case["agreement_version"])
    else:
        terms = parse_terms(db.json_value(stored_terms))
    mentors = await _MENTORS.rows(case["id"])
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
    case, extras = await _case_and_extras(case_id, lock)
    if case is None:
        who = Relation.NONE
        allowed = False
        facts = terms = None
        mentors: list[dict[str, Any]] = []
    else:
        facts, terms, mentors = await case_facts(case, extras["agreement_terms"])
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
        case=case,
        facts=facts,
        terms=terms,
        relation=who,
        actor=actor,
        assignments=mentors,
        wrapped_key=(extras["data_key_id"], extras["data_key_wrapped"]),
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
    return [AccessRead(**event) for event in events]
