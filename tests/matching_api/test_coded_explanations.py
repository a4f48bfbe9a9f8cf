"""Explanations are stored as codes, worded in English by the API and the board, in other
words by a translation; and the migration reads a previous release's English back into codes."""

from __future__ import annotations

import contextlib
import html
import io
import json
from typing import Any

from piccolo.apps.migrations.commands.backwards import run_backwards

from mentorship.lib import db
from mentorship.lib.commands import apply_migrations
from mentorship.lib.messages import Message, word
from mentorship.matching.piccolo_migrations.matching_2026_12_06t02_17_37_730236 import (
    ID as CODED_COLUMNS_MIGRATION,
)
from mentorship.matching.tables import MatchProposal, UnmatchedRequest
from tests.matching_api.conftest import RUNS, District, proposal_for, run, unmatched_for


async def varied_run(world: District) -> tuple[dict[str, Any], dict[str, int]]:
    """A run with proposals and their alternatives, a request outcompeted for the two
    mentors (one place each), and one no mentor may take (too far away)."""
    ana = await world.person("Ana Lopez", languages=["Spanish"])
    ben = await world.person("Ben Ode")
    cai = await world.person("Cai Moss")
    eve = await world.person("Eve Far", site="east")
    requests = {
        "ana": await world.request(
            ana, {"De-escalation": 3, "CPR": 2}, language="Spanish", urgent=True
        ),
        "ben": await world.request(ben, {"CPR": 3}),
        "cai": await world.request(cai, {"CPR": 3}),
        "eve": await world.request(eve, {"De-escalation": 3}),
    }
    await world.mentor("Lena Park", skills={"De-escalation": 3}, languages=["Spanish"], capacity=1)
    await world.mentor("Omar Diaz", skills={"De-escalation": 1, "CPR": 3}, capacity=1)
    return await run(world), requests


def worded(coded: dict[str, Any]) -> str:
    """A coded message from the API, in English words."""
    return word(Message.from_dict(coded))


async def test_a_proposal_stores_codes_and_the_api_words_them_in_english(world: District):
    body, requests = await varied_run(world)
    proposal = proposal_for(body, requests["ana"])

    row = await MatchProposal.select().where(MatchProposal.id == proposal["id"]).first()
    assert row is not None
    stored = db.json_value(row["explanation"])
    assert stored["code"] == "matching.summary"
    assert [part["code"] for part in stored["params"]["parts"]][:2] == [
        "matching.skills.covers_some",
        "matching.travel.minutes",
    ]
    assert "needed skills" not in json.dumps(db.json_value(row["parts"]))  # no English stored
    reason = await UnmatchedRequest.select(UnmatchedRequest.reason).first()
    assert reason is not None and db.json_value(reason["reason"])["code"].startswith(
        "matching.unmatched."
    )

    # The API keeps its English fields and adds the codes beside them.
    assert proposal["summary"].startswith("covers 1 of 2 needed skills (not CPR); 15 min travel")
    assert proposal["summary_coded"] == stored
    assert worded(proposal["summary_coded"]) == proposal["summary"]
    for part in proposal["parts"]:
        assert worded(part["reason_coded"]) == part["reason"]
    for alternative in proposal["alternatives"]:
        assert [worded(r) for r in alternative["reasons_coded"]] == alternative["reasons"]
    far = unmatched_for(body, requests["eve"])
    assert far["message_coded"]["code"] == "matching.unmatched.none_fit"
    assert far["message"] == (
        "None of the 2 mentors in the pool can take this request: 2 are more than 45 min away"
        " or have no route on the site graph."
    )


async def test_the_board_words_the_stored_codes_in_english(world: District):
    body, requests = await varied_run(world)
    proposal = proposal_for(body, requests["ana"])

    board = html.unescape((await world.coordinator.api.get("/matching")).text)
    summary = proposal["summary"]
    assert f"Why this mentor:</strong> {summary[:1].upper()}{summary[1:]}</p>" in board
    assert unmatched_for(body, requests["eve"])["message"] in board
    page = html.unescape(
        (await world.coordinator.api.get(f"/matching/proposals/{proposal['id']}")).text
    )
    assert "Works in Spanish" in page  # a part's reason, capitalised in its table row
    assert "; ".join(proposal["alternatives"][0]["reasons"]) in page


async def test_a_translation_changes_the_words_and_not_the_codes(world: District):
    body, requests = await varied_run(world)
    coded = Message.from_dict(proposal_for(body, requests["ana"])["summary_coded"])
    spanish = {
        "works in {language}": "trabaja en {language}",
        "{minutes} min travel": "{minutes} min de viaje",
        "the mentor's first case": "el primer caso del mentor",
    }

    in_spanish = word(coded, lambda wording: spanish.get(wording, wording))

    assert "15 min de viaje; " in in_spanish
    assert "trabaja en Spanish" in in_spanish
    assert in_spanish.endswith("el primer caso del mentor")
    assert in_spanish != word(coded)


async def back_to_the_previous_release(run_body: dict[str, Any]) -> None:
    """Roll this release's matching migrations back: the explanations are English again,
    word for word what the API showed, in the columns the previous release read."""
    with contextlib.redirect_stdout(io.StringIO()):
        await run_backwards("matching", migration_id=CODED_COLUMNS_MIGRATION, auto_agree=True)
    for p in run_body["proposals"]:
        [row] = await MatchProposal.raw(
            "SELECT summary, parts, alternatives FROM match_proposal WHERE id = {}", p["id"]
        )
        assert row["summary"] == p["summary"]
        assert db.json_value(row["parts"]) == [
            {"key": q["key"], "cost": q["cost"], "reason": q["reason"]} for q in p["parts"]
        ]
        assert [a["reasons"] for a in db.json_value(row["alternatives"])] == [
            a["reasons"] for a in p["alternatives"]
        ]
    rows = await UnmatchedRequest.raw(
        "SELECT request, message FROM unmatched_request WHERE run = {}", run_body["id"]
    )
    assert {r["request"]: r["message"] for r in rows} == {
        u["request_id"]: u["message"] for u in run_body["unmatched"]
    }


async def test_the_migration_reads_a_previous_releases_english_back_into_codes(
    world: District,
):
    body, requests = await varied_run(world)
    before = (await world.coordinator.api.get(f"{RUNS}/{body['id']}")).json()
    [outcompeted] = [u for u in before["unmatched"] if u["kind"] == "outcompeted"]
    assert outcompeted["message_coded"]["code"] == "matching.unmatched.outcompeted"
    assert any(p["alternatives"] for p in before["proposals"])

    await back_to_the_previous_release(before)
    # A sentence no release of explain.py wrote this way: kept word for word.
    older = "An older wording of why."
    await UnmatchedRequest.raw(
        "UPDATE unmatched_request SET message = {} WHERE request = {}",
        older,
        outcompeted["request_id"],
    )
    assert await apply_migrations() == 4  # these two, and the coded withdrawal reasons after

    after = (await world.coordinator.api.get(f"{RUNS}/{body['id']}")).json()
    assert after["proposals"] == before["proposals"]
    assert unmatched_for(after, requests["eve"]) == unmatched_for(before, requests["eve"])
    kept = unmatched_for(after, outcompeted["request_id"])
    assert kept["message"] == older
    assert kept["message_coded"] == {"code": "matching.legacy_text", "params": {"text": older}}
