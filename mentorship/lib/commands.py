"""What every `mentorship` command shares: running a coroutine, readable operator errors,
checking the database is migrated, writing a file atomically. Each domain's commands module
builds on this; `mentorship.cli` mounts them."""

from __future__ import annotations

import asyncio
import contextlib
import io
from collections.abc import Awaitable, Callable
from typing import TypeVar

import click
from piccolo.apps.migrations.commands.check import CheckMigrationManager
from piccolo.apps.migrations.commands.forwards import run_forwards

from mentorship.config import ConfigError, Settings, get_settings
from mentorship.lib import db

T = TypeVar("T")


class OperatorError(Exception):
    """A failure the operator can fix; printed as one line."""


def run(coro_factory: Callable[[], Awaitable[T]]) -> T:
    """Run a coroutine to completion on a fresh event loop."""

    async def runner() -> T:
        return await coro_factory()

    return asyncio.run(runner())


def settings_or_exit() -> Settings:
    """The settings, turning configuration errors into one readable line."""
    try:
        return get_settings()
    except ConfigError as exc:
        raise OperatorError(f"configuration: {exc}") from exc


async def pending_migrations() -> int:
    """How many migrations have not been applied to the configured database."""
    with contextlib.redirect_stdout(io.StringIO()):
        return int(await CheckMigrationManager("all").havent_ran_count())


async def require_up_to_date() -> None:
    """Refuse to work on a database with migrations still to apply."""
    if await pending_migrations():
        raise OperatorError("the database is not up to date: run `mentorship migrate` first")


async def apply_migrations() -> int:
    """Apply every pending migration; returns how many were applied."""
    await db.prepare_database(db.get_engine())
    before = await pending_migrations()
    output = io.StringIO()
    with contextlib.redirect_stdout(output):
        result = await run_forwards("all")
    if not result.success:
        raise OperatorError(f"migration failed: {result.message or output.getvalue().strip()}")
    remaining = await pending_migrations()
    if remaining:
        raise OperatorError(f"migration stopped with {remaining} migration(s) still pending")
    return before


def run_on_database(work: Callable[[], Awaitable[T]]) -> T:
    """Check the settings and that the database is migrated, then run `work` on it."""
    settings_or_exit()

    async def checked() -> T:
        await require_up_to_date()
        return await work()

    return run(checked)


def write_output(text: str, output: str | None) -> None:
    """Write to the file (atomically: a failure leaves an earlier file as it was) or stdout."""
    if output is None:
        click.echo(text, nl=False)
        return
    with click.open_file(output, "w", encoding="utf-8", atomic=True) as handle:
        handle.write(text)
