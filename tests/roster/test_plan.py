"""Checking rows against a snapshot of the database and planning the changes, without one."""

from __future__ import annotations

from mentorship.access.roles import Role
from mentorship.roster.csvformat import parse_roster
from mentorship.roster.plan import Person, Plan, Reference, Snapshot, plan_import
from tests.roster.conftest import roster

EMPLOYEE = frozenset({Role.EMPLOYEE})
SUPERVISOR = frozenset({Role.EMPLOYEE, Role.SUPERVISOR})


def person(id_: int, name: str, roles: frozenset[Role] = EMPLOYEE, **profile) -> Person:
    email = f"{name.lower()}@example.org"
    return Person(
        id=id_,
        email=email,
        key=email,
        display_name=name,
        active=profile.pop("active", True),
        roles=roles,
        has_profile=bool(profile),
        **profile,
    )


def snapshot(*people: Person) -> Snapshot:
    return Snapshot(
        people={p.key: p for p in people},
        sites={"LHS": Reference(1, "LHS", True), "OLD": Reference(2, "OLD", False)},
        job_roles={"para": Reference(1, "para", True), "library": Reference(2, "library", False)},
    )


def plan(*rows: str, people: tuple[Person, ...] = ()) -> Plan:
    return plan_import(parse_roster(roster(*rows)), snapshot(*people))


def problems(result: Plan) -> list[str]:
    return [str(p) for p in result.problems]


def test_new_people_are_created_with_all_their_roles():
    result = plan(
        "ann@example.org,Ann,LHS,para,bob@example.org,,",
        "bob@example.org,Bob,,,,supervisor;coordinator,",
    )
    assert problems(result) == []
    assert [c.row.email for c in result.creates] == ["ann@example.org", "bob@example.org"]
    ann, bob = result.creates
    assert (ann.site_id, ann.job_role_id, ann.supervisor_key) == (1, 1, "bob@example.org")
    assert bob.grant == {Role.EMPLOYEE, Role.SUPERVISOR, Role.COORDINATOR}
    assert result.updates == () and result.unchanged == ()


def test_existing_people_are_updated_naming_each_changed_column_or_left_alone():
    boss = person(1, "Boss", SUPERVISOR)
    ann = person(2, "Ann", site_id=1, job_role_id=1, supervisor_id=1, languages=("English",))
    same = person(3, "Same", site_id=1)
    result = plan(
        "ann@example.org,Ann B,,para,,coordinator,English;Spanish",
        "SAME@example.org,Same,LHS,,,employee,",
        people=(boss, ann, same),
    )
    assert problems(result) == []
    (update,) = result.updates
    assert update.person == ann
    assert update.changed == ("display_name", "site_code", "supervisor_email", "roles", "languages")
    assert update.grant == {Role.COORDINATOR}
    assert update.profile_changed
    assert [row.email for row in result.unchanged] == ["SAME@example.org"]


def test_a_name_or_role_change_alone_leaves_the_profile_alone():
    ann = person(2, "Ann", site_id=1)
    (update,) = plan("ann@example.org,Ann,LHS,,,admin,", people=(ann,)).updates
    assert update.changed == ("roles",)
    assert not update.profile_changed


def test_a_closed_site_or_retired_job_role_is_refused_only_as_a_change():
    kept = person(2, "Kept", site_id=2, job_role_id=2)
    moved = person(3, "Moved", site_id=1, job_role_id=1)
    result = plan(
        "kept@example.org,Kept,OLD,library,,,",
        "moved@example.org,Moved,OLD,library,,,",
        "new@example.org,New,old,LIBRARY,,,",
        people=(kept, moved),
    )
    assert problems(result) == [
        "line 3: site OLD is closed",
        "line 3: job role library is no longer in use",
        "line 4: site OLD is closed",
        "line 4: job role library is no longer in use",
    ]


