"""Request tracks, states and urgency (PRODUCT §6)."""

from __future__ import annotations

from enum import StrEnum


class Track(StrEnum):
    """How the request came in."""

    VOLUNTARY = "voluntary"
    REFERRED = "referred"


class RequestState(StrEnum):
    """Where a request stands; the last four end it."""

    AWAITING_CONSENT = "awaiting_consent"
    OPEN = "open"
    PROPOSED = "proposed"
    MATCHED = "matched"
    DECLINED = "declined"
    WITHDRAWN = "withdrawn"
    CANCELLED = "cancelled"

    @property
    def words(self) -> str:
        """The state in plain words, for messages people read."""
        return _REQUEST_STATE_WORDS[self]


_REQUEST_STATE_WORDS = {
    RequestState.AWAITING_CONSENT: "waiting for the employee's answer",
    RequestState.OPEN: "waiting for a mentor",
    RequestState.PROPOSED: "waiting for the coordinator's review of a proposed mentor",
    RequestState.MATCHED: "matched with a mentor",
    RequestState.DECLINED: "declined",
    RequestState.WITHDRAWN: "withdrawn",
    RequestState.CANCELLED: "cancelled",
}


# Matching has not finished with these: they may still be withdrawn.
PENDING_STATES = (RequestState.AWAITING_CONSENT, RequestState.OPEN, RequestState.PROPOSED)

# A person has at most one of these at a time. A referral still waiting for consent does not
# count: refusing a referral because of a pending self-request would tell the supervisor
# that a confidential request exists. The employee meets the rule when consenting instead.
ACTIVE_STATES = (RequestState.OPEN, RequestState.PROPOSED)


class Urgency(StrEnum):
    """How soon help is needed; urgent requests win when mentors are scarce."""

    NORMAL = "normal"
    URGENT = "urgent"


class ConsentDecision(StrEnum):
    """The employee's answer to a referral."""

    CONSENT = "consent"
    DECLINE = "decline"
