"""Case states and outcomes (PRODUCT §6)."""

from __future__ import annotations

from enum import StrEnum


class CaseState(StrEnum):
    """Where a case stands: active and paused cases hold the mentor's capacity."""

    ACTIVE = "active"
    PAUSED = "paused"
    CLOSED = "closed"


class CaseOutcome(StrEnum):
    """How a closed case ended."""

    COMPLETED = "completed"
    WITHDRAWN = "withdrawn"
    REASSIGNED = "reassigned"
    RELEASED = "released"


# These hold a place in the mentor's caseload.
OPEN_CASE_STATES = (CaseState.ACTIVE, CaseState.PAUSED)
