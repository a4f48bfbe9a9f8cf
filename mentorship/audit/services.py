"""Appending to the audit log (serialised, so the chain never forks) and verifying it."""

from __future__ import annotations

import asyncio
import csv
import functools
import io
import json
import logging
from collections.abc import AsyncIterator, Mapping
from contextlib import asynccontextmanager
from contextvars import ContextVar, Token
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, timedelta
from typing import Any

import msgspec
from piccolo.columns.combination import WhereRaw

from mentorship.audit.chain import (
    GENESIS,
    Break,
    Event,
    Outcome,
    Stored,
    Verifier,
    check_details,
    event_hash,
)
from mentorship.audit.messages import AUDIT
from mentorship.audit.schemas import EventFilter, EventRead
from mentorship.audit.tables import AuditEvent
from mentorship.config import get_settings
from mentorship.lib import clock, context, db
from mentorship.lib.errors import DomainError, ValidationFailed
from mentorship.lib.events import Provision

CHAIN_LOCK_KEY = 7_261_002  # PostgreSQL advisory lock held while an event is appended
VERIFY_BATCH = 2000
INSERT_ROWS = 500  # events per INSERT statement (17 values each)
PURPOSE_LENGTH = 200  # the column's length: a longer purpose (a typed reason) is cut
logger = logging.getLogger(__name__)


def _key() -> bytes:
    return get_settings().audit_key.encode("utf-8")


class AuditUnavailable(DomainError):
    """The audit log could not be written: nothing read may be shown without its record."""

    status_code = 503
    title = "Service unavailable"


# --- what audit needs from the domains above it, registered by them ----------------------

# The agreement version in force (the agreement domain answers).
version_in_force: Provision[[], int] = Provision("audit.version_in_force")
# An account's name, for an event whose caller gave only the id (the accounts domain answers).
actor_name: Provision[[int], str] = Provision("audit.actor_name")


async def _agreement_version(given: int | None) -> int:
    if given is not None:
        return given
    # Unanswered, this raises: a guessed version would misstate the terms of an access.
    return await version_in_force()


async def _name_of(actor_id: int | None, given: str | None) -> str:
    if given is not None or actor_id is None:
        return given or ""
    request = context.current()
    if request.actor_id == actor_id:
        return request.actor_name
    return await actor_name(actor_id)


# --- appending ----------------------------------------------------------------------------


# The events a request has read, written together before its response (see `batch`).
_batch: ContextVar[list[Event] | None] = ContextVar("audit_batch", default=None)


async def _lock_chain() -> None:
    """One appender at a time: each reads the last hash and writes the next event in the
    same locked transaction. (SQLite's IMMEDIATE transactions already take turns.)"""
    if AuditEvent._meta.db.engine_type == "postgres":
        await AuditEvent.raw("SELECT pg_advisory_xact_lock({})", CHAIN_LOCK_KEY)


@dataclass
class _Queue:
    """Events waiting to be appended by this process, and the turn to append them."""

    turn: asyncio.Lock = field(default_factory=asyncio.Lock)
    waiting: list[tuple[list[Event], asyncio.Future[int]]] = field(default_factory=list)


_queues: dict[asyncio.AbstractEventLoop, _Queue] = {}


async def _append(pending: list[Event]) -> int:
    """Append the events; the sequence of the last one.

    Inside a caller's transaction they are written there. Otherwise concurrent appends in
    this process take turns in the event loop and whoever has the turn writes everything
    waiting in one transaction (a group commit): under load the database sees one short
    write instead of a queue of writers each polling for its single write lock.
    """
    if db.in_transaction():
        return await _write(pending)
    queue = _queues.setdefault(asyncio.get_running_loop(), _Queue())
    done: asyncio.Future[int] = asyncio.get_running_loop().create_future()
    queue.waiting.append((pending, done))
    async with queue.turn:
        if not done.done():
            group, queue.waiting = queue.waiting, []
            try:
                last = await _write([event for events, _ in group for event in events])
            except Exception as exc:  # each waiting request learns its events were not written
                for _, future in group:
                    if not future.done():  # a cancelled request no longer waits
                        future.set_exception(exc)
            else:
                for events, future in reversed(group):
                    if not future.done():
                        future.set_result(last)
                    last -= len(events)
    return await done


