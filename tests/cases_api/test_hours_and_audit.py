"""Professional-development hours, the coordinator's audit log, and who accessed my case."""

from __future__ import annotations

import asyncio
import csv
import io
from datetime import timedelta

from mentorship.audit import services as audit
from mentorship.lib import clock, db
from tests.cases_api.conftest import API, Cases, case_row, events
from tests.test_cli import run_cli


async def _meeting(cases: Cases, case_id: int, minutes: int, *topics: str) -> None:
    response = await cases.mentor.api.post(
        cases.url(case_id, "/meetings"),
        json={
            "held_on": clock.now().date().isoformat(),
            "minutes": minutes,
            "mode": "virtual",
            "topic_ids": [cases.world.skills[t] for t in topics],
        },
    )
    assert response.status_code == 201, response.text


async def test_meeting_hours_roll_up_by_topic_for_both_people(cases: Cases) -> None:
    await _meeting(cases, cases.referred_case, 60, "De-escalation", "Data collection")
    await _meeting(cases, cases.voluntary_case, 45)
    mentee = (await cases.mentee.api.get(f"{API}/transcripts/mine")).json()
    assert mentee["mentored"] == [
        {"topic": "Data collection", "hours": 0.5},
        {"topic": "De-escalation", "hours": 0.5},
    ]
    assert mentee["mentored_hours"] == 1.0 and mentee["mentoring_hours"] == 0
    mentor = (await cases.mentor.api.get(f"{API}/transcripts/mine")).json()
    assert mentor["mentoring_hours"] == 1.75
    assert {"topic": "General mentoring", "hours": 0.75} in mentor["mentoring"]
    assert mentor["training_hours"] >= 12  # verified mentor training counts too


async def test_transcript_csv_over_api_and_cli_is_audited(
    cases: Cases, capsys, monkeypatch
) -> None:  # type: ignore[no-untyped-def]
    await _meeting(cases, cases.referred_case, 90, "De-escalation")
    download = await cases.mentee.api.get(f"{API}/transcripts/mine/csv")
    assert download.status_code == 200
    assert download.headers["content-type"].startswith("text/csv")
    assert "attachment" in download.headers["content-disposition"]
    rows = list(csv.DictReader(io.StringIO(download.text)))
    assert {
        "person": "Ana Mentee",
        "kind": "mentoring received",
        "topic": "De-escalation",
        "hours": "1.50",
    } in rows
    assert (
        await cases.mentee.api.get(f"{API}/transcripts/{cases.mentor.id}/csv")
    ).status_code == 403
    by_coordinator = await cases.coordinator.api.get(f"{API}/transcripts/{cases.mentee.id}/csv")
    assert by_coordinator.text == download.text

    code, out, _ = run_cli(capsys, monkeypatch, "export-hours", cases.mentee.email)
    assert code == 0 and out == download.text
    code, _, err = run_cli(capsys, monkeypatch, "export-hours", "nobody@example.org")
    assert code == 1 and err == "mentorship: error: no account with email nobody@example.org\n"
    exports = await events(action="export", object_type="pd_record")
    assert [(e["actor_id"], e["actor_role"]) for e in exports] == [
        (cases.mentee.id, "employee"),
        (cases.coordinator.id, "coordinator"),
        (None, "operator"),
    ]