def test_a_supervisor_is_checked_only_when_the_file_assigns_them():
    gone = person(1, "Gone", SUPERVISOR, active=False)
    demoted = person(2, "Demoted", EMPLOYEE)
    ann = person(3, "Ann", supervisor_id=1)
    bob = person(4, "Bob", supervisor_id=2)
    assert (
        problems(plan("ann@example.org,Ann,,,gone@example.org,,", people=(gone, demoted, ann, bob)))
        == []
    )
    assert (
        problems(
            plan("bob@example.org,Bob,,,demoted@example.org,,", people=(gone, demoted, ann, bob))
        )
        == []
    )
    assert problems(
        plan(
            "new@example.org,New,,,gone@example.org,,",
            "bob@example.org,Bob,,,gone@example.org,,",
            people=(gone, demoted, ann, bob),
        )
    ) == [
        "line 2: supervisor gone@example.org has a deactivated account",
        "line 3: supervisor gone@example.org has a deactivated account",
    ]


def test_the_supervisor_role_may_come_from_the_database_or_the_file():
    boss = person(1, "Boss", SUPERVISOR)
    plain = person(2, "Plain")
    result = plan(
        "a@example.org,A,,,boss@example.org,,",
        "b@example.org,B,,,plain@example.org,,",
        "plain@example.org,Plain,,,,supervisor,",
        people=(boss, plain),
    )
    assert problems(result) == []
    result = plan(
        "b@example.org,B,,,plain@example.org,,",
        "c@example.org,C,,,d@example.org,,",
        "d@example.org,D,,,,coordinator,",
        people=(boss, plain),
    )
    assert problems(result) == [
        "line 2: supervisor plain@example.org would not hold the supervisor role"
        " (grant it to them, or list them in the file with that role)",
        "line 3: supervisor d@example.org would not hold the supervisor role"
        " (add supervisor to their roles on line 4)",
    ]


def test_a_loop_through_the_database_names_everyone_in_it():
    # In the database: Cy is supervised by Bo, Bo by Al. The file puts Al under Cy.
    al = person(1, "Al", SUPERVISOR)
    bo = person(2, "Bo", SUPERVISOR, supervisor_id=1)
    cy = person(3, "Cy", SUPERVISOR, supervisor_id=2)
    result = plan(
        "x@example.org,X,,,,,",
        "al@example.org,Al,,,cy@example.org,supervisor,",
        people=(al, bo, cy),
    )
    assert problems(result) == [
        "line 3: supervision loop: Al (line 3) → Cy → Bo → Al (each is supervised by the next)"
    ]


def test_a_loop_is_reported_once_at_its_first_line():
    result = plan(
        "a@example.org,A,,,c@example.org,supervisor,",
        "b@example.org,B,,,a@example.org,supervisor,",
        "c@example.org,C,,,b@example.org,supervisor,",
        "d@example.org,D,,,d@example.org,supervisor,",
    )
    assert problems(result) == [
        "line 2: supervision loop: A (line 2) → C (line 4) → B (line 3) → A"
        " (each is supervised by the next)",
        "line 5: D (line 5) cannot be their own supervisor",
    ]


def test_the_file_can_break_a_chain_it_reverses():
    # Bo is supervised by Al today; the file swaps them round in one go.
    al = person(1, "Al", SUPERVISOR)
    bo = person(2, "Bo", SUPERVISOR, supervisor_id=1)
    result = plan(
        "al@example.org,Al,,,bo@example.org,supervisor,",
        "bo@example.org,Bo,,,,supervisor,",
        people=(al, bo),
    )
    assert problems(result) == []
    assert [c.changed for c in result.updates] == [("supervisor_email",), ("supervisor_email",)]


def test_a_loop_the_file_does_not_touch_is_not_its_problem():
    al = person(1, "Al", SUPERVISOR, supervisor_id=2)
    bo = person(2, "Bo", SUPERVISOR, supervisor_id=1)
    assert problems(plan("x@example.org,X,,,,,", people=(al, bo))) == []


def test_rows_with_problems_are_never_planned_as_changes():
    result = plan("bad,Bad,NOPE,,,,", "a@example.org,A,,,,,", "A@example.org,A2,,,,,")
    assert [c.row.line for c in result.creates] == [3]
    assert problems(result) == [
        "line 2: email 'bad' is not an email address (expected name@example.org)",
        "line 2: unknown site code NOPE",
        "line 4: duplicate email A@example.org (already on line 3)",
    ]
