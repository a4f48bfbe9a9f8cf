"""Set-up for the matching API tests: a small district built through the real services,
with signed-in clients for the people who act over the API."""

from __future__ import annotations

from collections.abc import AsyncIterator, Callable
from dataclasses import dataclass, field
from datetime import timedelta
from typing import Any

import pytest
from litestar import Litestar
from litestar.testing import AsyncTestClient

from mentorship.access.roles import Role
from mentorship.agreement.terms import DEFAULT_TERMS
from mentorship.assistance import services as assistance
from mentorship.assistance.schemas import NeededSkill, ReferralCreate, RequestCreate
from mentorship.assistance.states import Urgency
from mentorship.development import training_records
from mentorship.development.schemas import TrainingCreate
from mentorship.district import job_roles_and_skills, profiles
from mentorship.district import sites as district_sites
from mentorship.district.schemas import ProfileUpdate, SiteCreate
from mentorship.district.settings import SettingType
from mentorship.lib import clock
from mentorship.pool import applications
from mentorship.pool.schemas import ApproveBody, MentorApply, SkillLevel
from tests.conftest import create_account, sign_in

API = "/api/v1"
MATCHING = f"{API}/matching"
RUNS = f"{MATCHING}/runs"

Client = AsyncTestClient[Litestar]


@dataclass
class Person:
    """An account, and a signed-in client when the test acts as them."""

    id: int
    email: str
    name: str
    client: Client | None = None

    @property
    def api(self) -> Client:
        """The person's signed-in client."""
        assert self.client is not None, f"{self.email} has no client"
        return self.client


@dataclass
class District:
    """Sites, skills and the people of one test: use the methods to add more."""

    coordinator: Person
    sites: dict[str, int]
    skills: dict[str, int]
    make_client: Callable[[], Client]
    opened: list[Client] = field(default_factory=list)
    count: int = 0

    async def signed_in(self, person: Person) -> Person:
        """Give the person a signed-in client."""
        client = self.make_client()
        await client.__aenter__()
        self.opened.append(client)
        await sign_in(client, person.email)
        person.client = client
        return person

    async def person(
        self,
        name: str,
        *roles: Role,
        site: str | None = "north",
        supervisor: Person | None = None,
        languages: list[str] | None = None,
        client: bool = False,
    ) -> Person:
        """An employee (plus roles) with a profile at a site."""
        self.count += 1
        email = f"{name.lower().replace(' ', '.')}.{self.count}@example.org"
        account = await create_account(email, Role.EMPLOYEE, *roles, name=name)
        await profiles.update_profile(
            account.id,
            ProfileUpdate(
                site_id=None if site is None else self.sites[site],
                supervisor_id=None if supervisor is None else supervisor.id,
                languages=languages or ["English"],
            ),
        )
        person = Person(account.id, email, name)
        return await self.signed_in(person) if client else person

    async def mentor(
        self,
        name: str,
        *,
        site: str = "south",
        skills: dict[str, int] | None = None,
        capacity: int | None = None,
        languages: list[str] | None = None,
        supervisor: Person | None = None,
        roles: tuple[Role, ...] = (),
        client: bool = False,
    ) -> Person:
        """An approved mentor with complete, verified training."""
        person = await self.person(
            name, *roles, site=site, supervisor=supervisor, languages=languages, client=client
        )
        offered = skills or {"De-escalation": 3}
        await applications.apply(
            person.id,
            MentorApply(
                skills=[SkillLevel(self.skills[s], level) for s, level in offered.items()],
                languages=languages or ["English"],
                statement="I have supported classrooms for years.",
            ),
        )
        done = (clock.now() - timedelta(days=10)).date()
        for topic in DEFAULT_TERMS.required_training.topics:
            await training_records.add_training(
                TrainingCreate(
                    topic=topic.topic,
                    hours=max(topic.min_hours, 2.5),
                    completed_on=done,
                    account_id=person.id,
                ),
                self.coordinator.id,
                actor_is_coordinator=True,
            )
        await applications.approve(person.id, self.coordinator.id, ApproveBody(capacity=capacity))
        return person

    async def request(
        self,
        employee: Person,
        skills: dict[str, int] | None = None,
        *,
        urgent: bool = False,
        language: str | None = None,
    ) -> int:
        """A self-request filed through the service; its id."""
        needed = skills or {"De-escalation": 3}
        filed = await assistance.file_self_request(
            employee.id,
            RequestCreate(
                needed_skills=[NeededSkill(self.skills[s], p) for s, p in needed.items()],
                description="I would like help with a student who escalates quickly.",
                urgency=Urgency.URGENT if urgent else Urgency.NORMAL,
                preferred_language=language,
            ),
        )
        return filed.id

    async def referral(self, supervisor: Person, employee: Person) -> int:
        """A referral the employee consented to; its id (open, weighing more)."""
        from mentorship.agreement import services as agreement
        from mentorship.assistance.schemas import ConsentBody
        from mentorship.assistance.states import ConsentDecision

        filed = await assistance.file_referral(
            supervisor.id,
            ReferralCreate(
                needed_skills=[NeededSkill(self.skills["De-escalation"], 3)],
                description="Support with de-escalation in the resource room.",
                employee_id=employee.id,
            ),
        )
        version = (await agreement.in_force()).version
        await assistance.answer_referral(
            filed.id, employee.id, ConsentBody(ConsentDecision.CONSENT, version)
        )
        return filed.id


@pytest.fixture
async def world(make_client: Callable[[], Client]) -> AsyncIterator[District]:
    """Three sites — north and south 15 min apart, east 120 min away — and a coordinator."""
    sites = {}
    for code, region in (("north", "A"), ("south", "A"), ("east", "B")):
        site = await district_sites.create_site(
            SiteCreate(
                code=code.upper(),
                name=f"{code.title()} Elementary",
                setting_type=SettingType.GENERAL_EDUCATION,
                region=region,
            )
        )
        sites[code] = site.id
    await district_sites.set_link(sites["north"], sites["south"], 15)
    await district_sites.set_link(sites["south"], sites["east"], 120)
    skills = {s.name: s.id for s in await job_roles_and_skills.list_skills()}
    coordinator_account = await create_account(
        "coordinator@example.org", Role.COORDINATOR, Role.EMPLOYEE, name="Rosa Coordinator"
    )
    coordinator = Person(coordinator_account.id, "coordinator@example.org", "Rosa Coordinator")
    world = District(coordinator, sites, skills, make_client)
    await world.signed_in(coordinator)
    yield world
    for opened in reversed(world.opened):
        await opened.__aexit__(None, None, None)


async def run(world: District, **body: Any) -> dict[str, Any]:
    """Run matching over the API as the coordinator (asserts it succeeded)."""
    response = await world.coordinator.api.post(RUNS, json=body)
    assert response.status_code in (200, 201), response.text
    result: dict[str, Any] = response.json()
    return result


def proposal_for(run_body: dict[str, Any], request_id: int) -> dict[str, Any]:
    """The run's proposal for a request."""
    found = [p for p in run_body["proposals"] if p["request_id"] == request_id]
    assert found, f"no proposal for request {request_id}: {run_body['unmatched']}"
    return found[0]


def unmatched_for(run_body: dict[str, Any], request_id: int) -> dict[str, Any]:
    """The run's unmatched entry for a request."""
    found = [u for u in run_body["unmatched"] if u["request_id"] == request_id]
    assert found, f"request {request_id} was matched"
    return found[0]
