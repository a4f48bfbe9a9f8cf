"""Delivering the outbox: claim due mail with a lease (several workers on PostgreSQL skip
each other's rows; on SQLite the one write lock serialises claims), re-check the recipient
and their preferences, send, and record every attempt in the delivery log; retry with
backoff and record a permanent failure. The daily digest gathers held mail into one."""

from __future__ import annotations

import uuid
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from mentorship.config import SmtpServer, get_settings
from mentorship.lib import clock, db
from mentorship.notices import schedule
from mentorship.notices.kinds import Delivery, kind_named
from mentorship.notices.mail import Letter, Letterhead, compose, subject_and_body
from mentorship.notices.services import (
    DIGEST_KIND,
    active_recipients,
    deliveries,
    letterhead,
    tell,
)
from mentorship.notices.smtp import Outcome, Postman, Result
from mentorship.notices.states import MailState
from mentorship.notices.tables import DeliveryAttempt, Notice

BATCH = 50
_CLAIMED = (
    Notice.id,
    Notice.recipient,
    Notice.kind,
    Notice.category,
    Notice.params,
    Notice.link,
    Notice.message_key,
    Notice.attempts,
    Notice.lease,
)


@dataclass(frozen=True)
class Claim:
    """The rows one claim holds the lease on, and the lease's token."""

    lease: str
    rows: list[dict[str, Any]]


def _skip_locked(query: Any) -> Any:
    # PostgreSQL: rows another worker is claiming are passed over, not waited for. SQLite
    # has no row locks: the IMMEDIATE transaction holds the only write lock instead.
    if query.table._meta.db.engine_type == "sqlite":
        return query
    return query.lock_rows(skip_locked=True)


async def claim(now: datetime, limit: int | None = None) -> Claim:
    """Take the lease on up to `limit` (a batch) due mails, oldest first, counting the attempt."""
    lease = uuid.uuid4().hex
    due = (
        (Notice.mail_state == MailState.PENDING.value)
        & (Notice.next_attempt_at <= now)
        & (Notice.locked_until.is_null() | (Notice.locked_until <= now))
    )
    async with db.transaction():
        picked = await _skip_locked(
            Notice.select(Notice.id).where(due).order_by(Notice.id).limit(limit or BATCH)
        )
        ids = [row["id"] for row in picked]
        if not ids:
            return Claim(lease, [])
        await Notice.update(
            {
                Notice.locked_until: now + schedule.LEASE,
                Notice.lease: lease,
                Notice.attempts: Notice.attempts + 1,
            }
        ).where(Notice.id.is_in(ids))
        rows = await Notice.select(*_CLAIMED).where(Notice.id.is_in(ids)).order_by(Notice.id)
    return Claim(lease, rows)


# What the delivery log calls each state an attempt left the row in.
_LOGGED = {
    MailState.SENT: "sent",
    MailState.PENDING: "retry",
    MailState.FAILED: "failed",
    MailState.SKIPPED: "skipped",
    MailState.DIGEST: "held",
}


async def _record(row: dict[str, Any], lease: str, state: MailState, detail: str) -> None:
    """Write the attempt's outcome, if this worker still holds the row's lease, and log it."""
    now = clock.now()
    changes: dict[Any, Any] = {
        Notice.mail_state: state.value,
        Notice.locked_until: None,
        Notice.lease: None,
    }
    if state is MailState.SENT:
        changes[Notice.sent_at] = now
    elif state in (MailState.PENDING, MailState.FAILED):
        changes[Notice.last_error] = detail
    if state is MailState.PENDING:
        changes[Notice.next_attempt_at] = schedule.retry_at(now, row["attempts"])
    async with db.transaction():
        await Notice.update(changes).where((Notice.id == row["id"]) & (Notice.lease == lease))
        await DeliveryAttempt.insert(
            DeliveryAttempt(
                notice=row["id"], attempted_at=now, outcome=_LOGGED[state], detail=detail
            )
        )


def _state_after(result: Result, attempts: int) -> MailState:
    if result.outcome is Outcome.SENT:
        return MailState.SENT
    if result.outcome is Outcome.FAILED or schedule.gives_up(attempts):
        return MailState.FAILED
    return MailState.PENDING


async def _digest_items(digest_id: int, heading: Letterhead) -> list[tuple[str, str]]:
    rows = await Notice.select(Notice.kind, Notice.params, Notice.link).where(
        Notice.digest == digest_id
    )
    return [
        (subject_and_body(row["kind"], db.json_value(row["params"]), heading)[0], row["link"])
        for row in rows
    ]


