"""Taking back pending proposals when a request or a mentor leaves matching: matching's
listeners to what the accounts, pool and requests domains announce (connected in
`mentorship.domains`)."""

from __future__ import annotations

import json

from mentorship.accounts.signals import AccountEvent
from mentorship.assistance.signals import RequestWithdrawn
from mentorship.assistance.states import RequestState
from mentorship.assistance.tables import AssistanceRequest
from mentorship.lib import clock
from mentorship.lib.messages import Message
from mentorship.matching.messages import MATCHING
from mentorship.matching.states import ProposalStatus
from mentorship.matching.tables import MatchProposal
from mentorship.pool.signals import MentorUnavailable


async def withdraw_for_request(event: RequestWithdrawn) -> None:
    """The request was withdrawn: its pending proposal goes with it (caller's transaction)."""
    request_id = event.request_id
    await MatchProposal.update(
        {
            MatchProposal.status: ProposalStatus.WITHDRAWN.value,
            MatchProposal.decided_at: clock.now(),
        }
    ).where(
        (MatchProposal.request == request_id)
        & (MatchProposal.status == ProposalStatus.PENDING.value)
    )


async def withdraw_for_unavailable_mentor(event: MentorUnavailable) -> None:
    """The pool took the mentor out of matching: their pending proposals are withdrawn."""
    await withdraw_for_mentor(event.account_id, event.reason)


async def withdraw_for_deactivated_account(event: AccountEvent) -> None:
    """The account was deactivated: proposals naming it as mentor are withdrawn."""
    await withdraw_for_mentor(event.account_id, MATCHING("withdrawn.account_deactivated"))


async def withdraw_for_mentor(mentor_id: int, reason: Message) -> int:
    """The mentor stopped taking cases: their pending proposals are withdrawn and those
    requests wait for the next run again (caller's transaction), with the coded reason.
    Returns how many."""
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
            MatchProposal.decision_coded: json.dumps(reason.as_dict()),
        }
    ).where((MatchProposal.mentor == mentor_id) & pending)
    return len(request_ids)
