"""The worker's jobs, run once (cron, tests) or in a loop, each recording its last start and
last success so an operator can see a job that stopped running."""

from __future__ import annotations

import asyncio
import contextlib
import logging
import signal
from collections.abc import Awaitable, Callable
from typing import Any

from mentorship.lib import clock, db
from mentorship.notices.outbox import deliver_due, send_digests
from mentorship.notices.tables import WorkerRun

logger = logging.getLogger(__name__)

# In order: the digest job puts digests in the outbox that the delivery job then sends.
JOBS: dict[str, Callable[[], Awaitable[Any]]] = {
    "digest": send_digests,
    "deliver": deliver_due,
}


async def _stamp(job: str, **values: Any) -> None:
    columns = {getattr(WorkerRun, name): value for name, value in values.items()}
    # Update, else insert (no UPSERT: SQLite would apply its conflict rule to triggers too).
    # Two workers starting their very first run together may both insert: the loser's
    # unique violation is met by updating the winner's row.
    for last_try in (False, True):
        try:
            async with db.transaction():
                changed = (
                    await WorkerRun.update(columns)
                    .where(WorkerRun.job == job)
                    .returning(WorkerRun.id)
                )
                if not changed:
                    await WorkerRun.insert(WorkerRun(job=job, **values))
            return
        except Exception as exc:
            if last_try or "unique" not in str(exc).lower():
                raise


async def run_job(job: str) -> Any:
    """Run one job, recording when it started and, if it succeeded, when it finished (a
    failure is recorded by its kind only, and raised)."""
    await _stamp(job, last_started_at=clock.now())
    try:
        result = await JOBS[job]()
    except Exception as exc:
        await _stamp(job, last_error=type(exc).__name__)
        raise
    await _stamp(job, last_success_at=clock.now(), last_error=None)
    return result


async def run_once() -> dict[str, Any]:
    """Every job once, in order; what each reported."""
    return {job: await run_job(job) for job in JOBS}


async def run_forever(interval_seconds: float) -> None:
    """Every job, again and again, `interval_seconds` apart, until SIGTERM or SIGINT (the
    round under way finishes first); a failing round is logged and the next one tried."""
    stop = asyncio.Event()
    loop = asyncio.get_running_loop()
    for signum in (signal.SIGTERM, signal.SIGINT):
        loop.add_signal_handler(signum, stop.set)
    engine = db.get_engine()
    await db.start_pool(engine)
    try:
        while not stop.is_set():
            try:
                await run_once()
            except Exception:  # the loop must outlive one bad round; the next one retries
                logger.exception("worker round failed")
            with contextlib.suppress(TimeoutError):
                await asyncio.wait_for(stop.wait(), timeout=interval_seconds)
    finally:
        await db.close_pool(engine)


async def last_runs() -> list[dict[str, Any]]:
    """Each job's last start, last success and last failure's kind."""
    rows: list[dict[str, Any]] = await WorkerRun.select().order_by(WorkerRun.job)
    return rows
