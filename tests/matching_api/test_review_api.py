"""Reviewing proposals: approve, reject, override, assign, approve all, and the employee's
one decline — with every refusal and its reason."""

from __future__ import annotations

from mentorship.access.roles import Role
from mentorship.assistance.tables import AssistanceRequest
from mentorship.cases.tables import Case
from mentorship.district import sites
from mentorship.matching.tables import PairBan
from mentorship.pool import applications, mentors
from tests.matching_api.conftest import (
    API,
    MATCHING,
    RUNS,
    District,
    proposal_for,
    run,
    unmatched_for,
)

PROPOSALS = f"{MATCHING}/proposals"


async def state_of(request_id: int) -> str:
    row = (
        await AssistanceRequest.select(AssistanceRequest.state)
        .where(AssistanceRequest.id == request_id)
        .first()
    )
    assert row is not None
    return str(row["state"])


async def test_approving_opens_the_case_and_takes_the_mentors_capacity(world: District):
    ana = await world.person("Ana Lopez")
    request_id = await world.request(ana)
    lena = await world.mentor("Lena Park", capacity=1)
    proposal = proposal_for(await run(world), request_id)

    response = await world.coordinator.api.post(f"{PROPOSALS}/{proposal['id']}/approve")

    assert response.status_code == 200, response.text
    body = response.json()
    assert body["proposal"]["status"] == "approved"
    assert body["proposal"]["decided_by_name"] == "Rosa Coordinator"
    case = await Case.select().where(Case.id == body["case_id"]).first()
    assert case is not None
    assert (case["employee"], case["mentor"], case["state"]) == (ana.id, lena.id, "active")
    assert (case["weight"], case["agreement_version"], case["track"]) == (1, 1, "voluntary")
    assert await state_of(request_id) == "matched"

    again = await world.coordinator.api.post(f"{PROPOSALS}/{proposal['id']}/approve")
    assert again.status_code == 409
    assert again.json()["detail"] == "this proposal was already approved"

    # Approved pairs are pinned: the next run leaves them alone, and Lena is full.
    ben = await world.person("Ben Ortiz")
    ben_request = await world.request(ben)
    body = await run(world)
    assert [p["request_id"] for p in body["proposals"]] == []
    assert unmatched_for(body, ben_request)["excluded"] == {"capacity": 1}


async def test_a_referred_case_weighs_what_the_agreement_says(world: District):
    boss = await world.person("Boss", Role.SUPERVISOR)
    ana = await world.person("Ana Lopez", supervisor=boss)
    request_id = await world.referral(boss, ana)
    await world.mentor("Lena Park", capacity=2)
    proposal = proposal_for(await run(world), request_id)
    body = (await world.coordinator.api.post(f"{PROPOSALS}/{proposal['id']}/approve")).json()
    case = await Case.select(Case.weight, Case.track).where(Case.id == body["case_id"]).first()
    assert case == {"weight": 2, "track": "referred"}


async def test_rejecting_bans_the_pair_and_returns_the_request_to_the_queue(world: District):
    ana = await world.person("Ana Lopez")
    request_id = await world.request(ana)
    lena = await world.mentor("Lena Park")
    omar = await world.mentor("Omar Diaz", skills={"CPR": 3})
    proposal = proposal_for(await run(world), request_id)
    assert proposal["mentor_id"] == lena.id

    missing = await world.coordinator.api.post(f"{PROPOSALS}/{proposal['id']}/reject", json={})
    assert missing.status_code == 400 or missing.status_code == 422
    blank = await world.coordinator.api.post(
        f"{PROPOSALS}/{proposal['id']}/reject", json={"reason": "   "}
    )
    assert blank.status_code in (400, 422) and "reason" in blank.text

    response = await world.coordinator.api.post(
        f"{PROPOSALS}/{proposal['id']}/reject", json={"reason": "They worked together before."}
    )

    assert response.status_code == 200, response.text
    assert response.json()["status"] == "rejected"
    assert response.json()["decision_reason"] == "They worked together before."
    assert await state_of(request_id) == "open"
    # The next run does not propose Lena for this request again.
    assert proposal_for(await run(world), request_id)["mentor_id"] == omar.id


async def test_a_person_wide_rejection_also_covers_the_persons_later_requests(world: District):
    ana = await world.person("Ana Lopez", client=True)
    first = await world.request(ana)
    lena = await world.mentor("Lena Park")
    proposal = proposal_for(await run(world), first)
    response = await world.coordinator.api.post(
        f"{PROPOSALS}/{proposal['id']}/reject",
        json={"reason": "The mentor declined this mentee.", "scope": "person"},
    )
    assert response.status_code == 200, response.text
    assert (await ana.api.post(f"{API}/requests/{first}/withdraw")).status_code == 200
    second = await world.request(ana)

    unmatched = unmatched_for(await run(world), second)

    assert unmatched["excluded"] == {"declined": 1}
    assert lena.id not in [p["mentor_id"] for p in (await run(world))["proposals"]]


