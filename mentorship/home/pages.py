"""The home page every signed-in person lands on, and the public "who can see what" page."""

from __future__ import annotations

from typing import Any

from litestar import Controller, Request, get
from litestar.response import Template

from mentorship.access.guards import PUBLIC, SIGNED_IN, access
from mentorship.access.principal import Principal
from mentorship.access.roles import Role
from mentorship.agreement import services as agreement
from mentorship.home.attention import attention
from mentorship.web.render import page

ROLE_SUMMARIES = {
    Role.EMPLOYEE: "Ask for peer assistance and follow your own requests and cases.",
    Role.SUPERVISOR: "Refer a supervisee and follow the status of your referrals.",
    Role.MENTOR: "Work with the colleagues assigned to you and log your meetings.",
    Role.COORDINATOR: "Run the mentor pool, matching and cases for the program.",
    Role.ADMIN: "Manage accounts, sites and the program's reference data.",
}


class HomePages(Controller):
    """The landing page after sign-in and the confidentiality summary."""

    path = "/"
    include_in_schema = False

    @get("/", name="home", opt=access(SIGNED_IN))
    async def home(self, request: Request[Principal, Any, Any]) -> Template:
        """Greet the person and show, per role, what waits for them."""
        sections = await attention(request.user)
        return page("home/home.html", {"sections": sections, "summaries": ROLE_SUMMARIES})

    @get("/privacy", name="privacy", opt=access(PUBLIC))
    async def privacy(self) -> Template:
        """Who can see what, in plain words, under the agreement in force."""
        terms = (await agreement.in_force()).terms
        return page("home/privacy.html", {"terms": terms})
