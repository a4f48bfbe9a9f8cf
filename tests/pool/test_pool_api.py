"""The mentor pool over the API: applying, admission gated on training, the pool's life."""

from __future__ import annotations

import asyncio
import copy
from datetime import date, timedelta

import pytest

from mentorship.access.roles import Role
from mentorship.agreement.terms import DEFAULT_TERMS, terms_to_dict
from mentorship.district.tables import Skill
from mentorship.pool.tables import Mentor, MentorSkill
from tests.conftest import sign_in
from tests.pool.conftest import (
    AGREEMENT,
    APPLICATIONS,
    COMPLETE_TRAINING,
    CONFIDENTIALITY,
    MINE,
    PEER,
    POOL,
    REQUIRED_TOPICS,
    TRAINING,
    application,
    apply,
    approve,
    approved_mentor,
    complete_training,
    days_ago,
    record,
    roles_of,
    skill_ids,
    today,
)

DECISIONS = ("decline", "suspend", "retire")


async def decide(coordinator, account_id: int, action: str, reason: str = "A reason"):  # type: ignore[no-untyped-def]
    """POST a coordinator decision; reinstate and approve take no reason."""
    body = {"reason": reason} if action in DECISIONS else None
    return await coordinator.client.post(f"{POOL}/{account_id}/{action}", json=body)


async def publish(admin, **changes) -> None:  # type: ignore[no-untyped-def]
    """Publish a new agreement version: the defaults with some terms changed."""
    terms = copy.deepcopy(terms_to_dict(DEFAULT_TERMS))
    for key, value in changes.items():
        terms[key] = value
    response = await admin.client.post(
        f"{AGREEMENT}/versions", json={"terms": terms, "summary": "Changed for a test"}
    )
    assert response.status_code == 201, response.text


def raised(topic: str, hours: float) -> dict:  # type: ignore[type-arg]
    """The default required training with one topic's minimum changed."""
    training = copy.deepcopy(terms_to_dict(DEFAULT_TERMS)["required_training"])
    for item in training["topics"]:
        if item["topic"] == topic:
            item["min_hours"] = hours
    return training


# --- applying -------------------------------------------------------------------------------


async def test_an_employee_applies_and_sees_the_application(ana):
    skills = await skill_ids(ana.client)
    body = await application(
        ana.client,
        skills=[
            {"skill_id": skills["First aid"], "level": 1},
            {"skill_id": skills["Confidentiality and ethics"], "level": 3},
        ],
        languages=["english", " Spanish ", "ENGLISH"],
        statement="  I have worked as a paraeducator for twelve years.  ",
    )
    response = await ana.client.post(APPLICATIONS, json=body)
    assert response.status_code == 201, response.text
    standing = response.json()
    assert standing["account_id"] == ana.id
    assert standing["display_name"] == "Ana Lopez"
    assert standing["status"] == "applied"
    assert standing["statement"] == "I have worked as a paraeducator for twelve years."
    assert standing["skills"] == [
        {
            "skill_id": skills["Confidentiality and ethics"],
            "name": "Confidentiality and ethics",
            "level": 3,
        },
        {"skill_id": skills["First aid"], "name": "First aid", "level": 1},
    ]
    assert standing["languages"] == ["English", "Spanish"]
    assert standing["capacity"] == DEFAULT_TERMS.caseload_cap == 3
    assert standing["capacity_is_default"] is True
    assert standing["available"] is True
    assert standing["matchable"] is False
    assert standing["decided_at"] is None
    assert standing["status_reason"] == ""
    training = standing["training"]
    assert training["complete"] is False
    assert training["current_until"] is None
    assert training["required_total_hours"] == 12
    assert [t["topic"] for t in training["topics"]] == REQUIRED_TOPICS
    assert training["shortfall"].endswith("total: 12 h more")
    mine = await ana.client.get(MINE)
    assert mine.status_code == 200
    assert mine.json() == standing
    assert await roles_of(ana) == ["employee"]


