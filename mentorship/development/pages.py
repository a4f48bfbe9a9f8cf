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
        hours = await services.hours_record(request.user.account_id)
        training = await training_records.development_record(request.user.account_id)
        return page(
            "development/record.html",
            {
                "hours": hours,
                "training": training,
                "is_mentor": Role.MENTOR in request.user.roles,
                "general_topic": services.GENERAL_TOPIC,
            },
        )

    @get("/transcript.csv")
    async def transcript(self, request: Me) -> Response[str]:
        """My transcript as a CSV file (the download is recorded in the audit log)."""
        text = await services.export_transcript(
            request.user.account_id,
            request.user.account_id,
            "mentor" if Role.MENTOR in request.user.roles else "employee",
            "download my professional-development transcript",
        )
        return csv_download(text, "pd-transcript")
