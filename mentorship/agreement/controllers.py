"""JSON API for the agreement: read the terms in force and the history; admins publish."""

from __future__ import annotations

from typing import Any

from litestar import Controller, Request, get, post
from litestar.params import FromPath, JSONBody

from mentorship.access.guards import SIGNED_IN, access, roles
from mentorship.access.principal import Principal
from mentorship.access.roles import Role
from mentorship.agreement import services
from mentorship.agreement.schemas import VersionPublish, VersionRead, VersionSummary


class AgreementController(Controller):
    """The peer-assistance agreement; everyone signed in may read it."""

    path = "/agreement"
    tags = ["agreement"]
    opt = access(SIGNED_IN)

    @get("/", operation_id="agreementInForce", summary="The agreement in force")
    async def in_force(self) -> VersionRead:
        """The version in force with all its terms."""
        return await services.get_version()

    @get("/versions", operation_id="listAgreementVersions", summary="Every published version")
    async def list_versions(self) -> list[VersionSummary]:
        """The history, newest first."""
        return await services.list_versions()

    @get(
        "/versions/{version:int}",
        operation_id="getAgreementVersion",
        summary="One published version",
    )
    async def get_version(self, version: FromPath[int]) -> VersionRead:
        """An old or current version with its terms."""
        return await services.get_version(version)

    @post(
        "/versions",
        operation_id="publishAgreementVersion",
        summary="Publish a new version",
        opt=access(roles(Role.ADMIN)),
    )
    async def publish(
        self, request: Request[Principal, Any, Any], data: JSONBody[VersionPublish]
    ) -> VersionRead:
        """Validate every term and bring the new version into force (422 names bad fields)."""
        return await services.publish(data, request.user.account_id)
