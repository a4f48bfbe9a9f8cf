"""The professional-development record page: training and meeting hours by topic, and the
transcript download."""

from __future__ import annotations

from typing import Any

from litestar import Controller, Request, Response, get
from litestar.response import Template

from mentorship.access.guards import access, roles
from mentorship.access.principal import Principal
from mentorship.access.roles import Role
from mentorship.development import services, training_records
from mentorship.lib.http import csv_download
from mentorship.web.render import page

Me = Request[Principal, Any, Any]


class DevelopmentPages(Controller):
    """The professional-development record: training and meeting hours by topic."""

    path = "/development"
    include_in_schema = False
    opt = access(roles(Role.EMPLOYEE, Role.MENTOR))

    @get("/")
    async def record(self, request: Me) -> Template:
        """My training and hours: verified training and meeting hours, by topic."""
        return page("development/record.html", await _record(request.user))

    @get("/transcript.csv")
    async def transcript(self, request: Me) -> Response[str]:
        """My transcript as a CSV file (the download is recorded in the audit log)."""
        me, role = request.user.account_id, _role(request.user)
        purpose = "download my professional-development transcript"
        text = await services.export_transcript(me, me, role, purpose)
        return csv_download(text, "pd-transcript")


async def _record(person: Principal) -> dict[str, Any]:
    """The person's record: verified training and meeting hours, by topic."""
    return {
        "hours": await services.hours_record(person.account_id),
        "training": await training_records.development_record(person.account_id),
        "is_mentor": Role.MENTOR in person.roles,
        "general_topic": services.GENERAL_TOPIC,
    }


def _role(person: Principal) -> str:
    """The part the person downloads their transcript in (for the audit log)."""
    return "mentor" if Role.MENTOR in person.roles else "employee"
