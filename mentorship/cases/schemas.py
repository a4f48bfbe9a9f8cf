"""Request and response shapes of the cases API (cases, meetings, notes, reports, hours)."""

from __future__ import annotations

from datetime import date, datetime
from typing import Annotated, Any

import msgspec

from mentorship.assistance.schemas import ReferralStatus
from mentorship.assistance.states import Track
from mentorship.cases.states import (
    CaseOutcome,
    CaseState,
    MeetingMode,
    NoteAudience,
    ReportStatus,
)
from mentorship.lib.messages import Message, word

Reason = Annotated[str, msgspec.Meta(min_length=1, max_length=2000, pattern=r"\S")]
Summary = Annotated[str, msgspec.Meta(max_length=4000)]
NoteText = Annotated[str, msgspec.Meta(min_length=1, max_length=20_000, pattern=r"\S")]
ResponseText = Annotated[str, msgspec.Meta(max_length=20_000)]


class CaseFlag(msgspec.Struct):
    """Something about an open case that needs the coordinator's eye."""

    code: str  # "mentor_unavailable" | "over_max_days" | "report_due"
    message: str  # the coded flag in English words
    coded: dict[str, Any] = msgspec.field(default_factory=dict)  # {code, params}, to word anew

    @classmethod
    def of(cls, message: Message) -> CaseFlag:
        """The flag for a `cases.flag.*` message."""
        return cls(
            code=message.code.rpartition(".")[2], message=word(message), coded=message.as_dict()
        )


class CaseRead(msgspec.Struct):
    """A case as its mentee, mentor or coordinator sees it (no note or report text)."""

    id: int
    request_id: int
    track: Track
    state: CaseState
    outcome: CaseOutcome | None
    employee_id: int
    employee_name: str
    mentor_id: int
    mentor_name: str
    agreement_version: int
    opened_at: datetime
    closed_at: datetime | None
    closure_summary: str
    state_reason: str  # why a paused case is paused
    meeting_count: int
    meeting_hours: float
    note_count: int
    report_count: int
    flags: list[CaseFlag]
    closure_proposed_at: datetime | None = None
    closure_proposed_outcome: CaseOutcome | None = None
    closure_proposed_summary: str = ""
    legal_hold: bool = False
    content_destroyed_at: datetime | None = None
    your_relation: str = ""


class AssignmentRead(msgspec.Struct):
    """One mentor's time on a case."""

    mentor_id: int
    mentor_name: str
    started_at: datetime
    ended_at: datetime | None
    ended_outcome: CaseOutcome | None
    ended_reason: str


class ReleasedReport(msgspec.Struct):
    """A status report as released to the referring supervisor."""

    written_at: datetime
    released_at: datetime
    status: ReportStatus


class CaseStatusRead(msgspec.Struct):
    """What the supervisor who referred the case sees: status and dates, never content."""

    state: CaseState
    outcome: CaseOutcome | None
    opened_at: datetime
    closed_at: datetime | None
    reports: list[ReleasedReport]
    meeting_count: int | None = None  # only where the agreement allows activity
    meeting_hours: float | None = None


class PauseBody(msgspec.Struct, forbid_unknown_fields=True):
    """Pause a case, saying why (shown to the mentee and the mentor until it resumes)."""

    reason: Reason


class CloseBody(msgspec.Struct, forbid_unknown_fields=True):
    """Close a case with its outcome and a non-confidential summary."""

    outcome: CaseOutcome
    summary: Summary = ""


class ReassignBody(msgspec.Struct, forbid_unknown_fields=True):
    """Give the case to another mentor; the current one loses access at once."""

    mentor_id: int
    reason: Reason


class LegalHoldBody(msgspec.Struct, forbid_unknown_fields=True):
    """Set or lift a legal hold (retention never destroys content while it is set)."""

    hold: bool
    reason: Reason


class MeetingCreate(msgspec.Struct, forbid_unknown_fields=True):
    """A meeting the mentor held with the mentee."""

    held_on: date
    minutes: Annotated[int, msgspec.Meta(ge=5, le=600)]
    mode: MeetingMode
    topic_ids: Annotated[list[int], msgspec.Meta(max_length=20)] = []


class TopicRead(msgspec.Struct):
    """A skill a meeting covered."""

    skill_id: int
    name: str


class MeetingRead(msgspec.Struct):
    """A logged meeting."""

    id: int
    case_id: int
    held_on: date
    minutes: int
    mode: MeetingMode
    topics: list[TopicRead]
    mentor_id: int
    mentor_name: str
    recorded_at: datetime


class NoteCreate(msgspec.Struct, forbid_unknown_fields=True):
    """A progress note: `private` for the mentor alone, `shared` with the mentee."""

    audience: NoteAudience
    text: NoteText


class NoteEdit(msgspec.Struct, forbid_unknown_fields=True):
    """A new version of a note (the earlier ones are kept)."""

    text: NoteText
    audience: NoteAudience | None = None


class NoteRead(msgspec.Struct):
    """A note's current text, for someone allowed to read it."""

    id: int
    case_id: int
    audience: NoteAudience
    author_id: int
    author_name: str
    version: int
    created_at: datetime
    updated_at: datetime
    text: str | None  # None once retention has destroyed it


class NoteVersionRead(msgspec.Struct):
    """One earlier or current version of a note."""

    version: int
    audience: NoteAudience
    written_at: datetime
    written_by_name: str
    text: str | None


class ReportCreate(msgspec.Struct, forbid_unknown_fields=True):
    """A status report on a referred case: a status line and the text for the mentee."""

    status: ReportStatus
    text: NoteText


class ReportResponse(msgspec.Struct, forbid_unknown_fields=True):
    """The mentee's response; empty text releases the report without a comment."""

    text: ResponseText = ""


class ReportRead(msgspec.Struct):
    """A status report as the mentor, mentee (or a permitted coordinator) sees it."""

    id: int
    case_id: int
    status: ReportStatus
    author_name: str
    written_at: datetime
    respond_by: datetime
    responded_at: datetime | None
    released: bool
    released_at: datetime | None
    text: str | None  # None where the reader may not see it, or once destroyed
    response: str | None


class AccessRead(msgspec.Struct):
    """Someone who did something with the case, from the audit log."""

    occurred_at: datetime
    actor_name: str
    actor_role: str
    action: str
    object_type: str
    object_id: str
    outcome: str
    purpose: str


class ReferralWithCase(ReferralStatus):
    """A referral as the supervisor who filed it follows it: its status and dates, and the
    case it opened (status, dates, released report statuses, and activity counts where the
    agreement allows)."""

    case: CaseStatusRead | None = None
