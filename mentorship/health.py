"""Liveness and database reachability for load balancers and monitoring."""

from __future__ import annotations

import msgspec
from litestar import Response, get

from mentorship.access.guards import PUBLIC, access
from mentorship.lib import db


class HealthRead(msgspec.Struct):
    """Whether the service can reach its database."""

    status: str
    database: str


@get("/health", operation_id="health", opt=access(PUBLIC), tags=["system"], summary="Health")
async def health() -> Response[HealthRead]:
    """200 when the database answers a query, 503 when it does not."""
    if await db.is_reachable(db.get_engine()):
        return Response(HealthRead(status="ok", database="reachable"), status_code=200)
    return Response(HealthRead(status="unavailable", database="unreachable"), status_code=503)
