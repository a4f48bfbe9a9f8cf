"""The access policy, decided without a database: every relation × every action."""

from __future__ import annotations

import pytest

from mentorship.access.roles import Role
from mentorship.cases.policy import (
    Action,
    CaseFacts,
    NoteFacts,
    Relation,
    hides_case,
    may,
    may_edit_note,
    may_read_note,
    relation,
)
from mentorship.cases.states import NoteAudience

MENTEE, MENTOR, REFERRER, FORMER, COORDINATOR, OTHER = 1, 2, 3, 4, 5, 6


def facts(*, is_open: bool = True, reads_notes: bool = False, activity: bool = False) -> CaseFacts:
    return CaseFacts(
        employee_id=MENTEE,
        mentor_id=MENTOR,
        referrer_id=REFERRER,
        former_mentor_ids=frozenset({FORMER}),
        is_open=is_open,
        coordinator_reads_notes=reads_notes,
        supervisor_sees_activity=activity,
    )


@pytest.mark.parametrize(
    ("viewer", "roles", "expected"),
    [
        (MENTEE, {Role.EMPLOYEE}, Relation.MENTEE),
        # Holding more roles never widens the view of one's own case.
        (MENTEE, {Role.EMPLOYEE, Role.COORDINATOR, Role.MENTOR}, Relation.MENTEE),
        (MENTOR, {Role.MENTOR}, Relation.MENTOR),
        (MENTOR, {Role.MENTOR, Role.COORDINATOR}, Relation.MENTOR),
        (COORDINATOR, {Role.COORDINATOR}, Relation.COORDINATOR),
        (REFERRER, {Role.SUPERVISOR}, Relation.REFERRER),
        (FORMER, {Role.MENTOR}, Relation.FORMER_MENTOR),
        (OTHER, {Role.ADMIN}, Relation.NONE),
        (OTHER, {Role.SUPERVISOR, Role.MENTOR}, Relation.NONE),
    ],
)
def test_relation(viewer: int, roles: set[Role], expected: Relation) -> None:
    assert relation(viewer, frozenset(roles), facts()) is expected


def test_the_mentor_of_a_closed_case_is_a_former_mentor() -> None:
    assert relation(MENTOR, frozenset({Role.MENTOR}), facts(is_open=False)) is (
        Relation.FORMER_MENTOR
    )


# Who may do what under the default agreement (no coordinator note reading, status only).
GRANTED: dict[Action, set[Relation]] = {
    Action.VIEW: {Relation.MENTEE, Relation.MENTOR, Relation.COORDINATOR},
    Action.VIEW_STATUS: {
        Relation.MENTEE,
        Relation.MENTOR,
        Relation.COORDINATOR,
        Relation.REFERRER,
    },
    Action.VIEW_ACTIVITY_COUNTS: {Relation.MENTEE, Relation.MENTOR, Relation.COORDINATOR},
    Action.LOG_MEETING: {Relation.MENTOR},
    Action.WRITE_NOTE: {Relation.MENTOR},
    Action.READ_NOTE: {Relation.MENTOR, Relation.MENTEE},
    Action.READ_NOTE_HISTORY: {Relation.MENTOR},
    Action.WRITE_REPORT: {Relation.MENTOR},
    Action.READ_REPORT: {Relation.MENTOR, Relation.MENTEE},
    Action.RESPOND_TO_REPORT: {Relation.MENTEE},
    Action.PROPOSE_CLOSURE: {Relation.MENTOR},
    Action.WITHDRAW: {Relation.MENTEE},
    Action.MANAGE: {Relation.COORDINATOR},
    Action.VIEW_ACCESSES: {Relation.MENTEE, Relation.COORDINATOR},
}


def test_every_action_is_decided() -> None:
    assert set(GRANTED) == set(Action)


@pytest.mark.parametrize("action", list(Action))
@pytest.mark.parametrize("who", list(Relation))
def test_default_grants(who: Relation, action: Action) -> None:
    assert may(who, action, facts()) is (who in GRANTED[action])


@pytest.mark.parametrize("action", [Action.READ_NOTE, Action.READ_NOTE_HISTORY, Action.READ_REPORT])
def test_coordinator_reads_content_only_where_the_agreement_says(action: Action) -> None:
    assert not may(Relation.COORDINATOR, action, facts(reads_notes=False))
    assert may(Relation.COORDINATOR, action, facts(reads_notes=True))


def test_the_agreement_never_opens_content_to_others() -> None:
    generous = facts(reads_notes=True, activity=True)
    for who in (Relation.REFERRER, Relation.FORMER_MENTOR, Relation.NONE):
        for action in (Action.READ_NOTE, Action.READ_NOTE_HISTORY, Action.READ_REPORT):
            assert not may(who, action, generous), (who, action)


def test_referrer_sees_activity_counts_only_where_the_agreement_says() -> None:
    assert not may(Relation.REFERRER, Action.VIEW_ACTIVITY_COUNTS, facts(activity=False))
    assert may(Relation.REFERRER, Action.VIEW_ACTIVITY_COUNTS, facts(activity=True))


PRIVATE_BY_MENTOR = NoteFacts(author_id=MENTOR, audience=NoteAudience.PRIVATE)
PRIVATE_BY_FORMER = NoteFacts(author_id=FORMER, audience=NoteAudience.PRIVATE)
SHARED_BY_FORMER = NoteFacts(author_id=FORMER, audience=NoteAudience.SHARED)


@pytest.mark.parametrize(
    ("viewer", "who", "note", "reads_notes", "expected"),
    [
        (MENTOR, Relation.MENTOR, PRIVATE_BY_MENTOR, False, True),
        (MENTEE, Relation.MENTEE, PRIVATE_BY_MENTOR, False, False),
        (MENTEE, Relation.MENTEE, SHARED_BY_FORMER, False, True),
        # A new mentor does not inherit the previous mentor's private notes …
        (MENTOR, Relation.MENTOR, PRIVATE_BY_FORMER, False, False),
        # … but continues the conversation shared with the mentee.
        (MENTOR, Relation.MENTOR, SHARED_BY_FORMER, False, True),
        (FORMER, Relation.FORMER_MENTOR, PRIVATE_BY_FORMER, False, False),
        (COORDINATOR, Relation.COORDINATOR, PRIVATE_BY_MENTOR, False, False),
        (COORDINATOR, Relation.COORDINATOR, PRIVATE_BY_MENTOR, True, True),
        (REFERRER, Relation.REFERRER, SHARED_BY_FORMER, True, False),
    ],
)
def test_may_read_note(
    viewer: int, who: Relation, note: NoteFacts, reads_notes: bool, expected: bool
) -> None:
    assert may_read_note(viewer, who, facts(reads_notes=reads_notes), note) is expected


def test_only_the_author_while_mentoring_edits() -> None:
    assert may_edit_note(MENTOR, Relation.MENTOR, PRIVATE_BY_MENTOR)
    assert not may_edit_note(MENTOR, Relation.MENTOR, SHARED_BY_FORMER)
    assert not may_edit_note(FORMER, Relation.FORMER_MENTOR, PRIVATE_BY_FORMER)
    assert not may_edit_note(COORDINATOR, Relation.COORDINATOR, PRIVATE_BY_MENTOR)


@pytest.mark.parametrize("who", list(Relation))
def test_refusals_hide_the_case_from_those_who_cannot_see_it(who: Relation) -> None:
    assert hides_case(who) is (who not in GRANTED[Action.VIEW])
