"""The home page every signed-in person lands on."""

from __future__ import annotations

from typing import Any

from litestar import Controller, Request, get
from litestar.response import Template

from mentorship.accounts.roles import Role
from mentorship.auth.guards import SIGNED_IN, access
from mentorship.auth.services import Principal

ROLE_SUMMARIES = {
    Role.EMPLOYEE: "Ask for peer assistance and follow your own requests and cases.",
    Role.SUPERVISOR: "Refer a supervisee and follow the status of your referrals.",
    Role.MENTOR: "Work with the colleagues assigned to you and log your meetings.",
    Role.COORDINATOR: "Run the mentor pool, matching and cases for the program.",
    Role.ADMIN: "Manage accounts, sites and the program's reference data.",
}


class HomePages(Controller):
    """The landing page after sign-in."""

    path = "/"
    include_in_schema = False
    opt = access(SIGNED_IN)

    @get("/", name="home")
    async def home(self, request: Request[Principal, Any, Any]) -> Template:
        """Greet the person and list what each of their roles lets them do."""
        roles = sorted(request.user.roles, key=list(Role).index)
        return Template(
            "home/home.html",
            context={"roles": [(r.label, ROLE_SUMMARIES[r]) for r in roles]},
        )
