"""The training pages, now the development domain's at their old addresses: my mentor
training and the coordinator's training to verify, which shows each person's place in the
mentor pool as the pool words it (asked through `development.signals.pool_places`)."""

from __future__ import annotations

import html
import re

from mentorship.development.tables import TrainingRecord
from tests.pool.conftest import CONFIDENTIALITY, Person, SignedIn, apply, record

APPLY_LINK = '<a href="/mentor/apply">apply to become a mentor</a>'


def row_of(page: str, name: str) -> str:
    """The table row naming `name` on the training-to-verify page."""
    rows = re.findall(r"<tr>.*?</tr>", page, re.S)
    return next(html.unescape(row) for row in rows if name in html.unescape(row))


async def test_training_to_verify_shows_each_persons_place_in_the_pool(
    coordinator: Person, ana: Person, signed_in: SignedIn
) -> None:
    ben = await signed_in("ben@example.org", name="Ben Ode")
    await apply(ana)
    await record(ana.client, CONFIDENTIALITY, 2)
    await record(ben.client, "First aid", 1)

    page = await coordinator.client.get("/pool/training")

    assert page.status_code == 200
    ana_row = row_of(page.text, "Ana Lopez")
    assert f'href="/pool/mentors/{ana.id}"' in ana_row
    assert "Waiting for a decision" in ana_row
    assert "Not in the pool" in row_of(page.text, "Ben Ode")


async def test_verifying_from_the_list_counts_the_training_and_says_so(
    coordinator: Person, ana: Person
) -> None:
    waiting = await record(ana.client, CONFIDENTIALITY, 2)

    response = await coordinator.client.post(
        f"/pool/training/{waiting['id']}/verify", data={}, follow_redirects=False
    )

    assert response.status_code == 303
    assert response.headers["location"] == "/pool/training"
    shown = await coordinator.client.get(response.headers["location"])
    assert "Verified: Ana Lopez, “Confidentiality”" in html.unescape(shown.text)
    row = await TrainingRecord.select().where(TrainingRecord.id == waiting["id"]).first()
    assert row is not None and row["verified_by"] == coordinator.id


async def test_removing_goes_back_only_to_a_pool_page(coordinator: Person, ana: Person) -> None:
    mistaken = await record(ana.client, CONFIDENTIALITY, 2)
    path = f"/pool/training/{mistaken['id']}/remove"

    elsewhere = await coordinator.client.get(path, params={"back": "https://evil.example/"})
    assert 'name="back" value="/pool/training"' in elsewhere.text
    removed = await coordinator.client.post(
        path, data={"back": f"/pool/mentors/{ana.id}"}, follow_redirects=False
    )

    assert removed.headers["location"] == f"/pool/mentors/{ana.id}"
    assert not await TrainingRecord.exists().where(TrainingRecord.id == mistaken["id"])


async def test_my_training_offers_to_apply_only_to_someone_outside_the_pool(ana: Person) -> None:
    before = await ana.client.get("/mentor/training")
    await apply(ana)
    after = await ana.client.get("/mentor/training")

    assert before.status_code == after.status_code == 200
    assert APPLY_LINK in before.text
    assert APPLY_LINK not in after.text


async def test_my_training_form_names_every_blank_field_at_once(ana: Person) -> None:
    response = await ana.client.post("/mentor/training", data={"topic": "", "hours": ""})

    assert response.status_code == 422
    page = html.unescape(response.text)
    for message in (
        "Enter the topic of the training.",
        "Enter the hours as a number above 0",
        "Enter the date you finished the training.",
    ):
        assert message in page
    assert not await TrainingRecord.exists()
