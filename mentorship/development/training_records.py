"""Rules for training records: recording and verifying them, and a person's standing."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date, timedelta
from typing import Any

from mentorship.accounts.tables import Account
from mentorship.agreement import services as agreement
from mentorship.agreement.terms import AgreementTerms
from mentorship.development.messages import DEVELOPMENT
from mentorship.development.schemas import (
    DevelopmentRecord,
    TopicHours,
    TopicStandingRead,
    TrainingCreate,
    TrainingRead,
    TrainingStandingRead,
)
from mentorship.development.tables import TrainingRecord
from mentorship.development.training import Completed, TrainingStanding, assess, topic_key
from mentorship.district import profiles
from mentorship.lib import clock, db
from mentorship.lib.errors import NotFound, PermissionDenied, ValidationFailed


def today() -> date:
    """The service's current date (UTC), following the test clock."""
    return clock.now().date()


def _training_read(row: dict[str, Any]) -> TrainingRead:
    return TrainingRead(
        id=row["id"],
        account_id=row["account"],
        topic=row["topic"],
        hours=row["minutes"] / 60,
        completed_on=row["completed_on"],
        provider=row["provider"],
        recorded_at=row["recorded_at"],
        verified=row["verified_at"] is not None,
        verified_at=row["verified_at"],
    )


async def add_training(
    data: TrainingCreate, actor_id: int, actor_is_coordinator: bool
) -> TrainingRead:
    """Record a training: a coordinator's record is verified at once, a person's own is not."""
    account_id = data.account_id if data.account_id is not None else actor_id
    if account_id != actor_id and not actor_is_coordinator:
        raise PermissionDenied(DEVELOPMENT("training_for_others"))
    if data.completed_on > today():
        raise ValidationFailed({"completed_on": DEVELOPMENT("in_the_future")})
    if not await Account.exists().where(Account.id == account_id):
        raise ValidationFailed({"account_id": DEVELOPMENT("no_account", account_id=account_id)})
    # Nobody verifies their own training, coordinators included: another coordinator must.
    verified = actor_is_coordinator and account_id != actor_id
    now = clock.now()
    async with db.transaction():
        rows = await TrainingRecord.insert(
            TrainingRecord(
                account=account_id,
                topic=" ".join(data.topic.split()),
                minutes=round(data.hours * 60),
                completed_on=data.completed_on,
                provider=data.provider.strip(),
                recorded_by=actor_id,
                recorded_at=now,
                verified_by=actor_id if verified else None,
                verified_at=now if verified else None,
            )
        ).returning(TrainingRecord.id)
    return await get_training(rows[0]["id"])


async def get_training(record_id: int) -> TrainingRead:
    """One training record, or NotFound."""
    row = await TrainingRecord.select().where(TrainingRecord.id == record_id).first()
    if row is None:
        raise NotFound(DEVELOPMENT("no_training_record", record_id=record_id))
    return _training_read(row)


async def verify_training(record_id: int, coordinator_id: int) -> TrainingRead:
    """Mark a self-recorded training as checked by the coordinator."""
    async with db.transaction():
        record = await get_training(record_id)
        if record.account_id == coordinator_id:
            raise PermissionDenied(DEVELOPMENT("own_training"))
        if not record.verified:
            await TrainingRecord.update(
                {
                    TrainingRecord.verified_by: coordinator_id,
                    TrainingRecord.verified_at: clock.now(),
                }
            ).where(TrainingRecord.id == record_id)
    return await get_training(record_id)


async def remove_training(record_id: int) -> None:
    """Delete a training record entered by mistake."""
    async with db.transaction():
        await get_training(record_id)
        await TrainingRecord.delete().where(TrainingRecord.id == record_id)


async def _verified_training(account_ids: Iterable[int]) -> dict[int, list[Completed]]:
    ids = sorted(set(account_ids))
    result: dict[int, list[Completed]] = {i: [] for i in ids}
    if not ids:
        return result
    rows = await TrainingRecord.select(
        TrainingRecord.account,
        TrainingRecord.topic,
        TrainingRecord.minutes,
        TrainingRecord.completed_on,
    ).where(TrainingRecord.account.is_in(ids) & TrainingRecord.verified_at.is_not_null())
    for row in rows:
        result[row["account"]].append(
            Completed(topic=row["topic"], minutes=row["minutes"], completed_on=row["completed_on"])
        )
    return result


