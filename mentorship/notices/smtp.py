"""Handing mail to the SMTP server with aiosmtplib, and telling a refusal for good (5xx)
from one worth retrying (4xx, a dropped connection, a timeout)."""

from __future__ import annotations

from dataclasses import dataclass
from email.message import EmailMessage
from enum import StrEnum

import aiosmtplib

from mentorship.config import SmtpServer

TIMEOUT_SECONDS = 60.0
_DETAIL = 300


class Outcome(StrEnum):
    """How one attempt ended."""

    SENT = "sent"
    RETRY = "retry"
    FAILED = "failed"


@dataclass(frozen=True)
class Result:
    """An attempt's outcome and the server's answer (its code and words, shortened)."""

    outcome: Outcome
    detail: str = ""


def _classified(code: int, text: str) -> Result:
    outcome = Outcome.FAILED if 500 <= code < 600 else Outcome.RETRY
    return Result(outcome, f"{code} {text}"[:_DETAIL])


class Postman:
    """One connection to the server for a batch of mails, opened when first needed and
    opened again after the server dropped it."""

    def __init__(self, server: SmtpServer) -> None:
        self.server = server
        self._client: aiosmtplib.SMTP | None = None

    async def _connected(self) -> aiosmtplib.SMTP:
        if self._client is None or not self._client.is_connected:
            client = aiosmtplib.SMTP(
                hostname=self.server.host,
                port=self.server.port,
                use_tls=self.server.use_tls,
                start_tls=self.server.start_tls,
                timeout=TIMEOUT_SECONDS,
            )
            await client.connect()
            if self.server.username:
                await client.login(self.server.username, self.server.password or "")
            self._client = client
        return self._client

    async def send(self, mail: EmailMessage) -> Result:
        """Hand one mail over; the outcome says whether to retry."""
        try:
            client = await self._connected()
            await client.send_message(mail)
        except aiosmtplib.SMTPRecipientsRefused as refused:
            first = refused.recipients[0]
            return _classified(first.code, first.message)
        except (aiosmtplib.SMTPServerDisconnected, aiosmtplib.SMTPConnectError) as exc:
            self._client = None
            return Result(Outcome.RETRY, f"connection: {exc}"[:_DETAIL])
        except aiosmtplib.SMTPResponseException as exc:
            return _classified(exc.code, exc.message)
        except (aiosmtplib.SMTPException, OSError) as exc:
            self._client = None
            return Result(Outcome.RETRY, f"{type(exc).__name__}: {exc}"[:_DETAIL])
        return Result(Outcome.SENT, "250 accepted")

    async def close(self) -> None:
        """Say goodbye to the server, if connected."""
        if self._client is not None and self._client.is_connected:
            try:
                await self._client.quit()
            except (aiosmtplib.SMTPException, OSError):
                self._client.close()
        self._client = None
