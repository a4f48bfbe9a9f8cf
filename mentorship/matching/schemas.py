"""Request and response shapes of the matching API."""

from __future__ import annotations

from datetime import datetime
from typing import Annotated

import msgspec

from mentorship.matching.problem import UnmatchedKind, Weights
from mentorship.matching.states import BanScope, ProposalOrigin, ProposalStatus, RunSource

Reason = Annotated[str, msgspec.Meta(min_length=1, max_length=2000, pattern=r"\S")]


class RunCreate(msgspec.Struct, forbid_unknown_fields=True):
    """Start a run. Weights left out keep their documented defaults."""

    dry_run: bool = False
    weights: Weights | None = None


class CostPartRead(msgspec.Struct):
    """One component of a proposal's cost, with what it means."""

    key: str
    cost: float
    reason: str


class AlternativeRead(msgspec.Struct):
    """A mentor who could have taken the request instead."""

    mentor_id: int
    mentor_name: str
    cost: float
    worse_by: float
    reasons: list[str]
    fully_used: bool


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
    alternatives: list[AlternativeRead]
    decided_at: datetime | None = None
    decided_by_name: str | None = None
    decision_reason: str = ""
    case_id: int | None = None


class UnmatchedRead(msgspec.Struct):
    """A request a run left without a proposal, and why."""

    request_id: int
    employee_name: str
    kind: UnmatchedKind
    message: str
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
    """A proposal that could not be approved, and why."""

    proposal_id: int
    request_id: int
    reason: str


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