async def test_no_application_yet_is_a_404(ana):
    response = await ana.client.get(MINE)
    assert response.status_code == 404
    assert "has not applied" in response.json()["detail"]


async def test_applying_again_while_applied_replaces_the_application(ana):
    first = await apply(ana)
    skills = await skill_ids(ana.client)
    second = await apply(
        ana,
        skills=[{"skill_id": skills["CPR"], "level": 2}],
        languages=["Vietnamese"],
        statement="Changed my mind about what to offer.",
    )
    assert second["status"] == "applied"
    assert [s["name"] for s in second["skills"]] == ["CPR"]
    assert second["languages"] == ["Vietnamese"]
    assert second["statement"] == "Changed my mind about what to offer."
    assert second["applied_at"] >= first["applied_at"]
    assert await Mentor.count() == 1
    assert await MentorSkill.count() == 1


def level(value):  # type: ignore[no-untyped-def]
    return lambda skills: {"skills": [{"skill_id": skills["CPR"], "level": value}]}


@pytest.mark.parametrize(
    ("change", "field", "words"),
    [
        (level(4), "skills", "<= 3"),
        (level(0), "skills", ">= 1"),
        (lambda s: {"skills": [{"skill_id": 99999, "level": 1}]}, "skills", "unknown skill"),
        (
            lambda s: {"skills": [{"skill_id": s["CPR"], "level": n} for n in (1, 3)]},
            "skills",
            "same skill twice",
        ),
        (lambda s: {"skills": []}, "skills", "length"),
        (lambda s: {"skills": [{"skill_id": s["CPR"]}]}, "skills", "level"),
        (lambda s: {"statement": ""}, "statement", ""),
        (lambda s: {"statement": "   \n "}, "statement", ""),
        (lambda s: {"statement": "x" * 5001}, "statement", "length"),
        (lambda s: {"languages": []}, "languages", "length"),
        (lambda s: {"languages": ["E"]}, "languages", "length"),
        (lambda s: {"colour": "red"}, "colour", "unknown"),
    ],
)
async def test_bad_applications_are_a_422_naming_the_field(ana, change, field, words):
    body = await application(ana.client)
    body.update(change(await skill_ids(ana.client)))
    response = await ana.client.post(APPLICATIONS, json=body)
    assert response.status_code == 422, response.text
    errors = response.json()["errors"]
    assert field in str(errors), errors
    assert words in str(errors), errors
    assert await Mentor.count() == 0
    assert (await ana.client.get(MINE)).status_code == 404


async def test_a_missing_field_is_a_422(ana):
    body = await application(ana.client)
    del body["statement"]
    response = await ana.client.post(APPLICATIONS, json=body)
    assert response.status_code == 422
    assert "statement" in str(response.json()["errors"])


async def test_a_retired_skill_cannot_be_offered(ana):
    skills = await skill_ids(ana.client)
    await Skill.update({Skill.active: False}).where(Skill.id == skills["CPR"])
    response = await ana.client.post(
        APPLICATIONS,
        json=await application(ana.client, skills=[{"skill_id": skills["CPR"], "level": 2}]),
    )
    assert response.status_code == 422
    assert "retired skill" in response.json()["errors"]["skills"]


async def test_a_blank_language_is_refused(ana):
    # BUG (mentorship/pool/schemas.py, MentorApply.languages; same in
    # mentorship/district/schemas.py `Language`): each language needs only two characters, so
    # "   " passes, then district.normalise_languages drops it as empty. The application is
    # stored with no language at all although the schema demands at least one.
    response = await ana.client.post(
        APPLICATIONS, json=await application(ana.client, languages=["   "])
    )
    assert response.status_code == 422, response.text
    assert "languages" in str(response.json()["errors"])


