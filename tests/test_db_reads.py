"""The database layer's fast paths for hot reads: fixed and prepared statements, and reads
that begin a transaction only when something inside them writes."""

from __future__ import annotations

from datetime import datetime

import pytest

from mentorship.access.roles import Role
from mentorship.accounts.tables import Account, AccountRole
from mentorship.lib import db
from tests.conftest import create_account

pytestmark = pytest.mark.db

_ROLES = db.Prepared(
    lambda: (
        AccountRole.select(AccountRole.role)
        .where(AccountRole.account == db.Param(0))
        .order_by(AccountRole.role)
    )
)


async def test_a_prepared_query_runs_again_with_new_values() -> None:
    ana = await create_account("ana@example.org", Role.MENTOR, Role.EMPLOYEE)
    bo = await create_account("bo@example.org", Role.COORDINATOR)
    assert [row["role"] for row in await _ROLES.rows(ana.id)] == ["employee", "mentor"]
    assert [row["role"] for row in await _ROLES.rows(bo.id)] == ["coordinator"]
    assert await _ROLES.rows(987654) == []


async def test_fixed_sql_gives_the_values_piccolo_gives() -> None:
    ana = await create_account("ana@example.org")
    sql = "SELECT id, email, active, created_at, last_login_at FROM account WHERE id = {}"
    (fixed,) = await db.fetch(sql, ana.id)
    built = await Account.select(
        Account.id, Account.email, Account.active, Account.created_at, Account.last_login_at
    ).where(Account.id == ana.id)
    assert fixed == built[0]
    assert fixed["active"] is True
    assert isinstance(fixed["created_at"], datetime)
    assert fixed["created_at"].tzinfo is not None


async def test_a_write_inside_a_read_commits_with_it() -> None:
    ana = await create_account("ana@example.org", Role.MENTOR)
    async with db.reading():
        assert len(await _ROLES.rows(ana.id)) == 1
        async with db.transaction():
            await AccountRole.delete().where(AccountRole.account == ana.id)
        assert await _ROLES.rows(ana.id) == []
    assert await _ROLES.rows(ana.id) == []


async def test_a_write_inside_a_failed_read_leaves_nothing_behind() -> None:
    ana = await create_account("ana@example.org", Role.MENTOR)

    async def write_then_fail() -> None:
        async with db.reading():
            async with db.transaction():
                await AccountRole.delete().where(AccountRole.account == ana.id)
            raise RuntimeError("stop half-way")

    with pytest.raises(RuntimeError):
        await write_then_fail()
    assert len(await _ROLES.rows(ana.id)) == 1


async def test_a_transaction_that_runs_nothing_ends_quietly() -> None:
    async with db.transaction():
        pass
    async with db.reading():
        pass

    async def fail_at_once() -> None:
        async with db.transaction():
            raise RuntimeError("before any statement")

    with pytest.raises(RuntimeError):
        await fail_at_once()
    assert await AccountRole.count() == 0
