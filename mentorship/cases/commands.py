"""`mentorship keys rotate`, `purge` and `export-hours`: the confidential content's keys and
retention, and a person's hours, from the command line."""

from __future__ import annotations

import click

from mentorship.cases import keys
from mentorship.lib.commands import run_on_database


@click.group("keys")
def keys_group() -> None:
    """The master key that protects every case's notes and reports."""


@keys_group.command("rotate")
def keys_rotate() -> None:
    """Re-wrap every case key under the current master key (no note is re-encrypted).

    Production: set the new key as MENTORSHIP_NOTES_KEY and the old one as
    MENTORSHIP_NOTES_PREVIOUS_KEY, run this, restart the service, then remove the old key.
    Development (key generated in the data folder): a new key is generated and replaced there.
    """
    done = run_on_database(keys.rotate)
    click.echo(
        f"Re-wrapped {done.rewrapped} case key(s) under master key {done.key_id};"
        f" {done.already_current} were already under it."
    )
    if done.generated_key_file is not None:
        click.echo(f"The new development key is in {done.generated_key_file}.")
    else:
        click.echo(
            "Restart the service if it runs, then remove MENTORSHIP_NOTES_PREVIOUS_KEY:"
            " nothing is wrapped under the old key any more."
        )


@click.command()
def purge() -> None:
    """Destroy the note and report content of cases closed longer than the agreement's
    note_retention_days (cases under legal hold are skipped). Metadata and the audit trail
    stay; running it again does nothing more."""
    done = run_on_database(keys.purge)
    purged = ", ".join(str(i) for i in done.purged_case_ids) or "none"
    click.echo(f"Destroyed the content of {len(done.purged_case_ids)} case(s): {purged}.")
    if done.held_case_ids:
        held = ", ".join(str(i) for i in done.held_case_ids)
        click.echo(f"Kept {len(done.held_case_ids)} case(s) under legal hold: {held}.")


COMMANDS = [keys_group, purge]
