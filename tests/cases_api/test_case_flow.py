"""A case's life over the API: views per person, meetings, notes, reports, state changes."""

from __future__ import annotations

from mentorship.agreement import services as agreement
from mentorship.agreement.schemas import VersionPublish
from mentorship.agreement.terms import DEFAULT_TERMS, terms_to_dict
from mentorship.lib import clock
from mentorship.lib.messages import Message, word
from tests.cases_api.conftest import Cases, case_row, events, open_cases
from tests.conftest import FrozenClock


async def test_each_party_sees_the_case_their_way(cases: Cases) -> None:
    url = cases.url(cases.referred_case)
    for person, relation in (
        (cases.mentee, "mentee"),
        (cases.mentor, "mentor"),
        (cases.coordinator, "coordinator"),
    ):
        response = await person.api.get(url)
        assert response.status_code == 200, response.text
        body = response.json()
        assert body["your_relation"] == relation
        assert body["state"] == "active"
        assert body["mentor_name"] == "Maya Mentor"
        assert "text" not in body
    for person in (cases.supervisor, cases.outsider, cases.admin, cases.spare_mentor):
        response = await person.api.get(url)
        assert response.status_code == 404, person.name
        assert response.json()["detail"] == f"case {cases.referred_case} was not found"
    missing = await cases.outsider.api.get(cases.url(99999))
    assert missing.json()["detail"] == "case 99999 was not found"


async def test_meeting_notes_and_what_the_mentee_sees(cases: Cases) -> None:
    case = cases.referred_case
    topic = cases.world.skills["De-escalation"]
    today = clock.now().date()
    logged = await cases.mentor.api.post(
        cases.url(case, "/meetings"),
        json={
            "held_on": today.isoformat(),
            "minutes": 90,
            "mode": "in_person",
            "topic_ids": [topic],
        },
    )
    assert logged.status_code == 201, logged.text
    private = await cases.mentor.api.post(
        cases.url(case, "/notes"), json={"audience": "private", "text": "Private: tired, stressed."}
    )
    shared = await cases.mentor.api.post(
        cases.url(case, "/notes"),
        json={"audience": "shared", "text": "Shared: try the calm corner."},
    )
    assert private.status_code == 201 and shared.status_code == 201, private.text
    mentor_notes = (await cases.mentor.api.get(cases.url(case, "/notes"))).json()
    assert {n["text"] for n in mentor_notes} == {
        "Private: tired, stressed.",
        "Shared: try the calm corner.",
    }
    mentee_notes = (await cases.mentee.api.get(cases.url(case, "/notes"))).json()
    assert [n["text"] for n in mentee_notes] == ["Shared: try the calm corner."]
    hidden = await cases.mentee.api.get(cases.url(case, f"/notes/{private.json()['id']}"))
    assert hidden.status_code == 404
    refused = await cases.coordinator.api.get(cases.url(case, "/notes"))
    assert refused.status_code == 403
    meetings = (await cases.mentee.api.get(cases.url(case, "/meetings"))).json()
    assert meetings[0]["minutes"] == 90 and meetings[0]["topics"][0]["name"] == "De-escalation"
    view = (await cases.coordinator.api.get(cases.url(case))).json()
    assert view["meeting_count"] == 1 and view["meeting_hours"] == 1.5 and view["note_count"] == 2


async def test_edit_keeps_versions(cases: Cases) -> None:
    case = cases.voluntary_case
    note = (
        await cases.mentor.api.post(
            cases.url(case, "/notes"), json={"audience": "private", "text": "first"}
        )
    ).json()
    edited = await cases.mentor.api.put(
        cases.url(case, f"/notes/{note['id']}"), json={"text": "second", "audience": "shared"}
    )
    assert edited.status_code == 200, edited.text
    assert edited.json()["version"] == 2
    history = (await cases.mentor.api.get(cases.url(case, f"/notes/{note['id']}/versions"))).json()
    assert [(v["version"], v["audience"], v["text"]) for v in history] == [
        (2, "shared", "second"),
        (1, "private", "first"),
    ]
    seen = (await cases.volunteer.api.get(cases.url(case, "/notes"))).json()
    assert [n["text"] for n in seen] == ["second"]
    assert (
        await cases.volunteer.api.get(cases.url(case, f"/notes/{note['id']}/versions"))
    ).status_code == 403


