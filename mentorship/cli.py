"""The `mentorship` operator command: database, accounts, demo data and serving."""

from __future__ import annotations

import contextlib
import io
import json
import os
import secrets
import sys
import warnings
from dataclasses import dataclass
from typing import Any, NoReturn

import click

from mentorship.access.roles import Role
from mentorship.accounts.commands import account_by_email
from mentorship.config import ConfigError, Settings
from mentorship.domains import DOMAINS, compose
from mentorship.lib.commands import (
    OperatorError,
    pending_migrations,
    require_up_to_date,
    run,
    settings_or_exit,
)
from mentorship.lib.errors import DomainError


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(package_name="mentorship", prog_name="mentorship")
def cli() -> None:
    """Run and operate the peer-assistance program service."""
    compose()


for _domain in DOMAINS:
    for _command in _domain.commands:
        cli.add_command(_command)


# --- database -------------------------------------------------------------------------------


async def apply_migrations() -> int:
    """Apply every pending migration; returns how many were applied."""
    from piccolo.apps.migrations.commands.forwards import run_forwards

    from mentorship.lib import db

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


@cli.command()
def migrate() -> None:
    """Create or upgrade the database schema (safe to run again)."""
    settings = settings_or_exit()
    applied = run(apply_migrations)
    where = settings.database.display
    if applied:
        click.echo(f"Applied {applied} migration(s) to {where}.")
    else:
        click.echo(f"{where} is up to date.")


# --- matching -------------------------------------------------------------------------------


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


async def _coordinator_id(email: str | None) -> int | None:
    """The account of the coordinator a run is recorded under (None: the operator)."""
    if email is None:
        return None
    account = await account_by_email(email)
    if not account.active:
        raise OperatorError(f"{email} is deactivated")
    if Role.COORDINATOR not in account.roles:
        raise OperatorError(f"{email} is not a program coordinator")
    return account.id


@cli.command()
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
    from mentorship.lib.messages import word
    from mentorship.matching import services
    from mentorship.matching.states import RunSource

    settings_or_exit()

    async def go() -> Any:
        await require_up_to_date()
        actor = await _coordinator_id(by_email)
        return await services.run_matching(actor, dry_run=dry_run, source=RunSource.CLI)

    result = run(go)
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


# --- serving --------------------------------------------------------------------------------


@cli.command()
@click.option("--host", default="127.0.0.1", show_default=True, help="Address to listen on.")
@click.option("--port", default=8000, show_default=True, type=click.IntRange(1, 65535))
@click.option(
    "--workers",
    default=1,
    show_default=True,
    type=click.IntRange(1, 64),
    help="Worker processes (sessions live in the database, so any worker serves anyone).",
)
def serve(host: str, port: int, workers: int) -> None:
    """Serve the web pages and the JSON API."""
    import uvicorn

    settings = settings_or_exit()
    run(require_up_to_date)
    click.echo(f"Serving on http://{host}:{port}/ (API docs: /api/schema/openapi.json)")
    click.echo(f"Database: {settings.database.display}")
    uvicorn.run(
        "mentorship.app:create_app",
        factory=True,
        host=host,
        port=port,
        workers=workers,
        proxy_headers=True,
        forwarded_allow_ips=os.environ.get("MENTORSHIP_FORWARDED_ALLOW_IPS", "127.0.0.1"),
        access_log=False,  # mentorship.access logs each request without query strings
        server_header=False,
        log_level=settings.log_level.lower(),
    )


# --- demo -----------------------------------------------------------------------------------


@dataclass(frozen=True)
class DemoPerson:
    """One demo account."""

    email: str
    name: str
    roles: tuple[Role, ...]


DEMO_PEOPLE = (
    DemoPerson("admin@demo.example.org", "Dana Whitfield", (Role.ADMIN,)),
    DemoPerson("coordinator@demo.example.org", "Rosa Delgado", (Role.COORDINATOR, Role.EMPLOYEE)),
    DemoPerson("supervisor@demo.example.org", "Marcus Green", (Role.SUPERVISOR, Role.EMPLOYEE)),
    DemoPerson("mentor@demo.example.org", "Lena Park", (Role.MENTOR, Role.EMPLOYEE)),
    DemoPerson("employee@demo.example.org", "Sam Rivera", (Role.EMPLOYEE,)),
)
DEMO_LOGINS_FILE = "demo-logins.json"