# The chain's last link, and the columns an event is inserted with: both written once (this
# write runs for every request that reads anything confidential).
_LAST = db.Prepared(
    lambda: (
        AuditEvent.select(AuditEvent.sequence, AuditEvent.event_hash)
        .order_by(AuditEvent.sequence, ascending=False)
        .first()
    )
)
_INSERTED = (*Event.__struct_fields__, "previous_hash", "event_hash")
_ROW = "(" + ", ".join("{}" for _ in _INSERTED) + ")"


_INSERT = f"INSERT INTO audit_event ({', '.join(_INSERTED)}) VALUES "  # noqa: S608 (fixed names)


def _insert(rows: int) -> str:
    """The INSERT of `rows` events (one statement, however many): only placeholders vary."""
    return _INSERT + ", ".join([_ROW] * rows)


async def _write(pending: list[Event]) -> int:
    """Chain and insert the events in one transaction, with one INSERT; the last sequence."""
    async with db.transaction():
        await _lock_chain()
        found = await _LAST.rows()
        last = found[0] if found else None
        sequence = 0 if last is None else last["sequence"]
        previous = GENESIS if last is None else last["event_hash"]
        # Whole microseconds survive both databases, so the hash can be recomputed.
        now = clock.now()
        values: list[list[Any]] = []
        for item in pending:
            sequence += 1
            event = msgspec.structs.replace(item, sequence=sequence, occurred_at=now)
            current = event_hash(_key(), previous, event)
            stored = {
                **msgspec.structs.asdict(event),
                "outcome": event.outcome.value,
                "details": json.dumps(dict(event.details), sort_keys=True),
                "previous_hash": previous,
                "event_hash": current,
            }
            values.append([stored[name] for name in _INSERTED])
            previous = current
        # Both databases cap a statement's values (SQLite and PostgreSQL near 32,000).
        for start in range(0, len(values), INSERT_ROWS):
            rows = values[start : start + INSERT_ROWS]
            await db.fetch(_insert(len(rows)), *(value for row in rows for value in row))
    return sequence


async def record(
    *,
    action: str,
    object_type: str,
    object_id: int | str | None = None,
    outcome: Outcome = Outcome.ALLOWED,
    actor_id: int | None = None,
    actor_name: str | None = None,
    actor_role: str = "",
    purpose: str = "",
    agreement_version: int | None = None,
    case_id: int | None = None,
    details: Mapping[str, Any] | None = None,
    read: bool = False,
) -> int | None:
    """Append one event: now, inside the caller's transaction when there is one (its
    sequence is returned); or, for a `read` (or a refused attempt to read), with the current
    batch, written when it ends (None is returned).

    The request id and client address come from the current web request; the actor's name,
    when not given, from the signed-in actor or the registered provider. Never pass note
    or report text in `details`.
    """
    pending = _batch.get() if read else None
    request = context.current()
    event = Event(
        sequence=0,  # both set when the event is appended
        occurred_at=clock.now(),
        actor_id=actor_id,
        actor_name=await _name_of(actor_id, actor_name),
        actor_role=actor_role,
        action=action,
        object_type=object_type,
        object_id="" if object_id is None else str(object_id),
        outcome=outcome,
        purpose=purpose[:PURPOSE_LENGTH],
        agreement_version=await _agreement_version(agreement_version),
        request_id=request.request_id,
        client_address=request.client_address,
        details=check_details(details or {}),
        case_id=case_id,
    )
    if pending is None:
        return await _append([event])
    pending.append(event)
    return None


def open_batch() -> Token[list[Event] | None]:
    """Start collecting `read` events (the request middleware calls this)."""
    return _batch.set([])


def close_batch(token: Token[list[Event] | None]) -> None:
    """Stop collecting; events still waiting are dropped (call `flush_batch` before)."""
    _batch.reset(token)


