"""Reviewing proposals: the coordinator approves, rejects, overrides or assigns by hand; the
employee may decline a suggested mentor once."""

from __future__ import annotations

import json
from typing import Any

from mentorship.accounts.services import lock_account
from mentorship.assistance.states import RequestState, Track
from mentorship.assistance.tables import AssistanceRequest
from mentorship.audit import services as audit
from mentorship.cases import lifecycle
from mentorship.cases import services as cases
from mentorship.cases.access import Actor
from mentorship.cases.schemas import CaseRead
from mentorship.district import profiles
from mentorship.district.tables import Employee
from mentorship.lib import clock, db
from mentorship.lib.errors import Conflict, NotFound
from mentorship.lib.messages import Message
from mentorship.matching import solver
from mentorship.matching.loading import MATCHABLE_STATES, Loaded, load_problem
from mentorship.matching.messages import MATCHING, cannot_take
from mentorship.matching.recording import stored_parts
from mentorship.matching.runs import get_proposal, latest_run_id
from mentorship.matching.schemas import (
    Approval,
    ApproveAllResult,
    MentorOffer,
    MessageRead,
    ProposalRead,
    Refusal,
)
from mentorship.matching.states import (
    BanScope,
    BanSource,
    ProposalOrigin,
    ProposalStatus,
)
from mentorship.matching.tables import MatchProposal, MatchRun, PairBan

# --- review ---------------------------------------------------------------------------------


async def _locked_for_review(proposal_id: int) -> tuple[dict[str, Any], dict[str, Any]]:
    """Lock (mentor, then request, then proposal) and check the proposal can be reviewed."""
    head = (
        await MatchProposal.select(MatchProposal.mentor, MatchProposal.request)
        .where(MatchProposal.id == proposal_id)
        .first()
    )
    if head is None:
        raise NotFound(MATCHING("no_proposal", proposal_id=proposal_id))
    await lock_account(head["mentor"])
    request = await db.for_update(
        AssistanceRequest.select().where(AssistanceRequest.id == head["request"])
    ).first()
    proposal = await db.for_update(
        MatchProposal.select().where(MatchProposal.id == proposal_id)
    ).first()
    if request is None or proposal is None:  # deleted since the first read
        raise NotFound(MATCHING("no_proposal", proposal_id=proposal_id))
    status = ProposalStatus(proposal["status"])
    if status is ProposalStatus.SUPERSEDED:
        raise Conflict(MATCHING("superseded"))
    if status is not ProposalStatus.PENDING:
        raise Conflict(MATCHING(f"already_decided.{status.value}"))
    if request["state"] != RequestState.PROPOSED:
        state = RequestState(request["state"]).words
        raise Conflict(MATCHING("no_longer_waiting_state", state=state))
    return proposal, request


async def _check_pair(
    request_id: int, mentor_id: int, request_states: list[str] = MATCHABLE_STATES
) -> Loaded:
    """Check the pair against today's data with the run's own rules; 409 naming what fails."""
    loaded = await load_problem(
        request_ids=[request_id], mentor_ids=[mentor_id], request_states=request_states
    )
    if not loaded.problem.requests:
        raise Conflict(MATCHING("no_longer_waiting"))
    if not loaded.problem.mentors:
        name = (await profiles.names_of([mentor_id])).get(mentor_id, f"account {mentor_id}")
        raise Conflict(MATCHING("not_in_pool", mentor=name))
    broken = solver.violations(loaded.problem)
    if broken:
        max_travel = loaded.problem.rules.max_travel_minutes
        name = loaded.names.get(mentor_id, "this mentor")
        raise Conflict(cannot_take(name, broken, max_travel))
    return loaded


async def check_reassignment(request_id: int, mentor_id: int) -> None:
    """Refuse (409, naming the rule) a new mentor for a case who breaks a hard constraint.

    The caller holds the new mentor's account lock, so capacity cannot change underneath.
    """
    await _check_pair(request_id, mentor_id, [RequestState.MATCHED.value])


async def reassign_case(case_id: int, actor: Actor, mentor_id: int, reason: str) -> CaseRead:
    """Give a case to another mentor who meets every matching rule for its request."""
    return await lifecycle.reassign(case_id, actor, mentor_id, reason, eligible=check_reassignment)


async def _open_case(
    request: dict[str, Any], mentor_id: int, coordinator_id: int | None, loaded: Loaded
) -> int:
    track = Track(request["track"])
    case_id = await cases.open_case(
        request_id=request["id"],
        employee_id=request["employee"],
        mentor_id=mentor_id,
        track=track,
        weight=loaded.problem.rules.referred_weight if track is Track.REFERRED else 1,
        agreement_version=loaded.agreement_version,
        opened_by=coordinator_id,
    )
    await AssistanceRequest.update(
        {
            AssistanceRequest.state: RequestState.MATCHED.value,
            AssistanceRequest.closed_at: clock.now(),
            AssistanceRequest.closed_by: coordinator_id,
        }
    ).where(AssistanceRequest.id == request["id"])
    return case_id


