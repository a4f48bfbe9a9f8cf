"""A notice in words, and as a mail: plain text and HTML parts, a stable Message-ID, the
district's name, the link that acts on it, and List-Unsubscribe for optional kinds (pure:
standard library, Babel for dates; nothing here reads the database)."""

from __future__ import annotations

import html
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import date, datetime
from email.message import EmailMessage
from email.utils import format_datetime, parseaddr
from typing import Any
from zoneinfo import ZoneInfo

from babel import Locale

from mentorship.lib.messages import Message, word
from mentorship.notices.kinds import Shape, kind_named
from mentorship.notices.messages import NOTICES
from mentorship.web import dates

PREFERENCES_PATH = "/notices/preferences"


@dataclass(frozen=True)
class Letterhead:
    """What every mail shares: who sends it, for which district, where links point, and the
    time zone and locale dates are written in."""

    mail_from: str
    district: str
    base_url: str
    zone: ZoneInfo
    locale: Locale

    def url(self, path: str) -> str:
        """The absolute address of a page of the service."""
        return self.base_url.rstrip("/") + path

    @property
    def mail_domain(self) -> str:
        """The sender's domain, which Message-IDs are made unique under."""
        return parseaddr(self.mail_from)[1].rpartition("@")[2] or "localhost"


@dataclass(frozen=True)
class Attachment:
    """A file sent with a mail (a calendar invite)."""

    filename: str
    content_type: str  # "text/calendar; method=REQUEST"
    data: bytes


def _worded_param(shape: Shape, value: Any, letterhead: Letterhead) -> str | int:
    if shape is Shape.DATE and isinstance(value, str):
        parsed: date | datetime = (
            datetime.fromisoformat(value) if "T" in value else date.fromisoformat(value)
        )
        return dates.local_date(parsed, letterhead.locale, letterhead.zone)
    if shape is Shape.STATE and isinstance(value, str):
        return value.replace("_", " ")
    return value


def subject_and_body(
    kind_name: str, params: Mapping[str, Any], letterhead: Letterhead
) -> tuple[str, str]:
    """The notice's subject and body in words, from its stored (allow-listed) parameters."""
    kind = kind_named(kind_name)
    worded = {
        name: _worded_param(shape, params[name], letterhead) for name, shape in kind.params.items()
    }
    return (
        word(NOTICES(f"{kind_name}.subject", **worded)),
        word(NOTICES(f"{kind_name}.body", **worded)),
    )


def message_id(message_key: str, letterhead: Letterhead) -> str:
    """The Message-ID of a notice's mail: the same for every attempt to send it."""
    return f"<notice.{message_key}@{letterhead.mail_domain}>"


@dataclass(frozen=True)
class Letter:
    """Everything one mail says, before it is put in MIME form."""

    to: str
    subject: str
    body: str
    link: str
    message_key: str
    optional: bool
    # A digest lists other notices (their subjects and links).
    items: Sequence[tuple[str, str]] = ()
    attachments: Sequence[Attachment] = ()


def _paragraphs(letter: Letter, letterhead: Letterhead) -> list[Message | str]:
    parts: list[Message | str] = [letter.body]
    parts += [f"• {subject}: {letterhead.url(link)}" for subject, link in letter.items]
    parts.append(NOTICES("mail.open", url=letterhead.url(letter.link)))
    return parts


def _footer(letter: Letter, letterhead: Letterhead) -> list[str]:
    signature = word(NOTICES("mail.signature", district=letterhead.district))
    if letter.optional:
        return [signature, word(NOTICES("mail.optional", url=letterhead.url(PREFERENCES_PATH)))]
    return [signature, word(NOTICES("mail.always"))]


def compose(letter: Letter, letterhead: Letterhead, now: datetime) -> EmailMessage:
    """The mail: headers, a plain-text part and an HTML part (and any attachment)."""
    mail = EmailMessage()
    mail["From"] = letterhead.mail_from
    mail["To"] = letter.to
    mail["Subject"] = letter.subject
    mail["Date"] = format_datetime(now)
    mail["Message-ID"] = message_id(letter.message_key, letterhead)
    # Out-of-office replies and mailing-list software leave automatic mail alone.
    mail["Auto-Submitted"] = "auto-generated"
    if letter.optional:
        mail["List-Unsubscribe"] = f"<{letterhead.url(PREFERENCES_PATH)}>"
    paragraphs = [word(p) for p in _paragraphs(letter, letterhead)]
    footer = _footer(letter, letterhead)
    mail.set_content("\n\n".join([*paragraphs, "--", *footer]) + "\n")
    mail.add_alternative(_html(paragraphs, footer, letter, letterhead), subtype="html")
    for attachment in letter.attachments:
        maintype, _, rest = attachment.content_type.partition("/")
        subtype, _, parameters = rest.partition(";")
        params = dict(part.strip().split("=", 1) for part in parameters.split(";") if "=" in part)
        mail.add_attachment(
            attachment.data,
            maintype=maintype,
            subtype=subtype.strip(),
            filename=attachment.filename,
            params=params,
        )
    return mail


def _html(paragraphs: list[str], footer: list[str], letter: Letter, letterhead: Letterhead) -> str:
    def block(text: str) -> str:
        return "<p>" + html.escape(text).replace("\n", "<br>\n") + "</p>"

    link = letterhead.url(letter.link)
    body = "\n".join(block(p) for p in paragraphs[:-1])
    opening = f'<p><a href="{html.escape(link)}">{html.escape(paragraphs[-1])}</a></p>'
    tail = "\n".join(f"<p><small>{html.escape(line)}</small></p>" for line in footer)
    return (
        '<!doctype html>\n<html lang="en"><head><meta charset="utf-8">'
        f"<title>{html.escape(letter.subject)}</title></head>\n<body>\n"
        f"{body}\n{opening}\n<hr>\n{tail}\n</body></html>\n"
    )
