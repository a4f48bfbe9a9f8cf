"""JSON API for requests: self-requests, referrals, consent, withdrawal and the queue."""

from __future__ import annotations

from typing import Annotated, Any

from litestar import Controller, Request, get, post
from litestar.params import FromPath, JSONBody, QueryParameter

from mentorship.access.guards import SIGNED_IN, access, roles
from mentorship.access.principal import Principal
from mentorship.access.roles import Role
from mentorship.assistance import services
from mentorship.assistance.schemas import (
    ConsentBody,
    QueueEntry,
    ReferralCreate,
    ReferralStatus,
    RequestCreate,
    RequestRead,
)
from mentorship.assistance.states import RequestState

Me = Request[Principal, Any, Any]


class RequestController(Controller):
    """Requests for peer assistance."""

    path = "/requests"
    tags = ["requests"]
    opt = access(SIGNED_IN)

    @post(
        "/",
        operation_id="fileRequest",
        summary="Ask for peer assistance",
        opt=access(roles(Role.EMPLOYEE)),
    )
    async def file(self, request: Me, data: JSONBody[RequestCreate]) -> RequestRead:
        """File a self-request (voluntary track); it joins the matching queue at once."""
        return await services.file_self_request(request.user.account_id, data)

    @get("/mine", operation_id="myRequests", summary="My requests")
    async def mine(self, request: Me) -> list[RequestRead]:
        """My own requests, including referrals waiting for my answer."""
        return await services.my_requests(request.user.account_id)

    @get(
        "/queue",
        operation_id="requestQueue",
        summary="The coordinator's queue",
        opt=access(roles(Role.COORDINATOR)),
    )
    async def queue(
        self,
        states: Annotated[list[RequestState] | None, QueryParameter(name="state")] = None,
    ) -> list[QueueEntry]:
        """Open requests (or the given states), urgent first, then longest waiting."""
        return await services.queue(states)

    @get("/{request_id:int}", operation_id="getRequest", summary="One request")
    async def get_request(self, request: Me, request_id: FromPath[int]) -> RequestRead:
        """The whole request: for the employee it concerns and coordinators only."""
        return await services.get_request(request_id, request.user.account_id, request.user.roles)

    @post(
        "/{request_id:int}/consent",
        operation_id="answerReferral",
        status_code=200,
        summary="Consent to or decline a referral",
    )
    async def consent(
        self, request: Me, request_id: FromPath[int], data: JSONBody[ConsentBody]
    ) -> RequestRead:
        """Answer a referral after reading the agreement wording it shows."""
        return await services.answer_referral(request_id, request.user.account_id, data)

    @post(
        "/{request_id:int}/withdraw",
        operation_id="withdrawRequest",
        status_code=200,
        summary="Withdraw a request",
    )
    async def withdraw(
        self, request: Me, request_id: FromPath[int]
    ) -> RequestRead | ReferralStatus:
        """The employee or the filer withdraws it before matching has finished with it."""
        return await services.withdraw(request_id, request.user.account_id, request.user.roles)


class ReferralController(Controller):
    """Supervisor referrals: filing and following their status."""

    path = "/referrals"
    tags = ["requests"]
    opt = access(roles(Role.SUPERVISOR))

    @post("/", operation_id="fileReferral", summary="Refer someone in your supervision chain")
    async def file(self, request: Me, data: JSONBody[ReferralCreate]) -> ReferralStatus:
        """Refer a supervisee; it waits for their consent. You will see its status only."""
        return await services.file_referral(request.user.account_id, data)

    @get("/", operation_id="myReferrals", summary="Referrals I filed")
    async def mine(self, request: Me) -> list[ReferralStatus]:
        """Status and dates of my referrals, newest first."""
        return await services.my_referrals(request.user.account_id)
