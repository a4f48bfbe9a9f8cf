"""Cases, their mentors over time, meetings, sealed progress notes and status reports."""

from piccolo.columns import (
    Boolean,
    Bytea,
    Date,
    ForeignKey,
    Integer,
    Serial,
    Text,
    Timestamptz,
    Varchar,
)
from piccolo.columns.base import OnDelete
from piccolo.columns.defaults.timestamptz import TimestamptzNow
from piccolo.table import Table

from mentorship.accounts.tables import Account
from mentorship.assistance.states import Track
from mentorship.assistance.tables import AssistanceRequest
from mentorship.cases.states import (
    CaseOutcome,
    CaseState,
    MeetingMode,
    NoteAudience,
    ReportStatus,
)
from mentorship.district.tables import Skill


class Case(Table):
    """The mentoring relationship an approved proposal opens (one per request)."""

    id: Serial

    request = ForeignKey(
        references=AssistanceRequest, on_delete=OnDelete.restrict, null=False, unique=True
    )
    employee = ForeignKey(references=Account, on_delete=OnDelete.restrict, null=False, index=True)
    mentor = ForeignKey(references=Account, on_delete=OnDelete.restrict, null=False, index=True)
    track = Varchar(length=20, choices=Track)
    weight = Integer(help_text="Capacity units the case takes from the mentor's caseload.")
    state = Varchar(length=20, choices=CaseState, index=True)
    outcome = Varchar(length=20, choices=CaseOutcome, null=True, default=None)
    agreement_version = Integer(help_text="The agreement in force when the case opened.")
    opened_at = Timestamptz(default=TimestamptzNow())
    opened_by = ForeignKey(references=Account, on_delete=OnDelete.set_null, null=True)
    closed_at = Timestamptz(null=True, default=None)
    closed_by = ForeignKey(references=Account, on_delete=OnDelete.set_null, null=True)
    closure_summary = Text(
        default="", help_text="Non-confidential summary written at closure (no note content)."
    )
    state_changed_at = Timestamptz(null=True, default=None)
    state_reason = Text(default="", help_text="Why the case is paused (shown to both people).")
    closure_proposed_at = Timestamptz(null=True, default=None)
    closure_proposed_outcome = Varchar(length=20, choices=CaseOutcome, null=True, default=None)
    closure_proposed_summary = Text(default="")
    legal_hold = Boolean(default=False, help_text="While set, retention never destroys content.")
    content_destroyed_at = Timestamptz(null=True, default=None)


class CaseAssignment(Table):
    """Who mentored a case when: the current assignment has no end."""

    id: Serial

    case = ForeignKey(references=Case, on_delete=OnDelete.cascade, null=False, index=True)
    mentor = ForeignKey(references=Account, on_delete=OnDelete.restrict, null=False, index=True)
    started_at = Timestamptz(default=TimestamptzNow())
    ended_at = Timestamptz(null=True, default=None)
    ended_outcome = Varchar(length=20, choices=CaseOutcome, null=True, default=None)
    ended_reason = Text(default="")


class CaseKey(Table):
    """A case's data key, wrapped under the master key; destroying it destroys the content."""

    id: Serial

    case = ForeignKey(references=Case, on_delete=OnDelete.cascade, null=False, unique=True)
    key_id = Varchar(length=16, help_text="Which master key wraps it (an identifier, not a key).")
    wrapped = Bytea(null=True, default=None)
    created_at = Timestamptz(default=TimestamptzNow())
    destroyed_at = Timestamptz(null=True, default=None)


class Meeting(Table):
    """A meeting the mentor logged: when, how long, how, and which topics it covered."""

    id: Serial

    case = ForeignKey(references=Case, on_delete=OnDelete.cascade, null=False, index=True)
    mentor = ForeignKey(references=Account, on_delete=OnDelete.restrict, null=False, index=True)
    employee = ForeignKey(references=Account, on_delete=OnDelete.restrict, null=False, index=True)
    held_on = Date()
    minutes = Integer()
    mode = Varchar(length=20, choices=MeetingMode)
    recorded_at = Timestamptz(default=TimestamptzNow())


class MeetingTopic(Table):
    """A skill a meeting worked on (its minutes are split evenly across its topics)."""

    id: Serial

    meeting = ForeignKey(references=Meeting, on_delete=OnDelete.cascade, null=False, index=True)
    skill = ForeignKey(references=Skill, on_delete=OnDelete.restrict, null=False)


class Note(Table):
    """A progress note. Its text lives only in sealed versions (see NoteVersion)."""

    id: Serial

    case = ForeignKey(references=Case, on_delete=OnDelete.cascade, null=False, index=True)
    author = ForeignKey(references=Account, on_delete=OnDelete.restrict, null=False)
    audience = Varchar(length=10, choices=NoteAudience)
    current_version = Integer(default=1)
    created_at = Timestamptz(default=TimestamptzNow())
    updated_at = Timestamptz(default=TimestamptzNow())


class NoteVersion(Table):
    """One version of a note's text, sealed under the case key (empty once purged)."""

    id: Serial

    note = ForeignKey(references=Note, on_delete=OnDelete.cascade, null=False, index=True)
    version = Integer()
    audience = Varchar(length=10, choices=NoteAudience)
    sealed = Bytea(null=True, default=None)
    written_at = Timestamptz(default=TimestamptzNow())
    written_by = ForeignKey(references=Account, on_delete=OnDelete.restrict, null=False)


class StatusReport(Table):
    """A referred case's periodic report: sealed text, the mentee's sealed response, a status.

    It is released to the referring supervisor (status and dates only) once the mentee has
    responded or the response window has passed.
    """

    id: Serial

    case = ForeignKey(references=Case, on_delete=OnDelete.cascade, null=False, index=True)
    author = ForeignKey(references=Account, on_delete=OnDelete.restrict, null=False)
    status = Varchar(length=20, choices=ReportStatus)
    sealed_body = Bytea(null=True, default=None)
    written_at = Timestamptz(default=TimestamptzNow())
    respond_by = Timestamptz()
    sealed_response = Bytea(null=True, default=None)
    responded_at = Timestamptz(null=True, default=None)
