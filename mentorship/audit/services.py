"""Appending to the audit log (serialised, so the chain never forks) and verifying it."""

from __future__ import annotations

import csv
import io
import json
from collections.abc import AsyncIterator, Mapping
from datetime import UTC, date, datetime, timedelta
from typing import Any

import msgspec

from mentorship.audit import context
from mentorship.audit.chain import (
    GENESIS,
    Break,
    DetailValue,
    Event,
    Outcome,
    Stored,
    Verifier,
    check_details,
    event_hash,
)
from mentorship.audit.schemas import EventFilter, EventRead
from mentorship.audit.tables import AuditEvent
from mentorship.config import get_settings
from mentorship.lib import clock, db
from mentorship.lib.errors import ValidationFailed

CHAIN_LOCK_KEY = 7_261_002  # PostgreSQL advisory lock held while an event is appended
VERIFY_BATCH = 2000
PURPOSE_LENGTH = 200  # the column's length: a longer purpose (a typed reason) is cut


def _key() -> bytes:
    return get_settings().audit_key.encode("utf-8")


async def _lock_chain() -> None:
    """One appender at a time: each reads the last hash and writes the next event in the
    same locked transaction. (SQLite's IMMEDIATE transactions already take turns.)"""
    if AuditEvent._meta.db.engine_type == "postgres":
        await AuditEvent.raw("SELECT pg_advisory_xact_lock({})", CHAIN_LOCK_KEY)


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
) -> int:
    """Append one event (inside the caller's transaction when there is one); its sequence.

    The request id and client address come from the current web request. Never pass note
    or report text in `details`.
    """
    from mentorship.agreement import services as agreement  # agreement's own writes audit

    checked: dict[str, DetailValue] = check_details(details or {})
    if actor_name is None and actor_id is not None:
        from mentorship.accounts.tables import Account

        row = await Account.select(Account.display_name).where(Account.id == actor_id).first()
        actor_name = row["display_name"] if row else ""
    if agreement_version is None:
        agreement_version = (await agreement.in_force()).version
    request = context.current()
    async with db.transaction():
        await _lock_chain()
        last = (
            await AuditEvent.select(AuditEvent.sequence, AuditEvent.event_hash)
            .order_by(AuditEvent.sequence, ascending=False)
            .first()
        )
        sequence = 1 if last is None else last["sequence"] + 1
        previous = GENESIS if last is None else last["event_hash"]
        event = Event(
            sequence=sequence,
            # Whole microseconds survive both databases, so the hash can be recomputed.
            occurred_at=clock.now(),
            actor_id=actor_id,
            actor_name=actor_name or "",
            actor_role=actor_role,
            action=action,
            object_type=object_type,
            object_id="" if object_id is None else str(object_id),
            outcome=outcome,
            purpose=purpose[:PURPOSE_LENGTH],
            agreement_version=agreement_version,
            request_id=request.request_id,
            client_address=request.client_address,
            details=checked,
            case_id=case_id,
        )
        await AuditEvent.insert(
            AuditEvent(
                sequence=sequence,
                occurred_at=event.occurred_at,
                actor_id=event.actor_id,
                actor_name=event.actor_name,
                actor_role=event.actor_role,
                action=event.action,
                object_type=event.object_type,
                object_id=event.object_id,
                outcome=event.outcome.value,
                purpose=event.purpose,
                agreement_version=event.agreement_version,
                request_id=event.request_id,
                client_address=event.client_address,
                details=json.dumps(checked, sort_keys=True),
                case_id=case_id,
                previous_hash=previous,
                event_hash=event_hash(_key(), previous, event),
            )
        )
    return sequence


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
        raise ValidationFailed({"since": "is after `until`"})
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
    return EventRead(
        **{name: getattr(event, name) for name in EventRead.__struct_fields__ if name != "details"},
        details=dict(event.details),
    )


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
        raise ValidationFailed(
            {"since": f"more than {EXPORT_LIMIT} events match: choose a shorter date range"}
        )
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