async def build_demo(settings: Settings) -> list[tuple[DemoPerson, str]]:
    """Create the demo accounts that are missing; returns each person with their password."""
    from mentorship.accounts import services
    from mentorship.accounts.schemas import AccountCreate
    from mentorship.accounts.tables import Account

    await apply_migrations()
    logins_path = settings.data_dir / DEMO_LOGINS_FILE
    known: dict[str, str] = {}
    if logins_path.exists():
        known = json.loads(logins_path.read_text(encoding="utf-8"))
    result = []
    for person in DEMO_PEOPLE:
        row = (
            await Account.select(Account.id)
            .where(Account.email_key == services.email_key(person.email))
            .first()
        )
        password = known.get(person.email)
        if row is None:
            password = password or f"demo-{secrets.token_urlsafe(12)}"
            await services.create_account(
                AccountCreate(
                    email=person.email,
                    display_name=person.name,
                    roles=list(person.roles),
                    password=password,
                )
            )
        elif password is None:
            # The account exists but its password was not recorded here: set a new one so
            # the printed login works.
            password = f"demo-{secrets.token_urlsafe(12)}"
            await services.set_password(row["id"], password)
        for role in person.roles:
            if row is not None:
                await services.grant_role(row["id"], role)
        known[person.email] = password
        result.append((person, password))
    settings.data_dir.mkdir(parents=True, exist_ok=True)
    fd = os.open(logins_path, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    with os.fdopen(fd, "w", encoding="utf-8") as handle:
        json.dump(known, handle, indent=2)
    return result


@cli.command()
def demo() -> None:
    """Migrate, create one demo account per role, a demo district and its cases (idempotent)."""
    settings = settings_or_exit()
    if settings.is_production:
        raise OperatorError("demo data is refused in production mode (MENTORSHIP_ENV=production)")
    from mentorship.demo.cases import build_cases
    from mentorship.demo.district import build_district

    async def build() -> tuple[list[tuple[DemoPerson, str]], Any, Any, Any]:
        people = await build_demo(settings)
        linked = {p.email.partition("@")[0]: p.email for p, _ in people}
        district = await build_district(linked)
        matched = opened = None
        if district.people:
            # A first run, so the coordinator finds proposals waiting for review.
            from mentorship.matching import services as matching
            from mentorship.matching.states import RunSource

            coordinator = next(p for p, _ in people if Role.COORDINATOR in p.roles)
            matched = await matching.run_matching(
                await _coordinator_id(coordinator.email), source=RunSource.CLI
            )
            # Then the coordinator approves a few dozen of them, and the cases get meetings,
            # notes and reports, so every role has something to look at.
            opened = await build_cases(linked)
        return people, district, matched, opened

    people, district, matched, opened = run(build)
    click.echo(f"Demo data ready in {settings.database.display}.")
    if district.people:
        click.echo(
            f"Built the demo district: {district.sites} sites, {district.people} people,"
            f" {district.mentors} mentors, {district.applicants} applicants,"
            f" {district.requests} requests."
        )
    else:
        click.echo("The demo district was already there; nothing was added.")
    approved = opened.cases if opened is not None else 0
    if matched is not None and approved:
        click.echo(
            f"Ran matching: {matched.matched_count} proposal(s), {matched.unmatched_count}"
            f" request(s) unmatched; the coordinator approved {approved}, and"
            f" {matched.matched_count - approved} wait for review."
        )
    elif matched is not None:
        click.echo(
            f"Ran matching: {matched.matched_count} proposal(s) wait for the coordinator's"
            f" review, {matched.unmatched_count} request(s) unmatched."
        )
    if opened is not None and opened.cases:
        click.echo(
            f"Opened {opened.cases} cases ({opened.paused} paused, {opened.closed} closed,"
            f" {opened.reassigned} reassigned): {opened.meetings} meetings, {opened.notes}"
            f" notes, {opened.reports} status reports."
        )
    click.echo("Demo sign-ins (also kept in " + str(settings.data_dir / DEMO_LOGINS_FILE) + "):")
    width = max(len(p.email) for p, _ in people)
    for person, password in people:
        roles = ", ".join(r.value for r in person.roles)
        click.echo(f"  {person.email.ljust(width)}  {password}  ({person.name}: {roles})")


# --- entry point ----------------------------------------------------------------------------


def fail(message: str, code: int = 1) -> NoReturn:
    """Print one line on standard error and exit non-zero."""
    click.echo(f"mentorship: error: {message}", err=True)
    sys.exit(code)


def main(argv: list[str] | None = None) -> None:
    """Console-script entry point: every failure becomes one line and a non-zero exit."""
    # Piccolo warns (in colour, with a source line) when it cannot reach the database; the
    # one-line error below already says so.
    warnings.filterwarnings("ignore", message=".*Unable to (connect|fetch)", category=Warning)
    try:
        cli.main(args=argv, prog_name="mentorship", standalone_mode=False)
    except click.exceptions.Abort:
        fail("aborted")
    except click.ClickException as exc:
        ctx = getattr(exc, "ctx", None)
        command = "" if ctx is None or ctx.parent is None else f" {ctx.info_name}"
        hint = f" (see `mentorship{command} --help`)" if ctx is not None else ""
        fail(exc.format_message().replace("\n", " ") + hint, exc.exit_code)
    except (OperatorError, ConfigError) as exc:
        fail(str(exc))
    except DomainError as exc:
        fail(exc.message)
    except OSError as exc:
        # Connection refused, unknown host, unreadable file: the operator can act on these.
        if exc.filename:
            fail(f"{exc.strerror or exc}: {exc.filename}")
        fail(f"cannot connect: {exc.strerror or exc}")
    except Exception as exc:  # the last resort: still one line, never a traceback
        source = "database error" if type(exc).__module__.startswith("asyncpg") else "unexpected"
        fail(f"{source}: {exc}".replace("\n", " "))
