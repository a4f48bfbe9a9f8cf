"""When to try again and when a digest is due (pure)."""

from __future__ import annotations

from datetime import datetime, time, timedelta
from zoneinfo import ZoneInfo

# A lease outlasts the slowest SMTP exchange (aiosmtplib's timeout is 60 s), so a mail is
# sent twice only when its worker died in the middle of sending it.
LEASE = timedelta(minutes=5)
MAX_ATTEMPTS = 8
FIRST_RETRY = timedelta(minutes=1)
LONGEST_WAIT = timedelta(hours=6)
# The daily digest goes out at this hour of the district's day.
DIGEST_HOUR = time(7, 0)


def retry_at(now: datetime, attempts: int) -> datetime:
    """When to try again after `attempts` failed attempts: 1, 2, 4, … minutes, at most 6 h."""
    wait = FIRST_RETRY * (2 ** max(0, attempts - 1))
    return now + min(wait, LONGEST_WAIT)


def gives_up(attempts: int) -> bool:
    """Whether a mail that failed `attempts` times has failed for good."""
    return attempts >= MAX_ATTEMPTS


def digest_due(held_since: datetime, zone: ZoneInfo) -> datetime:
    """When mail held since `held_since` goes out in a digest: the first digest hour after it
    (so a late or missed run catches up at the next one instead of skipping a day)."""
    local = held_since.astimezone(zone)
    due = datetime.combine(local.date(), DIGEST_HOUR, tzinfo=zone)
    if due <= local:
        due = datetime.combine(local.date() + timedelta(days=1), DIGEST_HOUR, tzinfo=zone)
    return due
