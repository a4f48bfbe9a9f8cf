"""The `mentorship` operator command: database, accounts, demo data and serving."""

from __future__ import annotations

import asyncio
import contextlib
import io
import json
import os
import secrets
import sys
import warnings
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from typing import Any, NoReturn, TypeVar

import click

from mentorship.accounts.roles import Role
from mentorship.config import ConfigError, Settings, get_settings
from mentorship.lib.errors import DomainError

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


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(package_name="mentorship", prog_name="mentorship")
def cli() -> None:
    """Run and operate the peer-assistance program service."""


# --- database -------------------------------------------------------------------------------


async def pending_migrations() -> int:
    """How many migrations have not been applied to the configured database."""
    from piccolo.apps.migrations.commands.check import CheckMigrationManager

    with contextlib.redirect_stdout(io.StringIO()):
        return int(await CheckMigrationManager("all").havent_ran_count())


async def require_up_to_date() -> None:
    """Refuse to work on a database with migrations still to apply."""
    if await pending_migrations():
        raise OperatorError("the database is not up to date: run `mentorship migrate` first")


def write_output(text: str, output: str | None) -> None:
    """Write to the file (atomically: a failure leaves an earlier file as it was) or stdout."""
    if output is None:
        click.echo(text, nl=False)
        return
    with click.open_file(output, "w", encoding="utf-8", atomic=True) as handle:
        handle.write(text)


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


# --- accounts -------------------------------------------------------------------------------


def _read_password(password_stdin: bool) -> str:
    if password_stdin:
        line = sys.stdin.readline()
        if not line.strip():
            raise OperatorError("no password on standard input")
        return line.rstrip("\r\n")
    if not sys.stdin.isatty():
        raise OperatorError(
            "no password given: pipe it in with --password-stdin, or run in a terminal to be asked"
        )
    return str(click.prompt("Password", hide_input=True, confirmation_prompt=True))


@cli.command("create-user")
@click.option("--email", required=True, help="Sign-in address (unique, any case).")
@click.option("--name", "display_name", help="Name shown to others [default: from the email].")
@click.option(
    "--role",
    "roles",
    multiple=True,
    type=click.Choice([r.value for r in Role]),
    help="A role to grant; repeat for several [default: employee].",
)
@click.option("--password-stdin", is_flag=True, help="Read the password from standard input.")
def create_user(
    email: str, display_name: str | None, roles: tuple[str, ...], password_stdin: bool
) -> None:
    """Create an account (asks for the password when run in a terminal)."""
    from mentorship.accounts import services
    from mentorship.accounts.schemas import AccountCreate

    settings_or_exit()
    password = _read_password(password_stdin)
    name = display_name or email.partition("@")[0]
    data = AccountCreate(
        email=email,
        display_name=name,
        roles=[Role(r) for r in roles] or [Role.EMPLOYEE],
        password=password,
    )

    async def create() -> Any:
        await require_up_to_date()
        return await services.create_account(data)

    account = run(create)
    click.echo(
        f"Created account {account.id} for {account.email}"
        f" with roles: {', '.join(r.value for r in account.roles)}."
    )


# --- roster ---------------------------------------------------------------------------------

ROSTER_PROGRESS_FROM_ROWS = 1000


def _fail_listing(message: str, lines: list[str]) -> NoReturn:
    """Print the error line, then one line per item (a roster's problems), and exit 1."""
    click.echo(f"mentorship: error: {message}", err=True)
    for line in lines:
        click.echo(line, err=True)
    sys.exit(1)


@cli.command("import-roster")
@click.argument("file", type=click.File("rb"))
@click.option("--dry-run", is_flag=True, help="Check the file and show what would change.")
def import_roster(file: Any, dry_run: bool) -> None:
    """Create or update employees from a roster CSV file (- reads standard input).

    Every row is checked first; one bad row stops the whole import and every problem is
    listed by line. Roles are granted, never revoked. See docs/roster.md for the format.
    """
    from mentorship.roster import services

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

        async def apply() -> Any:
            await require_up_to_date()
            return await services.import_roster(content, dry_run=dry_run, progress=progress)

        try:
            report = run(apply)
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


