"""A real SMTP server (aiosmtpd) the notice tests deliver to and read back from, and the
settings that point the worker at it."""

from __future__ import annotations

import asyncio
import dataclasses
import socket
import threading
from collections.abc import Iterator
from email import message_from_bytes, policy
from email.message import EmailMessage
from typing import Any

import pytest
from aiosmtpd.controller import Controller

from mentorship import config
from mentorship.config import MailSettings, Settings, SmtpServer

MAIL_FROM = "Peer assistance <peer@district.example.org>"
BASE_URL = "https://peer.district.example.org"
DISTRICT = "Riverside Unified"


class Mailbox:
    """What the SMTP server received; `refuse_rcpt` / `refuse_data` make it answer a
    recipient or the message with that reply instead of accepting it."""

    def __init__(self) -> None:
        self.received: list[EmailMessage] = []
        self.raw: list[bytes] = []
        self.refuse_rcpt: str | None = None
        self.refuse_data: str | None = None
        # Accept this many messages, then hold the next one (its sender waits) until released.
        self.hold_after: int | None = None
        self.holding = threading.Event()
        self.release = threading.Event()

    async def handle_RCPT(
        self, server: Any, session: Any, envelope: Any, address: str, options: Any
    ) -> str:
        if self.refuse_rcpt:
            return self.refuse_rcpt
        envelope.rcpt_tos.append(address)
        return "250 OK"

    async def handle_DATA(self, server: Any, session: Any, envelope: Any) -> str:
        if self.refuse_data:
            return self.refuse_data
        if self.hold_after is not None and len(self.received) >= self.hold_after:
            self.holding.set()
            await asyncio.get_running_loop().run_in_executor(None, self.release.wait, 60)
            return "421 4.3.2 Going away"
        data = bytes(envelope.original_content or envelope.content)
        self.raw.append(data)
        self.received.append(message_from_bytes(data, policy=policy.default))  # type: ignore[arg-type]
        return "250 Message accepted"

    def to(self, address: str) -> list[EmailMessage]:
        """The messages addressed to `address`."""
        return [m for m in self.received if m["To"] == address]


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port: int = probe.getsockname()[1]
    return port


@pytest.fixture(scope="session")
def smtp_server() -> Iterator[tuple[Controller, Mailbox]]:
    """One SMTP server for the session (its start is synchronous: it answers once started)."""
    mailbox = Mailbox()
    controller = Controller(mailbox, hostname="127.0.0.1", port=_free_port())
    controller.start()
    yield controller, mailbox
    controller.stop()


@pytest.fixture
def mailbox(
    smtp_server: tuple[Controller, Mailbox], settings: Settings, monkeypatch: pytest.MonkeyPatch
) -> Mailbox:
    """The SMTP server's mailbox, emptied and accepting, with the worker's settings pointing
    at it."""
    controller, box = smtp_server
    box.received.clear()
    box.raw.clear()
    box.refuse_rcpt = box.refuse_data = None
    box.hold_after = None
    box.holding.clear()
    box.release.clear()
    mail = MailSettings(
        smtp=SmtpServer(host=controller.hostname, port=controller.port),
        mail_from=MAIL_FROM,
        base_url=BASE_URL,
        district_name=DISTRICT,
    )
    monkeypatch.setattr(config, "_settings", dataclasses.replace(settings, mail=mail))
    return box
