"""An employee's request page with the mentor matching suggests for it, and declining that
mentor (once per request). The rest of the employee's request pages are the requests domain's;
this one is matching's because it shows what matching proposed."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from litestar import Controller, Request, Response, get
from litestar.params import FromPath
from litestar.response import Template

from mentorship.access.guards import access, roles
from mentorship.access.principal import Principal
from mentorship.access.roles import Role
from mentorship.assistance import services as assistance
from mentorship.assistance.pages import LABELS, WORDS, offers_withdraw
from mentorship.assistance.states import RequestState
from mentorship.lib.errors import Conflict, NotFound
from mentorship.matching import review
from mentorship.matching.messages import MATCHING
from mentorship.matching.schemas import DeclineBody, MentorOffer
from mentorship.web.forms import Form, sentence
from mentorship.web.pages import BackTo, FormPage, form_post
from mentorship.web.render import redirect

Me = Request[Principal, Any, Any]


async def _offer(request_id: int, employee_id: int) -> MentorOffer | None:
    """The mentor proposed for the employee's request, when there is one right now."""
    try:
        return await review.mentor_offer(request_id, employee_id)
    except NotFound:
        return None


async def _request_context(request: Me, form: Form | None) -> dict[str, Any]:
    request_id = int(request.path_params["request_id"])
    user = request.user
    found = await assistance.get_request(request_id, user.account_id, user.roles)
    offer = None
    if found.state is RequestState.PROPOSED:
        offer = await _offer(request_id, user.account_id)
    return {"item": found, "offer": offer, "may_withdraw": offers_withdraw(found), **WORDS}


def _reason(form: Form) -> dict[str, Any]:
    return {"reason": form.get("reason")}


def _sentences(fields: Mapping[str, str]) -> dict[str, str]:
    return {name: sentence(message) for name, message in fields.items()}


REQUEST = FormPage(
    "matching/request.html",
    _request_context,
    LABELS,
    words=_sentences,
    refusals={Conflict: BackTo("/requests/{request_id}", (Conflict,))},
)


class RequestOfferPages(Controller):
    """One of the employee's requests, with the suggested mentor to accept or decline."""

    path = "/requests"
    include_in_schema = False
    opt = access(roles(Role.EMPLOYEE))

    @get("/{request_id:int}")
    async def one(self, request: Me, request_id: FromPath[int]) -> Template:
        """One of my requests: details, status, and what I can do now."""
        return await REQUEST.show(request)

    @form_post("/{request_id:int}/decline-mentor", REQUEST)
    async def decline_mentor(self, request: Me, request_id: FromPath[int]) -> Response[Any]:
        """Decline the suggested mentor (once per request), with an optional reason."""
        body = await REQUEST.read(request, DeclineBody, _reason)
        await review.decline_offer(request_id, request.user.account_id, body.reason)
        notice = MATCHING("notice.offer_declined")
        return redirect(request, f"/requests/{request_id}", notice)
