"""Telling people: `tell` writes a notice into the outbox in the caller's transaction; the
person's notices, their unread count and their mail preferences. Delivery is `outbox.py`."""

from __future__ import annotations

import logging
import uuid
from collections.abc import Iterable, Mapping
from typing import Any
from zoneinfo import ZoneInfo

from babel import Locale

from mentorship.access.roles import Role
from mentorship.accounts.tables import Account, AccountRole
from mentorship.config import Settings, get_settings
from mentorship.lib import clock, db
from mentorship.lib.errors import NotFound, ValidationFailed
from mentorship.lib.messages import word
from mentorship.notices.kinds import (
    FIXED_CATEGORIES,
    Category,
    Delivery,
    allowed_context,
    checked_link,
    kind_named,
)
from mentorship.notices.mail import Letterhead, subject_and_body
from mentorship.notices.messages import NOTICES
from mentorship.notices.schemas import (
    CategoryPreference,
    NoticePage,
    NoticeRead,
    PreferencesUpdate,
)
from mentorship.notices.states import MailState
from mentorship.notices.tables import Notice, NoticePreference
from mentorship.web.dates import DEFAULT_LOCALE

DIGEST_KIND = "digest"
logger = logging.getLogger(__name__)


class OutsideTransaction(RuntimeError):
    """`tell` was called outside the transaction of the change it tells about."""


async def tell(recipient_id: int, kind: str, params: Mapping[str, Any], link: str) -> int:
    """Put a notice for one person in the outbox, in the caller's transaction (so it is sent
    if and only if the change commits); its parameters must be the kind's allow-list."""
    if not db.in_transaction():
        raise OutsideTransaction(f"tell({kind!r}) must run inside the change's transaction")
    what = kind_named(kind)
    stored = allowed_context(what, params)
    now = clock.now()
    rows = await Notice.insert(
        Notice(
            recipient=recipient_id,
            kind=what.name,
            category=what.category.value,
            params=stored,
            link=checked_link(link),
            created_at=now,
            message_key=uuid.uuid4().hex,
            mail_state=MailState.PENDING.value,
            attempts=0,
            next_attempt_at=now,
        )
    ).returning(Notice.id)
    return int(rows[0]["id"])


async def tell_each(
    recipient_ids: Iterable[int], kind: str, params: Mapping[str, Any], link: str
) -> list[int]:
    """`tell` the same notice to several people, each their own row (one failing recipient
    never holds up the others when it is sent)."""
    return [await tell(recipient, kind, params, link) for recipient in recipient_ids]


async def coordinators(*, besides: int | None = None) -> list[int]:
    """The ids of the active coordinators (without `besides`: nobody is told of their own act)."""
    holders = await AccountRole.select(AccountRole.account).where(
        (AccountRole.role == Role.COORDINATOR.value) & AccountRole.account._.active.eq(True)
    )
    return sorted({row["account"] for row in holders} - {besides})


def letterhead(settings: Settings | None = None) -> Letterhead:
    """What every mail and notice is worded with, from the settings."""
    settings = settings or get_settings()
    return Letterhead(
        mail_from=settings.mail.mail_from,
        district=settings.mail.district_name,
        base_url=settings.mail.base_url,
        zone=ZoneInfo(settings.timezone),
        locale=Locale.parse(DEFAULT_LOCALE),
    )


def _read(row: dict[str, Any], heading: Letterhead) -> NoticeRead | None:
    try:
        title, body = subject_and_body(row["kind"], db.json_value(row["params"]), heading)
    except (KeyError, ValueError):
        # Written under a kind or wording since changed: left out rather than failing the page.
        logger.warning("notice %s cannot be worded any more", row["id"])
        return None
    return NoticeRead(
        id=row["id"],
        kind=row["kind"],
        category=Category(row["category"]),
        title=title,
        body=body,
        link=row["link"],
        created_at=row["created_at"],
        read_at=row["read_at"],
    )


def _mine(account_id: int) -> Any:
    # A digest only carries other notices' mail: in the app they are shown one by one.
    return (Notice.recipient == account_id) & (Notice.kind != DIGEST_KIND)


