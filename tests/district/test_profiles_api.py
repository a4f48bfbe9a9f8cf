"""Employee profiles: site, job role, supervisor and languages; supervision loops; supervisees."""

from __future__ import annotations

import asyncio

import pytest

from mentorship.access.roles import Role
from mentorship.district import profiles as district_profiles
from mentorship.district import supervision
from mentorship.district.schemas import ProfileUpdate
from mentorship.district.tables import Employee
from mentorship.lib.errors import Conflict
from tests.conftest import create_account
from tests.district.conftest import EMPLOYEES, JOB_ROLES, SITES, add_site

ME_PROFILE = "/api/v1/me/profile"
SUPERVISEES = "/api/v1/me/supervisees"
LOOP = "that would make a loop in the supervision chain: "


async def job_role_id(client, code: str) -> int:  # type: ignore[no-untyped-def]
    """The id of a seeded job role."""
    roles = (await client.get(JOB_ROLES, params={"include_inactive": True})).json()
    return int(next(r["id"] for r in roles if r["code"] == code))


async def set_supervisor(client, employee: int, supervisor: int | None):  # type: ignore[no-untyped-def]
    """PATCH one person's supervisor over the API."""
    return await client.patch(f"{EMPLOYEES}/{employee}", json={"supervisor_id": supervisor})


# --- setting a profile -------------------------------------------------------------------------


async def test_admin_sets_site_job_role_supervisor_and_languages(admin_client):
    site = await add_site(admin_client, "LHS", name="Lincoln High")
    para = await job_role_id(admin_client, "para")
    ana = await create_account("ana@example.org", name="Ana Lopez")
    ben = await create_account("ben@example.org", Role.SUPERVISOR, name="Ben Ortiz")

    response = await admin_client.patch(
        f"{EMPLOYEES}/{ana.id}",
        json={
            "site_id": site["id"],
            "job_role_id": para,
            "supervisor_id": ben.id,
            "languages": ["  spanish ", "English", "english", "american   sign language", "ES"],
        },
    )
    assert response.status_code == 200, response.text
    body = response.json()
    assert body == {
        "account_id": ana.id,
        "display_name": "Ana Lopez",
        "email": "ana@example.org",
        "site": site,
        "job_role": {
            "id": para,
            "code": "para",
            "name": "Paraeducator (instructional)",
            "active": True,
        },
        "supervisor": {"id": ben.id, "display_name": "Ben Ortiz"},
        "languages": ["Spanish", "English", "American sign language", "ES"],
    }
    assert (await admin_client.get(f"{EMPLOYEES}/{ana.id}")).json() == body
    assert await Employee.count() == 1


async def test_a_profile_never_recorded_is_empty(admin_client):
    ana = await create_account("ana@example.org", name="Ana Lopez")
    response = await admin_client.get(f"{EMPLOYEES}/{ana.id}")
    assert response.status_code == 200
    assert response.json() == {
        "account_id": ana.id,
        "display_name": "Ana Lopez",
        "email": "ana@example.org",
        "site": None,
        "job_role": None,
        "supervisor": None,
        "languages": [],
    }
    # An empty change records nothing.
    assert (await admin_client.patch(f"{EMPLOYEES}/{ana.id}", json={})).status_code == 200
    assert await Employee.count() == 0


async def test_omitted_fields_stay_and_null_clears(admin_client):
    site = await add_site(admin_client, "LHS")
    office = await job_role_id(admin_client, "office")
    ana = await create_account("ana@example.org")
    ben = await create_account("ben@example.org", Role.SUPERVISOR)
    full = {
        "site_id": site["id"],
        "job_role_id": office,
        "supervisor_id": ben.id,
        "languages": ["English"],
    }
    await admin_client.patch(f"{EMPLOYEES}/{ana.id}", json=full)

    only_languages = await admin_client.patch(
        f"{EMPLOYEES}/{ana.id}", json={"languages": ["Tagalog"]}
    )
    body = only_languages.json()
    assert body["site"]["id"] == site["id"]
    assert body["job_role"]["id"] == office
    assert body["supervisor"]["id"] == ben.id
    assert body["languages"] == ["Tagalog"]

    cleared = await admin_client.patch(
        f"{EMPLOYEES}/{ana.id}",
        json={"site_id": None, "job_role_id": None, "supervisor_id": None, "languages": []},
    )
    assert cleared.status_code == 200
    body = cleared.json()
    assert (body["site"], body["job_role"], body["supervisor"], body["languages"]) == (
        None,
        None,
        None,
        [],
    )


