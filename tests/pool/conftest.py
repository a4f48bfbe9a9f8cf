"""Shared set-up for the mentor-pool tests: signed-in people, skills, applications, training."""

from __future__ import annotations

from collections.abc import AsyncIterator, Awaitable, Callable
from contextlib import AsyncExitStack
from dataclasses import dataclass
from datetime import date, timedelta
from typing import Any

import pytest
from litestar import Litestar
from litestar.testing import AsyncTestClient

from mentorship.access.roles import Role
from mentorship.agreement.terms import DEFAULT_TERMS
from mentorship.lib import clock
from tests.conftest import create_account, sign_in

API = "/api/v1"
POOL = f"{API}/mentor-pool"
APPLICATIONS = f"{POOL}/applications"
MINE = f"{POOL}/mine"
TRAINING = f"{API}/training-records"
PD = f"{API}/development-records"
SKILLS = f"{API}/skills"
AGREEMENT = f"{API}/agreement"
ME = f"{API}/me"

# The default agreement's required topics, in its order.
PEER, COACHING, CONFIDENTIALITY, COMMUNICATION, ROLES = (
    t.topic for t in DEFAULT_TERMS.required_training.topics
)
REQUIRED_TOPICS = [PEER, COACHING, CONFIDENTIALITY, COMMUNICATION, ROLES]
# Enough for admission under the default terms: each topic ≥ 2 h and 12 h in all
# (Confidentiality holds exactly its 2 h, which the agreement-change tests rely on).
COMPLETE_TRAINING = {PEER: 4, COACHING: 2, CONFIDENTIALITY: 2, COMMUNICATION: 2, ROLES: 2}

Client = AsyncTestClient[Litestar]


@dataclass
class Person:
    """A signed-in person: their API client and account id."""

    client: Client
    id: int
    email: str


SignedIn = Callable[..., Awaitable[Person]]


def today() -> date:
    """The service's date (follows `frozen_clock` when a test uses it)."""
    return clock.now().date()


def days_ago(days: int) -> str:
    """An ISO date `days` before the service's today."""
    return (today() - timedelta(days=days)).isoformat()


@pytest.fixture
async def signed_in(make_client: Callable[[], Client]) -> AsyncIterator[SignedIn]:
    """A factory: `await signed_in(email, *roles)` gives a new account signed in on its client."""
    async with AsyncExitStack() as stack:

        async def factory(email: str, *roles: Role, name: str | None = None) -> Person:
            account = await create_account(email, *roles, name=name)
            # Clients are closed last-opened first: closing them in any other order hangs.
            client = await stack.enter_async_context(make_client())
            await sign_in(client, email)
            return Person(client=client, id=account.id, email=email)

        yield factory


@pytest.fixture
async def coordinator(signed_in: SignedIn) -> Person:
    """A signed-in programme coordinator."""
    return await signed_in("coord@example.org", Role.COORDINATOR, name="Cora Coordinator")


@pytest.fixture
async def ana(signed_in: SignedIn) -> Person:
    """A signed-in employee who will apply to the pool."""
    return await signed_in("ana@example.org", Role.EMPLOYEE, name="Ana Lopez")


async def skill_ids(client: Client) -> dict[str, int]:
    """The seeded skills, name → id, read over the API."""
    response = await client.get(SKILLS)
    assert response.status_code == 200, response.text
    return {s["name"]: s["id"] for s in response.json()}


async def application(client: Client, **overrides: Any) -> dict[str, Any]:
    """A valid application body built from two seeded skills; keyword arguments override."""
    skills = await skill_ids(client)
    body: dict[str, Any] = {
        "skills": [
            {"skill_id": skills["Confidentiality and ethics"], "level": 3},
            {"skill_id": skills["First aid"], "level": 1},
        ],
        "languages": ["English", "Spanish"],
        "statement": "I have worked as a paraeducator for twelve years.",
    }
    body.update(overrides)
    return body


async def apply(person: Person, **overrides: Any) -> dict[str, Any]:
    """Apply to the pool over the API and return the standing."""
    response = await person.client.post(
        APPLICATIONS, json=await application(person.client, **overrides)
    )
    assert response.status_code == 201, response.text
    body: dict[str, Any] = response.json()
    return body


async def record(
    client: Client,
    topic: str,
    hours: float,
    *,
    account_id: int | None = None,
    completed_on: str | None = None,
    provider: str = "",
) -> dict[str, Any]:
    """Record a completed training over the API (asserts it was accepted)."""
    body: dict[str, Any] = {
        "topic": topic,
        "hours": hours,
        "completed_on": completed_on or days_ago(10),
        "provider": provider,
    }
    if account_id is not None:
        body["account_id"] = account_id
    response = await client.post(TRAINING, json=body)
    assert response.status_code == 201, response.text
    result: dict[str, Any] = response.json()
    return result


async def complete_training(
    coordinator: Person, account_id: int, completed_on: str | None = None
) -> None:
    """Record (verified, by the coordinator) exactly the default agreement's requirement."""
    for topic, hours in COMPLETE_TRAINING.items():
        await record(
            coordinator.client, topic, hours, account_id=account_id, completed_on=completed_on
        )


async def approve(coordinator: Person, account_id: int, **body: Any) -> dict[str, Any]:
    """Approve over the API (asserts it succeeded) and return the standing."""
    response = await coordinator.client.post(f"{POOL}/{account_id}/approve", json=body or None)
    assert response.status_code == 200, response.text
    result: dict[str, Any] = response.json()
    return result


async def approved_mentor(coordinator: Person, person: Person) -> dict[str, Any]:
    """Take a person through applying, complete training and approval."""
    await apply(person)
    await complete_training(coordinator, person.id)
    return await approve(coordinator, person.id)


async def roles_of(person: Person) -> list[str]:
    """The roles GET /api/v1/me reports for the person (fresh on every request)."""
    response = await person.client.get(ME)
    assert response.status_code == 200, response.text
    roles: list[str] = response.json()["roles"]
    return roles
