"""A case's life: pausing, resuming, closing, withdrawing, reassigning and legal holds."""

from __future__ import annotations

from collections.abc import Awaitable, Callable, Iterable
from typing import Any

from mentorship.accounts.services import lock_account
from mentorship.assistance.states import Track
from mentorship.cases.access import Access, Actor, authorize, guarded, record
from mentorship.cases.messages import CASES
from mentorship.cases.policy import Action, Relation
from mentorship.cases.schemas import CaseRead, CloseBody
from mentorship.cases.services import fresh
from mentorship.cases.states import CLOSING_OUTCOMES, OPEN_CASE_STATES, CaseOutcome, CaseState
from mentorship.cases.tables import Case, CaseAssignment
from mentorship.lib import clock
from mentorship.lib.errors import Conflict, ValidationFailed

# --- state changes ------------------------------------------------------------------------


async def _set_state(access: Access, changes: dict[Any, Any], action: str, purpose: str) -> None:
    await Case.update({**changes, Case.state_changed_at: clock.now()}).where(
        Case.id == access.case_id
    )
    await record(access, action, purpose=purpose)


def _require_state(access: Access, allowed: Iterable[CaseState], doing: str) -> None:
    state = CaseState(access.case["state"])
    if state not in allowed:
        raise Conflict(CASES("wrong_state", case_id=access.case_id, state=state.value, doing=doing))


async def pause(case_id: int, actor: Actor, reason: str) -> CaseRead:
    """Pause an active case (it keeps the mentor's capacity; no meetings meanwhile)."""

    async def work() -> None:
        access = await authorize(case_id, actor, Action.MANAGE, purpose="pause", lock=True)
        _require_state(access, [CaseState.ACTIVE], "paused")
        await _set_state(
            access,
            {Case.state: CaseState.PAUSED.value, Case.state_reason: reason.strip()},
            "pause",
            reason.strip(),
        )

    await guarded(work)
    return await fresh(case_id)


async def resume(case_id: int, actor: Actor) -> CaseRead:
    """Resume a paused case."""

    async def work() -> None:
        access = await authorize(case_id, actor, Action.MANAGE, purpose="resume", lock=True)
        _require_state(access, [CaseState.PAUSED], "resumed")
        await _set_state(
            access, {Case.state: CaseState.ACTIVE.value, Case.state_reason: ""}, "resume", "resume"
        )

    await guarded(work)
    return await fresh(case_id)


async def _close(access: Access, outcome: CaseOutcome, summary: str, purpose: str) -> None:
    _require_state(access, OPEN_CASE_STATES, "closed")
    if outcome not in CLOSING_OUTCOMES:
        choices = ", ".join(o.value for o in CLOSING_OUTCOMES)
        raise ValidationFailed({"outcome": CASES("closing_outcome", choices=choices)})
    now = clock.now()
    await CaseAssignment.update(
        {CaseAssignment.ended_at: now, CaseAssignment.ended_outcome: outcome.value}
    ).where((CaseAssignment.case == access.case_id) & CaseAssignment.ended_at.is_null())
    await _set_state(
        access,
        {
            Case.state: CaseState.CLOSED.value,
            Case.outcome: outcome.value,
            Case.closed_at: now,
            Case.closed_by: access.actor.account_id,
            Case.closure_summary: summary.strip(),
        },
        "close",
        purpose,
    )


async def close(case_id: int, actor: Actor, data: CloseBody) -> CaseRead:
    """Close a case with an outcome and a non-confidential summary; retention starts now."""

    async def work() -> None:
        access = await authorize(case_id, actor, Action.MANAGE, purpose="close", lock=True)
        await _close(access, data.outcome, data.summary, f"close: {data.outcome.value}")

    await guarded(work)
    return await fresh(case_id)


