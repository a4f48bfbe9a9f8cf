"""`mentorship audit verify|export`: the tamper-evident log from the command line."""

from __future__ import annotations

from datetime import datetime

import click

from mentorship.audit import services
from mentorship.audit.chain import Break
from mentorship.audit.schemas import EventFilter
from mentorship.lib.commands import OperatorError, run_on_database, write_output


@click.group()
def audit() -> None:
    """The tamper-evident audit log."""


@audit.command("verify")
def audit_verify() -> None:
    """Recompute the audit chain; exit 1 naming the first broken event."""

    async def verify() -> tuple[int, Break | None]:
        return await services.verify_chain()

    count, broken = run_on_database(verify)
    if broken is not None:
        raise OperatorError(
            f"audit chain broken at sequence {broken.sequence}: {broken.reason}"
            f" ({count} event(s) before it verified)"
        )
    click.echo(f"Audit chain intact: {count} event(s) verified.")


@audit.command("export")
@click.option("--case", "case_id", type=int, help="Only events about this case.")
@click.option("--actor", "actor_id", type=int, help="Only events by this account id.")
@click.option("--action", help="Only this action (read, create, deny, login, …).")
@click.option("--since", type=click.DateTime(["%Y-%m-%d"]), help="From this UTC day.")
@click.option("--until", type=click.DateTime(["%Y-%m-%d"]), help="Up to and including this day.")
@click.option("--output", "-o", type=click.Path(dir_okay=False, writable=True), help="CSV file.")
def audit_export(
    case_id: int | None,
    actor_id: int | None,
    action: str | None,
    since: datetime | None,
    until: datetime | None,
    output: str | None,
) -> None:
    """Write matching audit events as CSV, oldest first, with their hashes (audited)."""
    where = EventFilter(
        case_id=case_id,
        actor_id=actor_id,
        action=action,
        since=since.date() if since else None,
        until=until.date() if until else None,
    )

    async def export() -> str:
        return await services.export_csv(where, actor_id=None, actor_role="operator")

    text = run_on_database(export)
    write_output(text, output)
    if output is not None:
        click.echo(f"Wrote {text.count(chr(10)) - 1} event(s) to {output}.")


COMMANDS = [audit]
