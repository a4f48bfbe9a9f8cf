"""Checking a parsed roster against the database's state and working out what would change.

Pure: the database arrives as a `Snapshot` the service loads, so every rule here is tested
without a database.

Rules that look at the database apply to what the file would *change*: a closed site, a job
role no longer in use, or a supervisor who is deactivated or lacks the supervisor role is
refused when the file assigns it, but not when the file repeats what is already recorded (so
an exported roster can always be imported back unchanged). Supervision loops are refused
wherever they arise from the file.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass

import networkx as nx

from mentorship.access.roles import Role
from mentorship.lib.messages import Message, word
from mentorship.roster.csvformat import ParsedRoster, Problem, RosterRow
from mentorship.roster.messages import ROSTER

PROFILE_FIELDS = ("site_code", "job_role", "supervisor_email", "languages")

_Report = Callable[[Message], None]


@dataclass(frozen=True)
class Reference:
    """A site or job role, by the code rosters use."""

    id: int
    code: str
    active: bool


@dataclass(frozen=True)
class Person:
    """An existing account with its roles and (when it has one) its employee profile."""

    id: int
    email: str
    key: str
    display_name: str
    active: bool
    roles: frozenset[Role]
    has_profile: bool = False
    site_id: int | None = None
    job_role_id: int | None = None
    supervisor_id: int | None = None
    languages: tuple[str, ...] = ()


@dataclass(frozen=True)
class Snapshot:
    """What the database holds that an import reads: people by email key, sites and job
    roles by code."""

    people: Mapping[str, Person]
    sites: Mapping[str, Reference]
    job_roles: Mapping[str, Reference]


@dataclass(frozen=True)
class Change:
    """A person the import creates (`person` None) or updates, with the values to write."""

    row: RosterRow
    person: Person | None
    site_id: int | None
    job_role_id: int | None
    supervisor_key: str | None
    grant: frozenset[Role]
    changed: tuple[str, ...] = ()

    @property
    def key(self) -> str:
        """The person's email key."""
        assert self.row.key is not None  # only valid rows become changes
        return self.row.key

    @property
    def profile_changed(self) -> bool:
        """True when the employee profile (site, job role, supervisor, languages) changes."""
        return self.person is None or any(f in self.changed for f in PROFILE_FIELDS)


@dataclass(frozen=True)
class Plan:
    """What importing a roster would do, or the problems that stop it."""

    creates: tuple[Change, ...] = ()
    updates: tuple[Change, ...] = ()
    unchanged: tuple[RosterRow, ...] = ()
    problems: tuple[Problem, ...] = ()

    @property
    def changes(self) -> tuple[Change, ...]:
        """Creates then updates."""
        return self.creates + self.updates


def plan_import(parsed: ParsedRoster, snapshot: Snapshot) -> Plan:
    """Check the rows against the snapshot and sort them into creates, updates, unchanged."""
    problems = list(parsed.problems)
    in_file: dict[str, RosterRow] = {}
    for row in parsed.rows:
        if row.key is not None:
            in_file.setdefault(row.key, row)
    by_id = {person.id: person for person in snapshot.people.values()}
    creates: list[Change] = []
    updates: list[Change] = []
    unchanged: list[RosterRow] = []
    for row in parsed.rows:
        problem = _reporter(problems, row.line)
        person = snapshot.people.get(row.key) if row.key is not None else None
        site_id = _reference(
            row.site_code,
            snapshot.sites,
            person.site_id if person else None,
            ("unknown_site", "closed_site"),
            problem,
        )
        job_role_id = _reference(
            row.job_role,
            snapshot.job_roles,
            person.job_role_id if person else None,
            ("unknown_job_role", "retired_job_role"),
            problem,
        )
        current = by_id.get(person.supervisor_id) if person and person.supervisor_id else None
        current_key = current.key if current else None
        if row.supervisor_key is not None and row.supervisor_key != current_key:
            _check_new_supervisor(row, snapshot, in_file, problem)
        if row.key is None or in_file[row.key] is not row:
            continue  # reported already (bad email, duplicate): nothing to plan
        grant = row.roles - person.roles if person else row.roles
        change = Change(row, person, site_id, job_role_id, row.supervisor_key, grant)
        if person is None:
            creates.append(change)
            continue
        changed = _changed_fields(row, person, change, current_key)
        if changed:
            updates.append(
                Change(row, person, site_id, job_role_id, row.supervisor_key, grant, changed)
            )
        else:
            unchanged.append(row)
    problems.extend(_loops(snapshot, by_id, in_file))
    return Plan(
        creates=tuple(creates),
        updates=tuple(updates),
        unchanged=tuple(unchanged),
        problems=tuple(sorted(problems, key=lambda p: p.line)),
    )


