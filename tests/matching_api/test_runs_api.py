"""Running matching over the API: what a run records, explains and refuses."""

from __future__ import annotations

from mentorship.access.roles import Role
from mentorship.assistance.tables import AssistanceRequest
from mentorship.matching.tables import MatchProposal, MatchRun
from mentorship.pool import applications
from tests.conftest import sign_in
from tests.matching_api.conftest import RUNS, District, proposal_for, run, unmatched_for


async def request_state(request_id: int) -> str:
    row = (
        await AssistanceRequest.select(AssistanceRequest.state)
        .where(AssistanceRequest.id == request_id)
        .first()
    )
    assert row is not None
    return str(row["state"])


async def test_a_run_records_who_ran_it_its_parameters_counts_and_proposals(world: District):
    ana = await world.person("Ana Lopez")
    request_id = await world.request(ana, {"De-escalation": 3, "CPR": 1})
    lena = await world.mentor("Lena Park", skills={"De-escalation": 3})

    body = await run(world, weights={"travel_per_minute": 1.0})

    assert body["id"] is not None and body["dry_run"] is False
    assert body["run_by_id"] == world.coordinator.id
    assert body["run_by_name"] == "Rosa Coordinator"
    assert body["source"] == "api"
    assert body["parameters"]["travel_per_minute"] == 1.0
    assert body["parameters"]["skills"] == 40.0  # the rest keep their defaults
    assert body["agreement_version"] == 1
    assert (body["request_count"], body["mentor_count"], body["matched_count"]) == (1, 1, 1)
    assert body["unmatched_count"] == 0 and body["duration_ms"] >= 0
    assert set(body["timings"]) >= {"build", "solve", "explain", "total", "load_and_record"}
    proposal = proposal_for(body, request_id)
    assert proposal["mentor_id"] == lena.id and proposal["mentor_name"] == "Lena Park"
    assert proposal["employee_name"] == "Ana Lopez"
    assert proposal["status"] == "pending" and proposal["origin"] == "run"
    assert body["total_cost"] == proposal["cost"]
    assert await request_state(request_id) == "proposed"

    # The same run is there to read back, and listed.
    stored = (await world.coordinator.api.get(f"{RUNS}/{body['id']}")).json()
    assert stored["proposals"] == body["proposals"]
    latest = (await world.coordinator.api.get(f"{RUNS}/latest")).json()
    assert latest["id"] == body["id"]
    listed = (await world.coordinator.api.get(RUNS)).json()
    assert [r["id"] for r in listed] == [body["id"]]
    assert "proposals" not in listed[0]


async def test_the_explanation_splits_the_cost_into_parts_with_reasons(world: District):
    ana = await world.person("Ana Lopez", languages=["Spanish"])
    request_id = await world.request(ana, {"De-escalation": 3, "CPR": 2}, language="Spanish")
    await world.mentor("Lena Park", skills={"De-escalation": 3}, languages=["Spanish"])
    await world.mentor("Omar Diaz", skills={"De-escalation": 1, "CPR": 3})

    proposal = proposal_for(await run(world), request_id)

    parts = {part["key"]: part for part in proposal["parts"]}
    assert set(parts) == {"skills", "travel", "job_role", "language", "load"}
    assert abs(sum(p["cost"] for p in proposal["parts"]) - proposal["cost"]) < 1e-6
    assert parts["travel"]["reason"] == "15 min travel"
    assert parts["travel"]["cost"] == 7.5  # 15 min × 0.5
    assert parts["language"]["reason"] == "works in Spanish"
    assert "covers 1 of 2 needed skills (not CPR)" in parts["skills"]["reason"]
    assert parts["load"]["reason"] == "the mentor's first case"
    assert proposal["summary"].startswith("covers 1 of 2 needed skills")
    [alternative] = proposal["alternatives"]
    assert alternative["mentor_name"] == "Omar Diaz"
    assert alternative["worse_by"] > 0
    assert any("Spanish" in r or "language" in r for r in alternative["reasons"])


async def test_unmatched_requests_say_which_rule_excluded_each_mentor(world: District):
    far = await world.person("Far Away", site="east")
    request_id = await world.request(far)
    await world.mentor("Lena Park", site="south")
    await world.mentor("Omar Diaz", site="north")
    suspended = await world.mentor("Sue Pended", site="east")
    await applications.suspend(suspended.id, world.coordinator.id, "on leave")

    body = await run(world)

    unmatched = unmatched_for(body, request_id)
    assert unmatched["kind"] == "no_feasible_mentor"
    assert unmatched["employee_name"] == "Far Away"
    assert unmatched["excluded"] == {"travel": 2, "mentor_unavailable": 1}
    assert "more than 45 min away" in unmatched["message"]
    assert "not taking cases now" in unmatched["message"]
    assert await request_state(request_id) == "open"


async def test_hard_constraints_from_the_database_are_obeyed(world: District, frozen_clock):
    # The boss mentors too, but sits two levels above Ana: her supervisory chain.
    boss = await world.mentor("Big Boss", site="south", roles=(Role.SUPERVISOR,))
    lead = await world.person("Team Lead", Role.SUPERVISOR, supervisor=boss)
    ana = await world.person("Ana Lopez", supervisor=lead)
    request_id = await world.request(ana)
    await world.mentor("Same Site", site="north")  # the agreement forbids Ana's own site
    await world.mentor("Plain Mentor", site="south")

    body = await run(world)

    proposal = proposal_for(body, request_id)
    assert proposal["mentor_name"] == "Plain Mentor"
    assert proposal["alternatives"] == []
    # With the only possible mentor rejected, the reasons name every rule, counted.
    rejected = await world.coordinator.api.post(
        f"/api/v1/matching/proposals/{proposal['id']}/reject", json={"reason": "Not a fit."}
    )
    assert rejected.status_code == 200, rejected.text
    unmatched = unmatched_for(await run(world), request_id)
    assert unmatched["excluded"] == {"supervisor_chain": 1, "same_site": 1, "rejected": 1}

    # Two years on, every mentor's training has expired.
    frozen_clock.advance(days=800)
    await sign_in(world.coordinator.api, world.coordinator.email)  # the session timed out
    unmatched = unmatched_for(await run(world), request_id)
    assert unmatched["excluded"] == {"training": 3}


