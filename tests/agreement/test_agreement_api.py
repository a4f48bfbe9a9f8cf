"""The agreement as versioned data: the first version, publishing, validation, history."""

from __future__ import annotations

import copy

import pytest

from mentorship.access.roles import Role
from mentorship.agreement import services
from mentorship.agreement.terms import DEFAULT_TERMS, parse_terms, terms_to_dict
from tests.conftest import create_account, sign_in

AGREEMENT = "/api/v1/agreement"


async def test_the_first_version_holds_the_specification_defaults(admin_client):
    response = await admin_client.get(AGREEMENT)
    assert response.status_code == 200
    body = response.json()
    assert body["version"] == 1
    assert body["in_force"] is True
    assert body["terms"] == terms_to_dict(DEFAULT_TERMS)
    assert body["terms"]["max_travel_minutes"] == 45
    assert body["terms"]["caseload_cap"] == 3
    assert body["terms"]["required_training"]["total_min_hours"] == 12


async def test_publishing_brings_a_new_version_into_force_and_keeps_the_old(admin_client):
    terms = terms_to_dict(DEFAULT_TERMS)
    terms["max_travel_minutes"] = 30
    response = await admin_client.post(
        f"{AGREEMENT}/versions", json={"terms": terms, "summary": "Shorter trips"}
    )
    assert response.status_code == 201, response.text
    assert response.json()["version"] == 2
    assert response.json()["published_by"] == "Admin"
    current = (await admin_client.get(AGREEMENT)).json()
    assert current["version"] == 2
    assert current["terms"]["max_travel_minutes"] == 30
    old = (await admin_client.get(f"{AGREEMENT}/versions/1")).json()
    assert old["in_force"] is False
    assert old["terms"]["max_travel_minutes"] == 45
    history = (await admin_client.get(f"{AGREEMENT}/versions")).json()
    assert [(v["version"], v["in_force"]) for v in history] == [(2, True), (1, False)]
    assert (await services.in_force()).terms.max_travel_minutes == 30


def broken(change) -> dict:  # type: ignore[no-untyped-def]
    terms = copy.deepcopy(terms_to_dict(DEFAULT_TERMS))
    change(terms)
    return terms


@pytest.mark.parametrize(
    ("change", "field", "words"),
    [
        (lambda t: t.update(surprise=1), "terms.surprise", "not a term"),
        (lambda t: t["tracks"].update(third=True), "terms.tracks.third", "not a term"),
        (lambda t: t.pop("caseload_cap"), "terms.caseload_cap", "required"),
        (lambda t: t.update(max_travel_minutes="far"), "terms.max_travel_minutes", "int"),
        (lambda t: t.update(max_travel_minutes=-5), "terms.max_travel_minutes", ">= 0"),
        (lambda t: t.update(mentor_site_rule="sometimes"), "terms.mentor_site_rule", "one of"),
        (
            lambda t: t["required_training"]["topics"][1].update(min_hours=-1),
            "terms.required_training.topics.1.min_hours",
            ">= 0",
        ),
        (
            lambda t: t.update(caseload_cap=1, referred_case_weight=2),
            "terms.referred_case_weight",
            "could never fit",
        ),
        (
            lambda t: t["tracks"].update(voluntary=False, referred=False),
            "terms.tracks",
            "at least one track",
        ),
        (
            lambda t: t["required_training"]["topics"].append(
                {"topic": "confidentiality", "min_hours": 1}
            ),
            "terms.required_training.topics.5.topic",
            "listed twice",
        ),
    ],
)
async def test_bad_terms_are_refused_naming_the_field(admin_client, change, field, words):
    response = await admin_client.post(
        f"{AGREEMENT}/versions", json={"terms": broken(change), "summary": "Broken"}
    )
    assert response.status_code == 422, response.text
    errors = response.json()["errors"]
    assert field in errors, errors
    assert words in errors[field]
    assert (await admin_client.get(AGREEMENT)).json()["version"] == 1


@pytest.mark.parametrize("role", [Role.EMPLOYEE, Role.SUPERVISOR, Role.MENTOR, Role.COORDINATOR])
async def test_only_admins_publish_but_everyone_reads(client, role):
    await create_account("person@example.org", role)
    await sign_in(client, "person@example.org")
    assert (await client.get(AGREEMENT)).status_code == 200
    assert (await client.get(f"{AGREEMENT}/versions/1")).status_code == 200
    refused = await client.post(
        f"{AGREEMENT}/versions",
        json={"terms": terms_to_dict(DEFAULT_TERMS), "summary": "Mine now"},
    )
    assert refused.status_code == 403


async def test_unknown_versions_are_404(admin_client):
    assert (await admin_client.get(f"{AGREEMENT}/versions/99")).status_code == 404


@pytest.mark.db
async def test_concurrent_publishers_get_distinct_numbers():
    admin = await create_account("it@example.org", Role.ADMIN)
    import asyncio

    from mentorship.agreement.schemas import VersionPublish

    results = await asyncio.gather(
        *(
            services.publish(
                VersionPublish(terms=terms_to_dict(DEFAULT_TERMS), summary=f"v{n}"), admin.id
            )
            for n in range(6)
        )
    )
    assert sorted(r.version for r in results) == [2, 3, 4, 5, 6, 7]


def test_the_defaults_pass_their_own_validation():
    assert parse_terms(terms_to_dict(DEFAULT_TERMS)) == DEFAULT_TERMS
