"""`mentorship match`: a matching run from the command line, with its proposals and reasons."""

from __future__ import annotations

import click

from mentorship.accounts.commands import coordinator_id
from mentorship.lib.commands import run_on_database
from mentorship.lib.messages import word
from mentorship.matching import runs
from mentorship.matching.schemas import RunRead
from mentorship.matching.states import RunSource


def _table(headers: list[str], rows: list[list[str]], widths: list[int]) -> list[str]:
    """Fixed-width text table; the last column takes what is left and is cut with …."""

    def cell(text: str, width: int) -> str:
        return text if len(text) <= width else text[: max(width - 1, 0)] + "…"

    lines = []
    for row in [headers, *rows]:
        cells = [cell(value, width).ljust(width) for value, width in zip(row, widths, strict=True)]
        lines.append("  ".join(cells).rstrip())
    lines.insert(1, "  ".join("-" * width for width in widths))
    return lines


@click.command()
@click.option("--dry-run", is_flag=True, help="Show the result without recording it.")
@click.option("--by", "by_email", metavar="EMAIL", help="Record the run under this coordinator.")
@click.option(
    "--show",
    default=25,
    show_default=True,
    type=click.IntRange(0, None),
    help="How many proposals and unmatched requests to list.",
)
def match(dry_run: bool, by_email: str | None, show: int) -> None:
    """Match every open request to a mentor and print a summary.

    A recorded run supersedes the open proposals of the previous one; coordinators then
    review the proposals (approve, reject, override) in the app or through the API.
    """

    async def go() -> RunRead:
        actor = await coordinator_id(by_email)
        return await runs.run_matching(actor, dry_run=dry_run, source=RunSource.CLI)

    result = run_on_database(go)
    title = "Dry run (nothing recorded)" if result.dry_run else f"Match run {result.id}"
    click.echo(f"{title} by {result.run_by_name}, agreement version {result.agreement_version}")
    summary = [
        ["Open requests", str(result.request_count)],
        ["Mentors considered", str(result.mentor_count)],
        ["Capacity slots", str(result.slot_count)],
        ["Independent groups", str(result.component_count)],
        ["Proposed", str(result.matched_count)],
        ["Unmatched", str(result.unmatched_count)],
        ["Total cost", f"{result.total_cost:.1f}"],
        ["Took", f"{result.duration_ms / 1000:.2f} s"],
    ]
    for line in _table(["", ""], summary, [20, 12])[2:]:
        click.echo(line)
    if result.proposals and show:
        click.echo("")
        rows = [
            [
                str(p.request_id),
                p.employee_name,
                p.mentor_name,
                f"{p.cost:.1f}",
                word(p.summary_coded.message()),
            ]
            for p in result.proposals[:show]
        ]
        for line in _table(
            ["Request", "Employee", "Proposed mentor", "Cost", "Why"], rows, [7, 22, 22, 6, 60]
        ):
            click.echo(line)
        if len(result.proposals) > show:
            click.echo(f"… and {len(result.proposals) - show} more proposal(s).")
    if result.unmatched and show:
        click.echo("")
        rows = [
            [str(u.request_id), u.employee_name, word(u.message_coded.message())]
            for u in result.unmatched[:show]
        ]
        for line in _table(["Request", "Employee", "Why unmatched"], rows, [7, 22, 90]):
            click.echo(line)
        if len(result.unmatched) > show:
            click.echo(f"… and {len(result.unmatched) - show} more unmatched request(s).")
    if not result.dry_run and result.matched_count:
        click.echo("\nReview the proposals through the matching API (see docs/matching.md).")


COMMANDS = [match]