async def test_overriding_assigns_another_feasible_mentor(world: District):
    ana = await world.person("Ana Lopez")
    request_id = await world.request(ana)
    lena = await world.mentor("Lena Park")
    omar = await world.mentor("Omar Diaz", skills={"CPR": 3})
    proposal = proposal_for(await run(world), request_id)
    assert proposal["mentor_id"] == lena.id

    same = await world.coordinator.api.post(
        f"{PROPOSALS}/{proposal['id']}/override",
        json={"mentor_id": lena.id, "reason": "Same one."},
    )
    assert same.status_code == 409 and "approve the proposal instead" in same.json()["detail"]

    response = await world.coordinator.api.post(
        f"{PROPOSALS}/{proposal['id']}/override",
        json={"mentor_id": omar.id, "reason": "Omar knows the school."},
    )

    assert response.status_code == 200, response.text
    body = response.json()
    assert body["proposal"]["origin"] == "override"
    assert body["proposal"]["mentor_name"] == "Omar Diaz"
    assert body["proposal"]["decision_reason"] == "Omar knows the school."
    assert "does not cover the needed skill (De-escalation)" in body["proposal"]["summary"]
    case = await Case.select(Case.mentor).where(Case.id == body["case_id"]).first()
    assert case == {"mentor": omar.id}
    original = (await world.coordinator.api.get(f"{PROPOSALS}/{proposal['id']}")).json()
    assert original["status"] == "overridden"
    assert await state_of(request_id) == "matched"


async def test_an_infeasible_override_is_refused_naming_the_rule(world: District):
    ana = await world.person("Ana Lopez")
    request_id = await world.request(ana)
    await world.mentor("Lena Park")
    neighbour = await world.mentor("Nina North", site="north")
    stranger = await world.person("Not A Mentor")
    proposal = proposal_for(await run(world), request_id)

    refused = await world.coordinator.api.post(
        f"{PROPOSALS}/{proposal['id']}/override",
        json={"mentor_id": neighbour.id, "reason": "Closer."},
    )
    assert refused.status_code == 409
    assert refused.json()["detail"] == (
        "Nina North cannot take it: the mentor works at the employee's site, which the"
        " agreement forbids"
    )
    not_pool = await world.coordinator.api.post(
        f"{PROPOSALS}/{proposal['id']}/override",
        json={"mentor_id": stranger.id, "reason": "Why not."},
    )
    assert not_pool.status_code == 409
    assert "is not an approved member of the mentor pool" in not_pool.json()["detail"]
    # Nothing changed.
    assert (await world.coordinator.api.get(f"{PROPOSALS}/{proposal['id']}")).json()[
        "status"
    ] == "pending"
    assert await Case.count() == 0


async def test_a_coordinator_can_assign_an_unmatched_request_by_hand(world: District):
    far = await world.person("Far Away", site="east")
    request_id = await world.request(far)
    lena = await world.mentor("Lena Park", site="south")
    unmatched_for(await run(world), request_id)

    refused = await world.coordinator.api.post(
        f"{MATCHING}/requests/{request_id}/assign",
        json={"mentor_id": lena.id, "reason": "She can drive."},
    )
    assert refused.status_code == 409
    assert "more than 45 min apart" in refused.json()["detail"]

    # A new road: south → north → east is now 15 + 30 = 45 minutes, within the limit.
    await sites.set_link(world.sites["north"], world.sites["east"], 30)
    response = await world.coordinator.api.post(
        f"{MATCHING}/requests/{request_id}/assign",
        json={"mentor_id": lena.id, "reason": "She can drive."},
    )
    assert response.status_code == 200, response.text
    assert response.json()["proposal"]["origin"] == "override"
    assert await state_of(request_id) == "matched"