async def test_report_released_to_supervisor_after_response(cases: Cases) -> None:
    case = cases.referred_case
    written = await cases.mentor.api.post(
        cases.url(case, "/reports"), json={"status": "progressing", "text": "Good weeks."}
    )
    assert written.status_code == 201, written.text
    report = written.json()
    assert report["released"] is False
    referral_url = f"/api/v1/referrals/{(await case_row(case))['request']}"
    referral = (await cases.supervisor.api.get(referral_url)).json()
    assert referral["case"]["reports"] == []
    mine = (await cases.mentee.api.get(cases.url(case, "/reports"))).json()
    assert mine[0]["text"] == "Good weeks."
    answered = await cases.mentee.api.post(
        cases.url(case, f"/reports/{report['id']}/response"), json={"text": "Agreed."}
    )
    assert answered.status_code == 200, answered.text
    assert answered.json()["released"] is True and answered.json()["response"] == "Agreed."
    referral = (await cases.supervisor.api.get(referral_url)).json()
    assert [r["status"] for r in referral["case"]["reports"]] == ["progressing"]
    assert "Good weeks." not in str(referral) and "Agreed." not in str(referral)
    assert referral["case"]["meeting_count"] is None


async def test_reassignment_ends_old_mentor_access(cases: Cases) -> None:
    case = cases.voluntary_case
    note = (
        await cases.mentor.api.post(
            cases.url(case, "/notes"), json={"audience": "private", "text": "mine alone"}
        )
    ).json()
    moved = await cases.coordinator.api.post(
        cases.url(case, "/reassign"),
        json={"mentor_id": cases.spare_mentor.id, "reason": "Mentor moved schools"},
    )
    assert moved.status_code == 200, moved.text
    assert moved.json()["mentor_id"] == cases.spare_mentor.id
    assert (await cases.mentor.api.get(cases.url(case))).status_code == 404
    assert (await cases.mentor.api.get(cases.url(case, "/notes"))).status_code == 404
    assert (await cases.spare_mentor.api.get(cases.url(case))).status_code == 200
    new_view = await cases.spare_mentor.api.get(cases.url(case, f"/notes/{note['id']}"))
    assert new_view.status_code == 404
    denied = await events(case_id=case, outcome="denied")
    assert any(e["actor_id"] == cases.mentor.id for e in denied)


async def test_pause_resume_close_and_withdraw(cases: Cases) -> None:
    case = cases.voluntary_case
    long_reason = "Summer break. " * 40  # longer than an audit purpose: kept whole on the case
    paused = await cases.coordinator.api.post(
        cases.url(case, "/pause"), json={"reason": long_reason}
    )
    assert paused.json()["state"] == "paused"
    for person in (cases.mentor, cases.volunteer):
        assert (await person.api.get(cases.url(case))).json()["state_reason"] == long_reason.strip()
    meeting = await cases.mentor.api.post(
        cases.url(case, "/meetings"),
        json={"held_on": clock.now().date().isoformat(), "minutes": 30, "mode": "phone"},
    )
    assert meeting.status_code == 409
    assert (await cases.coordinator.api.post(cases.url(case, "/resume"))).json()[
        "state"
    ] == "active"
    withdrawn = await cases.volunteer.api.post(cases.url(case, "/withdraw"))
    assert withdrawn.status_code == 200, withdrawn.text
    assert withdrawn.json()["state"] == "closed" and withdrawn.json()["outcome"] == "withdrawn"
    assert withdrawn.json()["your_relation"] == "mentee" and withdrawn.json()["flags"] == []
    referred = await cases.mentee.api.post(cases.url(cases.referred_case, "/withdraw"))
    assert referred.status_code == 409


async def test_case_over_max_days_is_flagged(cases: Cases, frozen_clock: FrozenClock) -> None:
    frozen_clock.advance(days=181)
    await cases.world.signed_in(cases.coordinator)
    flagged = (await cases.coordinator.api.get("/api/v1/cases/?flagged=true")).json()
    codes = {c["id"]: {f["code"] for f in c["flags"]} for c in flagged}
    assert codes[cases.voluntary_case] == {"over_max_days"}
    assert codes[cases.referred_case] == {"over_max_days", "report_due"}
    due = next(
        f
        for c in flagged
        if c["id"] == cases.referred_case
        for f in c["flags"]
        if f["code"] == "report_due"
    )
    # The flag travels as a code with its parameters (to be worded in the reader's language),
    # beside the English words.
    assert due["coded"]["code"] == "cases.flag.report_due"
    assert due["coded"]["params"]["since"] == {"code": "cases.flag.since_opened", "params": {}}
    assert due["message"] == word(Message.from_dict(due["coded"]))


