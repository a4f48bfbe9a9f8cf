"""Service functions the pool's pages use: training awaiting verification, how long a record
counts, and the 'expiring soon' warning on a standing already read."""

from __future__ import annotations

from datetime import date, timedelta

from mentorship.development import training_records
from mentorship.development.schemas import TrainingStandingRead
from mentorship.pool import applications
from tests.pool.conftest import CONFIDENTIALITY, PEER, TRAINING, record, today


async def test_unverified_training_lists_only_unchecked_records_oldest_first(coordinator, ana):
    first = await record(ana.client, CONFIDENTIALITY, 2)
    second = await record(ana.client, PEER, 1.5)
    by_coordinator = await record(coordinator.client, PEER, 2, account_id=ana.id)

    waiting = await training_records.unverified_training()
    ids = [r.id for r in waiting]
    assert ids == [first["id"], second["id"]]
    assert by_coordinator["id"] not in ids
    assert waiting[1].hours == 1.5

    verified = await coordinator.client.post(f"{TRAINING}/{first['id']}/verify")
    assert verified.status_code == 200
    assert [r.id for r in await training_records.unverified_training()] == [second["id"]]


def test_a_record_counts_until_the_day_before_its_validity_runs_out():
    assert training_records.counts_until(date(2026, 1, 1), 1) == date(2026, 1, 1)
    assert training_records.counts_until(date(2026, 1, 1), 730) == date(2027, 12, 31)


def _standing(complete: bool, until: date | None) -> TrainingStandingRead:
    return TrainingStandingRead(
        complete=complete,
        topics=[],
        required_total_hours=12,
        current_total_hours=12 if complete else 4,
        missing_total_hours=0 if complete else 8,
        current_until=until,
        shortfall="" if complete else "total: 8 h more",
    )


def test_a_standing_expires_soon_only_when_complete_and_ending_within_the_window():
    soon = today() + timedelta(days=training_records.EXPIRY_WARNING_DAYS)
    later = today() + timedelta(days=training_records.EXPIRY_WARNING_DAYS + 1)
    assert training_records.standing_expires_soon(_standing(True, soon))
    assert not training_records.standing_expires_soon(_standing(True, later))
    assert not training_records.standing_expires_soon(_standing(True, None))  # nothing required
    assert not training_records.standing_expires_soon(_standing(False, None))


async def test_my_standing_works_for_someone_outside_the_pool(ana):
    standing = await training_records.my_standing(ana.id)
    assert not standing.complete
    assert "Confidentiality: 2 h more" in standing.shortfall


def test_who_may_apply_follows_the_pool_status():
    from mentorship.pool.tables import MentorStatus

    assert applications.may_apply(None)
    assert applications.may_apply(MentorStatus.APPLIED)
    assert applications.may_apply(MentorStatus.DECLINED)
    assert applications.may_apply(MentorStatus.RETIRED)
    assert not applications.may_apply(MentorStatus.APPROVED)
    assert not applications.may_apply(MentorStatus.SUSPENDED)