async def _letter(row: dict[str, Any], to: str, heading: Letterhead) -> Letter:
    kind = kind_named(row["kind"])
    subject, body = subject_and_body(kind.name, db.json_value(row["params"]), heading)
    items = await _digest_items(row["id"], heading) if kind.name == DIGEST_KIND else []
    return Letter(
        to=to,
        subject=subject,
        body=body,
        link=row["link"],
        message_key=row["message_key"],
        # A digest carries mail the person chose to receive: it can be turned off too.
        optional=kind.optional or kind.name == DIGEST_KIND,
        items=items,
    )


async def _without_mail(
    row: dict[str, Any], recipients: dict[int, tuple[str, str]], chosen: dict[Any, Delivery]
) -> tuple[MailState, str] | None:
    """Why this row is not mailed now (checked at send time), or None to send it."""
    if row["recipient"] not in recipients:
        return MailState.SKIPPED, "the account is deactivated"
    kind = kind_named(row["kind"])
    if not kind.optional:
        return None
    delivery = chosen.get((row["recipient"], row["category"]), Delivery.IMMEDIATE)
    if delivery is Delivery.OFF:
        return MailState.SKIPPED, "mail is turned off for this category"
    if delivery is Delivery.DIGEST:
        return MailState.DIGEST, "held for the daily digest"
    return None


async def _send(
    row: dict[str, Any], to: str, postman: Postman, heading: Letterhead
) -> tuple[MailState, str]:
    """Word and send one row's mail; a row that can no longer be worded (its kind or wording
    changed since it was written) fails alone instead of stopping the batch."""
    try:
        letter = await _letter(row, to, heading)
    except (KeyError, ValueError) as exc:
        return MailState.FAILED, f"cannot be worded: {type(exc).__name__}"
    result = await postman.send(compose(letter, heading, clock.now()))
    return _state_after(result, row["attempts"]), result.detail


async def deliver(claim_: Claim, server: SmtpServer, heading: Letterhead) -> dict[str, int]:
    """Send the claimed rows; one failing recipient never holds up the others."""
    recipients = await active_recipients(row["recipient"] for row in claim_.rows)
    chosen = await deliveries(row["recipient"] for row in claim_.rows)
    counts: dict[str, int] = {}
    postman = Postman(server)
    try:
        for row in claim_.rows:
            held = await _without_mail(row, recipients, chosen)
            if held is not None:
                state, detail = held
            else:
                state, detail = await _send(row, recipients[row["recipient"]][0], postman, heading)
            await _record(row, claim_.lease, state, detail)
            counts[state.value] = counts.get(state.value, 0) + 1
    finally:
        await postman.close()
    return counts


async def deliver_due(*, rounds: int | None = None) -> dict[str, int]:
    """Deliver every mail due now, batch after batch, and say how many ended how; with no
    SMTP server configured nothing is claimed: the mail waits in the outbox."""
    settings = get_settings()
    server = settings.mail.smtp
    totals: dict[str, int] = {}
    if server is None:
        return totals
    heading = letterhead(settings)
    done = 0
    while rounds is None or done < rounds:
        claimed = await claim(clock.now())
        done += 1
        if not claimed.rows:
            break
        for state, count in (await deliver(claimed, server, heading)).items():
            totals[state] = totals.get(state, 0) + count
        if len(claimed.rows) < BATCH:
            break
    return totals


async def send_digests() -> int:
    """Gather each person's held mail into one digest once its hour has come; how many
    digests were put in the outbox (a late run catches up; a second run finds nothing)."""
    heading = letterhead()
    now = clock.now()
    held = await Notice.select(Notice.recipient, Notice.created_at).where(
        Notice.mail_state == MailState.DIGEST.value
    )
    oldest: dict[int, datetime] = {}
    for row in held:
        person = row["recipient"]
        oldest[person] = min(oldest.get(person, row["created_at"]), row["created_at"])
    made = 0
    for person, since in sorted(oldest.items()):
        if schedule.digest_due(since, heading.zone) <= now and await _gather(person, now):
            made += 1
    return made


async def _gather(person: int, now: datetime) -> bool:
    """One person's held mail into a digest notice, in one transaction."""
    from_ = (Notice.recipient == person) & (Notice.mail_state == MailState.DIGEST.value)
    async with db.transaction():
        rows = await _skip_locked(Notice.select(Notice.id).where(from_))
        ids: Sequence[int] = [row["id"] for row in rows]
        if not ids:
            return False
        digest_id = await tell(person, DIGEST_KIND, {"count": len(ids)}, "/notices")
        await Notice.update(
            {Notice.mail_state: MailState.IN_DIGEST.value, Notice.digest: digest_id}
        ).where(Notice.id.is_in(list(ids)))
    return True