async def test_applying_again_while_approved_or_suspended_is_a_409(coordinator, ana):
    await approved_mentor(coordinator, ana)
    again = await ana.client.post(APPLICATIONS, json=await application(ana.client))
    assert again.status_code == 409
    assert "already in the mentor pool" in again.json()["detail"]
    assert (await decide(coordinator, ana.id, "suspend")).status_code == 200
    again = await ana.client.post(APPLICATIONS, json=await application(ana.client))
    assert again.status_code == 409
    assert (await ana.client.get(MINE)).json()["status"] == "suspended"


async def test_a_double_submitted_first_application_makes_one_row(ana):
    body = await application(ana.client)
    responses = await asyncio.gather(*(ana.client.post(APPLICATIONS, json=body) for _ in range(3)))
    codes = sorted(r.status_code for r in responses)
    # Two requests racing to insert the first row: the loser may be told to retry (409), but
    # never a 500, and there is exactly one application.
    assert set(codes) <= {201, 409}, [r.text for r in responses]
    assert 201 in codes
    assert await Mentor.count() == 1
    assert (await ana.client.get(MINE)).json()["status"] == "applied"


# --- approval -----------------------------------------------------------------------------


async def test_approval_is_refused_naming_what_training_is_missing(coordinator, ana):
    await apply(ana)
    refused = await decide(coordinator, ana.id, "approve")
    assert refused.status_code == 409
    detail = refused.json()["detail"]
    assert "training is not complete" in detail
    for topic in REQUIRED_TOPICS:
        assert f"{topic}: 2 h more" in detail
    assert "total: 12 h more" in detail

    for topic, hours in COMPLETE_TRAINING.items():
        if topic != CONFIDENTIALITY:
            await record(coordinator.client, topic, hours, account_id=ana.id)
    refused = await decide(coordinator, ana.id, "approve")
    assert refused.status_code == 409
    assert refused.json()["detail"] == (
        "training is not complete and current: Confidentiality: 2 h more; total: 2 h more"
    )
    await record(coordinator.client, CONFIDENTIALITY, 1.5, account_id=ana.id)
    refused = await decide(coordinator, ana.id, "approve")
    assert refused.json()["detail"].endswith("Confidentiality: 0.5 h more; total: 0.5 h more")
    standing = (await ana.client.get(MINE)).json()
    assert standing["status"] == "applied"
    assert standing["training"]["shortfall"] == "Confidentiality: 0.5 h more; total: 0.5 h more"
    assert await roles_of(ana) == ["employee"]

    await record(coordinator.client, "confidentiality", 0.5, account_id=ana.id)
    approved = await decide(coordinator, ana.id, "approve")
    assert approved.status_code == 200, approved.text
    assert approved.json()["status"] == "approved"


async def test_the_total_counts_only_required_topics(coordinator, ana):
    await apply(ana)
    for topic in REQUIRED_TOPICS:
        await record(coordinator.client, topic, 2, account_id=ana.id)
    await record(coordinator.client, "First aid", 10, account_id=ana.id)
    refused = await decide(coordinator, ana.id, "approve")
    assert refused.status_code == 409
    assert refused.json()["detail"].endswith(": total: 2 h more")


async def test_unverified_training_does_not_admit_until_verified(coordinator, ana):
    await apply(ana)
    own = [await record(ana.client, t, h) for t, h in COMPLETE_TRAINING.items()]
    refused = await decide(coordinator, ana.id, "approve")
    assert refused.status_code == 409
    assert "total: 12 h more" in refused.json()["detail"]
    for item in own:
        verified = await coordinator.client.post(f"{TRAINING}/{item['id']}/verify")
        assert verified.status_code == 200
    assert (await decide(coordinator, ana.id, "approve")).status_code == 200