async def test_coordinator_browses_and_exports_the_log(cases: Cases) -> None:
    note = (
        await cases.mentor.api.post(
            cases.url(cases.referred_case, "/notes"), json={"audience": "shared", "text": "hi"}
        )
    ).json()
    await cases.mentee.api.get(cases.url(cases.referred_case, f"/notes/{note['id']}"))
    await cases.outsider.api.get(cases.url(cases.referred_case, f"/notes/{note['id']}"))

    listing = await cases.coordinator.api.get(
        f"{API}/audit/events", params={"case_id": cases.referred_case}
    )
    assert listing.status_code == 200
    found = listing.json()
    assert found[0]["sequence"] > found[-1]["sequence"]  # newest first
    assert {(e["actor_name"], e["action"], e["outcome"]) for e in found} >= {
        ("Maya Mentor", "create", "allowed"),
        ("Ana Mentee", "read", "allowed"),
        ("Olga Outsider", "read_note", "denied"),
    }
    denied = await cases.coordinator.api.get(
        f"{API}/audit/events", params={"outcome": "denied", "actor_id": cases.outsider.id}
    )
    assert [e["object_type"] for e in denied.json()] == ["note"]
    page = await cases.coordinator.api.get(
        f"{API}/audit/events", params={"limit": 2, "before_sequence": found[0]["sequence"]}
    )
    assert [e["sequence"] for e in page.json()] == [
        found[0]["sequence"] - 1,
        found[0]["sequence"] - 2,
    ]
    today = clock.now().date()
    empty = await cases.coordinator.api.get(
        f"{API}/audit/events", params={"since": (today + timedelta(days=1)).isoformat()}
    )
    assert empty.json() == []
    backwards = await cases.coordinator.api.get(
        f"{API}/audit/events", params={"since": today.isoformat(), "until": "2020-01-01"}
    )
    assert backwards.status_code == 422

    export = await cases.coordinator.api.get(
        f"{API}/audit/events/csv", params={"case_id": cases.referred_case}
    )
    rows = list(csv.DictReader(io.StringIO(export.text)))
    assert len(rows) == len(found) and rows[0]["event_hash"]
    assert "hi" not in {r["details"] for r in rows}
    recorded = await events(action="export", object_type="audit_log")
    assert recorded[-1]["actor_id"] == cases.coordinator.id
    for person in (cases.mentor, cases.admin, cases.supervisor):
        assert (await person.api.get(f"{API}/audit/events")).status_code == 403


async def test_employee_sees_who_accessed_their_case(cases: Cases) -> None:
    case = cases.referred_case
    private = await cases.mentor.api.post(
        cases.url(case, "/notes"), json={"audience": "private", "text": "mine"}
    )
    await cases.mentor.api.get(cases.url(case, f"/notes/{private.json()['id']}"))
    shared = await cases.mentor.api.post(
        cases.url(case, "/notes"), json={"audience": "shared", "text": "ours"}
    )
    await cases.coordinator.api.get(cases.url(case))
    await cases.outsider.api.get(cases.url(case))
    await cases.supervisor.api.get(f"{API}/referrals/{(await _request_of(case))}")
    seen = (await cases.mentee.api.get(cases.url(case, "/accesses"))).json()
    who = {(a["actor_name"], a["actor_role"], a["action"], a["outcome"]) for a in seen}
    assert ("Rosa Coordinator", "coordinator", "read", "allowed") in who
    assert ("Olga Outsider", "none", "view", "denied") in who
    assert ("Sam Supervisor", "referrer", "read", "allowed") in who
    # The mentor's work on their own private note is theirs; the shared one is listed.
    notes = {(a["object_id"], a["action"]) for a in seen if a["object_type"] == "note"}
    assert notes == {(str(shared.json()["id"]), "create")}
    everything = (await cases.coordinator.api.get(cases.url(case, "/accesses"))).json()
    assert (str(private.json()["id"]), "read") in {
        (a["object_id"], a["action"]) for a in everything if a["object_type"] == "note"
    }
    for person in (cases.mentor, cases.supervisor, cases.outsider):
        assert (await person.api.get(cases.url(case, "/accesses"))).status_code in (403, 404)


async def _request_of(case_id: int) -> int:
    return int((await case_row(case_id))["request"])


async def test_role_changes_are_audited(cases: Cases) -> None:
    url = f"{API}/accounts/{cases.outsider.id}/roles/supervisor"
    assert (await cases.admin.api.put(url)).status_code == 200
    assert (await cases.admin.api.delete(url)).status_code == 200
    changes = await events(object_type="account", object_id=str(cases.outsider.id))
    changes = [e for e in changes if e["action"] != "login"]
    assert [(e["action"], db.json_value(e["details"]), e["actor_id"]) for e in changes] == [
        ("grant_role", {"role": "supervisor"}, cases.admin.id),
        ("revoke_role", {"role": "supervisor"}, cases.admin.id),
    ]


async def test_concurrent_requests_keep_one_chain(cases: Cases) -> None:
    note = (
        await cases.mentor.api.post(
            cases.url(cases.referred_case, "/notes"), json={"audience": "shared", "text": "x"}
        )
    ).json()
    url = cases.url(cases.referred_case, f"/notes/{note['id']}")
    before = len(await events())
    people = [cases.mentor, cases.mentee, cases.outsider, cases.supervisor] * 8
    responses = await asyncio.gather(*(person.api.get(url) for person in people))
    assert sorted({r.status_code for r in responses}) == [200, 404]
    after = await events()
    assert len(after) == before + len(people)
    assert [e["sequence"] for e in after] == list(range(1, len(after) + 1))
    assert (await audit.verify_chain()) == (len(after), None)