def _changed_fields(
    row: RosterRow, person: Person, change: Change, current_supervisor: str | None
) -> tuple[str, ...]:
    """The roster columns whose value differs from what is stored for the person."""
    return tuple(
        name
        for name, differs in (
            ("display_name", row.display_name != person.display_name),
            ("site_code", change.site_id != person.site_id),
            ("job_role", change.job_role_id != person.job_role_id),
            ("supervisor_email", row.supervisor_key != current_supervisor),
            ("roles", bool(change.grant)),
            ("languages", row.languages != person.languages),
        )
        if differs
    )


def _reference(
    code: str | None,
    known: Mapping[str, Reference],
    current_id: int | None,
    messages: tuple[str, str],
    problem: _Report,
) -> int | None:
    """The id of a site or job role named by code, reporting unknown or retired ones (with
    the codes of `messages`)."""
    if code is None:
        return None
    reference = known.get(code)
    if reference is None:
        problem(ROSTER(messages[0], code=code))
        return None
    if not reference.active and reference.id != current_id:
        problem(ROSTER(messages[1], code=code))
    return reference.id


def _check_new_supervisor(
    row: RosterRow, snapshot: Snapshot, in_file: Mapping[str, RosterRow], problem: _Report
) -> None:
    """A supervisor the file assigns must exist, be active and hold the supervisor role."""
    key = row.supervisor_key
    assert key is not None
    if key == row.key:
        return  # reported as a loop
    existing = snapshot.people.get(key)
    listed = in_file.get(key)
    email = row.supervisor_email or ""
    if existing is None and listed is None:
        problem(ROSTER("no_supervisor", email=email))
        return
    if existing is not None and not existing.active:
        problem(ROSTER("supervisor_deactivated", email=email))
    roles = (existing.roles if existing else frozenset()) | (listed.roles if listed else set())
    if Role.SUPERVISOR not in roles:
        if listed is not None:
            problem(ROSTER("supervisor_role_in_file", email=email, line=listed.line))
        else:
            problem(ROSTER("supervisor_role", email=email))


def _loops(
    snapshot: Snapshot, by_id: Mapping[int, Person], in_file: Mapping[str, RosterRow]
) -> list[Problem]:
    """Every supervision loop the file would create, once each, at its first line."""
    supervisor_of = {
        person.key: by_id[person.supervisor_id].key
        for person in snapshot.people.values()
        if person.supervisor_id is not None and person.supervisor_id in by_id
    }
    for key, row in in_file.items():
        if row.supervisor_key is None:
            supervisor_of.pop(key, None)
        else:
            supervisor_of[key] = row.supervisor_key
    # Edges point from each person to their supervisor: everyone has at most one, so each
    # connected part holds at most one loop and finding them all is linear.
    graph = nx.DiGraph(list(supervisor_of.items()))
    problems = []
    for cycle in nx.simple_cycles(graph):
        listed = [key for key in cycle if key in in_file]
        if not listed:
            continue  # a loop the file does not touch is not this file's problem
        first = min(listed, key=lambda key: in_file[key].line)
        start = cycle.index(first)
        ordered = cycle[start:] + cycle[:start]

        def name(key: str) -> str:
            row = in_file.get(key)
            if row is not None:
                return word(ROSTER("on_line", name=row.display_name or row.email, line=row.line))
            person = snapshot.people.get(key)
            return person.display_name if person else key

        line = in_file[first].line
        if len(ordered) == 1:
            problems.append(Problem(line, ROSTER("own_supervisor", name=name(first))))
        else:
            chain = " → ".join([*(name(key) for key in ordered), in_file[first].display_name])
            problems.append(Problem(line, ROSTER("loop", chain=chain)))
    return problems


def _reporter(problems: list[Problem], line: int) -> _Report:
    return lambda message: problems.append(Problem(line, message))
