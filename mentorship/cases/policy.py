"""Who may do what to a case, its notes and its reports (pure; no database or web).

Every case service asks here before it reads or writes anything, so the whole promise of
confidentiality is in one short file. The rules follow PRODUCT §2 and §6:

- the employee (mentee) sees their case, its meetings, the notes shared with them and the
  status reports about them, and may respond to a report and withdraw from a voluntary case;
- the case's current mentor runs the case: meetings, notes, reports, proposing closure; a
  private note is readable only by the mentor who wrote it while they mentor the case;
- a mentor who no longer mentors the case (reassigned, or the case closed) sees nothing;
- the coordinator manages the case and sees everything except note and report text, which
  they read only where the case's agreement says `coordinator_reads_notes`;
- the supervisor who referred the case sees its status, the dates and the released report
  statuses, plus meeting count and hours where the agreement allows; never text;
- anyone else, admins included, sees nothing.

A person holding several roles is judged by their closest relationship to the case, in this
order: mentee, mentor, coordinator, referrer, former mentor. So a coordinator never acts as
coordinator on their own case, and nobody gains a view by holding an extra role.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum

from mentorship.access.roles import Role
from mentorship.cases.states import NoteAudience


class Relation(StrEnum):
    """How a person stands to a case."""

    MENTEE = "mentee"
    MENTOR = "mentor"
    COORDINATOR = "coordinator"
    REFERRER = "referrer"
    FORMER_MENTOR = "former_mentor"
    NONE = "none"


class Action(StrEnum):
    """Everything a person can try to do with a case."""

    VIEW = "view"  # the case record: people, state, dates, meetings
    VIEW_STATUS = "view_status"  # state, dates and released report statuses
    VIEW_ACTIVITY_COUNTS = "view_activity_counts"  # meeting count and hours
    LOG_MEETING = "log_meeting"
    WRITE_NOTE = "write_note"
    READ_NOTE = "read_note"
    READ_NOTE_HISTORY = "read_note_history"
    WRITE_REPORT = "write_report"
    READ_REPORT = "read_report"
    RESPOND_TO_REPORT = "respond_to_report"
    PROPOSE_CLOSURE = "propose_closure"
    WITHDRAW = "withdraw"
    MANAGE = "manage"  # pause, resume, close, reassign, legal hold
    VIEW_ACCESSES = "view_accesses"  # who accessed the case


@dataclass(frozen=True)
class CaseFacts:
    """What the policy needs to know about a case."""

    employee_id: int
    mentor_id: int
    referrer_id: int | None  # the supervisor who filed a referral; None when self-requested
    former_mentor_ids: frozenset[int]
    is_open: bool
    coordinator_reads_notes: bool  # from the agreement the case was opened under
    supervisor_sees_activity: bool  # likewise


@dataclass(frozen=True)
class NoteFacts:
    """What the policy needs to know about a note."""

    author_id: int
    audience: NoteAudience


def relation(viewer_id: int, viewer_roles: frozenset[Role], case: CaseFacts) -> Relation:
    """The viewer's closest relationship to the case."""
    if viewer_id == case.employee_id:
        return Relation.MENTEE
    if viewer_id == case.mentor_id and case.is_open:
        return Relation.MENTOR
    if Role.COORDINATOR in viewer_roles:
        return Relation.COORDINATOR
    if case.referrer_id is not None and viewer_id == case.referrer_id:
        return Relation.REFERRER
    if viewer_id == case.mentor_id or viewer_id in case.former_mentor_ids:
        return Relation.FORMER_MENTOR
    return Relation.NONE


_SEES_CASE = frozenset({Relation.MENTEE, Relation.MENTOR, Relation.COORDINATOR})

_GRANTS: dict[Action, frozenset[Relation]] = {
    Action.VIEW: _SEES_CASE,
    Action.VIEW_STATUS: _SEES_CASE | {Relation.REFERRER},
    Action.VIEW_ACTIVITY_COUNTS: _SEES_CASE,  # the referrer only where the agreement says
    Action.LOG_MEETING: frozenset({Relation.MENTOR}),
    Action.WRITE_NOTE: frozenset({Relation.MENTOR}),
    Action.READ_NOTE: frozenset({Relation.MENTOR, Relation.MENTEE}),  # + coordinator, see below
    Action.READ_NOTE_HISTORY: frozenset({Relation.MENTOR}),
    Action.WRITE_REPORT: frozenset({Relation.MENTOR}),
    Action.READ_REPORT: frozenset({Relation.MENTOR, Relation.MENTEE}),
    Action.RESPOND_TO_REPORT: frozenset({Relation.MENTEE}),
    Action.PROPOSE_CLOSURE: frozenset({Relation.MENTOR}),
    Action.WITHDRAW: frozenset({Relation.MENTEE}),
    Action.MANAGE: frozenset({Relation.COORDINATOR}),
    Action.VIEW_ACCESSES: frozenset({Relation.MENTEE, Relation.COORDINATOR}),
}

# Content the agreement may open to the coordinator.
_CONTENT = frozenset({Action.READ_NOTE, Action.READ_NOTE_HISTORY, Action.READ_REPORT})


def may(who: Relation, action: Action, case: CaseFacts) -> bool:
    """Whether someone so related to the case may do this (before any note is considered)."""
    if who is Relation.COORDINATOR and action in _CONTENT:
        return case.coordinator_reads_notes
    if who is Relation.REFERRER and action is Action.VIEW_ACTIVITY_COUNTS:
        return case.supervisor_sees_activity
    return who in _GRANTS[action]


def may_read_note(viewer_id: int, who: Relation, case: CaseFacts, note: NoteFacts) -> bool:
    """Whether the viewer may read this note's text.

    Private notes are the writing mentor's own working notes: a mentor who takes over a
    case does not inherit them. Shared notes are between the current mentor and the mentee.
    """
    if not may(who, Action.READ_NOTE, case):
        return False
    if who is Relation.COORDINATOR:
        return True
    if note.audience is NoteAudience.SHARED:
        return True
    return who is Relation.MENTOR and viewer_id == note.author_id


def may_edit_note(viewer_id: int, who: Relation, note: NoteFacts) -> bool:
    """Only the mentor who wrote a note, while mentoring the case, changes it."""
    return who is Relation.MENTOR and viewer_id == note.author_id


def hides_case(who: Relation) -> bool:
    """Whether a refusal must look exactly like "no such case" (the viewer may not know it).

    People who can see the case get a plain "not allowed"; everyone else gets the same
    answer a missing case gives, so refusals reveal nothing.
    """
    return who not in _SEES_CASE
