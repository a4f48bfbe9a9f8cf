"""Importing a roster (checked in full, then written in one transaction) and exporting it."""

from __future__ import annotations

import asyncio
import json
from collections.abc import Callable, Iterator, Sequence
from dataclasses import replace
from typing import Any

import networkx as nx

from mentorship.access.roles import Role
from mentorship.accounts.tables import Account, AccountRole
from mentorship.audit import services as audit
from mentorship.district.profiles import normalise_languages, stored_languages
from mentorship.district.revisions import SUPERVISION, bump_revision
from mentorship.district.tables import Employee, JobRole, Site
from mentorship.lib import clock, db
from mentorship.lib.errors import ValidationFailed
from mentorship.lib.messages import Message
from mentorship.roster import csvformat
from mentorship.roster.csvformat import ParsedRoster, Problem, RosterRow
from mentorship.roster.messages import ROSTER
from mentorship.roster.plan import Change, Person, Plan, Reference, Snapshot, plan_import
from mentorship.roster.schemas import ImportReport, UpdatedEmployee

# Rows per INSERT/UPDATE: well under SQLite's limit on bound values per statement.
CHUNK_ROWS = 500

Progress = Callable[[int, int], None]
"""Called as `progress(rows_done, rows_in_file)` while an import writes."""


class RosterRejected(ValidationFailed):
    """The roster has problems and nothing was imported; `problems` lists every one by line."""

    def __init__(self, problems: Sequence[Problem]) -> None:
        self.problems = tuple(problems)
        by_line: dict[str, list[Message]] = {}
        for problem in self.problems:
            by_line.setdefault(f"line {problem.line}", []).append(problem.reason)
        super().__init__(
            {line: ROSTER("line_problems", problems=tuple(each)) for line, each in by_line.items()},
            message=ROSTER("rejected", count=len(self.problems)),
        )


async def import_roster(
    content: bytes, *, dry_run: bool = False, progress: Progress | None = None
) -> ImportReport:
    """Create or update the employees a roster file lists, all or nothing.

    Every row is checked before anything is written; any problem raises RosterRejected
    listing them all. A dry run checks and reports without writing. Re-importing a file
    writes nothing at all.
    """
    parsed = await asyncio.to_thread(_parse, content)
    if dry_run:
        plan, _ = await _checked_plan(parsed)
        return _report(parsed, plan, dry_run=True)
    async with db.transaction() as transaction:
        # First, so that supervision changes made elsewhere wait for this import (and it for
        # them) and the checks below see a relation nobody else is changing.
        await bump_revision(SUPERVISION)
        plan, snapshot = await _checked_plan(parsed)
        if plan.changes:
            await _write(plan, snapshot, progress, len(parsed.rows))
        else:
            # Nothing to change: not even the revision counter may move.
            await transaction.rollback()
            if progress is not None:
                progress(len(parsed.rows), len(parsed.rows))
    return _report(parsed, plan, dry_run=False)


async def export_roster(actor_id: int | None = None) -> str:
    """Every active account holding the employee role as a roster file, sorted by email.

    The export is audited (a missing actor is the operator at the command line).
    """
    accounts = await Account.select(
        Account.id, Account.email, Account.email_key, Account.display_name
    ).where(Account.active == True)  # noqa: E712 (Piccolo builds SQL from ==)
    held = await _roles_by_account()
    profiles = {
        row["account"]: row
        for row in await Employee.select(
            Employee.account,
            Employee.site.code.as_alias("site_code"),
            Employee.job_role.code.as_alias("job_role_code"),
            Employee.supervisor.email.as_alias("supervisor_email"),
            Employee.languages,
        )
    }
    rows = []
    for account in accounts:
        roles = held.get(account["id"], frozenset())
        if Role.EMPLOYEE not in roles:
            continue
        profile = profiles.get(account["id"], {})
        rows.append(
            RosterRow(
                line=0,
                email=account["email"],
                key=account["email_key"],
                display_name=account["display_name"],
                site_code=profile.get("site_code"),
                job_role=profile.get("job_role_code"),
                supervisor_email=profile.get("supervisor_email"),
                roles=roles,
                languages=tuple(stored_languages(profile.get("languages"))),
            )
        )
    rows.sort(key=lambda row: row.key or "")
    text = await asyncio.to_thread(csvformat.write_roster, rows)
    await audit.record(
        action="export",
        object_type="roster",
        actor_id=actor_id,
        actor_role="admin" if actor_id is not None else "operator",
        purpose="export the staff roster",
        details={"employees": len(rows)},
    )
    return text


# --- checking -------------------------------------------------------------------------------


def _parse(content: bytes) -> ParsedRoster:
    parsed = csvformat.parse_roster(content)
    # Languages are stored the way profile edits store them, so a re-import compares equal.
    rows = tuple(
        replace(row, languages=tuple(normalise_languages(row.languages))) for row in parsed.rows
    )
    return ParsedRoster(rows, parsed.problems)


async def _checked_plan(parsed: ParsedRoster) -> tuple[Plan, Snapshot]:
    snapshot = await _snapshot()
    plan = await asyncio.to_thread(plan_import, parsed, snapshot)
    if plan.problems:
        raise RosterRejected(plan.problems)
    return plan, snapshot


