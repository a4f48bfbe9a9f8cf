"""What counts as an email address, and the key it is stored under (pure; no database)."""

from __future__ import annotations

import re

MAX_EMAIL_LENGTH = 254

# Deliberately permissive (RFC 5321 allows far more than most patterns do): one @, no
# spaces, a dot in the domain. Whether the mailbox exists is not ours to judge.
_EMAIL_SHAPE = re.compile(r"^[^@\s]+@[^@\s]+\.[^@\s.]+$")


def email_key(email: str) -> str:
    """The case-insensitive key an email address is stored and looked up under."""
    return email.strip().casefold()


def is_email(value: str) -> bool:
    """True when the (already trimmed) value has the shape of an email address."""
    return len(value) <= MAX_EMAIL_LENGTH and _EMAIL_SHAPE.match(value) is not None
