"""JSON API for the mentor pool (training records: `development.controllers`)."""

from __future__ import annotations

from typing import Any

from litestar import Controller, Request, get, patch, post, put
from litestar.params import FromPath, FromQuery, JSONBody

from mentorship.access.guards import SIGNED_IN, access, roles
from mentorship.access.principal import Principal
from mentorship.access.roles import Role
from mentorship.pool import applications as pool_applications
from mentorship.pool import mentors
from mentorship.pool.schemas import (
    ApproveBody,
    AvailabilitySet,
    CapacitySet,
    Decision,
    MentorApply,
    MentorRead,
)
from mentorship.pool.tables import MentorStatus

COORDINATOR = access(roles(Role.COORDINATOR))
Me = Request[Principal, Any, Any]


class MentorPoolController(Controller):
    """Applications and the pool; coordinators manage it, employees apply."""

    path = "/mentor-pool"
    tags = ["mentor pool"]
    opt = COORDINATOR

    @post(
        "/applications",
        operation_id="applyToMentorPool",
        summary="Apply to become a mentor",
        opt=access(roles(Role.EMPLOYEE)),
    )
    async def apply(self, request: Me, data: JSONBody[MentorApply]) -> MentorRead:
        """Apply (or re-apply) with skills at levels 1-3, languages and a statement."""
        return await pool_applications.apply(request.user.account_id, data)

    @get(
        "/mine",
        operation_id="myMentorStanding",
        summary="My standing in the pool",
        opt=access(SIGNED_IN),
    )
    async def mine(self, request: Me) -> MentorRead:
        """My application or membership, with my training against the agreement."""
        return await mentors.get_mentor(request.user.account_id)

    @patch(
        "/mine",
        operation_id="setMyAvailability",
        summary="Take or stop taking new cases",
        opt=access(roles(Role.MENTOR)),
    )
    async def my_availability(self, request: Me, data: JSONBody[AvailabilitySet]) -> MentorRead:
        """Say whether I take new cases now."""
        return await mentors.set_availability(request.user.account_id, data.available)

    @get("/", operation_id="listMentorPool", summary="The pool and its applicants")
    async def list_pool(self, status: FromQuery[MentorStatus | None] = None) -> list[MentorRead]:
        """Everyone who applied, or one status (applied, approved, …)."""
        return await mentors.list_mentors(status)

    @get("/{account_id:int}", operation_id="getMentor", summary="One person's standing")
    async def get_mentor(self, account_id: FromPath[int]) -> MentorRead:
        """Status, skills, capacity and training standing."""
        return await mentors.get_mentor(account_id)

    @post(
        "/{account_id:int}/approve", operation_id="approveMentor", status_code=200, summary="Admit"
    )
    async def approve(
        self, request: Me, account_id: FromPath[int], data: JSONBody[ApproveBody | None] = None
    ) -> MentorRead:
        """Admit an applicant (409 naming missing training until it is complete and current)."""
        return await pool_applications.approve(
            account_id, request.user.account_id, data or ApproveBody()
        )

    @post(
        "/{account_id:int}/decline",
        operation_id="declineMentor",
        status_code=200,
        summary="Decline",
    )
    async def decline(
        self, request: Me, account_id: FromPath[int], data: JSONBody[Decision]
    ) -> MentorRead:
        """Turn an application down with a reason."""
        return await pool_applications.decline(account_id, request.user.account_id, data.reason)

    @post(
        "/{account_id:int}/suspend",
        operation_id="suspendMentor",
        status_code=200,
        summary="Suspend",
    )
    async def suspend(
        self, request: Me, account_id: FromPath[int], data: JSONBody[Decision]
    ) -> MentorRead:
        """Take a mentor out of matching for now."""
        return await pool_applications.suspend(account_id, request.user.account_id, data.reason)

    @post(
        "/{account_id:int}/reinstate",
        operation_id="reinstateMentor",
        status_code=200,
        summary="Reinstate",
    )
    async def reinstate(self, request: Me, account_id: FromPath[int]) -> MentorRead:
        """Bring a suspended mentor back."""
        return await pool_applications.reinstate(account_id, request.user.account_id)

    @post(
        "/{account_id:int}/retire", operation_id="retireMentor", status_code=200, summary="Retire"
    )
    async def retire(
        self, request: Me, account_id: FromPath[int], data: JSONBody[Decision]
    ) -> MentorRead:
        """Take someone out of the pool for good."""
        return await pool_applications.retire(account_id, request.user.account_id, data.reason)

    @put("/{account_id:int}/capacity", operation_id="setMentorCapacity", summary="Set capacity")
    async def capacity(self, account_id: FromPath[int], data: JSONBody[CapacitySet]) -> MentorRead:
        """Set the weighted capacity, up to the agreement's caseload cap."""
        return await mentors.set_capacity(account_id, data.capacity)

    @put(
        "/{account_id:int}/availability",
        operation_id="setMentorAvailability",
        summary="Set availability",
    )
    async def availability(
        self, account_id: FromPath[int], data: JSONBody[AvailabilitySet]
    ) -> MentorRead:
        """Mark a mentor as taking or not taking new cases."""
        return await mentors.set_availability(account_id, data.available)
