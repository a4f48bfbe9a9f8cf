"""Calendar invites for scheduled meetings (RFC 5545), built with the icalendar library
(pure: nothing here reads the database or the clock).

One meeting keeps one UID for its whole life, so a calendar updates the event it already
holds instead of adding a second one: a new time goes out as METHOD:REQUEST with a higher
SEQUENCE, a cancellation as METHOD:CANCEL. Times are written in the district's time zone,
with its VTIMEZONE definition included.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta
from enum import StrEnum
from zoneinfo import ZoneInfo

from icalendar import Calendar, Event, vCalAddress, vText

PRODUCT_ID = "-//mentorship//peer assistance program//EN"


class Method(StrEnum):
    """What the invite asks of the calendar."""

    REQUEST = "REQUEST"  # add the meeting, or update it (same UID, higher SEQUENCE)
    CANCEL = "CANCEL"  # remove it


@dataclass(frozen=True)
class Person:
    """Someone on the invite: their name and work address."""

    name: str
    email: str


@dataclass(frozen=True)
class Meeting:
    """A scheduled meeting as an invite shows it. `sequence` goes up each time it changes;
    `key` is what its UID is made from (the meeting's id), unique under `domain`."""

    key: str
    sequence: int
    starts_at: datetime
    minutes: int
    summary: str
    organizer: Person
    attendees: Sequence[Person]
    location: str | None = None
    url: str | None = None


class InviteRefused(ValueError):
    """The meeting cannot be written as an invite (a naive time, a negative sequence, …)."""


def uid(meeting: Meeting, domain: str) -> str:
    """The meeting's UID: the same for every invite about it."""
    return f"meeting-{meeting.key}@{domain}"


def _address(person: Person, role: str) -> vCalAddress:
    address = vCalAddress(f"mailto:{person.email}")
    address.params["CN"] = vText(person.name)
    if role:
        address.params["ROLE"] = vText(role)
    return address


def invite(meeting: Meeting, method: Method, *, zone: str, domain: str, stamp: datetime) -> bytes:
    """The invite (or its cancellation) as an .ics file's bytes; `stamp` is when it is made."""
    if meeting.starts_at.tzinfo is None or stamp.tzinfo is None:
        raise InviteRefused("an invite needs times with a time zone")
    if meeting.sequence < 0 or meeting.minutes <= 0:
        raise InviteRefused("an invite needs a sequence ≥ 0 and a positive length")
    local = ZoneInfo(zone)
    starts = meeting.starts_at.astimezone(local)
    event = Event()
    event.add("uid", uid(meeting, domain))
    event.add("sequence", meeting.sequence)
    event.add("dtstamp", stamp.astimezone(ZoneInfo("UTC")))
    event.add("dtstart", starts)
    event.add("dtend", starts + timedelta(minutes=meeting.minutes))
    event.add("summary", meeting.summary)
    event.add("status", "CANCELLED" if method is Method.CANCEL else "CONFIRMED")
    event.add("organizer", _address(meeting.organizer, ""))
    for person in meeting.attendees:
        event.add("attendee", _address(person, "REQ-PARTICIPANT"))
    if meeting.location:
        event.add("location", meeting.location)
    if meeting.url:
        event.add("url", meeting.url)
    calendar = Calendar()
    calendar.add("prodid", PRODUCT_ID)
    calendar.add("version", "2.0")
    calendar.add("method", method.value)
    calendar.add_component(event)
    # The zone's rules around the meeting only: the whole 1970 to 2038 history is kilobytes.
    calendar.add_missing_timezones(
        first_date=starts.date() - timedelta(days=366),
        last_date=starts.date() + timedelta(days=366),
    )
    data: bytes = calendar.to_ical()
    return data


def content_type(method: Method) -> str:
    """The MIME type an invite is attached with (calendars read the method from it)."""
    return f"text/calendar; method={method.value}; charset=utf-8"
