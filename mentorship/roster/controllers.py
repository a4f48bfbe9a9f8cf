"""Admin API for the staff roster: upload a CSV file to import, download the roster as CSV."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from litestar import Controller, Request, Response, get, post
from litestar.datastructures import UploadFile
from litestar.params import FromQuery, MultipartBody

from mentorship.access.guards import access, roles
from mentorship.access.principal import Principal
from mentorship.access.roles import Role
from mentorship.lib.http import CSV_MEDIA_TYPE, csv_download
from mentorship.roster import services
from mentorship.roster.schemas import ImportReport

Me = Request[Principal, Any, Any]


@dataclass
class RosterUpload:
    """The multipart form of an import: the roster file in the field `file`."""

    file: UploadFile


class RosterController(Controller):
    """Roster import and export, for district IT (admin role)."""

    path = "/roster"
    tags = ["roster"]
    opt = access(roles(Role.ADMIN))

    @post("/import", operation_id="importRoster", status_code=200, summary="Import a roster")
    async def import_roster(
        self, data: MultipartBody[RosterUpload], dry_run: FromQuery[bool] = False
    ) -> ImportReport:
        """Create or update employees from a CSV file, all or nothing (422 lists every
        problem by line); `dry_run=true` reports what would change and writes nothing."""
        content = await data.file.read()
        return await services.import_roster(content, dry_run=dry_run)

    @get(
        "/export",
        operation_id="exportRoster",
        summary="Download the roster",
        media_type=CSV_MEDIA_TYPE,
    )
    async def export_roster(self, request: Me) -> Response[str]:
        """Every active employee as a CSV file in the import format, sorted by email."""
        return csv_download(await services.export_roster(request.user.account_id), "roster")
