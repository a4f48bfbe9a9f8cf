"""The outbox delivered to a real SMTP server: only committed notices, exactly once, with
retries and backoff, permanent failures recorded, a deactivated recipient skipped, the
digest, a lease that outlives a killed worker, and two workers at once."""

from __future__ import annotations

import asyncio
import contextvars
import os
import subprocess
import sys
from datetime import date, timedelta

import pytest

from mentorship import config
from mentorship.access.roles import Role
from mentorship.accounts import services as accounts
from mentorship.lib import db
from mentorship.notices import outbox, schedule, services
from mentorship.notices.kinds import ContextRefused
from mentorship.notices.mail import message_id
from mentorship.notices.schemas import PreferencesUpdate
from mentorship.notices.tables import DeliveryAttempt, Notice, WorkerRun
from tests.conftest import create_account
from tests.notices.conftest import BASE_URL, DISTRICT, MAIL_FROM
from tests.test_cli import run_cli

pytestmark = pytest.mark.db

RECEIPT = "request_filed.receipt"


def _params(request_id: int = 7) -> dict[str, object]:
    return {"employee_name": "Ana Lopez", "request_id": request_id, "filed_on": date(2026, 12, 7)}


async def _tell(recipient: int, request_id: int = 7) -> int:
    async with db.transaction():
        return await services.tell(recipient, RECEIPT, _params(request_id), "/requests")


async def _states() -> list[tuple[str, int]]:
    rows = await Notice.select(Notice.mail_state, Notice.attempts).order_by(Notice.id)
    return [(row["mail_state"], row["attempts"]) for row in rows]


async def test_a_notice_rolled_back_with_its_change_is_never_sent(mailbox):
    ana = await create_account("ana@example.org")

    class Boom(Exception):
        pass

    async def change_that_fails() -> None:
        async with db.transaction():
            await services.tell(ana.id, RECEIPT, _params(), "/requests")
            raise Boom

    with pytest.raises(Boom):
        await change_that_fails()
    assert await Notice.count() == 0
    assert await outbox.deliver_due() == {}
    assert mailbox.received == []


async def test_tell_outside_a_transaction_or_with_free_text_stores_nothing(mailbox):
    ana = await create_account("ana@example.org")
    with pytest.raises(services.OutsideTransaction):
        await services.tell(ana.id, RECEIPT, _params(), "/requests")
    with pytest.raises(ContextRefused):
        async with db.transaction():
            await services.tell(
                ana.id,
                RECEIPT,
                {**_params(), "description": "confidential"},
                "/requests",
            )
    assert await Notice.count() == 0


async def test_worker_once_delivers_a_committed_notice_exactly_once(mailbox, capsys, monkeypatch):
    ana = await create_account("ana@example.org", name="Ana Lopez")
    notice_id = await _tell(ana.id)

    code, out, err = run_cli(capsys, monkeypatch, "worker", "--once")
    assert code == 0, err
    assert "1 sent" in out
    (mail,) = mailbox.received
    key = (await Notice.select(Notice.message_key).where(Notice.id == notice_id).first())[
        "message_key"
    ]
    assert mail["Message-ID"] == f"<notice.{key}@district.example.org>"
    assert mail["To"] == "ana@example.org"
    assert mail["From"] == MAIL_FROM
    assert mail["Subject"] == "We received your request for peer assistance"
    assert mail["List-Unsubscribe"] == f"<{BASE_URL}/notices/preferences>"
    text = mail.get_body(("plain",)).get_content()
    html = mail.get_body(("html",)).get_content()
    for part in (text, html):
        assert "Ana Lopez" in part
        assert f"{BASE_URL}/requests" in part
        assert DISTRICT in part
    # Running again sends nothing more.
    code, out, _ = run_cli(capsys, monkeypatch, "worker", "--once")
    assert code == 0
    assert "nothing due" in out
    assert len(mailbox.received) == 1
    assert await _states() == [("sent", 1)]
    runs = {row["job"]: row for row in await WorkerRun.select()}
    assert set(runs) == {"deliver", "digest"}
    assert all(row["last_success_at"] is not None for row in runs.values())


async def test_without_an_smtp_server_mail_waits_in_the_outbox(mailbox, monkeypatch, settings):
    ana = await create_account("ana@example.org")
    await _tell(ana.id)
    monkeypatch.setattr(config, "_settings", settings)  # no MENTORSHIP_SMTP_URL
    assert await outbox.deliver_due() == {}
    assert await _states() == [("pending", 0)]
    assert mailbox.received == []


