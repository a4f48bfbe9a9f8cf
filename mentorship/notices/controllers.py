"""JSON API: my notices and my notice preferences."""

from __future__ import annotations

from typing import Annotated, Any

from litestar import Controller, Request, get, post, put
from litestar.params import FromPath, JSONBody, QueryParameter

from mentorship.access.guards import SIGNED_IN, access
from mentorship.access.principal import Principal
from mentorship.notices import services
from mentorship.notices.schemas import CategoryPreference, NoticePage, PreferencesUpdate

Me = Request[Principal, Any, Any]


class MyNoticesController(Controller):
    """The signed-in person's notices and how they want them mailed."""

    path = "/me"
    tags = ["notices"]
    opt = access(SIGNED_IN)

    @get("/notifications", operation_id="myNotifications", summary="My notices")
    async def notifications(
        self,
        request: Me,
        limit: Annotated[int, QueryParameter(ge=1, le=200)] = 50,
        offset: Annotated[int, QueryParameter(ge=0)] = 0,
    ) -> NoticePage:
        """My notices, newest first, and how many are unread."""
        return await services.my_notices(request.user.account_id, limit=limit, offset=offset)

    @post(
        "/notifications/{notice_id:int}/read",
        operation_id="markNotificationRead",
        status_code=200,
        summary="Mark one of my notices read",
    )
    async def mark_read(self, request: Me, notice_id: FromPath[int]) -> dict[str, str]:
        """Mark it read and give the page it is about; someone else's notice is not found."""
        return {"link": await services.open_notice(request.user.account_id, notice_id)}

    @get(
        "/notification-preferences",
        operation_id="myNotificationPreferences",
        summary="How I get notices by mail",
    )
    async def preferences(self, request: Me) -> list[CategoryPreference]:
        """Each category: right away, a daily digest, or no mail (fixed ones always mailed)."""
        return await services.preferences(request.user.account_id)

    @put(
        "/notification-preferences",
        operation_id="setMyNotificationPreferences",
        summary="Change how I get notices by mail",
    )
    async def set_preferences(
        self, request: Me, data: JSONBody[PreferencesUpdate]
    ) -> list[CategoryPreference]:
        """Change some categories; an unknown or fixed category is refused (422)."""
        return await services.set_preferences(request.user.account_id, data)