async def test_mentee_counts_only_shared_notes_and_sees_no_flags(cases: Cases) -> None:
    case = cases.referred_case
    for audience in ("private", "private", "shared"):
        await cases.mentor.api.post(
            cases.url(case, "/notes"), json={"audience": audience, "text": "n"}
        )
    mine = (await cases.mentee.api.get(cases.url(case))).json()
    assert mine["note_count"] == 1 and mine["flags"] == []
    assert (await cases.coordinator.api.get(cases.url(case))).json()["note_count"] == 3


async def test_suspending_the_mentor_flags_their_cases(cases: Cases) -> None:
    suspended = await cases.coordinator.api.post(
        f"/api/v1/mentor-pool/{cases.mentor.id}/suspend", json={"reason": "Under review"}
    )
    assert suspended.status_code == 200, suspended.text
    listed = (await cases.coordinator.api.get("/api/v1/cases/?flagged=true")).json()
    assert {c["id"] for c in listed} == {cases.referred_case, cases.voluntary_case}
    assert all("mentor_unavailable" in {f["code"] for f in c["flags"]} for c in listed)


async def test_bad_input_is_refused_field_by_field(cases: Cases) -> None:
    case = cases.referred_case
    today = clock.now().date()
    cases_of_bad_input = [
        ("/meetings", {"held_on": "2099-01-01", "minutes": 30, "mode": "phone"}, "held_on"),
        ("/meetings", {"held_on": "2000-01-01", "minutes": 30, "mode": "phone"}, "held_on"),
        ("/meetings", {"held_on": today.isoformat(), "minutes": 2, "mode": "phone"}, "minutes"),
        ("/meetings", {"held_on": today.isoformat(), "minutes": 30, "mode": "fax"}, "mode"),
        (
            "/meetings",
            {"held_on": today.isoformat(), "minutes": 30, "mode": "phone", "topic_ids": [9999]},
            "topic_ids",
        ),
        ("/notes", {"audience": "shared", "text": "   "}, "text"),
        ("/notes", {"audience": "everyone", "text": "hello"}, "audience"),
        ("/reports", {"status": "great", "text": "hello"}, "status"),
    ]
    for tail, body, field in cases_of_bad_input:
        response = await cases.mentor.api.post(cases.url(case, tail), json=body)
        assert response.status_code == 422, (tail, body, response.text)
        assert field in response.text, (tail, body, response.text)
    closing = await cases.coordinator.api.post(
        cases.url(case, "/close"), json={"outcome": "reassigned"}
    )
    assert closing.status_code == 422 and "outcome" in closing.text
    assert (await case_row(case))["state"] == "active"
    assert (await cases.mentor.api.get(cases.url(case))).json()["meeting_count"] == 0


async def test_agreement_decides_coordinator_notes_and_supervisor_activity(cases: Cases) -> None:
    terms = terms_to_dict(DEFAULT_TERMS)
    terms["coordinator_reads_notes"] = True
    terms["supervisor_visibility"] = "status_and_activity"
    await agreement.publish(
        VersionPublish(terms=terms, summary="Coordinators read notes"), cases.admin.id
    )
    # The cases opened under version 1 keep its rules …
    await cases.mentor.api.post(
        cases.url(cases.referred_case, "/notes"), json={"audience": "private", "text": "v1"}
    )
    assert (
        await cases.coordinator.api.get(cases.url(cases.referred_case, "/notes"))
    ).status_code == 403
    # … a case opened under version 2 follows the new ones.
    newcomer = await cases.world.person("Nia Newcomer", supervisor=cases.supervisor, client=True)
    referral = await cases.world.referral(cases.supervisor, newcomer)
    case = (await open_cases(cases.world, referral))[referral]
    assert (await case_row(case))["agreement_version"] == 2
    mentor = cases.mentor if (await case_row(case))["mentor"] == cases.mentor.id else None
    mentor = mentor or cases.spare_mentor
    await mentor.api.post(cases.url(case, "/notes"), json={"audience": "private", "text": "v2"})
    await mentor.api.post(
        cases.url(case, "/meetings"),
        json={"held_on": clock.now().date().isoformat(), "minutes": 60, "mode": "phone"},
    )
    read = await cases.coordinator.api.get(cases.url(case, "/notes"))
    assert read.status_code == 200 and [n["text"] for n in read.json()] == ["v2"]
    status = (await cases.supervisor.api.get(f"/api/v1/referrals/{referral}")).json()["case"]
    assert status["meeting_count"] == 1 and status["meeting_hours"] == 1.0
    old = (
        await cases.supervisor.api.get(
            f"/api/v1/referrals/{(await case_row(cases.referred_case))['request']}"
        )
    ).json()["case"]
    assert old["meeting_count"] is None
