"""Why the system withdrew a proposal is stored as a code, worded in English by the API and
the proposal page; a coordinator's own words stay text; and the migration reads a previous
release's sentences back into codes."""

from __future__ import annotations

import contextlib
import html
import io
from typing import Any

from piccolo.apps.migrations.commands.backwards import run_backwards

from mentorship.accounts import services as accounts
from mentorship.lib import db
from mentorship.lib.commands import apply_migrations
from mentorship.lib.messages import Message, word
from mentorship.matching.piccolo_migrations.matching_2026_12_06t03_44_03_012806 import (
    ID as CODED_REASON_MIGRATION,
)
from mentorship.matching.tables import MatchProposal
from tests.matching_api.conftest import MATCHING, District, Person, proposal_for, run

PROPOSALS = f"{MATCHING}/proposals"
SUSPENDED = {"code": "pool.unavailable.suspended", "params": {}}


async def proposed(world: District, employee: str, mentor: str) -> tuple[Person, dict[str, Any]]:
    """A mentor, and the pending proposal a run made for them to a new employee's request."""
    request_id = await world.request(await world.person(employee))
    lena = await world.mentor(mentor)
    return lena, proposal_for(await run(world), request_id)


async def proposal(world: District, proposal_id: int) -> dict[str, Any]:
    """The proposal as the API shows it to the coordinator."""
    response = await world.coordinator.api.get(f"{PROPOSALS}/{proposal_id}")
    assert response.status_code == 200, response.text
    body: dict[str, Any] = response.json()
    return body


async def test_a_suspension_withdraws_with_a_coded_reason_worded_by_api_and_page(
    world: District,
):
    lena, pending = await proposed(world, "Ana Lopez", "Lena Park")

    suspended = await world.coordinator.api.post(
        f"/api/v1/mentor-pool/{lena.id}/suspend", json={"reason": "On leave."}
    )
    assert suspended.status_code == 200, suspended.text

    [row] = await MatchProposal.select(
        MatchProposal.decision_reason, MatchProposal.decision_coded
    ).where(MatchProposal.id == pending["id"])
    assert row["decision_reason"] == ""  # no English stored
    assert db.json_value(row["decision_coded"]) == SUSPENDED
    body = await proposal(world, pending["id"])
    assert body["status"] == "withdrawn"
    assert body["decision_reason"] == "the mentor was suspended"
    assert body["decision_reason_coded"] == SUSPENDED
    assert word(Message.from_dict(body["decision_reason_coded"])) == body["decision_reason"]
    page = html.unescape(
        (await world.coordinator.api.get(f"/matching/proposals/{pending['id']}")).text
    )
    assert "<p>Withdrawn because the mentor was suspended.</p>" in page


async def test_a_deactivated_account_withdraws_with_its_own_code(world: District):
    lena, pending = await proposed(world, "Ana Lopez", "Lena Park")

    await accounts.deactivate(lena.id, world.coordinator.id)

    body = await proposal(world, pending["id"])
    assert body["decision_reason_coded"]["code"] == "matching.withdrawn.account_deactivated"
    assert body["decision_reason"] == "the mentor's account was deactivated"


async def test_a_coordinators_reason_stays_their_words(world: District):
    _, pending = await proposed(world, "Ana Lopez", "Lena Park")

    rejected = await world.coordinator.api.post(
        f"{PROPOSALS}/{pending['id']}/reject", json={"reason": "the mentor was suspended"}
    )
    assert rejected.status_code == 200, rejected.text

    body = await proposal(world, pending["id"])
    assert body["decision_reason"] == "the mentor was suspended"  # typed, even if it reads alike
    assert body["decision_reason_coded"] is None


async def test_the_migration_reads_a_previous_releases_sentences_back_into_codes(
    world: District,
):
    lena, withdrawn = await proposed(world, "Ana Lopez", "Lena Park")
    await world.coordinator.api.post(
        f"/api/v1/mentor-pool/{lena.id}/suspend", json={"reason": "On leave."}
    )
    _, typed = await proposed(world, "Ben Ode", "Omar Diaz")
    await world.coordinator.api.post(
        f"{PROPOSALS}/{typed['id']}/reject", json={"reason": "Omar knows the family."}
    )
    before = {p["id"]: await proposal(world, p["id"]) for p in (withdrawn, typed)}

    with contextlib.redirect_stdout(io.StringIO()):
        await run_backwards("matching", migration_id=CODED_REASON_MIGRATION, auto_agree=True)
    rows = await MatchProposal.raw("SELECT id, decision_reason FROM match_proposal")
    reasons = {r["id"]: r["decision_reason"] for r in rows}
    # The previous release's column holds the English the API showed, word for word.
    assert reasons[withdrawn["id"]] == "the mentor was suspended"
    assert reasons[typed["id"]] == "Omar knows the family."

    assert await apply_migrations() == 2

    assert {p: await proposal(world, p) for p in before} == before