async def training_standing(
    account_id: int, terms: AgreementTerms | None = None
) -> TrainingStanding:
    """The person's verified training against the agreement in force, today."""
    terms = terms or (await agreement.in_force()).terms
    records = (await _verified_training([account_id]))[account_id]
    return assess(records, terms.required_training, terms.training_valid_days, today())


async def current_training_by_account(
    account_ids: Iterable[int], terms: AgreementTerms
) -> dict[int, TrainingStanding]:
    """Training standing for many people at once (for the matcher and lists)."""
    records = await _verified_training(account_ids)
    return {
        account: assess(mine, terms.required_training, terms.training_valid_days, today())
        for account, mine in records.items()
    }


def standing_read(standing: TrainingStanding) -> TrainingStandingRead:
    """A training standing in its response shape."""
    until = standing.current_until if standing.complete else None
    return TrainingStandingRead(
        complete=standing.complete,
        topics=[
            TopicStandingRead(
                topic=t.topic,
                required_hours=t.required_hours,
                current_hours=round(t.current_hours, 2),
                missing_hours=t.missing_hours,
            )
            for t in standing.topics
        ],
        required_total_hours=standing.required_total_hours,
        current_total_hours=round(standing.current_total_hours, 2),
        missing_total_hours=standing.missing_total_hours,
        current_until=None if until == date.max else until,
        shortfall=standing.shortfall(),
    )


async def development_record(account_id: int) -> DevelopmentRecord:
    """Training hours by topic (verified), plus every record, for a person's PD transcript."""
    names = await profiles.names_of([account_id])
    if account_id not in names:
        raise NotFound(DEVELOPMENT("no_account", account_id=account_id))
    rows = (
        await TrainingRecord.select()
        .where(TrainingRecord.account == account_id)
        .order_by(TrainingRecord.completed_on, ascending=False)
    )
    records = [_training_read(row) for row in rows]
    by_topic: dict[str, tuple[str, float]] = {}
    for record in records:
        if record.verified:
            key = topic_key(record.topic)
            name, hours = by_topic.get(key, (record.topic, 0.0))
            by_topic[key] = (name, hours + record.hours)
    return DevelopmentRecord(
        account_id=account_id,
        display_name=names[account_id],
        training=[TopicHours(topic=n, hours=round(h, 2)) for n, h in sorted(by_topic.values())],
        training_total_hours=round(sum(h for _, h in by_topic.values()), 2),
        unverified_hours=round(sum(r.hours for r in records if not r.verified), 2),
        records=records,
    )


def expiring_soon(standing: TrainingStanding, within_days: int = 60) -> bool:
    """True when complete training stops being current within the given days."""
    until = standing.current_until
    return (
        standing.complete
        and until is not None
        and until != date.max
        and (until - today() <= timedelta(days=within_days))
    )


EXPIRY_WARNING_DAYS = 60


def counts_until(completed_on: date, valid_days: int) -> date:
    """The last day a verified training finished on `completed_on` counts (see `assess`)."""
    return completed_on + timedelta(days=valid_days - 1)


def standing_expires_soon(
    standing: TrainingStandingRead, within_days: int = EXPIRY_WARNING_DAYS
) -> bool:
    """`expiring_soon` for a standing already read (MentorRead.training, `my_standing`)."""
    until = standing.current_until
    return (
        standing.complete and until is not None and until - today() <= timedelta(days=within_days)
    )


async def my_standing(account_id: int) -> TrainingStandingRead:
    """Anyone's training against the agreement in force, in pool or not (for their pages)."""
    return standing_read(await training_standing(account_id))


async def unverified_training() -> list[TrainingRead]:
    """Training people recorded themselves that no coordinator has checked, oldest first."""
    rows = (
        await TrainingRecord.select()
        .where(TrainingRecord.verified_at.is_null())
        .order_by(TrainingRecord.recorded_at)
        .order_by(TrainingRecord.id)
    )
    return [_training_read(row) for row in rows]