_DECISION_ACTIONS = {
    ProposalStatus.APPROVED: "approve",
    ProposalStatus.REJECTED: "reject",
    ProposalStatus.OVERRIDDEN: "override",
    ProposalStatus.DECLINED: "decline",
}


async def _record_decision(
    proposal_id: int,
    status: ProposalStatus,
    actor_id: int,
    reason: str = "",
    case_id: int | None = None,
) -> None:
    """Write a review decision on a proposal, and audit it (inside the caller's transaction)."""
    values: dict[Any, Any] = {
        MatchProposal.status: status.value,
        MatchProposal.decided_at: clock.now(),
        MatchProposal.decided_by: actor_id,
        MatchProposal.decision_reason: reason.strip(),
    }
    if case_id is not None:
        values[MatchProposal.case] = case_id
    await MatchProposal.update(values).where(MatchProposal.id == proposal_id)
    employee_decided = status is ProposalStatus.DECLINED
    await audit.record(
        action=_DECISION_ACTIONS[status],
        object_type="proposal",
        object_id=proposal_id,
        actor_id=actor_id,
        actor_role="employee" if employee_decided else "coordinator",
        purpose="review a proposed match",
        details={} if case_id is None else {"case_id": case_id},
    )


async def approve(proposal_id: int, coordinator_id: int) -> Approval:
    """Approve a proposal: the case opens and takes the mentor's capacity, atomically.

    The pair is checked again against current data (capacity, suspension, training, …):
    two approvals racing for a mentor's last slot queue on the mentor's lock, and the
    second finds the capacity gone.
    """
    async with db.transaction():
        proposal, request = await _locked_for_review(proposal_id)
        loaded = await _check_pair(request["id"], proposal["mentor"])
        case_id = await _open_case(request, proposal["mentor"], coordinator_id, loaded)
        await _record_decision(
            proposal_id, ProposalStatus.APPROVED, coordinator_id, case_id=case_id
        )
    return Approval(proposal=await get_proposal(proposal_id), case_id=case_id)


async def approve_all(run_id: int, coordinator_id: int) -> ApproveAllResult:
    """Approve every pending proposal of the latest run, each on its own; report refusals."""
    if not await MatchRun.exists().where(MatchRun.id == run_id):
        raise NotFound(MATCHING("no_run", run_id=run_id))
    if run_id != await latest_run_id():
        raise Conflict(MATCHING("run_superseded", run_id=run_id))
    pending = (
        await MatchProposal.select(MatchProposal.id, MatchProposal.request)
        .where(
            (MatchProposal.run == run_id) & (MatchProposal.status == ProposalStatus.PENDING.value)
        )
        .order_by(MatchProposal.id)
    )
    approved: list[Approval] = []
    refused: list[Refusal] = []
    for row in pending:
        try:
            approved.append(await approve(row["id"], coordinator_id))
        except Conflict as refusal:
            coded = refusal.reason
            reason = MessageRead.of(coded) if isinstance(coded, Message) else None
            refused.append(Refusal(row["id"], row["request"], refusal.message, reason))
    return ApproveAllResult(approved=approved, refused=refused)


async def _ban(
    request: dict[str, Any],
    mentor_id: int,
    scope: BanScope,
    source: BanSource,
    reason: str,
    actor_id: int,
) -> None:
    await PairBan.insert(
        PairBan(
            request=request["id"],
            employee=request["employee"],
            mentor=mentor_id,
            scope=scope.value,
            source=source.value,
            reason=reason,
            created_at=clock.now(),
            created_by=actor_id,
        )
    )


async def _back_to_queue(request_id: int) -> None:
    await AssistanceRequest.update({AssistanceRequest.state: RequestState.OPEN.value}).where(
        AssistanceRequest.id == request_id
    )


async def reject(
    proposal_id: int, coordinator_id: int, reason: str, scope: BanScope
) -> ProposalRead:
    """Reject a proposal: the pair is banned from later runs and the request waits again."""
    async with db.transaction():
        proposal, request = await _locked_for_review(proposal_id)
        await _ban(
            request,
            proposal["mentor"],
            scope,
            BanSource.COORDINATOR,
            reason.strip(),
            coordinator_id,
        )
        await _record_decision(proposal_id, ProposalStatus.REJECTED, coordinator_id, reason)
        await _back_to_queue(request["id"])
    return await get_proposal(proposal_id)


async def _assign(
    request: dict[str, Any], mentor_id: int, coordinator_id: int, reason: str, run_id: int
) -> Approval:
    """Open a case with a mentor the coordinator chose, recorded as an override proposal."""
    loaded = await _check_pair(request["id"], mentor_id)
    # The solver on the single pair gives the same explanation a run would have.
    outcome = solver.solve(loaded.problem)
    result = outcome.proposals[0]
    case_id = await _open_case(request, mentor_id, coordinator_id, loaded)
    inserted = await MatchProposal.insert(
        MatchProposal(
            run=run_id,
            request=request["id"],
            mentor=mentor_id,
            origin=ProposalOrigin.OVERRIDE.value,
            status=ProposalStatus.APPROVED.value,
            cost=result.cost,
            parts=json.dumps(stored_parts(result)),
            explanation=json.dumps(result.summary.as_dict()),
            alternatives=json.dumps([]),
            decided_at=clock.now(),
            decided_by=coordinator_id,
            decision_reason=reason.strip(),
            case=case_id,
        )
    ).returning(MatchProposal.id)
    new_id = int(inserted[0]["id"])
    await audit.record(
        action="assign",
        object_type="proposal",
        object_id=new_id,
        actor_id=coordinator_id,
        actor_role="coordinator",
        purpose="assign a mentor chosen by the coordinator",
        details={"case_id": case_id, "request_id": request["id"]},
    )
    return Approval(proposal=await get_proposal(new_id), case_id=case_id)


