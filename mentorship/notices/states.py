"""Where a notice's mail is (pure)."""

from __future__ import annotations

from enum import StrEnum


class MailState(StrEnum):
    """The mail's life: waiting to be sent (or retried), held for the daily digest, sent,
    carried by a digest, failed for good, or not sent (mail turned off, account deactivated)."""

    PENDING = "pending"
    DIGEST = "digest"
    SENT = "sent"
    IN_DIGEST = "in_digest"
    FAILED = "failed"
    SKIPPED = "skipped"
