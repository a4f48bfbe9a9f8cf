"""Opening the demo cases: who takes part, which proposals are approved, dates moved back."""

from __future__ import annotations

import random
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from mentorship.access.roles import Role
from mentorship.accounts.services import email_key
from mentorship.accounts.tables import Account, AccountRole
from mentorship.assistance.states import Track
from mentorship.assistance.tables import AssistanceRequest, RequestSkill
from mentorship.cases.tables import Case, CaseAssignment
from mentorship.demo.cases_data import CASE_COUNT, REFERRED_SHARE
from mentorship.lib.errors import Conflict
from mentorship.matching import review, runs
from mentorship.matching.states import ProposalStatus
from mentorship.matching.tables import MatchProposal


@dataclass(frozen=True)
class DemoActor:
    """Someone acting through the case services (fits `cases.access.Actor`)."""

    account_id: int
    display_name: str
    roles: frozenset[Role]

    @property
    def first_name(self) -> str:
        """How a mentor addresses them."""
        return self.display_name.split()[0]


async def demo_account_ids(linked: dict[str, str]) -> dict[str, int]:
    """The demo sign-ins' account ids, by role name."""
    found = {}
    for role, email in linked.items():
        row = await Account.select(Account.id).where(Account.email_key == email_key(email)).first()
        if row is not None:
            found[role] = int(row["id"])
    return found


async def actors_of(account_ids: set[int]) -> dict[int, DemoActor]:
    """Everyone who takes part, as the services see them (name and roles)."""
    ids = sorted(account_ids)
    names = {
        row["id"]: row["display_name"]
        for row in await Account.select(Account.id, Account.display_name).where(
            Account.id.is_in(ids)
        )
    }
    roles: dict[int, set[Role]] = {account: set() for account in ids}
    for row in await AccountRole.select(AccountRole.account, AccountRole.role).where(
        AccountRole.account.is_in(ids)
    ):
        roles[row["account"]].add(Role(row["role"]))
    return {
        account: DemoActor(account, names[account], frozenset(roles[account])) for account in ids
    }


async def pending_proposals() -> list[dict[str, Any]]:
    """The latest run's proposals still waiting for review, oldest first."""
    run_id = await runs.latest_run_id()
    rows: list[dict[str, Any]] = (
        await MatchProposal.select(
            MatchProposal.id,
            MatchProposal.mentor,
            MatchProposal.request,
            MatchProposal.request.employee.as_alias("employee"),
            MatchProposal.request.track.as_alias("track"),
        )
        .where(
            (MatchProposal.run == run_id) & (MatchProposal.status == ProposalStatus.PENDING.value)
        )
        .order_by(MatchProposal.id)
    )
    return rows


def choose_proposals(
    rng: random.Random, proposals: list[dict[str, Any]], ours: set[int]
) -> list[dict[str, Any]]:
    """Which proposals to approve: every one involving a demo sign-in, then a seeded mix."""
    own = [p for p in proposals if p["mentor"] in ours or p["employee"] in ours]
    rest = [p for p in proposals if p not in own]
    referred = [p for p in rest if p["track"] == Track.REFERRED.value]
    voluntary = [p for p in rest if p["track"] != Track.REFERRED.value]
    picked_referred = rng.sample(referred, min(len(referred), REFERRED_SHARE))
    room = max(0, CASE_COUNT - len(own) - len(picked_referred))
    picked = own + picked_referred + rng.sample(voluntary, min(len(voluntary), room))
    return sorted(picked, key=lambda p: p["id"])


async def needs_of(request_ids: list[int]) -> dict[int, list[tuple[int, str]]]:
    """Each request's needed skills (id and name), most wanted first."""
    needs: dict[int, list[tuple[int, str, int]]] = {request: [] for request in request_ids}
    for row in await RequestSkill.select(
        RequestSkill.request,
        RequestSkill.skill,
        RequestSkill.skill.name.as_alias("name"),
        RequestSkill.priority,
    ).where(RequestSkill.request.is_in(request_ids or [-1])):
        needs[row["request"]].append((row["skill"], row["name"], row["priority"]))
    return {
        request: [(skill, name) for skill, name, _ in sorted(found, key=lambda n: (-n[2], n[1]))]
        for request, found in needs.items()
    }


async def backdate(case_id: int, opened_at: datetime) -> None:
    """Move a just-approved case's opening into the past (demo only).

    Approval opens a case "now"; a demo with nothing but brand-new cases would show no
    meetings, flags or reports. So the case, its first assignment and, where they would
    come after it, the request's own dates move back; meetings are then logged through the
    real service on days after this opening, which it checks.
    """
    await Case.update({Case.opened_at: opened_at, Case.state_changed_at: opened_at}).where(
        Case.id == case_id
    )
    await CaseAssignment.update({CaseAssignment.started_at: opened_at}).where(
        CaseAssignment.case == case_id
    )
    case = await Case.select(Case.request).where(Case.id == case_id).first()
    assert case is not None
    request = (
        await AssistanceRequest.select(
            AssistanceRequest.filed_at, AssistanceRequest.opened_at, AssistanceRequest.consent_at
        )
        .where(AssistanceRequest.id == case["request"])
        .first()
    )
    assert request is not None
    changes: dict[Any, Any] = {AssistanceRequest.closed_at: opened_at}
    queued = request["opened_at"] or request["filed_at"]
    late = queued - (opened_at - timedelta(days=3))
    if late > timedelta(0):
        changes[AssistanceRequest.filed_at] = request["filed_at"] - late
        if request["opened_at"] is not None:
            changes[AssistanceRequest.opened_at] = request["opened_at"] - late
        if request["consent_at"] is not None:
            changes[AssistanceRequest.consent_at] = request["consent_at"] - late
    await AssistanceRequest.update(changes).where(AssistanceRequest.id == case["request"])


async def approve_proposals(
    chosen: list[dict[str, Any]], coordinator_id: int
) -> list[tuple[dict[str, Any], int, list[int]]]:
    """Approve the proposals as the coordinator: each with its case id and free alternatives."""
    approved = []
    for proposal in chosen:
        try:
            approval = await review.approve(proposal["id"], coordinator_id)
        except Conflict:
            continue  # cannot happen on a fresh run's proposals; a demo never stops for it
        alternatives = [a.mentor_id for a in approval.proposal.alternatives if not a.fully_used]
        approved.append((proposal, approval.case_id, alternatives))
    return approved