async def test_approval_admits_grants_the_mentor_role_and_makes_matchable(coordinator, ana):
    await apply(ana)
    await complete_training(coordinator, ana.id, completed_on=days_ago(10))
    response = await coordinator.client.post(f"{POOL}/{ana.id}/approve")
    assert response.status_code == 200, response.text
    standing = response.json()
    assert standing["status"] == "approved"
    assert standing["decided_at"] is not None
    assert standing["matchable"] is True
    assert standing["available"] is True
    assert standing["capacity"] == 3 and standing["capacity_is_default"] is True
    training = standing["training"]
    assert training["complete"] is True
    assert training["shortfall"] == ""
    assert training["current_total_hours"] == 12
    assert all(t["missing_hours"] == 0 for t in training["topics"])
    # The last day the training is current: 730 days from completion, less one.
    assert training["current_until"] == (today() - timedelta(days=10 - 729)).isoformat()
    assert await roles_of(ana) == ["employee", "mentor"]
    assert (await ana.client.get(MINE)).json() == standing
    assert (await coordinator.client.get(f"{POOL}/{ana.id}")).json() == standing


async def test_approval_with_an_empty_object_body_works_too(coordinator, ana):
    await apply(ana)
    await complete_training(coordinator, ana.id)
    response = await coordinator.client.post(f"{POOL}/{ana.id}/approve", json={})
    assert response.status_code == 200, response.text
    assert response.json()["capacity_is_default"] is True


@pytest.mark.parametrize("capacity", [1, 2, 3])
async def test_approval_may_set_a_capacity_up_to_the_cap(coordinator, ana, capacity):
    await apply(ana)
    await complete_training(coordinator, ana.id)
    standing = await approve(coordinator, ana.id, capacity=capacity)
    assert standing["capacity"] == capacity
    assert standing["capacity_is_default"] is False


@pytest.mark.parametrize(("capacity", "words"), [(4, "caseload cap"), (0, ">= 1"), (51, "<= 50")])
async def test_approval_with_a_capacity_outside_the_cap_is_a_422(coordinator, ana, capacity, words):
    await apply(ana)
    await complete_training(coordinator, ana.id)
    response = await coordinator.client.post(
        f"{POOL}/{ana.id}/approve", json={"capacity": capacity}
    )
    assert response.status_code == 422, response.text
    errors = response.json()["errors"]
    assert "capacity" in errors
    assert words in errors["capacity"]
    assert (await ana.client.get(MINE)).json()["status"] == "applied"
    assert await roles_of(ana) == ["employee"]


async def test_approving_someone_who_never_applied_is_a_404(coordinator, ana):
    assert (await decide(coordinator, ana.id, "approve")).status_code == 404
    assert (await decide(coordinator, 99999, "approve")).status_code == 404
    assert (await coordinator.client.get(f"{POOL}/{ana.id}")).status_code == 404


async def test_a_deactivated_account_is_not_approved_nor_matchable(coordinator, signed_in, ana):
    admin = await signed_in("it@example.org", Role.ADMIN)
    bob = await signed_in("bob@example.org", Role.EMPLOYEE, name="Bob Ng")
    await approved_mentor(coordinator, bob)
    await apply(ana)
    await complete_training(coordinator, ana.id)
    for person in (ana, bob):
        response = await admin.client.post(f"/api/v1/accounts/{person.id}/deactivate")
        assert response.status_code == 200, response.text
    refused = await decide(coordinator, ana.id, "approve")
    assert refused.status_code == 409
    assert "deactivated" in refused.json()["detail"]
    bob_now = (await coordinator.client.get(f"{POOL}/{bob.id}")).json()
    assert bob_now["status"] == "approved"
    assert bob_now["matchable"] is False


# --- training expiry ------------------------------------------------------------------------


