"""`mentorship import-roster` and `export-roster`: staff to and from roster CSV files."""

from __future__ import annotations

import contextlib
import sys
from typing import Any, NoReturn

import click

from mentorship.lib.commands import run_on_database, settings_or_exit, write_output
from mentorship.roster import services
from mentorship.roster.schemas import ImportReport

ROSTER_PROGRESS_FROM_ROWS = 1000


def _fail_listing(message: str, lines: list[str]) -> NoReturn:
    """Print the error line, then one line per item (a roster's problems), and exit 1."""
    click.echo(f"mentorship: error: {message}", err=True)
    for line in lines:
        click.echo(line, err=True)
    sys.exit(1)


@click.command("import-roster")
@click.argument("file", type=click.File("rb"))
@click.option("--dry-run", is_flag=True, help="Check the file and show what would change.")
def import_roster(file: Any, dry_run: bool) -> None:
    """Create or update employees from a roster CSV file (- reads standard input).

    Every row is checked first; one bad row stops the whole import and every problem is
    listed by line. Roles are granted, never revoked. See docs/roster.md for the format.
    """
    settings_or_exit()
    content = file.read()
    with contextlib.ExitStack() as stack:
        bar: Any = None
        shown = 0

        def progress(done: int, total: int) -> None:
            nonlocal bar, shown
            if total < ROSTER_PROGRESS_FROM_ROWS:
                return
            if bar is None:  # opened late: a rejected file prints its problems only
                bar = stack.enter_context(
                    click.progressbar(length=total, label="Importing roster", file=sys.stderr)
                )
            bar.update(done - shown)
            shown = done

        async def apply() -> ImportReport:
            return await services.import_roster(content, dry_run=dry_run, progress=progress)

        try:
            report = run_on_database(apply)
        except services.RosterRejected as exc:
            _fail_listing(exc.message, [str(problem) for problem in exc.problems])
    name = file.name if isinstance(file.name, str) else "the file"
    if report.dry_run:
        click.echo(
            f"Dry run of {name} ({report.rows} row(s)): would create {report.created_count},"
            f" update {report.updated_count} and leave {report.unchanged_count} alone."
        )
    else:
        click.echo(
            f"Imported {name} ({report.rows} row(s)): created {report.created_count},"
            f" updated {report.updated_count}, left {report.unchanged_count} alone."
        )
    verbs = ("Would create", "Would update") if report.dry_run else ("Created", "Updated")
    if report.created:
        click.echo(f"{verbs[0]}:")
        for email in report.created:
            click.echo(f"  {email}")
    if report.updated:
        click.echo(f"{verbs[1]}:")
        for person in report.updated:
            click.echo(f"  {person.email} ({', '.join(person.changed)})")
    if report.dry_run:
        if report.unchanged:
            click.echo("Would leave alone:")
            for email in report.unchanged:
                click.echo(f"  {email}")
        click.echo("Dry run: nothing was written.")
    elif report.created:
        click.echo("New accounts have no password: an admin sets one before they can sign in.")


@click.command("export-roster")
@click.option(
    "--output",
    "-o",
    type=click.Path(dir_okay=False, writable=True),
    help="File to write [default: standard output].",
)
def export_roster(output: str | None) -> None:
    """Write every active employee as a roster CSV file, sorted by email (the import format)."""
    text = run_on_database(services.export_roster)
    write_output(text, output)
    if output is None:
        return
    employees = text.count("\n") - 1  # one line per employee after the header
    click.echo(f"Wrote {employees} employee(s) to {output}.")


COMMANDS = [import_roster, export_roster]
