"""Shared set-up for the assistance-request tests: people with signed-in clients, supervision
chains, skills and agreement versions."""

from __future__ import annotations

import copy
from collections.abc import AsyncIterator, Awaitable, Callable
from dataclasses import dataclass
from typing import Any

import pytest
from litestar import Litestar
from litestar.testing import AsyncTestClient

from mentorship.access.roles import Role
from mentorship.agreement.terms import DEFAULT_TERMS, terms_to_dict
from mentorship.district import profiles
from mentorship.district.schemas import ProfileUpdate
from tests.conftest import create_account, sign_in

REQUESTS = "/api/v1/requests"
REFERRALS = "/api/v1/referrals"
QUEUE = f"{REQUESTS}/queue"
MINE = f"{REQUESTS}/mine"
AGREEMENT = "/api/v1/agreement"

# What a supervisor may see of a referral: state and dates, never content (PRODUCT §2).
STATUS_KEYS = {
    "id",
    "employee_id",
    "employee_name",
    "state",
    "filed_at",
    "consent_at",
    "closed_at",
}
# The single-referral view adds `case`: the status of the case the referral opened
# (tests/cases_api check what it holds).
ONE_REFERRAL_KEYS = STATUS_KEYS | {"case"}
CONTENT_KEYS = {"description", "needed_skills", "consent_wording", "preferred_language", "urgency"}


@dataclass
class Person:
    """An account and a client signed in as it."""

    id: int
    email: str
    name: str
    client: AsyncTestClient[Litestar]

    async def sign_in_again(self) -> None:
        """A fresh session (after the frozen clock moved past the idle timeout)."""
        await sign_in(self.client, self.email)


PersonFactory = Callable[..., Awaitable[Person]]


@pytest.fixture
async def person(
    make_client: Callable[[], AsyncTestClient[Litestar]],
) -> AsyncIterator[PersonFactory]:
    """A factory: `await person(email, *roles)` gives a new account with a signed-in client."""
    opened: list[AsyncTestClient[Litestar]] = []

    async def factory(email: str, *roles: Role, name: str | None = None) -> Person:
        account = await create_account(email, *roles, name=name)
        client = make_client()
        await client.__aenter__()
        opened.append(client)
        await sign_in(client, email)
        return Person(id=account.id, email=email, name=account.display_name, client=client)

    yield factory
    # Last opened, first closed, as nested `async with` blocks would: closing them in the
    # order they were opened hangs in the test client's lifespan shutdown.
    for client in reversed(opened):
        await client.__aexit__(None, None, None)


async def supervise(employee_id: int, supervisor_id: int | None) -> None:
    """Record who supervises the employee, through the district service."""
    await profiles.update_profile(employee_id, ProfileUpdate(supervisor_id=supervisor_id))


async def skill_ids(client: AsyncTestClient[Litestar]) -> list[int]:
    """The ids of the seeded skills, as the API lists them."""
    response = await client.get("/api/v1/skills")
    assert response.status_code == 200, response.text
    ids = [skill["id"] for skill in response.json()]
    assert len(ids) >= 5
    return ids


def request_body(
    skills: list[int],
    *,
    priorities: list[int] | None = None,
    urgency: str = "normal",
    description: str = "I would like help with de-escalation in the resource room.",
    language: str | None = None,
    **extra: Any,
) -> dict[str, Any]:
    """A valid self-request body (add employee_id=… for a referral)."""
    priorities = priorities or [2] * len(skills)
    body: dict[str, Any] = {
        "needed_skills": [
            {"skill_id": skill, "priority": priority}
            for skill, priority in zip(skills, priorities, strict=True)
        ],
        "urgency": urgency,
        "description": description,
        **extra,
    }
    if language is not None:
        body["preferred_language"] = language
    return body


async def publish_terms(
    admin: AsyncTestClient[Litestar], change: Callable[[dict[str, Any]], None]
) -> int:
    """Publish a new agreement version whose terms are the defaults changed by `change`."""
    terms = copy.deepcopy(terms_to_dict(DEFAULT_TERMS))
    change(terms)
    response = await admin.post(
        f"{AGREEMENT}/versions", json={"terms": terms, "summary": "Changed for a test"}
    )
    assert response.status_code == 201, response.text
    version: int = response.json()["version"]
    return version
