"""Two pool changes at the same moment must leave status and mentor role in agreement.

Straight to the services (as tests/accounts does for its race): over HTTP the test client
rarely overlaps the two transactions. SQLite serialises write transactions, so these matter
on PostgreSQL, where two transactions can both read the old status before either writes.
"""

from __future__ import annotations

import asyncio
from datetime import timedelta

import pytest

from mentorship.access.roles import Role
from mentorship.accounts.tables import AccountRole
from mentorship.development import training_records
from mentorship.development.schemas import TrainingCreate
from mentorship.lib.errors import Conflict
from mentorship.pool import applications
from mentorship.pool.schemas import ApproveBody, MentorApply, SkillLevel
from mentorship.pool.tables import Mentor
from tests.conftest import create_account
from tests.pool.conftest import COMPLETE_TRAINING, today

pytestmark = pytest.mark.db

# Statuses in which the person should hold the mentor role (granted on approval, kept while
# suspended, removed on retirement; never held by an applicant).
WITH_ROLE = {"approved", "suspended"}
APPLICATION = MentorApply(
    skills=[SkillLevel(skill_id=1, level=2)], languages=["English"], statement="Hello"
)


async def applicant_with_training() -> tuple[int, int]:
    """A coordinator's id and an applicant's id; the applicant's training is complete."""
    coordinator = await create_account("coord@example.org", Role.COORDINATOR)
    ana = await create_account("ana@example.org")
    await applications.apply(ana.id, APPLICATION)
    for topic, hours in COMPLETE_TRAINING.items():
        await training_records.add_training(
            TrainingCreate(
                topic=topic,
                hours=hours,
                completed_on=today() - timedelta(days=3),
                account_id=ana.id,
            ),
            coordinator.id,
            True,
        )
    return coordinator.id, ana.id


async def assert_consistent(account_id: int, results: list[object]) -> None:
    """Only refusals may fail, and the stored status matches the role held."""
    for result in results:
        if isinstance(result, Exception) and not isinstance(result, Conflict):
            raise result
    row = await Mentor.select(Mentor.status).where(Mentor.account == account_id).first()
    assert row is not None
    holds_role = await AccountRole.exists().where(
        (AccountRole.account == account_id) & (AccountRole.role == Role.MENTOR.value)
    )
    assert holds_role == (row["status"] in WITH_ROLE), (row["status"], holds_role, results)


# Every pool decision locks the person's account and pool row first (`mentor_row(lock=True)`,
# and `apply` likewise), so a decision taken at the same moment waits and re-checks the new
# status. Without those locks, on PostgreSQL, a re-application could reset an approval to
# "applied" while the mentor role stayed granted, and suspend could overwrite a retirement.


@pytest.mark.parametrize("repeat", range(8))
async def test_reapplying_while_being_approved(repeat):
    coordinator_id, ana_id = await applicant_with_training()
    results = await asyncio.gather(
        applications.approve(ana_id, coordinator_id, ApproveBody()),
        applications.apply(ana_id, APPLICATION),
        return_exceptions=True,
    )
    await assert_consistent(ana_id, results)


@pytest.mark.parametrize("repeat", range(8))
async def test_declining_while_being_approved(repeat):
    coordinator_id, ana_id = await applicant_with_training()
    results = await asyncio.gather(
        applications.approve(ana_id, coordinator_id, ApproveBody()),
        applications.decline(ana_id, coordinator_id, "No"),
        return_exceptions=True,
    )
    await assert_consistent(ana_id, results)
    assert sum(isinstance(r, Conflict) for r in results) == 1  # exactly one decision stands


@pytest.mark.parametrize("repeat", range(8))
async def test_suspending_while_being_retired(repeat):
    coordinator_id, ana_id = await applicant_with_training()
    await applications.approve(ana_id, coordinator_id, ApproveBody())
    results = await asyncio.gather(
        applications.retire(ana_id, coordinator_id, "Leaving"),
        applications.suspend(ana_id, coordinator_id, "Pause"),
        return_exceptions=True,
    )
    await assert_consistent(ana_id, results)


@pytest.mark.parametrize("repeat", range(3))
async def test_concurrent_first_applications_make_one_row(repeat):
    ana = await create_account("ana@example.org")
    results = await asyncio.gather(
        *(applications.apply(ana.id, APPLICATION) for _ in range(3)), return_exceptions=True
    )
    assert any(not isinstance(r, Exception) for r in results)
    assert await Mentor.count() == 1
