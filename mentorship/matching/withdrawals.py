"""Taking back pending proposals when a request or a mentor leaves matching.

Kept apart from `services` (tables only) so the request and pool services can call it
without importing the matcher, which imports them.
"""

from __future__ import annotations

from mentorship.assistance.states import RequestState
from mentorship.assistance.tables import AssistanceRequest
from mentorship.lib import clock
from mentorship.matching.states import ProposalStatus
from mentorship.matching.tables import MatchProposal


async def withdraw_for_request(request_id: int) -> None:
    """The request was withdrawn: its pending proposal goes with it (caller's transaction)."""
    await MatchProposal.update(
        {
            MatchProposal.status: ProposalStatus.WITHDRAWN.value,
            MatchProposal.decided_at: clock.now(),
        }
    ).where(
        (MatchProposal.request == request_id)
        & (MatchProposal.status == ProposalStatus.PENDING.value)
    )


async def withdraw_for_mentor(mentor_id: int, reason: str) -> int:
    """The mentor stopped taking cases: their pending proposals are withdrawn and those
    requests wait for the next run again (caller's transaction). Returns how many."""
    pending = MatchProposal.status == ProposalStatus.PENDING.value
    rows = await MatchProposal.select(MatchProposal.request).where(
        (MatchProposal.mentor == mentor_id) & pending
    )
    request_ids = [row["request"] for row in rows]
    if not request_ids:
        return 0
    # Requests before proposals: the order every matching writer locks them in.
    await AssistanceRequest.update({AssistanceRequest.state: RequestState.OPEN.value}).where(
        AssistanceRequest.id.is_in(request_ids)
        & (AssistanceRequest.state == RequestState.PROPOSED.value)
    )
    await MatchProposal.update(
        {
            MatchProposal.status: ProposalStatus.WITHDRAWN.value,
            MatchProposal.decided_at: clock.now(),
            MatchProposal.decision_reason: reason,
        }
    ).where((MatchProposal.mentor == mentor_id) & pending)
    return len(request_ids)
