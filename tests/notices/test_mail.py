"""A notice as a mail (parts, headers, links, footer), retry and digest timing, and the mail
settings (pure)."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from babel import Locale

from mentorship.config import ConfigError, mail_settings, parse_smtp_url
from mentorship.notices import schedule
from mentorship.notices.mail import Attachment, Letter, Letterhead, compose, subject_and_body

HEAD = Letterhead(
    mail_from="Peer assistance <peer@district.example.org>",
    district="Riverside Unified",
    base_url="https://peer.district.example.org",
    zone=ZoneInfo("America/New_York"),
    locale=Locale.parse("en_US"),
)
NOW = datetime(2026, 12, 7, 15, 0, tzinfo=UTC)


def _letter(**changes) -> Letter:
    subject, body = subject_and_body(
        "request_filed.receipt",
        {"employee_name": "Ana Lopez", "request_id": 12, "filed_on": "2026-12-07T03:00:00+00:00"},
        HEAD,
    )
    fields = {
        "to": "ana@example.org",
        "subject": subject,
        "body": body,
        "link": "/requests",
        "message_key": "abc123",
        "optional": True,
        **changes,
    }
    return Letter(**fields)


def test_the_words_come_from_the_catalogue_with_dates_in_the_district_zone():
    letter = _letter()
    assert letter.subject == "We received your request for peer assistance"
    # 03:00 UTC is still 6 December in New York.
    assert "(request 12) on Dec 6, 2026" in letter.body
    assert letter.body.startswith("Hello Ana Lopez,")


def test_a_mail_has_both_parts_the_link_the_district_and_its_headers():
    mail = compose(_letter(), HEAD, NOW)
    assert mail["Message-ID"] == "<notice.abc123@district.example.org>"
    assert mail["From"] == HEAD.mail_from
    assert mail["To"] == "ana@example.org"
    assert mail["Auto-Submitted"] == "auto-generated"
    assert mail["List-Unsubscribe"] == "<https://peer.district.example.org/notices/preferences>"
    text = mail.get_body(("plain",)).get_content()
    html = mail.get_body(("html",)).get_content()
    for part in (text, html):
        assert "https://peer.district.example.org/requests" in part
        assert "Riverside Unified" in part
    assert '<a href="https://peer.district.example.org/requests">' in html


def test_a_notice_that_cannot_be_turned_off_has_no_unsubscribe():
    mail = compose(_letter(optional=False), HEAD, NOW)
    assert mail["List-Unsubscribe"] is None
    assert "always sent" in mail.get_body(("plain",)).get_content()


def test_names_are_escaped_in_the_html_part():
    mail = compose(_letter(body="Hello <b>Ana</b> & co"), HEAD, NOW)
    assert "Hello &lt;b&gt;Ana&lt;/b&gt; &amp; co" in mail.get_body(("html",)).get_content()


def test_an_invite_goes_as_a_calendar_attachment():
    invite = Attachment("invite.ics", "text/calendar; method=REQUEST", b"BEGIN:VCALENDAR\r\n")
    mail = compose(_letter(attachments=[invite]), HEAD, NOW)
    (attached,) = list(mail.iter_attachments())
    assert attached.get_content_type() == "text/calendar"
    assert attached.get_param("method") == "REQUEST"
    assert attached.get_filename() == "invite.ics"


def test_retries_wait_longer_each_time_up_to_six_hours():
    waits = [schedule.retry_at(NOW, attempt) - NOW for attempt in range(1, 12)]
    assert waits[:4] == [timedelta(minutes=m) for m in (1, 2, 4, 8)]
    assert waits == sorted(waits)
    assert max(waits) == timedelta(hours=6)
    assert not schedule.gives_up(schedule.MAX_ATTEMPTS - 1)
    assert schedule.gives_up(schedule.MAX_ATTEMPTS)


def test_a_digest_is_due_at_the_next_digest_hour_so_a_late_run_catches_up():
    zone = ZoneInfo("America/New_York")
    evening = datetime(2026, 12, 7, 18, 0, tzinfo=zone)
    assert schedule.digest_due(evening, zone) == datetime(2026, 12, 8, 7, 0, tzinfo=zone)
    early = datetime(2026, 12, 7, 6, 0, tzinfo=zone)
    assert schedule.digest_due(early, zone) == datetime(2026, 12, 7, 7, 0, tzinfo=zone)


def test_smtp_urls():
    server = parse_smtp_url("smtp://mailer%40d.org:s%3Acret@mail.d.org:2525?starttls=1")
    assert (server.host, server.port, server.username, server.password) == (
        "mail.d.org",
        2525,
        "mailer@d.org",
        "s:cret",
    )
    assert server.start_tls and not server.use_tls
    assert "s:cret" not in repr(server) and "s:cret" not in server.display
    assert parse_smtp_url("smtps://mail.d.org").port == 465
    assert parse_smtp_url("smtp://mail.d.org?starttls=1").port == 587
    assert parse_smtp_url("smtp://mail.d.org").port == 25


@pytest.mark.parametrize(
    ("env", "words"),
    [
        ({"MENTORSHIP_SMTP_URL": "http://mail.d.org"}, "must look like smtp://"),
        ({"MENTORSHIP_SMTP_URL": "smtps://mail.d.org?starttls=1"}, "TLS already"),
        ({"MENTORSHIP_SMTP_URL": "smtp://mail.d.org?tls=1"}, "unknown option: tls"),
        ({"MENTORSHIP_SMTP_URL": "smtp://mail.d.org:port"}, "not a number"),
        ({"MENTORSHIP_MAIL_FROM": "nobody"}, "MENTORSHIP_MAIL_FROM"),
        ({"MENTORSHIP_BASE_URL": "peer.d.org"}, "MENTORSHIP_BASE_URL"),
    ],
)
def test_bad_mail_settings_say_which_and_how(env, words):
    with pytest.raises(ConfigError, match=words):
        mail_settings(env)


def test_without_an_smtp_url_mail_waits_and_production_needs_a_base_url():
    assert mail_settings({}).smtp is None
    with pytest.raises(ConfigError, match="MENTORSHIP_BASE_URL is needed"):
        mail_settings({"MENTORSHIP_SMTP_URL": "smtp://mail.d.org"}, production=True)
    chosen = mail_settings(
        {"MENTORSHIP_BASE_URL": "https://peer.d.org/", "MENTORSHIP_DISTRICT_NAME": "  Rivers  "}
    )
    assert (chosen.base_url, chosen.district_name) == ("https://peer.d.org", "Rivers")
