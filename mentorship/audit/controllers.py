"""JSON API for the audit log: coordinators browse and export it."""

from __future__ import annotations

from datetime import date
from typing import Annotated, Any

from litestar import Controller, Request, Response, get
from litestar.di import NamedDependency, Provide
from litestar.params import FromQuery, QueryParameter

from mentorship.access.guards import access, roles
from mentorship.access.principal import Principal
from mentorship.access.roles import Role
from mentorship.audit import services
from mentorship.audit.chain import Outcome
from mentorship.audit.schemas import EventFilter, EventRead
from mentorship.lib.http import CSV_MEDIA_TYPE, csv_download

Me = Request[Principal, Any, Any]


def provide_filter(
    case_id: FromQuery[int | None] = None,
    actor_id: FromQuery[int | None] = None,
    action: FromQuery[str | None] = None,
    object_type: FromQuery[str | None] = None,
    outcome: FromQuery[Outcome | None] = None,
    since: FromQuery[date | None] = None,
    until: FromQuery[date | None] = None,
) -> EventFilter:
    """The log filters from the query string (every one optional, all must hold)."""
    return EventFilter(
        case_id=case_id,
        actor_id=actor_id,
        action=action or None,
        object_type=object_type or None,
        outcome=outcome,
        since=since,
        until=until,
    )


class AuditController(Controller):
    """The audit log, newest first, with filters; program coordinators only."""

    path = "/audit"
    tags = ["audit"]
    opt = access(roles(Role.COORDINATOR))
    dependencies = {"where": Provide(provide_filter, sync_to_thread=False)}

    @get("/events", operation_id="listAuditEvents", summary="Browse the audit log")
    async def events(
        self,
        where: NamedDependency[EventFilter],
        limit: Annotated[int, QueryParameter(ge=1, le=1000)] = 100,
        before_sequence: Annotated[int | None, QueryParameter(ge=1)] = None,
    ) -> list[EventRead]:
        """Matching events newest first; page back with `before_sequence` (the last one seen)."""
        return await services.search(where, limit=limit, before_sequence=before_sequence)

    @get(
        "/events/csv",
        operation_id="exportAuditEvents",
        summary="Export the audit log as CSV",
        media_type=CSV_MEDIA_TYPE,
    )
    async def export(self, request: Me, where: NamedDependency[EventFilter]) -> Response[str]:
        """Matching events oldest first, with their hashes (the export is itself audited)."""
        text = await services.export_csv(where, actor_id=request.user.account_id)
        return csv_download(text, "audit-log")
