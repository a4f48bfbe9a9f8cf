"""The Jinja environment's filters and globals: the menu, the one-time notice, dates."""

from __future__ import annotations

from datetime import date, datetime
from typing import Any
from zoneinfo import ZoneInfo

from babel import Locale
from jinja2 import Environment, pass_context
from jinja2.runtime import Context
from litestar import Request
from litestar.plugins.jinja import JinjaTemplateEngine

from mentorship.config import get_settings
from mentorship.lib import clock
from mentorship.lib.domain import MenuLink
from mentorship.web import dates
from mentorship.web.nav import Menu, NavSection
from mentorship.web.render import take_notice


def configure(engine: JinjaTemplateEngine) -> None:
    """Register the page helpers on Litestar's Jinja engine (TemplateConfig.engine_callback)."""
    env: Environment = engine.engine
    env.filters.update(
        date=_date,
        datetime=_datetime,
        ago=_ago,
        time_ago=_time_ago,
        number=_number,
        isodate=dates.iso,
    )
    env.globals.update(menu=_menu, notice=_notice, is_current=_is_current)
    env.trim_blocks = True
    env.lstrip_blocks = True


def _request(context: Context) -> Request[Any, Any, Any] | None:
    # A macro imported without `with context` has no request: it gets the defaults.
    return context.get("request")


def _locale(context: Context) -> Locale:
    request = _request(context)
    if request is None:
        return dates.preferred_locale("")
    cached = request.scope.setdefault("state", {}).get("locale")
    if cached is None:
        cached = dates.preferred_locale(request.headers.get("accept-language", ""))
        request.scope["state"]["locale"] = cached
    return cached


def _zone(context: Context) -> ZoneInfo:
    request = _request(context)
    settings = request.app.state.settings if request is not None else get_settings()
    return ZoneInfo(settings.timezone)


@pass_context
def _date(context: Context, value: date | datetime | None) -> str:
    return dates.local_date(value, _locale(context), _zone(context))


@pass_context
def _datetime(context: Context, value: datetime | None) -> str:
    return dates.local_datetime(value, _locale(context), _zone(context))


@pass_context
def _ago(context: Context, value: datetime | None) -> str:
    return "" if value is None else dates.since(value, clock.now(), _locale(context))


@pass_context
def _time_ago(context: Context, value: datetime | None) -> str:
    return "" if value is None else dates.time_ago(value, clock.now(), _locale(context))


@pass_context
def _number(context: Context, value: Any) -> str:
    return dates.number(value, _locale(context))


def _site_menu(request: Request[Any, Any, Any]) -> Menu:
    menu: Menu = request.app.state.menu
    return menu


@pass_context
def _menu(context: Context) -> list[NavSection]:
    request = _request(context)
    user = request.scope.get("user") if request is not None else None
    return _site_menu(request).sections(user.roles) if request is not None and user else []


@pass_context
def _is_current(context: Context, item: MenuLink, path: str) -> bool:
    request = _request(context)
    return request is not None and _site_menu(request).is_current(item, path)


@pass_context
def _notice(context: Context) -> str | None:
    request = _request(context)
    return take_notice(request) if request is not None else None
