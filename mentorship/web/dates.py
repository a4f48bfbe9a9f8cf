"""Dates, times and numbers in the reader's own format (their browser's language) and the
district's time zone, for the templates."""

from __future__ import annotations

import functools
from datetime import UTC, date, datetime
from typing import Any
from zoneinfo import ZoneInfo

from babel import Locale, UnknownLocaleError
from babel.dates import format_date, format_datetime, format_timedelta
from babel.numbers import format_decimal

DEFAULT_LOCALE = "en_US"


def preferred_locale(accept_language: str) -> Locale:
    """The best locale Babel knows for an Accept-Language header (en_US when none fits)."""
    ranked: list[tuple[float, str]] = []
    for position, part in enumerate(accept_language.split(",")):
        tag, _, params = part.strip().partition(";")
        if not tag or tag == "*":
            continue
        quality = 1.0
        if params.strip().startswith("q="):
            try:
                quality = float(params.strip()[2:])
            except ValueError:
                continue
        ranked.append((-quality + position * 1e-6, tag.strip()))
    for _, tag in sorted(ranked):
        try:
            return Locale.parse(tag, sep="-")
        except (UnknownLocaleError, ValueError):
            continue
    return Locale.parse(DEFAULT_LOCALE)


# Babel takes about 0.1 ms per date and a page shows up to a hundred (the access history):
# the same moments come back on every view, so their wording is kept (bounded).
@functools.lru_cache(maxsize=4096)
def local_date(value: date | datetime | None, locale: Locale, zone: ZoneInfo) -> str:
    """'Nov 23, 2026' (en_US), '23 Nov 2026' (en_GB), … ; empty for None."""
    if value is None:
        return ""
    if isinstance(value, datetime):
        value = _aware(value).astimezone(zone).date()
    return format_date(value, format="medium", locale=locale)


@functools.lru_cache(maxsize=4096)
def local_datetime(value: datetime | None, locale: Locale, zone: ZoneInfo) -> str:
    """Date and time in the district's zone, in the reader's format; empty for None."""
    if value is None:
        return ""
    return format_datetime(_aware(value), format="medium", tzinfo=zone, locale=locale)


def iso(value: date | datetime | None) -> str:
    """The machine-readable form for a <time datetime="…"> attribute."""
    if value is None:
        return ""
    if isinstance(value, datetime):
        return _aware(value).isoformat()
    return value.isoformat()


def since(value: datetime, now: datetime, locale: Locale) -> str:
    """How long ago, in words: '3 days', '5 hours'."""
    return format_timedelta(now - _aware(value), locale=locale, threshold=1.1)


def time_ago(value: datetime, now: datetime, locale: Locale) -> str:
    """How long ago, as a phrase in the reader's language: '3 days ago', 'il y a 3 jours'."""
    return format_timedelta(_aware(value) - now, locale=locale, threshold=1.1, add_direction=True)


def number(value: Any, locale: Locale) -> str:
    """A number with the reader's separators ('1,234.5' or '1 234,5')."""
    return format_decimal(value, locale=locale)


def _aware(value: datetime) -> datetime:
    # Stored times are UTC; SQLite hands some back without a zone.
    return value if value.tzinfo else value.replace(tzinfo=UTC)