async def override(proposal_id: int, mentor_id: int, coordinator_id: int, reason: str) -> Approval:
    """Assign a different mentor than proposed; refused (409) naming the broken rule."""
    head = (
        await MatchProposal.select(MatchProposal.mentor)
        .where(MatchProposal.id == proposal_id)
        .first()
    )
    if head is None:
        raise NotFound(MATCHING("no_proposal", proposal_id=proposal_id))
    if head["mentor"] == mentor_id:
        raise Conflict(MATCHING("same_mentor"))
    async with db.transaction():
        # Both mentors, lowest id first: two crossing overrides cannot deadlock.
        for account in sorted({mentor_id, head["mentor"]}):
            await lock_account(account)
        proposal, request = await _locked_for_review(proposal_id)
        approval = await _assign(request, mentor_id, coordinator_id, reason, proposal["run"])
        await _record_decision(proposal_id, ProposalStatus.OVERRIDDEN, coordinator_id, reason)
    return approval


async def assign_unmatched(
    request_id: int, mentor_id: int, coordinator_id: int, reason: str
) -> Approval:
    """Assign a mentor by hand to an open request the latest run left unmatched."""
    async with db.transaction():
        await lock_account(mentor_id)
        request = await db.for_update(
            AssistanceRequest.select().where(AssistanceRequest.id == request_id)
        ).first()
        if request is None:
            raise NotFound(MATCHING("no_request", request_id=request_id))
        if request["state"] == RequestState.PROPOSED:
            raise Conflict(MATCHING("pending_proposal"))
        if request["state"] != RequestState.OPEN:
            state = RequestState(request["state"]).words
            raise Conflict(MATCHING("not_waiting_state", state=state))
        return await _assign(request, mentor_id, coordinator_id, reason, await latest_run_id())


# --- the employee's view --------------------------------------------------------------------


async def _pending_for_employee(request_id: int, employee_id: int) -> dict[str, Any]:
    request = (
        await AssistanceRequest.select(
            AssistanceRequest.id, AssistanceRequest.employee, AssistanceRequest.state
        )
        .where(AssistanceRequest.id == request_id)
        .first()
    )
    if request is None or request["employee"] != employee_id:
        raise NotFound(MATCHING("no_request", request_id=request_id))
    proposal = (
        await MatchProposal.select(MatchProposal.id, MatchProposal.mentor)
        .where(
            (MatchProposal.request == request_id)
            & (MatchProposal.status == ProposalStatus.PENDING.value)
        )
        .first()
    )
    if proposal is None:
        raise NotFound(MATCHING("no_offer"))
    return proposal


async def _has_declined(request_id: int) -> bool:
    return await PairBan.exists().where(
        (PairBan.request == request_id) & (PairBan.source == BanSource.EMPLOYEE.value)
    )


async def mentor_offer(request_id: int, employee_id: int) -> MentorOffer:
    """The mentor proposed for the employee's own request."""
    proposal = await _pending_for_employee(request_id, employee_id)
    mentor = proposal["mentor"]
    profile = (
        await Employee.select(
            Employee.site.name.as_alias("site_name"),
            Employee.job_role.name.as_alias("job_role"),
            Employee.languages,
        )
        .where(Employee.account == mentor)
        .first()
    )
    return MentorOffer(
        proposal_id=proposal["id"],
        request_id=request_id,
        mentor_name=(await profiles.names_of([mentor])).get(mentor, ""),
        site_name=profile["site_name"] if profile else None,
        job_role=profile["job_role"] if profile else None,
        languages=profiles.stored_languages(profile["languages"]) if profile else [],
        may_decline=not await _has_declined(request_id),
    )


async def decline_offer(request_id: int, employee_id: int, reason: str) -> None:
    """The employee declines the proposed mentor, once per request; that pair is barred."""
    async with db.transaction():
        request = await db.for_update(
            AssistanceRequest.select().where(AssistanceRequest.id == request_id)
        ).first()
        if request is None or request["employee"] != employee_id:
            raise NotFound(MATCHING("no_request", request_id=request_id))
        proposal = await _pending_for_employee(request_id, employee_id)
        if await _has_declined(request_id):
            raise Conflict(MATCHING("declined_once"))
        await _ban(
            request,
            proposal["mentor"],
            BanScope.PERSON,
            BanSource.EMPLOYEE,
            reason.strip(),
            employee_id,
        )
        await _record_decision(proposal["id"], ProposalStatus.DECLINED, employee_id, reason)
        await _back_to_queue(request_id)