async def test_stale_proposals_are_refused_with_the_reason(world: District, frozen_clock):
    people = [await world.person(name, client=True) for name in ("Ana", "Ben", "Cy")]
    requests = [await world.request(person) for person in people]
    lena = await world.mentor("Lena Park")
    body = await run(world)
    ana_p, ben_p, cy_p = (proposal_for(body, r) for r in requests)

    # Capacity gone.
    await mentors.set_capacity(lena.id, 1)
    assert (
        await world.coordinator.api.post(f"{PROPOSALS}/{ana_p['id']}/approve")
    ).status_code == 200
    full = await world.coordinator.api.post(f"{PROPOSALS}/{ben_p['id']}/approve")
    assert full.status_code == 409
    assert full.json()["detail"] == (
        "Lena Park cannot take it: the mentor has no free capacity for this request"
    )
    # Request withdrawn.
    assert (await people[2].api.post(f"{API}/requests/{requests[2]}/withdraw")).status_code == 200
    withdrawn = await world.coordinator.api.post(f"{PROPOSALS}/{cy_p['id']}/approve")
    assert withdrawn.status_code == 409
    assert withdrawn.json()["detail"] == "this proposal was already withdrawn"

    # Mentor suspended: the pending proposal goes back to the queue at once.
    await mentors.set_capacity(lena.id, 3)
    body = await run(world)
    ben_p = proposal_for(body, requests[1])
    await applications.suspend(lena.id, world.coordinator.id, "On leave.")
    suspended = await world.coordinator.api.post(f"{PROPOSALS}/{ben_p['id']}/approve")
    assert suspended.status_code == 409
    assert suspended.json()["detail"] == "this proposal was already withdrawn"
    assert await state_of(requests[1]) == "open"

    # Training expired between the run and the approval.
    await applications.reinstate(lena.id, world.coordinator.id)
    ben_p = proposal_for(await run(world), requests[1])
    frozen_clock.advance(days=800)
    from tests.conftest import sign_in

    await sign_in(world.coordinator.api, world.coordinator.email)
    expired = await world.coordinator.api.post(f"{PROPOSALS}/{ben_p['id']}/approve")
    assert expired.status_code == 409
    assert "training is incomplete or expired" in expired.json()["detail"]


async def test_approve_all_approves_each_and_lists_the_refusals(world: District):
    people = [await world.person(name) for name in ("Ana", "Ben", "Cy", "Di")]
    requests = [await world.request(person) for person in people]
    lena = await world.mentor("Lena Park")
    await world.mentor("Omar Diaz")
    body = await run(world)
    assert body["matched_count"] == 4
    lena_count = sum(p["mentor_id"] == lena.id for p in body["proposals"])
    await mentors.set_capacity(lena.id, 1)

    response = await world.coordinator.api.post(f"{RUNS}/{body['id']}/approve-all")

    assert response.status_code == 200, response.text
    result = response.json()
    assert len(result["approved"]) == 4 - (lena_count - 1)
    assert len(result["refused"]) == lena_count - 1
    for refusal in result["refused"]:
        assert "no free capacity" in refusal["reason"]
        assert refusal["request_id"] in requests
        assert refusal["reason_coded"] == {
            "code": "matching.cannot_take",
            "params": {
                "mentor": "Lena Park",
                "rules": [{"code": "matching.rule.capacity", "params": {}}],
            },
        }
    assert await Case.count() == len(result["approved"])

    missing = await world.coordinator.api.post(f"{RUNS}/9999/approve-all")
    assert missing.status_code == 404 and "no match run with id 9999" in missing.text
    newer = await run(world)
    stale = await world.coordinator.api.post(f"{RUNS}/{body['id']}/approve-all")
    assert stale.status_code == 409 and f"run {body['id']} was superseded" in stale.text
    assert newer["id"] > body["id"]


async def test_the_employee_sees_the_proposed_mentor_and_may_decline_once(world: District):
    ana = await world.person("Ana Lopez", client=True)
    ben = await world.person("Ben Ortiz", client=True)
    request_id = await world.request(ana)
    lena = await world.mentor("Lena Park", languages=["English", "Spanish"])
    omar = await world.mentor("Omar Diaz")
    offer_url = f"{API}/requests/{request_id}/proposal"

    assert (await ana.api.get(offer_url)).status_code == 404  # nothing proposed yet
    first = proposal_for(await run(world), request_id)
    offer = (await ana.api.get(offer_url)).json()
    assert offer["mentor_name"] == "Lena Park" and offer["proposal_id"] == first["id"]
    assert offer["site_name"] == "South Elementary"
    assert offer["languages"] == ["English", "Spanish"]
    assert offer["may_decline"] is True
    # Nobody else sees it, not even to learn that it exists.
    assert (await ben.api.get(offer_url)).status_code == 404
    assert (await ben.api.post(f"{offer_url}/decline", json={})).status_code == 404

    declined = await ana.api.post(f"{offer_url}/decline", json={"reason": "We are neighbours."})

    assert declined.status_code == 204, declined.text
    assert await state_of(request_id) == "open"
    ban = await PairBan.select(PairBan.scope, PairBan.source, PairBan.mentor).first()
    assert ban == {"scope": "person", "source": "employee", "mentor": lena.id}
    second = proposal_for(await run(world), request_id)
    assert second["mentor_id"] == omar.id
    offer = (await ana.api.get(offer_url)).json()
    assert offer["mentor_name"] == "Omar Diaz" and offer["may_decline"] is False
    again = await ana.api.post(f"{offer_url}/decline", json={})
    assert again.status_code == 409
    assert "already declined one proposed mentor" in again.json()["detail"]
    approved = await world.coordinator.api.post(f"{PROPOSALS}/{second['id']}/approve")
    assert approved.status_code == 200