@pytest.mark.parametrize(
    ("change", "field"),
    [
        ({"site_id": 999999}, "site_id"),
        ({"site_id": "LHS"}, "site_id"),
        ({"job_role_id": 999999}, "job_role_id"),
        ({"supervisor_id": 999999}, "supervisor_id"),
        ({"languages": "English"}, "languages"),
        ({"languages": ["E"]}, "languages"),
        ({"languages": ["L" * 41]}, "languages"),
        ({"languages": [f"Language {n}" for n in range(11)]}, "languages"),
        ({"email": "new@example.org"}, "email"),
    ],
)
async def test_bad_profile_values_are_422_naming_the_field(admin_client, change, field):
    ana = await create_account("ana@example.org")
    response = await admin_client.patch(f"{EMPLOYEES}/{ana.id}", json=change)
    assert response.status_code == 422, response.text
    assert field in str(response.json()["errors"])
    assert await Employee.count() == 0


async def test_a_closed_site_or_retired_job_role_cannot_be_given(admin_client):
    site = await add_site(admin_client, "OLD")
    await admin_client.patch(f"{SITES}/{site['id']}", json={"active": False})
    library = await job_role_id(admin_client, "library")
    await admin_client.patch(f"{JOB_ROLES}/{library}", json={"active": False})
    ana = await create_account("ana@example.org")

    closed = await admin_client.patch(f"{EMPLOYEES}/{ana.id}", json={"site_id": site["id"]})
    assert closed.status_code == 422
    assert "site_id" in closed.json()["errors"]
    retired = await admin_client.patch(f"{EMPLOYEES}/{ana.id}", json={"job_role_id": library})
    assert retired.status_code == 422
    assert "job_role_id" in retired.json()["errors"]
    assert await Employee.count() == 0


async def test_the_supervisor_must_hold_the_supervisor_role(admin_client):
    ana = await create_account("ana@example.org")
    for role in (Role.EMPLOYEE, Role.MENTOR, Role.COORDINATOR, Role.ADMIN):
        other = await create_account(f"{role.value}-x@example.org", role)
        response = await set_supervisor(admin_client, ana.id, other.id)
        assert response.status_code == 422, response.text
        errors = response.json()["errors"]
        assert "supervisor role" in errors["supervisor_id"]
    assert await Employee.count() == 0
    # Granting the role makes the same person acceptable.
    mentor = await create_account("mentor@example.org", Role.MENTOR)
    await admin_client.put(f"/api/v1/accounts/{mentor.id}/roles/supervisor")
    assert (await set_supervisor(admin_client, ana.id, mentor.id)).status_code == 200


async def test_a_deactivated_supervisor_cannot_be_given(admin_client):
    ana = await create_account("ana@example.org")
    ben = await create_account("ben@example.org", Role.SUPERVISOR)
    await admin_client.post(f"/api/v1/accounts/{ben.id}/deactivate")
    response = await set_supervisor(admin_client, ana.id, ben.id)
    assert response.status_code == 422
    assert "supervisor_id" in response.json()["errors"]


async def test_an_unknown_person_is_404(admin_client):
    assert (await admin_client.get(f"{EMPLOYEES}/999999")).status_code == 404
    response = await admin_client.patch(f"{EMPLOYEES}/999999", json={"languages": ["English"]})
    assert response.status_code == 404
    assert await Employee.count() == 0


# --- supervision loops -------------------------------------------------------------------------


async def test_nobody_can_supervise_themselves(admin_client):
    ana = await create_account("ana@example.org", Role.SUPERVISOR, name="Ana Lopez")
    response = await set_supervisor(admin_client, ana.id, ana.id)
    assert response.status_code == 409, response.text
    assert response.json()["detail"] == LOOP + "Ana Lopez → Ana Lopez"
    assert await Employee.count() == 0


async def test_a_two_person_loop_is_refused(admin_client):
    ana = await create_account("ana@example.org", Role.SUPERVISOR, name="Ana Lopez")
    ben = await create_account("ben@example.org", Role.SUPERVISOR, name="Ben Ortiz")
    assert (await set_supervisor(admin_client, ana.id, ben.id)).status_code == 200
    response = await set_supervisor(admin_client, ben.id, ana.id)
    assert response.status_code == 409
    assert response.json()["detail"] == LOOP + "Ben Ortiz → Ana Lopez → Ben Ortiz"