@cli.command("export-roster")
@click.option(
    "--output",
    "-o",
    type=click.Path(dir_okay=False, writable=True),
    help="File to write [default: standard output].",
)
def export_roster(output: str | None) -> None:
    """Write every active employee as a roster CSV file, sorted by email (the import format)."""
    from mentorship.roster import services

    settings_or_exit()

    async def export() -> str:
        await require_up_to_date()
        return await services.export_roster()

    text = run(export)
    write_output(text, output)
    if output is None:
        return
    employees = text.count("\n") - 1  # one line per employee after the header
    click.echo(f"Wrote {employees} employee(s) to {output}.")


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
    from mentorship.accounts.emails import email_key
    from mentorship.accounts.tables import Account, AccountRole

    found = (
        await Account.select(Account.id, Account.active)
        .where(Account.email_key == email_key(email))
        .first()
    )
    if found is None:
        raise OperatorError(f"no account with email {email}")
    if not found["active"]:
        raise OperatorError(f"{email} is deactivated")
    if not await AccountRole.exists().where(
        (AccountRole.account == found["id"]) & (AccountRole.role == Role.COORDINATOR.value)
    ):
        raise OperatorError(f"{email} is not a program coordinator")
    return int(found["id"])


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


# --- audit -----------------------------------------------------------------------------------


@cli.group()
def audit() -> None:
    """The tamper-evident audit log."""


@audit.command("verify")
def audit_verify() -> None:
    """Recompute the audit chain; exit 1 naming the first broken event."""
    from mentorship.audit import services

    settings_or_exit()

    async def go() -> Any:
        await require_up_to_date()
        return await services.verify_chain()

    count, broken = run(go)
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
    since: Any,
    until: Any,
    output: str | None,
) -> None:
    """Write matching audit events as CSV, oldest first, with their hashes (audited)."""
    from mentorship.audit import services
    from mentorship.audit.schemas import EventFilter

    settings_or_exit()
    where = EventFilter(
        case_id=case_id,
        actor_id=actor_id,
        action=action,
        since=since.date() if since else None,
        until=until.date() if until else None,
    )

    async def go() -> str:
        await require_up_to_date()
        return await services.export_csv(where, actor_id=None, actor_role="operator")

    text = run(go)
    write_output(text, output)
    if output is not None:
        click.echo(f"Wrote {text.count(chr(10)) - 1} event(s) to {output}.")


# --- confidential content: keys and retention -------------------------------------------------


@cli.group()
def keys() -> None:
    """The master key that protects every case's notes and reports."""


@keys.command("rotate")
def keys_rotate() -> None:
    """Re-wrap every case key under the current master key (no note is re-encrypted).

    Production: set the new key as MENTORSHIP_NOTES_KEY and the old one as
    MENTORSHIP_NOTES_PREVIOUS_KEY, run this, restart the service, then remove the old key.
    Development (key generated in the data folder): a new key is generated and replaced there.
    """
    from mentorship.cases import keys as case_keys

    settings_or_exit()

    async def go() -> Any:
        await require_up_to_date()
        return await case_keys.rotate()

    done = run(go)
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


@cli.command()
def purge() -> None:
    """Destroy the note and report content of cases closed longer than the agreement's
    note_retention_days (cases under legal hold are skipped). Metadata and the audit trail
    stay; running it again does nothing more."""
    from mentorship.cases import keys as case_keys

    settings_or_exit()

    async def go() -> Any:
        await require_up_to_date()
        return await case_keys.purge()

    done = run(go)
    purged = ", ".join(str(i) for i in done.purged_case_ids) or "none"
    click.echo(f"Destroyed the content of {len(done.purged_case_ids)} case(s): {purged}.")
    if done.held_case_ids:
        held = ", ".join(str(i) for i in done.held_case_ids)
        click.echo(f"Kept {len(done.held_case_ids)} case(s) under legal hold: {held}.")


@cli.command("export-hours")
@click.argument("email")
@click.option("--output", "-o", type=click.Path(dir_okay=False, writable=True), help="CSV file.")
def export_hours(email: str, output: str | None) -> None:
    """Write a person's professional-development transcript (training and mentoring hours by
    topic) as CSV; the export is audited."""
    from mentorship.accounts.emails import email_key
    from mentorship.accounts.tables import Account
    from mentorship.cases import meetings

    settings_or_exit()

    async def go() -> str:
        await require_up_to_date()
        row = await Account.select(Account.id).where(Account.email_key == email_key(email)).first()
        if row is None:
            raise OperatorError(f"no account with email {email}")
        return await meetings.export_transcript(
            row["id"], None, "operator", "export a professional-development transcript"
        )

    text = run(go)
    write_output(text, output)
    if output is not None:
        click.echo(f"Wrote the transcript of {email} to {output}.")


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
