"""`matching.board.board_facts`: what the match board shows beside each proposal."""

from __future__ import annotations

from mentorship.assistance.states import RequestState, Track, Urgency
from mentorship.matching import board
from tests.matching_api.conftest import District, proposal_for, run


async def test_the_facts_set_the_request_beside_the_mentor(world: District):
    ana = await world.person("Ana Lopez", site="north", languages=["Spanish"])
    request_id = await world.request(
        ana, {"De-escalation": 3, "CPR": 1}, urgent=True, language="Spanish"
    )
    lena = await world.mentor(
        "Lena Park", site="south", skills={"De-escalation": 2}, capacity=2, languages=["Spanish"]
    )
    far = await world.mentor("Omar Reyes", site="east", skills={"CPR": 3})

    facts = await board.board_facts([request_id], [lena.id, far.id])

    need = facts.requests[request_id]
    assert need.employee_name == "Ana Lopez"
    assert need.site_name == "North Elementary"
    assert (need.language, need.urgency, need.track) == ("Spanish", Urgency.URGENT, Track.VOLUNTARY)
    assert need.state is RequestState.OPEN
    # Essential first.
    assert [(s.name, s.value) for s in need.needs] == [
        ("De-escalation", 3),
        ("CPR", 1),
    ]
    mentor = facts.mentors[lena.id]
    assert (mentor.name, mentor.site_name, mentor.languages) == (
        "Lena Park",
        "South Elementary",
        ["Spanish"],
    )
    assert [(s.name, s.value) for s in mentor.skills] == [("De-escalation", 2)]
    assert (mentor.load, mentor.capacity) == (0, 2)
    # The agreement's cap (3 by default) applies when no own capacity is set.
    assert facts.mentors[far.id].capacity == 3
    assert facts.minutes(request_id, lena.id) == 15
    assert facts.minutes(request_id, far.id) == 135  # north-south-east, shortest path


async def test_the_facts_follow_an_approved_request_and_count_its_case(world: District):
    ana = await world.person("Ana Lopez")
    request_id = await world.request(ana)
    lena = await world.mentor("Lena Park", capacity=2)
    proposal = proposal_for(await run(world), request_id)
    approved = await world.coordinator.api.post(
        f"/api/v1/matching/proposals/{proposal['id']}/approve"
    )
    assert approved.status_code == 200, approved.text

    facts = await board.board_facts([request_id], [lena.id])

    assert facts.requests[request_id].state is RequestState.MATCHED
    assert (facts.mentors[lena.id].load, facts.mentors[lena.id].capacity) == (1, 2)


async def test_unknown_people_and_sites_give_empty_facts(world: District):
    nobody = await world.person("Nadia Noplace", site=None)
    request_id = await world.request(nobody)
    lena = await world.mentor("Lena Park")

    facts = await board.board_facts([request_id, 999_999], [lena.id, 999_998])

    assert set(facts.requests) == {request_id}
    assert facts.requests[request_id].site_name is None
    assert facts.minutes(request_id, lena.id) is None
    ghost = facts.mentors[999_998]
    assert (ghost.skills, ghost.capacity, ghost.load) == ([], 0, 0)
    assert facts.minutes(999_999, lena.id) is None
