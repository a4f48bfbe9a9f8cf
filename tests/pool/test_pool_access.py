"""Who may call the mentor-pool API: coordinators manage, employees apply, others are refused."""

from __future__ import annotations

import pytest

from mentorship.access.roles import Role
from mentorship.development.tables import TrainingRecord
from mentorship.pool.tables import Mentor
from tests.pool.conftest import (
    APPLICATIONS,
    MINE,
    PD,
    POOL,
    TRAINING,
    application,
    apply,
    approved_mentor,
    days_ago,
    record,
)


def coordinator_requests(account_id: int, record_id: int) -> list[tuple[str, str, object]]:
    """Every coordinator-only endpoint of the pool, with a body that would otherwise pass."""
    return [
        ("GET", POOL, None),
        ("GET", f"{POOL}/{account_id}", None),
        ("POST", f"{POOL}/{account_id}/approve", None),
        ("POST", f"{POOL}/{account_id}/decline", {"reason": "No"}),
        ("POST", f"{POOL}/{account_id}/suspend", {"reason": "No"}),
        ("POST", f"{POOL}/{account_id}/reinstate", None),
        ("POST", f"{POOL}/{account_id}/retire", {"reason": "No"}),
        ("PUT", f"{POOL}/{account_id}/capacity", {"capacity": 1}),
        ("PUT", f"{POOL}/{account_id}/availability", {"available": False}),
        ("POST", f"{TRAINING}/{record_id}/verify", None),
        ("DELETE", f"{TRAINING}/{record_id}", None),
        ("GET", f"{PD}/{account_id}", None),
    ]


async def call(client, method: str, url: str, body: object):  # type: ignore[no-untyped-def]
    return await client.request(method, url, json=body)


@pytest.mark.parametrize("role", [Role.EMPLOYEE, Role.SUPERVISOR, Role.ADMIN, Role.MENTOR])
async def test_coordinator_endpoints_refuse_other_roles(signed_in, coordinator, ana, role):
    await apply(ana)
    own = await record(ana.client, "Confidentiality", 2)
    person = await signed_in(f"{role.value}@example.org", role)
    before = (await coordinator.client.get(f"{POOL}/{ana.id}")).json()
    codes = [
        (url, method, (await call(person.client, method, url, body)).status_code)
        for method, url, body in coordinator_requests(ana.id, own["id"])
    ]
    assert [c for c in codes if c[2] != 403] == []
    assert (await coordinator.client.get(f"{POOL}/{ana.id}")).json() == before
    assert await TrainingRecord.count() == 1


async def test_an_approved_mentor_is_not_a_coordinator(coordinator, signed_in, ana):
    bob = await signed_in("bob@example.org", Role.EMPLOYEE, name="Bob Ng")
    await approved_mentor(coordinator, bob)
    await apply(ana)
    own = await record(ana.client, "Confidentiality", 2)
    codes = {
        (method, url): (await call(bob.client, method, url, body)).status_code
        for method, url, body in coordinator_requests(ana.id, own["id"])
    }
    assert set(codes.values()) == {403}, codes
    # Nor over their own standing.
    for method, url, body in coordinator_requests(bob.id, own["id"])[:9]:
        assert (await call(bob.client, method, url, body)).status_code == 403, url


async def test_a_coordinator_reaches_every_coordinator_endpoint(coordinator, ana):
    await approved_mentor(coordinator, ana)
    own = await record(ana.client, "Confidentiality", 2)
    codes = [
        (await call(coordinator.client, method, url, body)).status_code
        for method, url, body in coordinator_requests(ana.id, own["id"])
    ]
    # Every request passes the access rule: those that do not fit the state are 409, not 403.
    assert 403 not in codes and 401 not in codes, codes


@pytest.mark.parametrize("role", [Role.SUPERVISOR, Role.COORDINATOR, Role.ADMIN, Role.MENTOR])
async def test_only_employees_apply(signed_in, role):
    person = await signed_in(f"{role.value}@example.org", role)
    response = await person.client.post(APPLICATIONS, json=await application(person.client))
    assert response.status_code == 403
    assert await Mentor.count() == 0
    assert (await person.client.get(MINE)).status_code == 404


async def test_an_employee_who_also_coordinates_may_apply(signed_in):
    person = await signed_in("both@example.org", Role.EMPLOYEE, Role.COORDINATOR)
    assert (await apply(person))["status"] == "applied"


async def test_anonymous_pool_requests_are_401(client, settings, coordinator, ana):
    await apply(ana)
    own = await record(ana.client, "Confidentiality", 2)
    reads = [await client.get(MINE), await client.get(POOL), await client.get(f"{POOL}/{ana.id}")]
    # A valid CSRF token, so that the writes reach the access rule rather than the CSRF check.
    client.headers["x-csrftoken"] = client.cookies[settings.csrf_cookie_name]
    writes = [
        await client.post(APPLICATIONS, json=await application(ana.client)),
        await client.patch(MINE, json={"available": False}),
        await client.post(TRAINING, json={"topic": "X", "hours": 1, "completed_on": days_ago(1)}),
    ]
    writes += [
        await call(client, method, url, body)
        for method, url, body in coordinator_requests(ana.id, own["id"])
    ]
    codes = [r.status_code for r in reads + writes]
    assert codes == [401] * len(codes)
    assert (await ana.client.get(MINE)).json()["status"] == "applied"
    assert await TrainingRecord.count() == 1
