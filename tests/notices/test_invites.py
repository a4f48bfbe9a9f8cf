"""Calendar invites read back with the icalendar library: one UID per meeting, a moved
meeting updates (higher SEQUENCE), a cancelled one cancels, times in the district's zone
(pure)."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
from icalendar import Calendar

from mentorship.notices.invites import (
    InviteRefused,
    Meeting,
    Method,
    Person,
    content_type,
    invite,
)

ZONE = "America/Chicago"
STAMP = datetime(2026, 12, 1, 12, 0, tzinfo=UTC)
MEETING = Meeting(
    key="42",
    sequence=0,
    starts_at=datetime(2026, 12, 10, 21, 0, tzinfo=UTC),
    minutes=45,
    summary="Peer assistance meeting",
    organizer=Person("Mo Mentor", "mo@example.org"),
    attendees=[Person("Ana Lopez", "ana@example.org")],
    location="Room 4",
    url="https://peer.example.org/cases/7",
)


def _read(data: bytes) -> tuple[Calendar, object]:
    calendar = Calendar.from_ical(data)
    (event,) = calendar.walk("VEVENT")
    return calendar, event


def test_an_invite_parses_with_its_uid_method_and_local_times():
    calendar, event = _read(invite(MEETING, Method.REQUEST, zone=ZONE, domain="d.org", stamp=STAMP))
    assert calendar["METHOD"] == "REQUEST"
    assert calendar["VERSION"] == "2.0"
    assert event["UID"] == "meeting-42@d.org"
    assert int(event["SEQUENCE"]) == 0
    assert event["STATUS"] == "CONFIRMED"
    start = event.decoded("DTSTART")
    assert start == MEETING.starts_at
    assert str(start.tzinfo) == ZONE
    assert start.hour == 15  # 21:00 UTC is 15:00 in Chicago in December
    assert event.decoded("DTEND") - start == timedelta(minutes=45)
    assert [tz["TZID"] for tz in calendar.walk("VTIMEZONE")] == [ZONE]
    assert str(event["ORGANIZER"]) == "mailto:mo@example.org"
    assert str(event["ATTENDEE"]) == "mailto:ana@example.org"
    assert event["ATTENDEE"].params["CN"] == "Ana Lopez"
    assert event["LOCATION"] == "Room 4"


def test_a_moved_meeting_keeps_its_uid_with_a_higher_sequence():
    moved = Meeting(
        **{**MEETING.__dict__, "sequence": 1, "starts_at": MEETING.starts_at + timedelta(days=1)}
    )
    _, first = _read(invite(MEETING, Method.REQUEST, zone=ZONE, domain="d.org", stamp=STAMP))
    _, second = _read(invite(moved, Method.REQUEST, zone=ZONE, domain="d.org", stamp=STAMP))
    assert first["UID"] == second["UID"]
    assert int(second["SEQUENCE"]) > int(first["SEQUENCE"])
    assert second.decoded("DTSTART") - first.decoded("DTSTART") == timedelta(days=1)


def test_a_cancelled_meeting_cancels_the_same_event():
    cancelled = Meeting(**{**MEETING.__dict__, "sequence": 2})
    calendar, event = _read(
        invite(cancelled, Method.CANCEL, zone=ZONE, domain="d.org", stamp=STAMP)
    )
    assert calendar["METHOD"] == "CANCEL"
    assert event["STATUS"] == "CANCELLED"
    assert event["UID"] == "meeting-42@d.org"
    assert content_type(Method.CANCEL).startswith("text/calendar; method=CANCEL")


def test_naive_times_and_bad_sequences_are_refused():
    with pytest.raises(InviteRefused):
        invite(
            Meeting(**{**MEETING.__dict__, "starts_at": datetime(2026, 12, 10, 9, 0)}),
            Method.REQUEST,
            zone=ZONE,
            domain="d.org",
            stamp=STAMP,
        )
    with pytest.raises(InviteRefused):
        invite(
            Meeting(**{**MEETING.__dict__, "sequence": -1}),
            Method.REQUEST,
            zone=ZONE,
            domain="d.org",
            stamp=STAMP,
        )