async def unread_count(account_id: int) -> int:
    """How many of my notices I have not marked read (the bell's number)."""
    return int(await Notice.count().where(_mine(account_id) & Notice.read_at.is_null()))


async def my_notices(account_id: int, *, limit: int = 50, offset: int = 0) -> NoticePage:
    """My notices, newest first, worded for the page."""
    async with db.reading():
        rows = (
            await Notice.select(
                Notice.id,
                Notice.kind,
                Notice.category,
                Notice.params,
                Notice.link,
                Notice.created_at,
                Notice.read_at,
            )
            .where(_mine(account_id))
            .order_by(Notice.id, ascending=False)
            .limit(limit)
            .offset(offset)
        )
        unread = await unread_count(account_id)
    heading = letterhead()
    items = [read for row in rows if (read := _read(row, heading)) is not None]
    return NoticePage(items=items, unread=unread)


async def open_notice(account_id: int, notice_id: int) -> str:
    """Mark one of my notices read and give the page it is about; someone else's notice is
    not found, as if it did not exist."""
    mine = _mine(account_id) & (Notice.id == notice_id)
    async with db.transaction():
        row = await Notice.select(Notice.link).where(mine).first()
        if row is None:
            raise NotFound(NOTICES("no_notice", notice_id=notice_id))
        await Notice.update({Notice.read_at: clock.now()}).where(mine & Notice.read_at.is_null())
    return str(row["link"])


async def mark_all_read(account_id: int) -> int:
    """Mark every notice of mine read; how many were unread."""
    async with db.transaction():
        changed = (
            await Notice.update({Notice.read_at: clock.now()})
            .where(_mine(account_id) & Notice.read_at.is_null())
            .returning(Notice.id)
        )
    return len(changed)


async def deliveries(account_ids: Iterable[int]) -> dict[tuple[int, str], Delivery]:
    """Each (person, category) that is not mailed right away, and how it is."""
    ids = list(set(account_ids))
    if not ids:
        return {}
    rows = await NoticePreference.select().where(NoticePreference.account.is_in(ids))
    return {(row["account"], row["category"]): Delivery(row["delivery"]) for row in rows}


async def preferences(account_id: int) -> list[CategoryPreference]:
    """How I get each category's mail (right away unless I said otherwise)."""
    chosen = await deliveries([account_id])
    return [
        CategoryPreference(
            category=category,
            label=word(NOTICES(f"category.{category.value}")),
            delivery=chosen.get((account_id, category.value), Delivery.IMMEDIATE),
            fixed=category in FIXED_CATEGORIES,
        )
        for category in Category
    ]


async def set_preferences(account_id: int, data: PreferencesUpdate) -> list[CategoryPreference]:
    """Change how I get some categories' mail; 422 naming each category that does not exist
    or cannot be changed (nothing is changed then)."""
    problems = {}
    for name in data.categories:
        if name not in Category.__members__.values():
            problems[f"categories.{name}"] = NOTICES("unknown_category", category=name)
        elif Category(name) in FIXED_CATEGORIES:
            problems[f"categories.{name}"] = NOTICES("fixed_category")
    if problems:
        raise ValidationFailed(problems)
    async with db.transaction():
        for name, delivery in data.categories.items():
            await NoticePreference.delete().where(
                (NoticePreference.account == account_id) & (NoticePreference.category == name)
            )
            if Delivery(delivery) is not Delivery.IMMEDIATE:
                await NoticePreference.insert(
                    NoticePreference(account=account_id, category=name, delivery=delivery)
                )
    return await preferences(account_id)


async def active_recipients(account_ids: Iterable[int]) -> dict[int, tuple[str, str]]:
    """The active accounts among `account_ids`: (email, display name) by id; a deactivated
    account is left out, so it is never mailed."""
    ids = list(set(account_ids))
    if not ids:
        return {}
    rows = await Account.select(Account.id, Account.email, Account.display_name).where(
        Account.id.is_in(ids) & (Account.active.eq(True))
    )
    return {row["id"]: (row["email"], row["display_name"]) for row in rows}
