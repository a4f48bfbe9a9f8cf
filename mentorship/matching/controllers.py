"""JSON API for matching: runs, review of proposals, and the employee's proposed mentor."""

from __future__ import annotations

from typing import Annotated, Any

from litestar import Controller, Request, Response, get, post
from litestar.params import FromPath, JSONBody, QueryParameter

from mentorship.access.guards import SIGNED_IN, access, roles
from mentorship.access.principal import Principal
from mentorship.access.roles import Role
from mentorship.cases.schemas import CaseRead, ReassignBody
from mentorship.matching import review, runs
from mentorship.matching.problem import DEFAULT_WEIGHTS, Weights
from mentorship.matching.schemas import (
    Approval,
    ApproveAllResult,
    DeclineBody,
    MentorOffer,
    OverrideBody,
    ProposalRead,
    RejectBody,
    RunCreate,
    RunRead,
    RunSummary,
)

Me = Request[Principal, Any, Any]


class MatchingController(Controller):
    """Match runs and their review; program coordinators only."""

    path = "/matching"
    tags = ["matching"]
    opt = access(roles(Role.COORDINATOR))

    @get("/weights", operation_id="defaultMatchWeights", summary="The default weights")
    async def weights(self) -> Weights:
        """The weights a run uses unless it is given others (see docs/matching.md)."""
        return DEFAULT_WEIGHTS

    @post("/runs", operation_id="runMatching", summary="Run matching")
    async def run(self, request: Me, data: JSONBody[RunCreate | None] = None) -> Response[RunRead]:
        """Match every open request. A dry run shows the result without recording it;
        otherwise the run is recorded and supersedes the open proposals of earlier runs.
        The body may be left out (a recorded run with the default weights)."""
        data = data or RunCreate()
        result = await runs.run_matching(
            request.user.account_id, dry_run=data.dry_run, weights=data.weights
        )
        return Response(result, status_code=200 if data.dry_run else 201)

    @get("/runs", operation_id="listMatchRuns", summary="Recent runs")
    async def runs(
        self, limit: Annotated[int, QueryParameter(ge=1, le=500)] = 50
    ) -> list[RunSummary]:
        """The latest runs, newest first, without their proposals."""
        return await runs.list_runs(limit)

    @get("/runs/latest", operation_id="latestMatchRun", summary="The latest run")
    async def latest(self) -> RunRead:
        """The newest run with its proposals and unmatched requests."""
        return await runs.get_run(await runs.latest_run_id())

    @get("/runs/{run_id:int}", operation_id="getMatchRun", summary="One run")
    async def one_run(self, run_id: FromPath[int]) -> RunRead:
        """A run with its proposals and unmatched requests."""
        return await runs.get_run(run_id)

    @post(
        "/runs/{run_id:int}/approve-all",
        operation_id="approveAllProposals",
        status_code=200,
        summary="Approve every pending proposal of the latest run",
    )
    async def approve_all(self, request: Me, run_id: FromPath[int]) -> ApproveAllResult:
        """Approve each pending proposal on its own; any that cannot be approved any more
        (capacity gone, mentor suspended, request withdrawn) is listed with the reason."""
        return await review.approve_all(run_id, request.user.account_id)

    @get("/proposals/{proposal_id:int}", operation_id="getProposal", summary="One proposal")
    async def proposal(self, proposal_id: FromPath[int]) -> ProposalRead:
        """A proposal with its explanation and review decision."""
        return await runs.get_proposal(proposal_id)

    @post(
        "/proposals/{proposal_id:int}/approve",
        operation_id="approveProposal",
        status_code=200,
        summary="Approve a proposal (opens the case)",
    )
    async def approve(self, request: Me, proposal_id: FromPath[int]) -> Approval:
        """Open the case and take the mentor's capacity; 409 with the reason when the
        proposal is superseded or stale."""
        return await review.approve(proposal_id, request.user.account_id)

    @post(
        "/proposals/{proposal_id:int}/reject",
        operation_id="rejectProposal",
        status_code=200,
        summary="Reject a proposal",
    )
    async def reject(
        self, request: Me, proposal_id: FromPath[int], data: JSONBody[RejectBody]
    ) -> ProposalRead:
        """Reject with a reason; the pair is not proposed again (for this request, or for
        this person with scope "person"), and the request waits for the next run."""
        return await review.reject(proposal_id, request.user.account_id, data.reason, data.scope)

    @post(
        "/proposals/{proposal_id:int}/override",
        operation_id="overrideProposal",
        status_code=200,
        summary="Assign a different mentor",
    )
    async def override(
        self, request: Me, proposal_id: FromPath[int], data: JSONBody[OverrideBody]
    ) -> Approval:
        """Open the case with another mentor; refused (409) naming the rule the pair breaks."""
        return await review.override(
            proposal_id, data.mentor_id, request.user.account_id, data.reason
        )

    @post(
        "/requests/{request_id:int}/assign",
        operation_id="assignMentorByHand",
        status_code=200,
        summary="Assign a mentor to an unmatched request",
    )
    async def assign(
        self, request: Me, request_id: FromPath[int], data: JSONBody[OverrideBody]
    ) -> Approval:
        """Open the case for an open request with a mentor chosen by hand (same checks)."""
        return await review.assign_unmatched(
            request_id, data.mentor_id, request.user.account_id, data.reason
        )


class MentorOfferController(Controller):
    """The mentor proposed for my request, which I may decline once."""

    path = "/requests/{request_id:int}/proposal"
    tags = ["requests"]
    opt = access(SIGNED_IN)

    @get("/", operation_id="myProposedMentor", summary="My proposed mentor")
    async def offer(self, request: Me, request_id: FromPath[int]) -> MentorOffer:
        """Who is proposed as my mentor for this request (404 when nobody is yet)."""
        return await review.mentor_offer(request_id, request.user.account_id)

    @post(
        "/decline",
        operation_id="declineProposedMentor",
        status_code=204,
        summary="Decline my proposed mentor",
    )
    async def decline(
        self, request: Me, request_id: FromPath[int], data: JSONBody[DeclineBody]
    ) -> None:
        """Decline once per request, without giving a reason if you prefer; this mentor
        will not be proposed to you again and the request waits for the next run."""
        await review.decline_offer(request_id, request.user.account_id, data.reason)


class CaseReassignmentController(Controller):
    """Giving a case to another mentor: matching's rules decide who may take it."""

    path = "/cases"
    tags = ["cases"]
    opt = access(SIGNED_IN)

    @post(
        "/{case_id:int}/reassign",
        operation_id="reassignCase",
        status_code=200,
        summary="Give the case to another mentor",
    )
    async def reassign(
        self, request: Me, case_id: FromPath[int], data: JSONBody[ReassignBody]
    ) -> CaseRead:
        """The new mentor must meet every matching rule; the old one loses access at once."""
        return await review.reassign_case(case_id, request.user, data.mentor_id, data.reason)
