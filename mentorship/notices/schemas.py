"""Request and response shapes of the notices API."""

from __future__ import annotations

from datetime import datetime

import msgspec

from mentorship.notices.kinds import Category, Delivery


class NoticeRead(msgspec.Struct):
    """One in-app notice: what it says (worded from its allow-listed context) and where to act."""

    id: int
    kind: str
    category: Category
    title: str
    body: str
    link: str
    created_at: datetime
    read_at: datetime | None


class NoticePage(msgspec.Struct):
    """A page of my notices, newest first, and how many are unread in all."""

    items: list[NoticeRead]
    unread: int


class CategoryPreference(msgspec.Struct):
    """How I get one category's mail; `fixed` categories are always mailed at once."""

    category: Category
    label: str
    delivery: Delivery
    fixed: bool


class PreferencesUpdate(msgspec.Struct, forbid_unknown_fields=True):
    """New settings for some categories (the others stay as they are)."""

    categories: dict[str, Delivery]
