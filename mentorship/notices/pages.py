"""The notices pages: my notices (mark read, open the thing), the bell's count, and my
preferences."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from litestar import Controller, Request, Response, get
from litestar.params import FromPath
from litestar.response import Template

from mentorship.access.guards import SIGNED_IN, access
from mentorship.access.principal import Principal
from mentorship.lib.messages import word
from mentorship.notices import services
from mentorship.notices.kinds import Category, Delivery
from mentorship.notices.messages import NOTICES
from mentorship.notices.schemas import PreferencesUpdate
from mentorship.web.forms import Form
from mentorship.web.pages import BackTo, FormPage, form_post
from mentorship.web.render import page, redirect

Me = Request[Principal, Any, Any]

DELIVERY_OPTIONS = [(d.value, word(NOTICES(f"delivery.{d.value}"))) for d in Delivery]


async def _preferences_context(request: Me, form: Form | None) -> dict[str, Any]:
    chosen = await services.preferences(request.user.account_id)
    return {
        "preferences": chosen,
        "options": DELIVERY_OPTIONS,
        "values": {p.category.value: p.delivery.value for p in chosen},
    }


BACK = BackTo("/notices")


def _at_each_category(fields: Mapping[str, str], form: Form) -> dict[str, str]:
    """The refusal at each category's choices: a choice that is not one of the options (the
    schema names only `categories`), or the service's `categories.<name>`."""
    allowed = {d.value for d in Delivery}
    wrong = {
        name: "must be one of the choices" for name, v in form.values.items() if v not in allowed
    }
    placed = {name.removeprefix("categories."): text for name, text in fields.items()}
    if "categories" in placed and wrong:
        del placed["categories"]
        placed.update(wrong)
    return placed


PREFERENCES = FormPage(
    "notices/preferences.html",
    context=_preferences_context,
    labels={c.value: word(NOTICES(f"category.{c.value}")) for c in Category},
    inputs=_at_each_category,
)


def _shape(form: Form) -> dict[str, Any]:
    return {"categories": dict(form.values)}


class NoticePages(Controller):
    """My notices and my notice preferences."""

    path = "/notices"
    include_in_schema = False
    opt = access(SIGNED_IN)

    @get("/")
    async def index(self, request: Me) -> Template:
        """My notices, newest first; unread ones stand out."""
        notices = await services.my_notices(request.user.account_id)
        return page("notices/index.html", {"notices": notices})

    @get("/bell")
    async def bell(self, request: Me) -> Template:
        """My unread count beside the bell (the base page loads it)."""
        unread = await services.unread_count(request.user.account_id)
        return page("notices/_bell.html", {"unread": unread})

    @form_post("/{notice_id:int}/open", BACK)
    async def open(self, request: Me, notice_id: FromPath[int]) -> Response[Any]:
        """Mark the notice read and go to the page it is about."""
        return redirect(request, await services.open_notice(request.user.account_id, notice_id))

    @form_post("/read", BACK)
    async def read_all(self, request: Me) -> Response[Any]:
        """Mark every notice read."""
        await services.mark_all_read(request.user.account_id)
        return redirect(request, "/notices", NOTICES("marked_read"))

    @get("/preferences")
    async def preferences(self, request: Me) -> Template:
        """How I get each category's notices by mail."""
        return await PREFERENCES.show(request)

    @form_post("/preferences", PREFERENCES)
    async def save_preferences(self, request: Me) -> Response[Any]:
        """Save the choices."""
        data = await PREFERENCES.read(request, PreferencesUpdate, _shape)
        await services.set_preferences(request.user.account_id, data)
        return redirect(request, "/notices/preferences", NOTICES("preferences_saved"))
