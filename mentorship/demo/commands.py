"""`mentorship demo`: one account per role, a demo district and its cases, built through the
real services (refused in production)."""

from __future__ import annotations

import json
import os
import secrets
from dataclasses import dataclass
from typing import Any

import click

from mentorship.access.roles import Role
from mentorship.accounts import services as accounts
from mentorship.accounts.commands import coordinator_id
from mentorship.accounts.schemas import AccountCreate
from mentorship.config import Settings
from mentorship.demo.cases import build_cases
from mentorship.demo.district import build_district
from mentorship.lib.commands import OperatorError, apply_migrations, run, settings_or_exit
from mentorship.matching import runs
from mentorship.matching.states import RunSource


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
    await apply_migrations()
    logins_path = settings.data_dir / DEMO_LOGINS_FILE
    known: dict[str, str] = {}
    if logins_path.exists():
        known = json.loads(logins_path.read_text(encoding="utf-8"))
    result = []
    for person in DEMO_PEOPLE:
        row = await accounts.find_by_email(person.email)
        password = known.get(person.email)
        if row is None:
            password = password or f"demo-{secrets.token_urlsafe(12)}"
            await accounts.create_account(
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
            await accounts.set_password(row.id, password)
        for role in person.roles:
            if row is not None:
                await accounts.grant_role(row.id, role)
        known[person.email] = password
        result.append((person, password))
    settings.data_dir.mkdir(parents=True, exist_ok=True)
    fd = os.open(logins_path, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    with os.fdopen(fd, "w", encoding="utf-8") as handle:
        json.dump(known, handle, indent=2)
    return result


@click.command()
def demo() -> None:
    """Migrate, create one demo account per role, a demo district and its cases (idempotent)."""
    settings = settings_or_exit()
    if settings.is_production:
        raise OperatorError("demo data is refused in production mode (MENTORSHIP_ENV=production)")

    async def build() -> tuple[list[tuple[DemoPerson, str]], Any, Any, Any]:
        people = await build_demo(settings)
        linked = {p.email.partition("@")[0]: p.email for p, _ in people}
        district = await build_district(linked)
        matched = opened = None
        if district.people:
            # A first run, so the coordinator finds proposals waiting for review.
            coordinator = next(p for p, _ in people if Role.COORDINATOR in p.roles)
            matched = await runs.run_matching(
                await coordinator_id(coordinator.email), source=RunSource.CLI
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


COMMANDS = [demo]
