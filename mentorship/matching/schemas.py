"""Request and response shapes of the matching API."""

from __future__ import annotations

from collections.abc import Mapping
from datetime import datetime
from typing import Annotated, Any

import msgspec

from mentorship.lib.messages import Message, word
from mentorship.matching.problem import UnmatchedKind, Weights
from mentorship.matching.states import BanScope, ProposalOrigin, ProposalStatus, RunSource

Reason = Annotated[str, msgspec.Meta(min_length=1, max_length=2000, pattern=r"\S")]


class RunCreate(msgspec.Struct, forbid_unknown_fields=True):
    """Start a run. Weights left out keep their documented defaults."""

    dry_run: bool = False
    weights: Weights | None = None


class MessageRead(msgspec.Struct):
    """A coded message as stored: its code and parameters (a parameter may itself be a
    message, or a list of them, in this same shape). The `_coded` twin of an English field."""

    code: str
    params: dict[str, Any]

    @classmethod
    def of(cls, message: Message) -> MessageRead:
        """The API shape of a message."""
        return msgspec.convert(message.as_dict(), cls)

    @classmethod
    def stored(cls, data: Mapping[str, Any]) -> MessageRead:
        """The API shape of a message as a JSON column stores it."""
        return msgspec.convert(data, cls)

    def message(self) -> Message:
        """The message itself, to word it."""
        return Message.from_dict({"code": self.code, "params": self.params})


def english(stored: Mapping[str, Any]) -> str:
    """A stored coded message in English: the API's word fields, kept for its clients."""
    return word(Message.from_dict(stored))


class CostPartRead(msgspec.Struct):
    """One component of a proposal's cost, with what it means (in English, and coded)."""

    key: str
    cost: float
    reason: str
    reason_coded: MessageRead

    @classmethod
    def stored(cls, part: Mapping[str, Any]) -> CostPartRead:
        """A part as the proposal stores it (its reason a coded message)."""
        reason = part["reason"]
        return cls(part["key"], part["cost"], english(reason), MessageRead.stored(reason))


class AlternativeRead(msgspec.Struct):
    """A mentor who could have taken the request instead (reasons in English, and coded)."""

    mentor_id: int
    mentor_name: str
    cost: float
    worse_by: float
    reasons: list[str]
    reasons_coded: list[MessageRead]
    fully_used: bool

    @classmethod
    def stored(cls, alternative: Mapping[str, Any], mentor_name: str) -> AlternativeRead:
        """An alternative as the proposal stores it (its reasons coded messages)."""
        reasons = alternative["reasons"]
        return cls(
            mentor_id=alternative["mentor_id"],
            mentor_name=mentor_name,
            cost=alternative["cost"],
            worse_by=alternative["worse_by"],
            reasons=[english(reason) for reason in reasons],
            reasons_coded=msgspec.convert(reasons, list[MessageRead]),
            fully_used=alternative["fully_used"],
        )


class ProposalRead(msgspec.Struct):
    """A proposed (or coordinator-chosen) mentor for a request, explained."""

    id: int | None
    run_id: int | None
    request_id: int
    employee_id: int
    employee_name: str
    mentor_id: int
    mentor_name: str
    origin: ProposalOrigin
    status: ProposalStatus
    cost: float
    parts: list[CostPartRead]
    summary: str
    summary_coded: MessageRead
    alternatives: list[AlternativeRead]
    decided_at: datetime | None = None
    decided_by_name: str | None = None
    decision_reason: str = ""
    decision_reason_coded: MessageRead | None = None  # set when the system itself decided
    case_id: int | None = None


class UnmatchedRead(msgspec.Struct):
    """A request a run left without a proposal, and why."""

    request_id: int
    employee_name: str
    kind: UnmatchedKind
    message: str
    message_coded: MessageRead
    excluded: dict[str, int]
    competitors: list[int]


class RunSummary(msgspec.Struct):
    """A run's record: who, when, with what, and the totals (no proposals)."""

    id: int | None
    dry_run: bool
    run_by_id: int | None
    run_by_name: str
    source: RunSource
    started_at: datetime
    finished_at: datetime
    duration_ms: int
    parameters: Weights
    agreement_version: int
    request_count: int
    mentor_count: int
    slot_count: int
    component_count: int
    matched_count: int
    unmatched_count: int
    total_cost: float
    timings: dict[str, float]
    superseded_at: datetime | None = None


class RunRead(RunSummary, kw_only=True):
    """A run with its proposals and unmatched requests."""

    proposals: list[ProposalRead]
    unmatched: list[UnmatchedRead]


class RejectBody(msgspec.Struct, forbid_unknown_fields=True):
    """Why the proposal is rejected, and how far the ban on this pair reaches."""

    reason: Reason
    scope: BanScope = BanScope.REQUEST


class OverrideBody(msgspec.Struct, forbid_unknown_fields=True):
    """Assign a different mentor (account id) than the one proposed, and why."""

    mentor_id: int
    reason: Reason


class Approval(msgspec.Struct):
    """An approved proposal and the case it opened."""

    proposal: ProposalRead
    case_id: int


class Refusal(msgspec.Struct):
    """A proposal that could not be approved, and why (in English, and coded when the
    refusal was a coded message)."""

    proposal_id: int
    request_id: int
    reason: str
    reason_coded: MessageRead | None = None


class ApproveAllResult(msgspec.Struct):
    """What approving a whole run did: each approval, and each refusal with its reason."""

    approved: list[Approval]
    refused: list[Refusal]


class MentorOffer(msgspec.Struct):
    """The proposed mentor as the employee sees them."""

    proposal_id: int
    request_id: int
    mentor_name: str
    site_name: str | None
    job_role: str | None
    languages: list[str]
    may_decline: bool
    """False once the employee has used their one decline for this request."""


class DeclineBody(msgspec.Struct, forbid_unknown_fields=True):
    """The employee's optional reason for declining the proposed mentor."""

    reason: Annotated[str, msgspec.Meta(max_length=2000)] = ""
