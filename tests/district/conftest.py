"""Shared set-up for the district tests: a fresh travel cache, people and sites."""

from __future__ import annotations

from collections.abc import AsyncIterator, Callable
from typing import Any

import pytest
from litestar import Litestar
from litestar.testing import AsyncTestClient

from mentorship.access.roles import Role
from tests.conftest import create_account, sign_in

SITES = "/api/v1/sites"
JOB_ROLES = "/api/v1/job-roles"
SKILLS = "/api/v1/skills"
EMPLOYEES = "/api/v1/employees"

NON_ADMIN_ROLES = [Role.EMPLOYEE, Role.SUPERVISOR, Role.COORDINATOR, Role.MENTOR]


@pytest.fixture
async def signed_in(
    make_client: Callable[[], AsyncTestClient[Litestar]],
) -> AsyncIterator[Callable[..., Any]]:
    """A factory: `await signed_in(email, *roles)` gives a client signed in as a new account."""
    opened: list[AsyncTestClient[Litestar]] = []

    async def factory(email: str, *roles: Role, name: str | None = None) -> Any:
        await create_account(email, *roles, name=name)
        client = make_client()
        await client.__aenter__()
        opened.append(client)
        await sign_in(client, email)
        return client

    yield factory
    # Last opened, first closed: each client's lifespan runs in a portal nested in the
    # previous one's, and closing them out of order hangs the teardown.
    for client in reversed(opened):
        await client.__aexit__(None, None, None)


async def add_site(
    client: AsyncTestClient[Litestar],
    code: str,
    *,
    name: str | None = None,
    setting_type: str = "general_education",
    region: str = "North",
) -> dict[str, Any]:
    """A site created over the API by an admin client."""
    response = await client.post(
        SITES,
        json={
            "code": code,
            "name": name or f"{code} School",
            "setting_type": setting_type,
            "region": region,
        },
    )
    assert response.status_code == 201, response.text
    body: dict[str, Any] = response.json()
    return body


async def link(client: AsyncTestClient[Litestar], a: int, b: int, minutes: int) -> dict[str, Any]:
    """Set the direct travel link between two sites over the API."""
    response = await client.put(f"{SITES}/{a}/links/{b}", json={"minutes": minutes})
    assert response.status_code == 200, response.text
    body: dict[str, Any] = response.json()
    return body


async def travel(client: AsyncTestClient[Litestar], a: int, b: int) -> dict[str, Any]:
    """The shortest travel between two sites over the API."""
    response = await client.get(f"{SITES}/{a}/travel/{b}")
    assert response.status_code == 200, response.text
    body: dict[str, Any] = response.json()
    return body
