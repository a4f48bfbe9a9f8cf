"""`mentorship export-hours`: a person's professional-development transcript as CSV."""

from __future__ import annotations

import click

from mentorship.accounts.commands import account_by_email
from mentorship.development import services
from mentorship.lib.commands import run_on_database, write_output


@click.command("export-hours")
@click.argument("email")
@click.option("--output", "-o", type=click.Path(dir_okay=False, writable=True), help="CSV file.")
def export_hours(email: str, output: str | None) -> None:
    """Write a person's professional-development transcript (training and mentoring hours by
    topic) as CSV; the export is audited."""

    async def export() -> str:
        account = await account_by_email(email)
        return await services.export_transcript(
            account.id, None, "operator", "export a professional-development transcript"
        )

    text = run_on_database(export)
    write_output(text, output)
    if output is not None:
        click.echo(f"Wrote the transcript of {email} to {output}.")


COMMANDS = [export_hours]