async def _snapshot() -> Snapshot:
    """Everything the checks read, in five queries whatever the size of the file."""
    accounts = await Account.select(
        Account.id, Account.email, Account.email_key, Account.display_name, Account.active
    )
    held = await _roles_by_account()
    profiles = {
        row["account"]: row
        for row in await Employee.select(
            Employee.account,
            Employee.site,
            Employee.job_role,
            Employee.supervisor,
            Employee.languages,
        )
    }
    people = {}
    for account in accounts:
        profile = profiles.get(account["id"])
        people[account["email_key"]] = Person(
            id=account["id"],
            email=account["email"],
            key=account["email_key"],
            display_name=account["display_name"],
            active=account["active"],
            roles=held.get(account["id"], frozenset()),
            has_profile=profile is not None,
            site_id=profile["site"] if profile else None,
            job_role_id=profile["job_role"] if profile else None,
            supervisor_id=profile["supervisor"] if profile else None,
            languages=tuple(stored_languages(profile["languages"])) if profile else (),
        )
    sites = {
        row["code"].upper(): Reference(**row)
        for row in await Site.select(Site.id, Site.code, Site.active)
    }
    job_roles = {
        row["code"].lower(): Reference(**row)
        for row in await JobRole.select(JobRole.id, JobRole.code, JobRole.active)
    }
    return Snapshot(people=people, sites=sites, job_roles=job_roles)


async def _roles_by_account() -> dict[int, frozenset[Role]]:
    held: dict[int, set[Role]] = {}
    for row in await AccountRole.select(AccountRole.account, AccountRole.role):
        held.setdefault(row["account"], set()).add(Role(row["role"]))
    return {account: frozenset(roles) for account, roles in held.items()}


# --- writing --------------------------------------------------------------------------------


async def _write(plan: Plan, snapshot: Snapshot, progress: Progress | None, rows: int) -> None:
    """Write the plan's changes, a chunk of people at a time (inside the caller's transaction)."""
    now = clock.now()
    ids = {key: person.id for key, person in snapshot.people.items()}
    done = len(plan.unchanged)
    if progress is not None:
        progress(done, rows)
    for chunk in _chunks(_write_order(plan)):
        new = [change for change in chunk if change.person is None]
        if new:
            inserted = await Account.insert(
                *(
                    Account(
                        email=change.row.email,
                        email_key=change.key,
                        display_name=change.row.display_name,
                        password_hash=None,  # signs in once an admin sets a password
                        active=True,
                        created_at=now,
                    )
                    for change in new
                )
            ).returning(Account.id, Account.email_key)
            ids.update((row["email_key"], row["id"]) for row in inserted)
        for change in chunk:
            if change.person is not None and "display_name" in change.changed:
                await Account.update({Account.display_name: change.row.display_name}).where(
                    Account.id == change.person.id
                )
        grants = [
            AccountRole(account=ids[change.key], role=role.value, granted_at=now)
            for change in chunk
            for role in sorted(change.grant, key=list(Role).index)
        ]
        if grants:
            await AccountRole.insert(*grants)
        await _write_profiles([c for c in chunk if c.profile_changed], ids, now)
        done += len(chunk)
        if progress is not None:
            progress(done, rows)


async def _write_profiles(changes: list[Change], ids: dict[str, int], now: Any) -> None:
    """Insert the profiles that do not exist yet and update the others column by column,
    one query per distinct new value (people on a team share a site or a supervisor), so a
    roster that moves thousands of people does not need thousands of queries."""

    def supervisor_id(change: Change) -> int | None:
        return ids[change.supervisor_key] if change.supervisor_key is not None else None

    fresh = [c for c in changes if c.person is None or not c.person.has_profile]
    if fresh:
        await Employee.insert(
            *(
                Employee(
                    account=ids[change.key],
                    site=change.site_id,
                    job_role=change.job_role_id,
                    supervisor=supervisor_id(change),
                    languages=_languages_json(change.row.languages),
                    updated_at=now,
                )
                for change in fresh
            )
        )
    columns: tuple[tuple[str, Any, Callable[[Change], Any]], ...] = (
        ("site_code", Employee.site, lambda change: change.site_id),
        ("job_role", Employee.job_role, lambda change: change.job_role_id),
        ("supervisor_email", Employee.supervisor, supervisor_id),
        ("languages", Employee.languages, lambda change: _languages_json(change.row.languages)),
    )
    for field, column, value_of in columns:
        groups: dict[Any, list[int]] = {}
        for change in changes:
            if change.person is not None and change.person.has_profile and field in change.changed:
                groups.setdefault(value_of(change), []).append(change.person.id)
        for value, account_ids in groups.items():
            await Employee.update({column: value, Employee.updated_at: now}).where(
                Employee.account.is_in(account_ids)
            )


def _write_order(plan: Plan) -> list[Change]:
    """New people with supervisors before supervisees (a profile can only name an account
    that exists), in file order otherwise; then the updates."""
    creates = {change.key: change for change in plan.creates}
    graph = nx.DiGraph()
    graph.add_nodes_from(creates)
    graph.add_edges_from(
        (change.supervisor_key, key)
        for key, change in creates.items()
        if change.supervisor_key in creates
    )
    ordered = nx.lexicographical_topological_sort(graph, key=lambda key: creates[key].row.line)
    return [creates[key] for key in ordered] + list(plan.updates)


def _chunks(changes: list[Change]) -> Iterator[list[Change]]:
    for start in range(0, len(changes), CHUNK_ROWS):
        yield changes[start : start + CHUNK_ROWS]


def _languages_json(languages: Sequence[str]) -> str:
    return json.dumps(list(languages))


def _report(parsed: ParsedRoster, plan: Plan, *, dry_run: bool) -> ImportReport:
    return ImportReport(
        dry_run=dry_run,
        rows=len(parsed.rows),
        created_count=len(plan.creates),
        updated_count=len(plan.updates),
        unchanged_count=len(plan.unchanged),
        created=[change.row.email for change in plan.creates],
        updated=[
            UpdatedEmployee(
                email=change.row.email, line=change.row.line, changed=list(change.changed)
            )
            for change in plan.updates
        ],
        unchanged=[row.email for row in plan.unchanged],
    )