async def test_a_three_person_loop_is_refused_naming_everyone_in_it(admin_client):
    ana = await create_account("ana@example.org", Role.SUPERVISOR, name="Ana Lopez")
    ben = await create_account("ben@example.org", Role.SUPERVISOR, name="Ben Ortiz")
    cy = await create_account("cy@example.org", Role.SUPERVISOR, name="Cy Ng")
    site = await add_site(admin_client, "LHS")
    assert (await set_supervisor(admin_client, ana.id, ben.id)).status_code == 200
    assert (await set_supervisor(admin_client, ben.id, cy.id)).status_code == 200
    await admin_client.patch(f"{EMPLOYEES}/{cy.id}", json={"site_id": site["id"]})

    response = await admin_client.patch(
        f"{EMPLOYEES}/{cy.id}", json={"supervisor_id": ana.id, "languages": ["French"]}
    )
    assert response.status_code == 409, response.text
    assert response.json()["detail"] == LOOP + "Cy Ng → Ana Lopez → Ben Ortiz → Cy Ng"
    # Nothing of the refused change was kept.
    cy_now = (await admin_client.get(f"{EMPLOYEES}/{cy.id}")).json()
    assert cy_now["supervisor"] is None
    assert cy_now["languages"] == []
    assert cy_now["site"]["id"] == site["id"]
    # Changes that keep the chain a tree are still fine.
    assert (await set_supervisor(admin_client, ana.id, cy.id)).status_code == 200
    assert (await set_supervisor(admin_client, ben.id, None)).status_code == 200
    assert (await set_supervisor(admin_client, cy.id, ben.id)).status_code == 200
    assert await district_profiles.supervision_map() == {ana.id: cy.id, ben.id: None, cy.id: ben.id}


# --- who may see and change profiles -----------------------------------------------------------


async def test_a_coordinator_may_read_profiles_but_not_change_them(admin_client, signed_in):
    ana = await create_account("ana@example.org", name="Ana Lopez")
    await admin_client.patch(f"{EMPLOYEES}/{ana.id}", json={"languages": ["English"]})
    coordinator = await signed_in("coord@example.org", Role.COORDINATOR)
    shown = await coordinator.get(f"{EMPLOYEES}/{ana.id}")
    assert shown.status_code == 200
    assert shown.json()["languages"] == ["English"]
    refused = await coordinator.patch(f"{EMPLOYEES}/{ana.id}", json={"languages": ["French"]})
    assert refused.status_code == 403
    assert (await admin_client.get(f"{EMPLOYEES}/{ana.id}")).json()["languages"] == ["English"]


@pytest.mark.parametrize("role", [Role.EMPLOYEE, Role.SUPERVISOR, Role.MENTOR])
async def test_other_roles_may_not_read_or_change_profiles(admin_client, signed_in, role):
    ana = await create_account("ana@example.org")
    person = await signed_in(f"{role.value}@example.org", role)
    me = (await person.get("/api/v1/me")).json()["account_id"]
    for target in (ana.id, me):
        assert (await person.get(f"{EMPLOYEES}/{target}")).status_code == 403
        change = await person.patch(f"{EMPLOYEES}/{target}", json={"languages": ["French"]})
        assert change.status_code == 403
    assert await Employee.count() == 0


async def test_anonymous_requests_are_401(client, settings):
    ana = await create_account("ana@example.org")
    reads = [
        await client.get(f"{EMPLOYEES}/{ana.id}"),
        await client.get(ME_PROFILE),
        await client.get(SUPERVISEES),
    ]
    client.headers["x-csrftoken"] = client.cookies[settings.csrf_cookie_name]
    write = await client.patch(f"{EMPLOYEES}/{ana.id}", json={"languages": ["French"]})
    assert [r.status_code for r in [*reads, write]] == [401] * 4
    assert await Employee.count() == 0


@pytest.mark.parametrize("role", list(Role))
async def test_everyone_signed_in_sees_their_own_profile(admin_client, signed_in, role):
    person = await signed_in(f"pat.{role.value}@example.org", role, name="Pat Doe")
    empty = await person.get(ME_PROFILE)
    assert empty.status_code == 200
    me = empty.json()
    assert me["display_name"] == "Pat Doe"
    assert (me["site"], me["supervisor"], me["languages"]) == (None, None, [])

    site = await add_site(admin_client, "LHS")
    ben = await create_account("ben@example.org", Role.SUPERVISOR, name="Ben Ortiz")
    await admin_client.patch(
        f"{EMPLOYEES}/{me['account_id']}",
        json={"site_id": site["id"], "supervisor_id": ben.id, "languages": ["english"]},
    )
    mine = (await person.get(ME_PROFILE)).json()
    assert mine["site"]["code"] == "LHS"
    assert mine["supervisor"] == {"id": ben.id, "display_name": "Ben Ortiz"}
    assert mine["languages"] == ["English"]


# --- supervisees -------------------------------------------------------------------------------