async def test_expired_training_stops_matching_but_keeps_the_status(frozen_clock, coordinator, ana):
    await apply(ana)
    await complete_training(coordinator, ana.id, completed_on=days_ago(10))
    standing = await approve(coordinator, ana.id)
    last_day = date.fromisoformat(standing["training"]["current_until"])
    assert last_day == today() + timedelta(days=719)

    frozen_clock.advance(days=719)  # the last current day
    await sign_in(coordinator.client, coordinator.email)  # the old session has expired
    on_last_day = (await coordinator.client.get(f"{POOL}/{ana.id}")).json()
    assert today() == last_day
    assert on_last_day["training"]["complete"] is True
    assert on_last_day["matchable"] is True

    frozen_clock.advance(days=1)
    await sign_in(coordinator.client, coordinator.email)
    expired = (await coordinator.client.get(f"{POOL}/{ana.id}")).json()
    assert expired["status"] == "approved"
    assert expired["matchable"] is False
    assert expired["training"]["complete"] is False
    assert expired["training"]["current_until"] is None
    assert expired["training"]["current_total_hours"] == 0
    assert "total: 12 h more" in expired["training"]["shortfall"]
    await sign_in(ana.client, ana.email)
    assert await roles_of(ana) == ["employee", "mentor"]

    # Refresher training (recorded by the coordinator, so verified) restores matching.
    await complete_training(coordinator, ana.id, completed_on=today().isoformat())
    renewed = (await coordinator.client.get(f"{POOL}/{ana.id}")).json()
    assert renewed["matchable"] is True
    assert renewed["training"]["current_until"] == (today() + timedelta(days=729)).isoformat()


async def test_training_expired_before_applying_does_not_admit(frozen_clock, coordinator, ana):
    await apply(ana)
    await complete_training(coordinator, ana.id, completed_on=days_ago(730))
    refused = await decide(coordinator, ana.id, "approve")
    assert refused.status_code == 409
    assert "total: 12 h more" in refused.json()["detail"]


# --- capacity and availability ----------------------------------------------------------------


async def test_capacity_within_the_cap(coordinator, ana):
    standing = await approved_mentor(coordinator, ana)
    assert standing["capacity"] == 3 and standing["capacity_is_default"] is True
    for capacity in (1, 2, 3):
        response = await coordinator.client.put(
            f"{POOL}/{ana.id}/capacity", json={"capacity": capacity}
        )
        assert response.status_code == 200, response.text
        assert response.json()["capacity"] == capacity
        assert response.json()["capacity_is_default"] is False
    for capacity in (0, 4, -1):
        response = await coordinator.client.put(
            f"{POOL}/{ana.id}/capacity", json={"capacity": capacity}
        )
        assert response.status_code == 422, response.text
        assert "capacity" in response.json()["errors"]
    assert (await ana.client.get(MINE)).json()["capacity"] == 3


async def test_capacity_of_an_applicant_is_a_409_naming_the_status(coordinator, ana):
    await apply(ana)
    response = await coordinator.client.put(f"{POOL}/{ana.id}/capacity", json={"capacity": 2})
    assert response.status_code == 409
    assert "applied" in response.json()["detail"]
    missing = await coordinator.client.put(f"{POOL}/99999/capacity", json={"capacity": 2})
    assert missing.status_code == 404


async def test_a_mentor_stops_and_resumes_taking_cases(coordinator, ana):
    await approved_mentor(coordinator, ana)
    paused = await ana.client.patch(MINE, json={"available": False})
    assert paused.status_code == 200, paused.text
    assert paused.json()["available"] is False
    assert paused.json()["matchable"] is False
    assert paused.json()["status"] == "approved"
    resumed = await ana.client.patch(MINE, json={"available": True})
    assert resumed.json()["matchable"] is True
    by_coordinator = await coordinator.client.put(
        f"{POOL}/{ana.id}/availability", json={"available": False}
    )
    assert by_coordinator.status_code == 200
    assert (await ana.client.get(MINE)).json()["available"] is False
    assert (await ana.client.patch(MINE, json={"available": "no"})).status_code == 422


async def test_only_mentors_set_their_own_availability(coordinator, ana):
    await apply(ana)
    assert (await ana.client.patch(MINE, json={"available": False})).status_code == 403
    response = await coordinator.client.put(
        f"{POOL}/{ana.id}/availability", json={"available": False}
    )
    assert response.status_code == 409
    assert "applied" in response.json()["detail"]


# --- decline, suspend, reinstate, retire ----------------------------------------------------


