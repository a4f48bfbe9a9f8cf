"""Approvals racing for a mentor's last slots: never more cases than capacity, and every
loser told why with a 409, on SQLite and on PostgreSQL."""

from __future__ import annotations

import asyncio
import copy

import pytest

from mentorship.agreement import services as agreement
from mentorship.agreement.schemas import VersionPublish
from mentorship.agreement.terms import DEFAULT_TERMS, terms_to_dict
from mentorship.cases.tables import Case
from mentorship.lib.errors import Conflict
from mentorship.matching import review, runs
from mentorship.matching.tables import MatchProposal
from mentorship.pool import mentors
from tests.matching_api.conftest import District

CONTENDERS = 8
SLOTS_LEFT = 2


async def contended(world: District) -> tuple[int, list[int]]:
    """One mentor proposed for CONTENDERS requests, then left with SLOTS_LEFT slots."""
    terms = copy.deepcopy(terms_to_dict(DEFAULT_TERMS))
    terms["caseload_cap"] = CONTENDERS
    await agreement.publish(
        VersionPublish(terms=terms, summary="Bigger caseloads for the race"), world.coordinator.id
    )
    mentor = await world.mentor("Lena Park", capacity=CONTENDERS)
    for n in range(CONTENDERS):
        await world.request(await world.person(f"Person {n}"))
    body = await runs.run_matching(world.coordinator.id)
    assert body.matched_count == CONTENDERS
    assert {p.mentor_id for p in body.proposals} == {mentor.id}
    await mentors.set_capacity(mentor.id, SLOTS_LEFT)
    return mentor.id, [p.id for p in body.proposals if p.id is not None]


@pytest.mark.parametrize("repeat", range(3))
async def test_concurrent_approvals_never_exceed_the_mentors_capacity(world: District, repeat):
    mentor_id, proposal_ids = await contended(world)

    results = await asyncio.gather(
        *(review.approve(pid, world.coordinator.id) for pid in proposal_ids),
        return_exceptions=True,
    )

    winners = [r for r in results if not isinstance(r, BaseException)]
    losers = [r for r in results if isinstance(r, BaseException)]
    for loser in losers:
        if not isinstance(loser, Conflict):
            raise loser
        assert loser.status_code == 409
        assert loser.message == (
            "Lena Park cannot take it: the mentor has no free capacity for this request"
        )
    assert len(winners) == SLOTS_LEFT, results
    assert await Case.count().where(Case.mentor == mentor_id) == SLOTS_LEFT
    assert await MatchProposal.count().where(MatchProposal.status == "approved") == SLOTS_LEFT


async def test_concurrent_approvals_over_http_get_409s(world: District):
    mentor_id, proposal_ids = await contended(world)
    clients = [world.coordinator.api]
    for _ in range(3):
        clients.append((await world.signed_in(world.coordinator)).api)

    responses = await asyncio.gather(
        *(
            clients[n % len(clients)].post(f"/api/v1/matching/proposals/{pid}/approve")
            for n, pid in enumerate(proposal_ids)
        )
    )

    codes = sorted(r.status_code for r in responses)
    assert codes == [200] * SLOTS_LEFT + [409] * (CONTENDERS - SLOTS_LEFT), [
        r.text for r in responses
    ]
    for response in responses:
        if response.status_code == 409:
            assert "no free capacity" in response.json()["detail"]
    assert await Case.count().where(Case.mentor == mentor_id) == SLOTS_LEFT