async def withdraw(case_id: int, actor: Actor) -> CaseRead:
    """The employee leaves a voluntary case, at any time and without giving a reason."""

    async def work() -> None:
        access = await authorize(case_id, actor, Action.WITHDRAW, purpose="withdraw", lock=True)
        if access.case["track"] != Track.VOLUNTARY.value:
            raise Conflict(CASES("referred_closed_by_coordinator"))
        await _close(access, CaseOutcome.WITHDRAWN, "", "the employee withdrew")

    await guarded(work)
    return await fresh(case_id, Relation.MENTEE)


async def propose_closure(case_id: int, actor: Actor, data: CloseBody) -> CaseRead:
    """The mentor proposes closing the case; the coordinator decides."""

    async def work() -> None:
        access = await authorize(
            case_id, actor, Action.PROPOSE_CLOSURE, purpose="propose closure", lock=True
        )
        _require_state(access, OPEN_CASE_STATES, "proposed for closure")
        if data.outcome not in CLOSING_OUTCOMES:
            raise ValidationFailed({"outcome": CASES("proposed_outcome")})
        await Case.update(
            {
                Case.closure_proposed_at: clock.now(),
                Case.closure_proposed_outcome: data.outcome.value,
                Case.closure_proposed_summary: data.summary.strip(),
            }
        ).where(Case.id == case_id)
        await record(access, "propose_closure", purpose=f"propose closure: {data.outcome.value}")

    await guarded(work)
    return await fresh(case_id, Relation.MENTOR)


# Raises when the mentor (second argument) may not take the request (first argument).
Eligibility = Callable[[int, int], Awaitable[None]]


async def reassign(
    case_id: int, actor: Actor, mentor_id: int, reason: str, *, eligible: Eligibility
) -> CaseRead:
    """Give the case to another mentor that `eligible` accepts (matching's rules, passed in by
    matching, which builds on cases). The old mentor's access ends at once.

    The new mentor sees the case, its meetings and the notes shared with the mentee, but
    not the previous mentor's private notes.
    """

    async def work() -> None:
        await lock_account(mentor_id)  # the same lock approvals take: capacity is exact
        access = await authorize(case_id, actor, Action.MANAGE, purpose="reassign", lock=True)
        _require_state(access, OPEN_CASE_STATES, "reassigned")
        if mentor_id == access.case["mentor"]:
            raise ValidationFailed({"mentor_id": CASES("same_mentor")})
        await eligible(access.case["request"], mentor_id)
        now = clock.now()
        await CaseAssignment.update(
            {
                CaseAssignment.ended_at: now,
                CaseAssignment.ended_outcome: CaseOutcome.REASSIGNED.value,
                CaseAssignment.ended_reason: reason.strip(),
            }
        ).where((CaseAssignment.case == case_id) & CaseAssignment.ended_at.is_null())
        await CaseAssignment.insert(CaseAssignment(case=case_id, mentor=mentor_id, started_at=now))
        await Case.update(
            {
                Case.mentor: mentor_id,
                Case.closure_proposed_at: None,
                Case.closure_proposed_outcome: None,
                Case.closure_proposed_summary: "",
            }
        ).where(Case.id == case_id)
        await record(
            access,
            "reassign",
            purpose=reason.strip()[:200],
            details={"from_mentor": access.case["mentor"], "to_mentor": mentor_id},
        )

    await guarded(work)
    return await fresh(case_id)


async def set_legal_hold(case_id: int, actor: Actor, hold: bool, reason: str) -> CaseRead:
    """Set or lift a legal hold; retention never destroys a held case's content."""

    async def work() -> None:
        access = await authorize(case_id, actor, Action.MANAGE, purpose="legal hold", lock=True)
        if access.case["content_destroyed_at"] is not None and hold:
            raise Conflict(CASES("content_destroyed", case_id=case_id))
        await Case.update({Case.legal_hold: hold}).where(Case.id == case_id)
        await record(
            access, "legal_hold" if hold else "lift_legal_hold", purpose=reason.strip()[:200]
        )

    await guarded(work)
    return await fresh(case_id)