async def test_decline_with_a_reason_then_reapply(coordinator, ana):
    await apply(ana)
    declined = await decide(coordinator, ana.id, "decline", "  Please finish the training first.  ")
    assert declined.status_code == 200, declined.text
    body = declined.json()
    assert body["status"] == "declined"
    assert body["status_reason"] == "Please finish the training first."
    assert body["decided_at"] is not None
    assert body["matchable"] is False
    assert (await ana.client.get(MINE)).json()["status_reason"] == body["status_reason"]
    assert await roles_of(ana) == ["employee"]

    again = await apply(ana, statement="I have now finished it.")
    assert again["status"] == "applied"
    assert again["status_reason"] == ""
    assert again["decided_at"] is None
    assert again["statement"] == "I have now finished it."
    await complete_training(coordinator, ana.id)
    assert (await approve(coordinator, ana.id))["status"] == "approved"


@pytest.mark.parametrize("action", DECISIONS)
@pytest.mark.parametrize("reason", ["", "   "])
async def test_decisions_need_a_reason(coordinator, ana, action, reason):
    if action == "decline":
        await apply(ana)
    else:
        await approved_mentor(coordinator, ana)
    before = (await ana.client.get(MINE)).json()
    response = await decide(coordinator, ana.id, action, reason)
    assert response.status_code == 422, response.text
    assert "reason" in response.json()["errors"]
    assert (await ana.client.get(MINE)).json() == before
    missing = await coordinator.client.post(f"{POOL}/{ana.id}/{action}", json={})
    assert missing.status_code == 422


async def test_suspend_keeps_the_role_and_reinstate_restores_matching(coordinator, ana):
    await approved_mentor(coordinator, ana)
    suspended = await decide(coordinator, ana.id, "suspend", "On leave")
    assert suspended.status_code == 200
    assert suspended.json()["status"] == "suspended"
    assert suspended.json()["status_reason"] == "On leave"
    assert suspended.json()["matchable"] is False
    assert await roles_of(ana) == ["employee", "mentor"]
    # A suspended mentor may still say whether they will take cases when back.
    assert (await ana.client.patch(MINE, json={"available": True})).status_code == 200
    capacity = await coordinator.client.put(f"{POOL}/{ana.id}/capacity", json={"capacity": 2})
    assert capacity.status_code == 200
    reinstated = await decide(coordinator, ana.id, "reinstate")
    assert reinstated.status_code == 200
    assert reinstated.json()["status"] == "approved"
    assert reinstated.json()["status_reason"] == ""
    assert reinstated.json()["matchable"] is True
    assert reinstated.json()["capacity"] == 2


async def test_reinstating_with_lapsed_training_is_approved_but_not_matchable(
    frozen_clock, coordinator, ana
):
    await apply(ana)
    await complete_training(coordinator, ana.id, completed_on=days_ago(0))
    await approve(coordinator, ana.id)
    assert (await decide(coordinator, ana.id, "suspend")).status_code == 200
    frozen_clock.advance(days=730)
    await sign_in(coordinator.client, coordinator.email)
    reinstated = await decide(coordinator, ana.id, "reinstate")
    assert reinstated.status_code == 200
    assert reinstated.json()["status"] == "approved"
    assert reinstated.json()["matchable"] is False


@pytest.mark.parametrize("from_suspended", [False, True])
async def test_retire_removes_the_mentor_role(coordinator, ana, from_suspended):
    await approved_mentor(coordinator, ana)
    if from_suspended:
        assert (await decide(coordinator, ana.id, "suspend")).status_code == 200
    retired = await decide(coordinator, ana.id, "retire", "Moved away")
    assert retired.status_code == 200, retired.text
    assert retired.json()["status"] == "retired"
    assert retired.json()["status_reason"] == "Moved away"
    assert retired.json()["matchable"] is False
    assert await roles_of(ana) == ["employee"]
    assert (await ana.client.patch(MINE, json={"available": False})).status_code == 403
    assert (await ana.client.get(MINE)).json()["status"] == "retired"