async def flush_batch() -> None:
    """Write the collected events in one short transaction; AuditUnavailable if that fails."""
    pending = _batch.get()
    if not pending:
        return
    events = list(pending)
    pending.clear()
    try:
        await _append(events)
    except Exception as exc:  # whatever broke, the reads must not be shown unrecorded
        logger.exception("audit events could not be written: %s", exc)
        raise AuditUnavailable(AUDIT("unavailable")) from exc


@asynccontextmanager
async def batch() -> AsyncIterator[None]:
    """Collect the reads recorded inside (`record(read=True)`) and write them together at
    the end, even when the body fails (a refused attempt is recorded too). Inside a
    request's batch it adds nothing: the request's events are written before its response."""
    if _batch.get() is not None:
        yield
        return
    token = open_batch()
    try:
        try:
            yield
        finally:
            await flush_batch()
    finally:
        close_batch(token)


def _stored(row: dict[str, Any]) -> Stored:
    return Stored(
        event=Event(
            sequence=row["sequence"],
            occurred_at=row["occurred_at"],
            actor_id=row["actor_id"],
            actor_name=row["actor_name"],
            actor_role=row["actor_role"],
            action=row["action"],
            object_type=row["object_type"],
            object_id=row["object_id"],
            outcome=Outcome(row["outcome"]),
            purpose=row["purpose"],
            agreement_version=row["agreement_version"],
            request_id=row["request_id"],
            client_address=row["client_address"],
            details=db.json_value(row["details"]) or {},
            case_id=row["case_id"],
        ),
        previous_hash=row["previous_hash"],
        event_hash=row["event_hash"],
    )


async def _in_order() -> AsyncIterator[Stored]:
    """Every event by sequence, a batch at a time (the log can be long)."""
    after = 0
    while True:
        rows = (
            await AuditEvent.select()
            .where(AuditEvent.sequence > after)
            .order_by(AuditEvent.sequence)
            .limit(VERIFY_BATCH)
        )
        for row in rows:
            yield _stored(row)
        if len(rows) < VERIFY_BATCH:
            return
        after = rows[-1]["sequence"]


async def verify_chain() -> tuple[int, Break | None]:
    """Recompute the whole chain: (events that verified, the first break or None)."""
    verifier = Verifier(_key())
    async for item in _in_order():
        broken = verifier.feed(item)
        if broken is not None:
            return verifier.count, broken
    return verifier.count, None


# --- browsing and export ------------------------------------------------------------------

EXPORT_HEADER = [
    "sequence",
    "occurred_at",
    "actor_id",
    "actor_name",
    "actor_role",
    "action",
    "object_type",
    "object_id",
    "outcome",
    "purpose",
    "agreement_version",
    "request_id",
    "client_address",
    "case_id",
    "details",
    "previous_hash",
    "event_hash",
]
EXPORT_LIMIT = 100_000


def _filtered(query: Any, where: EventFilter) -> Any:
    if where.since and where.until and where.since > where.until:
        raise ValidationFailed({"since": AUDIT("since_after_until")})
    conditions = []
    if where.case_id is not None:
        conditions.append(AuditEvent.case_id == where.case_id)
    if where.actor_id is not None:
        conditions.append(AuditEvent.actor_id == where.actor_id)
    if where.action:
        conditions.append(AuditEvent.action == where.action)
    if where.object_type:
        conditions.append(AuditEvent.object_type == where.object_type)
    if where.outcome is not None:
        conditions.append(AuditEvent.outcome == where.outcome.value)
    if where.since is not None:
        conditions.append(AuditEvent.occurred_at >= _day_start(where.since))
    if where.until is not None:
        conditions.append(AuditEvent.occurred_at < _day_start(where.until) + timedelta(days=1))
    for condition in conditions:
        query = query.where(condition)
    return query


def _day_start(day: date) -> datetime:
    return datetime(day.year, day.month, day.day, tzinfo=UTC)


def _event_read(row: dict[str, Any]) -> EventRead:
    event = _stored(row).event
    return EventRead(**{**msgspec.structs.asdict(event), "details": dict(event.details)})


