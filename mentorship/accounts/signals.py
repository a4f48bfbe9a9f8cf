"""What the accounts domain announces; the domains above it listen (see lib.events)."""

from __future__ import annotations

from dataclasses import dataclass

from mentorship.lib.events import Signal


@dataclass(frozen=True)
class AccountEvent:
    """Something happened to one account."""

    account_id: int


# The account's sign-in sessions must end now (its password was set, or it was deactivated).
sessions_revoked: Signal[AccountEvent] = Signal("accounts.sessions_revoked")
# The account was just deactivated: whatever waits on the person must be taken back.
account_deactivated: Signal[AccountEvent] = Signal("accounts.account_deactivated")
