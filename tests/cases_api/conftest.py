"""Set-up for the cases tests: a referred and a voluntary case opened by approved matches,
with signed-in clients for everyone who takes part (and some who must be refused)."""

from __future__ import annotations

from collections.abc import AsyncIterator
from dataclasses import dataclass
from typing import Any

import pytest

from mentorship.access.roles import Role
from mentorship.audit.tables import AuditEvent
from mentorship.cases.tables import Case
from mentorship.matching import review, runs
from mentorship.matching.tables import MatchProposal
from tests.matching_api.conftest import API, District, Person, world  # noqa: F401 (fixture)

CASES = f"{API}/cases"


@dataclass
class Cases:
    """Two open cases and the cast around them."""

    world: District
    supervisor: Person  # referred the mentee of the referred case
    mentee: Person  # referred case
    mentor: Person  # mentors both cases
    spare_mentor: Person  # another eligible mentor, for reassignment
    volunteer: Person  # employee of the voluntary case
    outsider: Person  # an employee with no relation to either case
    admin: Person
    referred_case: int
    voluntary_case: int

    @property
    def coordinator(self) -> Person:
        """The program coordinator."""
        return self.world.coordinator

    def url(self, case_id: int, tail: str = "") -> str:
        """The API address of a case (and a sub-resource)."""
        return f"{CASES}/{case_id}{tail}"


async def open_cases(district: District, *request_ids: int) -> dict[int, int]:
    """Run matching and approve the proposals for these requests: case id by request id."""
    await runs.run_matching(district.coordinator.id)
    opened = {}
    for request_id in request_ids:
        proposal = (
            await MatchProposal.select(MatchProposal.id)
            .where((MatchProposal.request == request_id) & (MatchProposal.status == "pending"))
            .first()
        )
        assert proposal is not None, f"request {request_id} got no proposal"
        approval = await review.approve(proposal["id"], district.coordinator.id)
        opened[request_id] = approval.case_id
    return opened


@pytest.fixture
async def cases(world: District) -> AsyncIterator[Cases]:  # noqa: F811 (fixture use)
    """A referred case and a voluntary case, both mentored by Maya."""
    supervisor = await world.person("Sam Supervisor", Role.SUPERVISOR, client=True)
    mentee = await world.person("Ana Mentee", supervisor=supervisor, client=True)
    volunteer = await world.person("Vic Volunteer", client=True)
    outsider = await world.person("Olga Outsider", client=True)
    admin = await world.person("Ada Admin", Role.ADMIN, client=True)
    mentor = await world.mentor("Maya Mentor", capacity=3, client=True)
    referral = await world.referral(supervisor, mentee)
    voluntary = await world.request(volunteer)
    opened = await open_cases(world, referral, voluntary)
    # Only now: the spare mentor must not have drawn either request in the run.
    spare = await world.mentor("Sol Spare", client=True)
    yield Cases(
        world=world,
        supervisor=supervisor,
        mentee=mentee,
        mentor=mentor,
        spare_mentor=spare,
        volunteer=volunteer,
        outsider=outsider,
        admin=admin,
        referred_case=opened[referral],
        voluntary_case=opened[voluntary],
    )


async def events(**where: Any) -> list[dict[str, Any]]:
    """Audit events matching column values, in order."""
    query = AuditEvent.select().order_by(AuditEvent.sequence)
    for column, value in where.items():
        query = query.where(getattr(AuditEvent, column) == value)
    rows: list[dict[str, Any]] = await query
    return rows


async def case_row(case_id: int) -> dict[str, Any]:
    """The stored case."""
    row = await Case.select().where(Case.id == case_id).first()
    assert row is not None
    return row