async def test_a_refusing_server_is_retried_with_backoff_and_the_message_id_is_kept(
    mailbox, frozen_clock
):
    ana = await create_account("ana@example.org")
    notice_id = await _tell(ana.id)
    mailbox.refuse_data = "451 4.3.0 Try again later"
    assert await outbox.deliver_due() == {"pending": 1}
    row = await Notice.select().where(Notice.id == notice_id).first()
    assert row["next_attempt_at"] == frozen_clock.current + timedelta(minutes=1)
    assert row["last_error"].startswith("451")
    # Not due yet: nothing is attempted.
    frozen_clock.advance(seconds=59)
    assert await outbox.deliver_due() == {}
    frozen_clock.advance(seconds=1)
    assert await outbox.deliver_due() == {"pending": 1}
    frozen_clock.advance(minutes=2)
    mailbox.refuse_data = None
    assert await outbox.deliver_due() == {"sent": 1}
    (mail,) = mailbox.received
    assert mail["Message-ID"] == message_id(row["message_key"], services.letterhead())
    log = await DeliveryAttempt.select(DeliveryAttempt.outcome).order_by(DeliveryAttempt.id)
    assert [entry["outcome"] for entry in log] == ["retry", "retry", "sent"]


async def test_a_refused_address_fails_for_good_and_so_does_one_that_never_gets_through(
    mailbox, frozen_clock
):
    ana = await create_account("ana@example.org")
    bo = await create_account("bo@example.org")
    await _tell(ana.id)
    mailbox.refuse_rcpt = "550 5.1.1 No such mailbox"
    assert await outbox.deliver_due() == {"failed": 1}
    row = await Notice.select(Notice.last_error).first()
    assert row["last_error"] == "550 5.1.1 No such mailbox"

    mailbox.refuse_rcpt = None
    mailbox.refuse_data = "421 4.3.2 Shutting down"
    await _tell(bo.id)
    for _ in range(schedule.MAX_ATTEMPTS):
        await outbox.deliver_due()
        frozen_clock.advance(hours=6)
    assert await _states() == [("failed", 1), ("failed", schedule.MAX_ATTEMPTS)]
    assert mailbox.received == []


async def test_a_row_that_can_no_longer_be_worded_fails_alone(mailbox):
    ana = await create_account("ana@example.org")
    bo = await create_account("bo@example.org")
    broken = await _tell(ana.id)
    await _tell(bo.id)
    # As if the kind's wording had changed since the row was written.
    await Notice.update({Notice.params: {"employee_name": "Ana"}}).where(Notice.id == broken)
    assert await outbox.deliver_due() == {"failed": 1, "sent": 1}
    assert [m["To"] for m in mailbox.received] == ["bo@example.org"]
    # In the app it is left out rather than breaking the page.
    assert (await services.my_notices(ana.id)).items == []


async def test_a_deactivated_recipient_and_mail_turned_off_are_not_sent(mailbox):
    admin = await create_account("admin@example.org", Role.ADMIN)
    ana = await create_account("ana@example.org")
    bo = await create_account("bo@example.org")
    cy = await create_account("cy@example.org")
    for person in (ana, bo, cy):
        await _tell(person.id)
    await accounts.deactivate(ana.id, actor_id=admin.id)
    await services.set_preferences(bo.id, PreferencesUpdate(categories={"requests": "off"}))
    assert await outbox.deliver_due() == {"skipped": 2, "sent": 1}
    assert [m["To"] for m in mailbox.received] == ["cy@example.org"]
    skipped = await DeliveryAttempt.select(DeliveryAttempt.detail).where(
        DeliveryAttempt.outcome == "skipped"
    )
    assert sorted(row["detail"] for row in skipped) == [
        "mail is turned off for this category",
        "the account is deactivated",
    ]