async def verify_on_request(
    actor_id: int, actor_role: str = "coordinator"
) -> tuple[int, Break | None]:
    """`verify_chain` for a person who asked from the audit-log page; the check itself is
    recorded (after it, so it never checks its own event), like every other use of the log."""
    count, broken = await verify_chain()
    await record(
        action="verify",
        object_type="audit_log",
        actor_id=actor_id,
        actor_role=actor_role,
        purpose="check the audit log has not been changed",
        details={"events": count, "intact": broken is None},
    )
    return count, broken


async def search(
    where: EventFilter, *, limit: int = 100, before_sequence: int | None = None
) -> list[EventRead]:
    """Events matching the filter, newest first; page back with `before_sequence`."""
    query = _filtered(AuditEvent.select(), where)
    if before_sequence is not None:
        query = query.where(AuditEvent.sequence < before_sequence)
    rows = await query.order_by(AuditEvent.sequence, ascending=False).limit(limit)
    return [_event_read(row) for row in rows]


@dataclass(frozen=True)
class Hidden:
    """Events left out of a case's history: by `actor_role` on `object_type`, when the event's
    detail `detail` was `value` (e.g. a mentor's work on a note while it was private)."""

    object_type: str
    actor_role: str
    detail: str
    value: str


# What a case's history shows of each event (who did what, when, why), without the rest.
CASE_EVENT_FIELDS = "occurred_at actor_name actor_role action object_type object_id outcome purpose"
_CASE_EVENT_COLUMNS = tuple(getattr(AuditEvent, name) for name in CASE_EVENT_FIELDS.split())


@functools.cache
def _case_events_query(limit: int, except_actor: bool, hidden: Hidden | None) -> db.Prepared:
    """The query behind `case_events`, built once for each shape it takes (values: the case,
    then the actor left out)."""

    def build() -> Any:
        query = AuditEvent.select(*_CASE_EVENT_COLUMNS).where(AuditEvent.case_id == db.Param(0))
        if except_actor:
            query = query.where(
                AuditEvent.actor_id.is_null() | (AuditEvent.actor_id != db.Param(1))
            )
        if hidden is not None:
            detail = db.json_text(AuditEvent.details, hidden.detail)
            query = query.where(
                WhereRaw(
                    f"NOT (object_type = {{}} AND actor_role = {{}}"
                    f" AND COALESCE({detail}, '') = {{}})",
                    hidden.object_type,
                    hidden.actor_role,
                    hidden.value,
                )
            )
        return query.order_by(AuditEvent.sequence, ascending=False).limit(limit)

    return db.Prepared(build)


async def case_events(
    case_id: int, *, limit: int, except_actor: int | None = None, hidden: Hidden | None = None
) -> list[dict[str, Any]]:
    """A case's latest events, newest first, leaving out one actor's and the `hidden` ones:
    the `CASE_EVENT_FIELDS` of each.

    One statement, whatever the history's length: the filters run in the database, over the
    (case, sequence) index.
    """
    query = _case_events_query(limit, except_actor is not None, hidden)
    return await query.rows(case_id, except_actor)


async def export_csv(
    where: EventFilter, *, actor_id: int | None, actor_role: str = "coordinator"
) -> str:
    """Matching events, oldest first, as CSV with their hashes; the export is itself audited.

    At most EXPORT_LIMIT rows: narrow the dates for more.
    """
    rows = (
        await _filtered(AuditEvent.select(), where)
        .order_by(AuditEvent.sequence)
        .limit(EXPORT_LIMIT + 1)
    )
    if len(rows) > EXPORT_LIMIT:
        raise ValidationFailed({"since": AUDIT("too_many", limit=EXPORT_LIMIT)})
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(EXPORT_HEADER)
    for row in rows:
        values = dict(row)
        values["occurred_at"] = row["occurred_at"].astimezone(UTC).isoformat()
        values["details"] = json.dumps(db.json_value(row["details"]) or {}, sort_keys=True)
        writer.writerow(["" if values[name] is None else values[name] for name in EXPORT_HEADER])
    await record(
        action="export",
        object_type="audit_log",
        actor_id=actor_id,
        actor_role=actor_role,
        purpose="export the audit log",
        details={
            "events": len(rows),
            **{
                f"filter_{name}": str(value)
                for name, value in msgspec.structs.asdict(where).items()
                if value is not None
            },
        },
    )
    return out.getvalue()