async def test_a_supervisor_sees_direct_and_indirect_reports(admin_client, signed_in):
    north = await add_site(admin_client, "NOR")
    south = await add_site(admin_client, "SOU")
    boss = await signed_in("boss@example.org", Role.SUPERVISOR, name="Bo Boss")
    boss_id = (await boss.get("/api/v1/me")).json()["account_id"]
    ana = await create_account("ana@example.org", Role.SUPERVISOR, name="Ana Lopez")
    dan = await create_account("dan@example.org", name="Dan Kim")
    eve = await create_account("eve@example.org", Role.SUPERVISOR, name="Eve Adams")
    fay = await create_account("fay@example.org", name="Fay Wu")
    other = await create_account("zed@example.org", Role.SUPERVISOR, name="Zed Other")
    gus = await create_account("gus@example.org", name="Gus Roe")

    for employee, supervisor, site in [
        (ana.id, boss_id, north["id"]),
        (dan.id, boss_id, None),
        (eve.id, ana.id, south["id"]),
        (fay.id, eve.id, north["id"]),
        (gus.id, other.id, north["id"]),  # someone else's chain
    ]:
        response = await admin_client.patch(
            f"{EMPLOYEES}/{employee}", json={"supervisor_id": supervisor, "site_id": site}
        )
        assert response.status_code == 200, response.text

    response = await boss.get(SUPERVISEES)
    assert response.status_code == 200
    assert response.json() == [
        {"account_id": ana.id, "display_name": "Ana Lopez", "site_code": "NOR", "directly": True},
        {"account_id": dan.id, "display_name": "Dan Kim", "site_code": None, "directly": True},
        {"account_id": eve.id, "display_name": "Eve Adams", "site_code": "SOU", "directly": False},
        {"account_id": fay.id, "display_name": "Fay Wu", "site_code": "NOR", "directly": False},
    ]
    searched = await boss.get(SUPERVISEES, params={"search": "ADA"})
    assert [p["display_name"] for p in searched.json()] == ["Eve Adams"]
    too_long = await boss.get(SUPERVISEES, params={"search": "x" * 201})
    assert too_long.status_code == 422

    # Moving Eve under the other supervisor takes her and Fay out of the boss's chain.
    await set_supervisor(admin_client, eve.id, other.id)
    names = [p["display_name"] for p in (await boss.get(SUPERVISEES)).json()]
    assert names == ["Ana Lopez", "Dan Kim"]
    assert await district_profiles.is_in_chain(other.id, fay.id)
    assert not await district_profiles.is_in_chain(boss_id, fay.id)
    assert await district_profiles.is_in_chain(boss_id, ana.id)


async def test_a_supervisor_with_nobody_in_the_chain_sees_an_empty_list(signed_in):
    boss = await signed_in("boss@example.org", Role.SUPERVISOR)
    response = await boss.get(SUPERVISEES)
    assert response.status_code == 200
    assert response.json() == []


@pytest.mark.parametrize("role", [Role.EMPLOYEE, Role.MENTOR, Role.COORDINATOR, Role.ADMIN])
async def test_only_supervisors_may_list_supervisees(signed_in, role):
    person = await signed_in(f"{role.value}@example.org", role)
    assert (await person.get(SUPERVISEES)).status_code == 403


# --- changes at the same moment ----------------------------------------------------------------


@pytest.mark.db
@pytest.mark.parametrize("repeat", range(5))
async def test_two_changes_that_together_make_a_loop_do_not_both_succeed(repeat):
    ana = await create_account("ana@example.org", Role.SUPERVISOR, name="Ana Lopez")
    ben = await create_account("ben@example.org", Role.SUPERVISOR, name="Ben Ortiz")
    results = await asyncio.gather(
        district_profiles.update_profile(ana.id, ProfileUpdate(supervisor_id=ben.id)),
        district_profiles.update_profile(ben.id, ProfileUpdate(supervisor_id=ana.id)),
        return_exceptions=True,
    )
    refused = [r for r in results if isinstance(r, BaseException)]
    assert len(refused) == 1, results
    assert isinstance(refused[0], Conflict), repr(refused[0])
    assert "loop" in str(refused[0])
    mapping = await district_profiles.supervision_map()
    assert sorted(v for v in mapping.values() if v is not None) in ([ana.id], [ben.id])


@pytest.mark.db
@pytest.mark.parametrize("repeat", range(3))
async def test_two_changes_that_close_a_three_person_loop_do_not_both_succeed(repeat):
    ana = await create_account("ana@example.org", Role.SUPERVISOR, name="Ana Lopez")
    ben = await create_account("ben@example.org", Role.SUPERVISOR, name="Ben Ortiz")
    cy = await create_account("cy@example.org", Role.SUPERVISOR, name="Cy Ng")
    await district_profiles.update_profile(ana.id, ProfileUpdate(supervisor_id=ben.id))
    # Ben under Cy, and Cy under Ana: each fine alone, a loop together.
    results = await asyncio.gather(
        district_profiles.update_profile(ben.id, ProfileUpdate(supervisor_id=cy.id)),
        district_profiles.update_profile(cy.id, ProfileUpdate(supervisor_id=ana.id)),
        return_exceptions=True,
    )
    refused = [r for r in results if isinstance(r, BaseException)]
    assert len(refused) == 1, results
    assert isinstance(refused[0], Conflict), repr(refused[0])
    assert supervision.find_cycles(await district_profiles.supervision_map()) == []
