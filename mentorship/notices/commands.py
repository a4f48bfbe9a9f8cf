"""`mentorship worker`: deliver the outbox's mail in a loop, or once (`--once`, for cron and
tests); `mentorship worker status`: each job's last run."""

from __future__ import annotations

from typing import Any

import click

from mentorship.config import get_settings
from mentorship.lib.commands import run_on_database
from mentorship.notices import worker as jobs


@click.group(invoke_without_command=True)
@click.option("--once", is_flag=True, help="Deliver everything due now, then exit.")
@click.option(
    "--interval",
    default=30,
    show_default=True,
    type=click.IntRange(1, 3600),
    help="Seconds between rounds when running in a loop.",
)
@click.pass_context
def worker(ctx: click.Context, once: bool, interval: int) -> None:
    """Deliver notices by mail (the outbox), in a loop or once."""
    if ctx.invoked_subcommand is not None:
        return
    if not once:
        click.echo(f"Worker started: a round every {interval} s (stop with Ctrl-C or SIGTERM).")
        run_on_database(lambda: jobs.run_forever(float(interval)))
        return
    reports: dict[str, Any] = run_on_database(jobs.run_once)
    smtp = get_settings().mail.smtp
    if smtp is None:
        click.echo("No MENTORSHIP_SMTP_URL set: mail waits in the outbox, none was sent.")
    delivered = reports.get("deliver") or {}
    words = ", ".join(f"{count} {state}" for state, count in sorted(delivered.items()))
    click.echo(f"Digests made: {reports.get('digest', 0)}. Mail: {words or 'nothing due'}.")


@worker.command("status")
def status() -> None:
    """Each job's last start, last success and the kind of its last failure."""
    rows = run_on_database(jobs.last_runs)
    if not rows:
        click.echo("The worker has not run yet.")
    for row in rows:
        click.echo(
            f"{row['job']}: last success {row['last_success_at'] or 'never'};"
            f" last start {row['last_started_at'] or 'never'}"
            + (f"; last failure: {row['last_error']}" if row["last_error"] else "")
        )


COMMANDS = [worker]