async def test_digest_mail_waits_for_the_digest_hour_and_goes_once(mailbox, frozen_clock):
    ana = await create_account("ana@example.org")
    await services.set_preferences(ana.id, PreferencesUpdate(categories={"requests": "digest"}))
    await _tell(ana.id, request_id=1)
    await _tell(ana.id, request_id=2)
    assert await outbox.deliver_due() == {"digest": 2}
    assert mailbox.received == []
    frozen_clock.advance(days=1, hours=1)  # past the next digest hour, however late
    assert await outbox.send_digests() == 1
    assert await outbox.send_digests() == 0
    assert await outbox.deliver_due() == {"sent": 1}
    (mail,) = mailbox.received
    assert mail["To"] == "ana@example.org"
    assert "(2)" in mail["Subject"]
    assert mail["List-Unsubscribe"] == f"<{BASE_URL}/notices/preferences>"
    assert mail.get_body(("plain",)).get_content().count("We received your request") == 2
    # In the app they are still two notices.
    page = await services.my_notices(ana.id)
    assert [n.kind for n in page.items] == [RECEIPT, RECEIPT]


async def test_a_killed_worker_lease_expires_and_the_mail_goes_once(mailbox, frozen_clock):
    ana = await create_account("ana@example.org")
    await _tell(ana.id)
    # A worker claimed it and was killed before sending: nobody else sends it in the lease.
    claimed = await outbox.claim(frozen_clock.current)
    assert len(claimed.rows) == 1
    assert await outbox.deliver_due() == {}
    frozen_clock.advance(seconds=schedule.LEASE.total_seconds())
    assert await outbox.deliver_due() == {"sent": 1}
    frozen_clock.advance(hours=1)
    assert await outbox.deliver_due() == {}
    assert len(mailbox.received) == 1
    assert await _states() == [("sent", 2)]


async def test_a_worker_killed_mid_delivery_then_restarted_delivers_every_mail(
    mailbox, smtp_server, frozen_clock
):
    people = [await create_account(f"p{i}@example.org") for i in range(20)]
    for person in people:
        await _tell(person.id)
    mailbox.hold_after = 7  # the eighth mail is in flight when the worker dies
    controller, _ = smtp_server
    worker = subprocess.Popen(  # noqa: ASYNC220 (killed below, never waited on while running)
        [sys.executable, "-m", "mentorship", "worker", "--once"],
        env={**os.environ, "MENTORSHIP_SMTP_URL": f"smtp://127.0.0.1:{controller.port}"},
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    try:
        assert await asyncio.to_thread(mailbox.holding.wait, 60)
    finally:
        worker.kill()  # kill -9
        await asyncio.to_thread(worker.wait, 60)
        mailbox.hold_after = None
        mailbox.release.set()
    assert len(mailbox.received) == 7
    # The restarted worker takes the dead one's rows once their lease has run out (taken on
    # the real clock, a few seconds after this test's frozen one).
    frozen_clock.advance(seconds=schedule.LEASE.total_seconds() + 120)
    assert await outbox.deliver_due() == {"sent": 13}
    received = [m["To"] for m in mailbox.received]
    assert sorted(set(received)) == sorted(p.email for p in people)
    assert len(received) == 20  # the one in flight was never accepted, so nobody got two
    assert await outbox.deliver_due() == {}


async def test_two_workers_at_once_deliver_each_mail_once(mailbox, monkeypatch, settings):
    people = [await create_account(f"p{i}@example.org") for i in range(12)]
    for person in people:
        await _tell(person.id)
    monkeypatch.setattr(outbox, "BATCH", 3)
    first, second = await asyncio.gather(outbox.deliver_due(), outbox.deliver_due())
    assert first.get("sent", 0) + second.get("sent", 0) == 12
    if settings.database.engine == "postgres":
        assert first and second  # side by side, each took batches of its own
    assert sorted(m["To"] for m in mailbox.received) == sorted(p.email for p in people)
    assert all(attempts == 1 for _, attempts in await _states())


async def test_on_postgresql_a_claim_skips_the_rows_another_worker_is_claiming(
    mailbox, settings, frozen_clock
):
    if settings.database.engine != "postgres":
        pytest.skip("row locks are PostgreSQL's; SQLite has one writer")
    people = [await create_account(f"p{i}@example.org") for i in range(4)]
    for person in people:
        await _tell(person.id)
    async with db.transaction():
        held = await outbox._skip_locked(Notice.select(Notice.id).order_by(Notice.id).limit(2))
        # Another worker, on its own connection (a fresh context: outside this transaction),
        # while this transaction holds two rows.
        other = await asyncio.create_task(
            outbox.claim(frozen_clock.current), context=contextvars.Context()
        )
    assert {row["id"] for row in other.rows}.isdisjoint(row["id"] for row in held)
    assert len(other.rows) == 2