async def test_a_dry_run_records_nothing(world: District):
    ana = await world.person("Ana Lopez")
    request_id = await world.request(ana)
    await world.mentor("Lena Park")

    response = await world.coordinator.api.post(RUNS, json={"dry_run": True})

    assert response.status_code == 200, response.text
    body = response.json()
    assert body["id"] is None and body["dry_run"] is True
    assert proposal_for(body, request_id)["id"] is None
    assert await MatchRun.count() == 0 and await MatchProposal.count() == 0
    assert await request_state(request_id) == "open"
    latest = await world.coordinator.api.get(f"{RUNS}/latest")
    assert latest.status_code == 404


async def test_a_new_run_supersedes_the_open_proposals_of_the_last(world: District):
    ana = await world.person("Ana Lopez")
    request_id = await world.request(ana)
    await world.mentor("Lena Park")
    first = await run(world)
    second = await run(world)

    old = proposal_for(first, request_id)
    stored = (await world.coordinator.api.get(f"{RUNS}/{first['id']}")).json()
    assert stored["superseded_at"] is not None
    assert proposal_for(stored, request_id)["status"] == "superseded"
    assert proposal_for(second, request_id)["status"] == "pending"

    refused = await world.coordinator.api.post(f"/api/v1/matching/proposals/{old['id']}/approve")
    assert refused.status_code == 409
    assert "superseded by a later match run" in refused.json()["detail"]


async def test_weights_are_validated_with_field_details(world: District):
    response = await world.coordinator.api.post(
        RUNS, json={"weights": {"travel_per_minute": -1, "colour": 3}}
    )
    assert response.status_code in (400, 422)
    assert "weights" in response.text


async def test_only_coordinators_run_and_read_matching(world: District):
    ana = await world.person("Ana Lopez", Role.SUPERVISOR, client=True)
    mentor = await world.mentor("Lena Park", client=True)
    for person in (ana, mentor):
        assert (await person.api.post(RUNS, json={})).status_code == 403
        assert (await person.api.get(RUNS)).status_code == 403
        assert (await person.api.get(f"{RUNS}/latest")).status_code == 403
    anonymous = world.make_client()
    async with anonymous:
        assert (await anonymous.get(RUNS)).status_code == 401


async def test_a_run_can_be_started_without_a_body(world: District):
    await world.request(await world.person("Ana Lopez"))
    await world.mentor("Lena Park")
    response = await world.coordinator.api.post(RUNS)
    assert response.status_code == 201, response.text
    assert response.json()["matched_count"] == 1


async def test_decisions_taken_while_the_solver_ran_are_not_overwritten(
    world: District, monkeypatch
):
    from mentorship.matching import loading, runs

    ana = await world.person("Ana Lopez")
    request_id = await world.request(ana)
    lena = await world.mentor("Lena Park")
    real_load = loading.load_problem

    async def load_then_suspend(*args, **kwargs):  # type: ignore[no-untyped-def]
        loaded = await real_load(*args, **kwargs)
        # The coordinator suspends Lena after the run read its data, before it records.
        await applications.suspend(lena.id, world.coordinator.id, "On leave.")
        return loaded

    # run_matching calls the loader it imported into the runs module.
    monkeypatch.setattr(runs, "load_problem", load_then_suspend)
    body = await run(world)

    assert body["proposals"] == []
    unmatched = unmatched_for(body, request_id)
    assert unmatched["kind"] == "changed_during_run"
    assert "waits for the next run" in unmatched["message"]
    assert await request_state(request_id) == "open"


async def test_deactivating_a_mentors_account_withdraws_their_proposals(world: District):
    from mentorship.accounts import services as accounts

    ana = await world.person("Ana Lopez")
    request_id = await world.request(ana)
    lena = await world.mentor("Lena Park")
    proposal = proposal_for(await run(world), request_id)

    await accounts.deactivate(lena.id)

    stored = (
        await world.coordinator.api.get(f"/api/v1/matching/proposals/{proposal['id']}")
    ).json()
    assert stored["status"] == "withdrawn"
    assert await request_state(request_id) == "open"


async def test_the_default_weights_are_published(world: District):
    response = await world.coordinator.api.get("/api/v1/matching/weights")
    assert response.status_code == 200
    assert response.json() == {
        "skills": 40.0,
        "job_role": 10.0,
        "travel_per_minute": 0.5,
        "language": 15.0,
        "site_preference": 10.0,
        "load_per_case": 5.0,
        "urgency": 400.0,
        "waiting_per_day": 1.0,
        "waiting_cap_days": 365,
    }


async def test_the_openapi_schema_describes_matching(world: District):
    response = await world.coordinator.api.get("/api/schema/openapi.json")
    assert response.status_code == 200, response.text
    paths = response.json()["paths"]
    for path in (
        "/api/v1/matching/runs",
        "/api/v1/matching/proposals/{proposal_id}/approve",
        "/api/v1/matching/proposals/{proposal_id}/override",
        "/api/v1/requests/{request_id}/proposal/decline",
    ):
        assert path in paths, sorted(paths)
