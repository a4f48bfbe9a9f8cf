"""Reassigning a case from its page: the form is the case page's, the rules are matching's
(the new mentor must meet every one of them for the case's request)."""

from __future__ import annotations

from typing import Any

from litestar import Controller, Request, Response
from litestar.params import FromPath

from mentorship.access.guards import SIGNED_IN, access
from mentorship.access.principal import Principal
from mentorship.cases.pages import REASSIGN, case_url, reassignment
from mentorship.matching import review
from mentorship.matching.messages import MATCHING
from mentorship.web.pages import form_post
from mentorship.web.render import redirect

Me = Request[Principal, Any, Any]


class CaseReassignmentPages(Controller):
    """The coordinator gives a case to another mentor (the service checks who may)."""

    path = "/"
    include_in_schema = False
    opt = access(SIGNED_IN)

    @form_post("/cases/{case_id:int}/reassign", REASSIGN)
    async def reassign(self, request: Me, case_id: FromPath[int]) -> Response[Any]:
        """Give the case to another mentor (the service checks they may take it)."""
        mentor_id, reason = reassignment(await REASSIGN.form(request))
        moved = await review.reassign_case(case_id, request.user, mentor_id, reason)
        notice = MATCHING("notice.reassigned", mentor=moved.mentor_name)
        return redirect(request, case_url(case_id), notice)
