"""Case states and outcomes (PRODUCT §6), and the vocabularies of meetings, notes and reports."""

from __future__ import annotations

from enum import StrEnum


class CaseState(StrEnum):
    """Where a case stands: active and paused cases hold the mentor's capacity."""

    ACTIVE = "active"
    PAUSED = "paused"
    CLOSED = "closed"


class CaseOutcome(StrEnum):
    """How a closed case ended (or, for a mentor's assignment, how it ended for them)."""

    COMPLETED = "completed"
    WITHDRAWN = "withdrawn"
    REASSIGNED = "reassigned"
    RELEASED = "released"


# These hold a place in the mentor's caseload.
OPEN_CASE_STATES = (CaseState.ACTIVE, CaseState.PAUSED)

# A case closes with one of these; `reassigned` only ends one mentor's assignment.
CLOSING_OUTCOMES = (CaseOutcome.COMPLETED, CaseOutcome.WITHDRAWN, CaseOutcome.RELEASED)


class MeetingMode(StrEnum):
    """How a meeting took place."""

    IN_PERSON = "in_person"
    VIRTUAL = "virtual"
    PHONE = "phone"


class NoteAudience(StrEnum):
    """Who a progress note is for: the mentor alone, or the mentor and the mentee."""

    PRIVATE = "private"
    SHARED = "shared"


class ReportStatus(StrEnum):
    """The one-line status a referred case's report gives; all the supervisor ever sees of it."""

    PROGRESSING = "progressing"
    NEEDS_MORE_TIME = "needs_more_time"
    NOT_PARTICIPATING = "not_participating"