async def test_reapplying_after_retirement_and_readmission(coordinator, ana):
    await approved_mentor(coordinator, ana)
    await coordinator.client.put(f"{POOL}/{ana.id}/capacity", json={"capacity": 1})
    assert (await decide(coordinator, ana.id, "retire")).status_code == 200
    again = await apply(ana)
    assert again["status"] == "applied"
    readmitted = await approve(coordinator, ana.id)  # training is still current
    assert readmitted["status"] == "approved"
    assert readmitted["capacity_is_default"] is True
    assert await roles_of(ana) == ["employee", "mentor"]


@pytest.mark.parametrize(
    ("state", "action"),
    [
        ("applied", "suspend"),
        ("applied", "reinstate"),
        ("applied", "retire"),
        ("approved", "approve"),
        ("approved", "decline"),
        ("approved", "reinstate"),
        ("suspended", "approve"),
        ("suspended", "decline"),
        ("suspended", "suspend"),
        ("declined", "approve"),
        ("declined", "decline"),
        ("declined", "suspend"),
        ("declined", "reinstate"),
        ("declined", "retire"),
        ("retired", "approve"),
        ("retired", "decline"),
        ("retired", "suspend"),
        ("retired", "reinstate"),
        ("retired", "retire"),
    ],
)
async def test_wrong_state_transitions_are_a_409_naming_the_status(coordinator, ana, state, action):
    await apply(ana)
    await complete_training(coordinator, ana.id)
    steps = {
        "applied": [],
        "approved": ["approve"],
        "suspended": ["approve", "suspend"],
        "declined": ["decline"],
        "retired": ["approve", "retire"],
    }[state]
    for step in steps:
        assert (await decide(coordinator, ana.id, step)).status_code == 200
    before = (await ana.client.get(MINE)).json()
    assert before["status"] == state
    roles = await roles_of(ana)
    response = await decide(coordinator, ana.id, action)
    assert response.status_code == 409, response.text
    assert response.json()["detail"] == f"cannot {action}: the mentor's status is {state}"
    assert (await ana.client.get(MINE)).json() == before
    assert await roles_of(ana) == roles


@pytest.mark.parametrize("action", ["decline", "suspend", "reinstate", "retire"])
async def test_decisions_about_someone_who_never_applied_are_a_404(coordinator, ana, action):
    assert (await decide(coordinator, ana.id, action)).status_code == 404


# --- the pool list ----------------------------------------------------------------------------


async def test_the_coordinator_lists_the_pool_by_name_and_status(coordinator, signed_in, ana):
    zoe = await signed_in("zoe@example.org", Role.EMPLOYEE, name="Zoe Adams")
    bea = await signed_in("bea@example.org", Role.EMPLOYEE, name="Bea Brown")
    await signed_in("nobody@example.org", Role.EMPLOYEE, name="Al Never")
    await approved_mentor(coordinator, zoe)
    await apply(ana)
    await apply(bea)
    assert (await decide(coordinator, bea.id, "decline")).status_code == 200

    def names(response):  # type: ignore[no-untyped-def]
        assert response.status_code == 200, response.text
        return [(m["display_name"], m["status"]) for m in response.json()]

    assert names(await coordinator.client.get(POOL)) == [
        ("Ana Lopez", "applied"),
        ("Bea Brown", "declined"),
        ("Zoe Adams", "approved"),
    ]
    assert names(await coordinator.client.get(POOL, params={"status": "approved"})) == [
        ("Zoe Adams", "approved")
    ]
    assert names(await coordinator.client.get(POOL, params={"status": "retired"})) == []
    listed = (await coordinator.client.get(POOL, params={"status": "approved"})).json()[0]
    assert listed == (await coordinator.client.get(f"{POOL}/{zoe.id}")).json()
    bad = await coordinator.client.get(POOL, params={"status": "wizard"})
    assert bad.status_code == 422
    assert "status" in bad.json()["errors"]


# --- the agreement in force -----------------------------------------------------------------


