"""The database layer on whichever engine this run uses: migrations, constraints, concurrency."""

from __future__ import annotations

import asyncio

import pytest

from mentorship.access.roles import Role
from mentorship.accounts.tables import AccountRole
from mentorship.lib import db
from mentorship.lib.commands import pending_migrations
from tests.conftest import create_account

pytestmark = pytest.mark.db


async def test_every_migration_is_applied():
    assert await pending_migrations() == 0


async def test_a_role_is_held_once_per_account():
    account = await create_account("ana@example.org", Role.MENTOR)
    with pytest.raises(Exception, match=r"(?i)unique"):
        await AccountRole.insert(AccountRole(account=account.id, role=Role.MENTOR.value))


async def test_foreign_keys_are_enforced():
    with pytest.raises(Exception, match=r"(?i)foreign key"):
        await AccountRole.insert(AccountRole(account=987654, role=Role.MENTOR.value))


async def test_sqlite_runs_in_wal_mode_with_immediate_transactions(settings):
    engine = db.get_engine()
    if settings.database.engine != "sqlite":
        pytest.skip("SQLite-specific settings; this run uses PostgreSQL")
    rows = await engine.run_ddl("PRAGMA journal_mode")
    assert rows[0]["journal_mode"] == "wal"
    assert engine.transaction().transaction_type.value == "IMMEDIATE"
    assert engine.connection_kwargs["timeout"] == settings.sqlite_busy_timeout_seconds


async def test_concurrent_writers_wait_instead_of_failing():
    results = await asyncio.gather(
        *(create_account(f"person{n}@example.org", Role.EMPLOYEE, Role.MENTOR) for n in range(25)),
        return_exceptions=True,
    )
    failures = [r for r in results if isinstance(r, BaseException)]
    assert failures == []
    assert await AccountRole.count() == 50


async def test_a_failed_transaction_leaves_nothing_behind():
    await create_account("ana@example.org")

    async def delete_then_fail() -> None:
        async with db.transaction():
            await AccountRole.delete(force=True)
            raise RuntimeError("stop half-way")

    with pytest.raises(RuntimeError):
        await delete_then_fail()
    assert await AccountRole.count() == 1
