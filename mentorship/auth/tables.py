"""Server-side sessions and sign-in throttle state, shared by every app process."""

from piccolo.columns import ForeignKey, Integer, Serial, Timestamptz, Varchar
from piccolo.columns.base import OnDelete
from piccolo.table import Table

from mentorship.accounts.tables import Account


class SignInSession(Table):
    """A signed-in browser or client; the cookie holds a token, only its hash is stored."""

    id: Serial  # Piccolo adds the primary key; declared so type checkers see it

    token_hash = Varchar(
        length=64,
        unique=True,
        index=True,
        secret=True,
        help_text="SHA-256 of the session token: a copy of the database cannot hijack a session.",
    )
    account = ForeignKey(
        references=Account, on_delete=OnDelete.cascade, null=False, help_text="Who signed in."
    )
    created_at = Timestamptz(help_text="When the session began (sign-in).")
    last_seen_at = Timestamptz(help_text="Last request, to within a minute (idle timeout).")
    expires_at = Timestamptz(help_text="Absolute end, however active the session is.")
    client_address = Varchar(length=64, help_text="Where the sign-in came from.")
    user_agent = Varchar(length=200, help_text="The browser or client, truncated.")


class LoginThrottle(Table):
    """Recent failed sign-ins for one account key or one client address."""

    id: Serial  # Piccolo adds the primary key; declared so type checkers see it

    key = Varchar(
        length=320,
        unique=True,
        index=True,
        help_text="'account:<email key>' or 'address:<client address>'.",
    )
    failures = Integer(default=0, help_text="Failures since window_started_at.")
    window_started_at = Timestamptz(help_text="First failure of the current counting window.")
    locked_until = Timestamptz(
        null=True, default=None, help_text="No sign-in for this key before this time."
    )