async def test_a_new_agreement_raising_a_topic_makes_training_incomplete(
    coordinator, signed_in, ana
):
    admin = await signed_in("it@example.org", Role.ADMIN)
    bob = await signed_in("bob@example.org", Role.EMPLOYEE, name="Bob Ng")
    await approved_mentor(coordinator, bob)
    await apply(ana)
    await complete_training(coordinator, ana.id)  # Confidentiality: exactly 2 h
    assert (await ana.client.get(MINE)).json()["training"]["complete"] is True

    await publish(admin, required_training=raised(CONFIDENTIALITY, 4))

    refused = await decide(coordinator, ana.id, "approve")
    assert refused.status_code == 409
    assert refused.json()["detail"] == (
        "training is not complete and current: Confidentiality: 2 h more"
    )
    standing = (await ana.client.get(MINE)).json()
    confidentiality = next(
        t for t in standing["training"]["topics"] if t["topic"] == CONFIDENTIALITY
    )
    assert confidentiality == {
        "topic": CONFIDENTIALITY,
        "required_hours": 4,
        "current_hours": 2,
        "missing_hours": 2,
    }
    # An admitted mentor with the same training is still approved but no longer matchable.
    bob_now = (await coordinator.client.get(f"{POOL}/{bob.id}")).json()
    assert bob_now["status"] == "approved"
    assert bob_now["matchable"] is False
    assert bob_now["training"]["shortfall"] == "Confidentiality: 2 h more"

    await record(coordinator.client, CONFIDENTIALITY, 2, account_id=ana.id)
    assert (await approve(coordinator, ana.id))["matchable"] is True


async def test_a_new_agreement_with_a_new_topic_and_total(coordinator, signed_in, ana):
    admin = await signed_in("it@example.org", Role.ADMIN)
    training = copy.deepcopy(terms_to_dict(DEFAULT_TERMS)["required_training"])
    training["topics"].append({"topic": "De-escalation", "min_hours": 1})
    training["total_min_hours"] = 14
    await publish(admin, required_training=training)
    await apply(ana)
    await complete_training(coordinator, ana.id)
    refused = await decide(coordinator, ana.id, "approve")
    assert refused.json()["detail"].endswith("De-escalation: 1 h more; total: 2 h more")
    await record(coordinator.client, "de-escalation", 1, account_id=ana.id)
    await record(coordinator.client, PEER, 1, account_id=ana.id)
    assert (await approve(coordinator, ana.id))["status"] == "approved"


async def test_a_shorter_validity_expires_training_sooner(coordinator, signed_in, ana):
    admin = await signed_in("it@example.org", Role.ADMIN)
    await apply(ana)
    await complete_training(coordinator, ana.id, completed_on=days_ago(400))
    assert (await ana.client.get(MINE)).json()["training"]["complete"] is True
    await publish(admin, training_valid_days=365)
    refused = await decide(coordinator, ana.id, "approve")
    assert refused.status_code == 409
    assert "total: 12 h more" in refused.json()["detail"]


async def test_a_lower_caseload_cap_lowers_capacities(coordinator, signed_in, ana):
    admin = await signed_in("it@example.org", Role.ADMIN)
    bob = await signed_in("bob@example.org", Role.EMPLOYEE, name="Bob Ng")
    await approved_mentor(coordinator, ana)
    await approved_mentor(coordinator, bob)
    await coordinator.client.put(f"{POOL}/{bob.id}/capacity", json={"capacity": 3})
    await publish(admin, caseload_cap=2)
    ana_now = (await coordinator.client.get(f"{POOL}/{ana.id}")).json()
    assert ana_now["capacity"] == 2 and ana_now["capacity_is_default"] is True
    bob_now = (await coordinator.client.get(f"{POOL}/{bob.id}")).json()
    assert bob_now["capacity"] == 2
    refused = await coordinator.client.put(f"{POOL}/{ana.id}/capacity", json={"capacity": 3})
    assert refused.status_code == 422
    assert "between 1 and 2" in refused.json()["errors"]["capacity"]
