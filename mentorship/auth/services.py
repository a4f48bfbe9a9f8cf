"""Sign-in, sign-in throttling and server-side sessions."""

from __future__ import annotations

import hashlib
import logging
import math
import secrets
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from mentorship.access.principal import Principal
from mentorship.access.roles import Role
from mentorship.accounts.passwords import get_hashing
from mentorship.accounts.services import email_key
from mentorship.accounts.signals import AccountEvent
from mentorship.accounts.tables import Account
from mentorship.audit import services as audit
from mentorship.audit.chain import Outcome
from mentorship.auth.messages import AUTH
from mentorship.auth.tables import LoginThrottle, SignInSession
from mentorship.config import Settings
from mentorship.lib import clock, db
from mentorship.lib.errors import InvalidCredentials, TooManyAttempts
from mentorship.lib.messages import Message, word

logger = logging.getLogger("mentorship.auth")

# One message for every credential failure, so a response never tells whether an account
# with that email exists, is deactivated, or has no password yet.
INVALID_CREDENTIALS = word(AUTH("invalid_credentials"))

# last_seen_at is written at most this often: writing it on every request would turn
# every page view into a database write.
TOUCH_INTERVAL = timedelta(seconds=60)
USER_AGENT_MAX = 200


@dataclass(frozen=True)
class SignInResult:
    """A new session: the token goes into the cookie and nowhere else."""

    token: str
    principal: Principal


def hash_token(token: str) -> str:
    """The stored form of a session token."""
    return hashlib.sha256(token.encode("utf-8")).hexdigest()


@dataclass(frozen=True)
class _Attempt:
    """One sign-in attempt: who it claims to be, from where, and the throttle keys it counts
    against."""

    email_key: str
    client_address: str
    user_agent: str
    now: datetime

    @property
    def account_key(self) -> str:
        return f"account:{self.email_key}"

    @property
    def address_key(self) -> str:
        return f"address:{self.client_address}"


async def sign_in(
    settings: Settings, email: str, password: str, client_address: str, user_agent: str = ""
) -> SignInResult:
    """Check credentials and open a fresh session, or raise InvalidCredentials/TooManyAttempts.

    The session token is always new: whatever session cookie the request carried is
    ignored, so a token planted in a victim's browser before sign-in is worthless after it.
    """
    attempt = _Attempt(email_key(email), client_address, user_agent, clock.now())
    await _refuse_if_throttled(attempt)
    account = await _verified_account(settings, attempt, password)
    token = await _open_session(settings, attempt, account, password)
    principal = await resolve_session(settings, token)
    assert principal is not None
    return SignInResult(token=token, principal=principal)


async def _refuse_if_throttled(attempt: _Attempt) -> None:
    """Raise TooManyAttempts (audited) while the account or the address is locked out."""
    retry_after = await _seconds_locked([attempt.account_key, attempt.address_key], attempt.now)
    if not retry_after:
        return
    logger.warning(
        "sign-in refused (throttled) email=%s address=%s retry_after=%ss",
        attempt.email_key,
        attempt.client_address,
        retry_after,
    )
    await audit.record(
        action="login",
        object_type="account",
        outcome=Outcome.DENIED,
        purpose="sign in",
        details={"email": attempt.email_key, "reason": "throttled"},
    )
    raise TooManyAttempts(
        AUTH("too_many_attempts", wait=_minutes(retry_after)), retry_after=retry_after
    )


async def _verified_account(settings: Settings, attempt: _Attempt, password: str) -> dict[str, Any]:
    """The account the password opens; otherwise the failure is counted, logged, audited and
    InvalidCredentials raised (the same words whatever was wrong)."""
    hashing = get_hashing()
    account = (
        await Account.select(Account.id, Account.password_hash, Account.active)
        .where(Account.email_key == attempt.email_key)
        .first()
    )
    if account is None or not account["active"] or account["password_hash"] is None:
        # Same work as a real check, so response time does not reveal whether it exists.
        await hashing.verify_against_dummy(password)
    elif await hashing.verify(account["password_hash"], password):
        return account
    now = attempt.now
    await _record_failure(
        attempt.account_key, settings.login_max_failures_per_account, settings, now
    )
    await _record_failure(
        attempt.address_key, settings.login_max_failures_per_address, settings, now
    )
    reason = (
        "unknown or unusable account"
        if account is None or not account["active"]
        else ("no password set" if account["password_hash"] is None else "wrong password")
    )
    logger.warning(
        "sign-in failed email=%s address=%s reason=%s",
        attempt.email_key,
        attempt.client_address,
        reason,
    )
    await audit.record(
        action="login",
        object_type="account",
        object_id=None if account is None else account["id"],
        outcome=Outcome.DENIED,
        purpose="sign in",
        details={"email": attempt.email_key, "reason": reason},
    )
    raise InvalidCredentials(AUTH("invalid_credentials"))


async def _open_session(
    settings: Settings, attempt: _Attempt, account: dict[str, Any], password: str
) -> str:
    """Record the successful sign-in (rehashing the password when its parameters changed)
    and a new session; returns the session token."""
    hashing = get_hashing()
    account_id = account["id"]
    new_hash = None
    if hashing.needs_rehash(account["password_hash"]):
        new_hash = await hashing.hash(password)
    token = secrets.token_urlsafe(32)
    now = attempt.now
    async with db.transaction():
        await LoginThrottle.delete().where(LoginThrottle.key == attempt.account_key)
        changes: dict[Any, Any] = {Account.last_login_at: now}
        if new_hash is not None:
            changes[Account.password_hash] = new_hash
        await Account.update(changes).where(Account.id == account_id)
        await _delete_expired_sessions(settings, now)
        await SignInSession.insert(
            SignInSession(
                token_hash=hash_token(token),
                account=account_id,
                created_at=now,
                last_seen_at=now,
                expires_at=now + timedelta(hours=settings.session_absolute_hours),
                client_address=attempt.client_address[:64],
                user_agent=attempt.user_agent[:USER_AGENT_MAX],
            )
        )
        await audit.record(
            action="login",
            object_type="account",
            object_id=account_id,
            actor_id=account_id,
            purpose="sign in",
        )
    logger.info(
        "sign-in succeeded account_id=%s email=%s address=%s rehashed=%s",
        account_id,
        attempt.email_key,
        attempt.client_address,
        new_hash is not None,
    )
    return token


# The session, its account and the account's roles (one row per role) in one statement.
_SESSION = (
    "SELECT s.id, s.created_at, s.last_seen_at, s.expires_at, a.id AS account_id, a.email,"
    " a.display_name, a.active, r.role FROM sign_in_session s"
    " JOIN account a ON a.id = s.account LEFT JOIN account_role r ON r.account = a.id"
    " WHERE s.token_hash = {}"
)


async def resolve_session(settings: Settings, token: str) -> Principal | None:
    """The person a session token belongs to, or None when it is unknown, expired or ended."""
    if not token:
        return None
    now = clock.now()
    rows = await db.fetch(_SESSION, hash_token(token))
    if not rows:
        return None
    row = rows[0]
    idle = timedelta(minutes=settings.session_idle_minutes)
    if not row["active"] or now >= row["expires_at"] or now >= row["last_seen_at"] + idle:
        await SignInSession.delete().where(SignInSession.id == row["id"])
        return None
    last_seen = row["last_seen_at"]
    if now - last_seen >= TOUCH_INTERVAL:
        await SignInSession.update({SignInSession.last_seen_at: now}).where(
            SignInSession.id == row["id"]
        )
        last_seen = now
    return Principal(
        account_id=row["account_id"],
        email=row["email"],
        display_name=row["display_name"],
        roles=frozenset(Role(r["role"]) for r in rows if r["role"] is not None),
        session_id=row["id"],
        session_created_at=row["created_at"],
        session_expires_at=row["expires_at"],
        session_idle_expires_at=min(row["expires_at"], last_seen + idle),
    )


async def end_sessions(event: AccountEvent) -> None:
    """The account's credentials changed or it was deactivated: every session ends now."""
    await SignInSession.delete().where(SignInSession.account == event.account_id)


async def sign_out(token: str) -> None:
    """End the session the token belongs to; unknown tokens are ignored."""
    if token:
        await SignInSession.delete().where(SignInSession.token_hash == hash_token(token))


async def _seconds_locked(keys: list[str], now: datetime) -> int:
    rows = await LoginThrottle.select(LoginThrottle.locked_until).where(
        LoginThrottle.key.is_in(keys) & LoginThrottle.locked_until.is_not_null()
    )
    remaining = [(r["locked_until"] - now).total_seconds() for r in rows]
    longest = max((s for s in remaining if s > 0), default=0.0)
    return math.ceil(longest)


async def _record_failure(key: str, limit: int, settings: Settings, now: datetime) -> None:
    """Count a failure for the key and lock it once `limit` failures fall in one window."""
    window = timedelta(minutes=settings.login_failure_window_minutes)
    async with db.transaction():
        # Make sure the row exists, then lock it, so concurrent failures are all counted.
        await LoginThrottle.insert(
            LoginThrottle(key=key, failures=0, window_started_at=now, locked_until=None)
        ).on_conflict(target=LoginThrottle.key, action="DO NOTHING")
        row = await db.for_update(LoginThrottle.select().where(LoginThrottle.key == key)).first()
        failures = row["failures"] + 1
        window_started = row["window_started_at"]
        expired_lock = row["locked_until"] is not None and row["locked_until"] <= now
        if now - window_started >= window or expired_lock:
            failures, window_started = 1, now
        locked_until = row["locked_until"] if not expired_lock else None
        if failures >= limit:
            locked_until = now + timedelta(minutes=settings.login_lockout_minutes)
            failures = 0
            logger.warning("sign-in locked key=%s until=%s", key, locked_until.isoformat())
        await LoginThrottle.update(
            {
                LoginThrottle.failures: failures,
                LoginThrottle.window_started_at: window_started,
                LoginThrottle.locked_until: locked_until,
            }
        ).where(LoginThrottle.key == key)


async def _delete_expired_sessions(settings: Settings, now: datetime) -> None:
    idle_cutoff = now - timedelta(minutes=settings.session_idle_minutes)
    await SignInSession.delete().where(
        (SignInSession.expires_at <= now) | (SignInSession.last_seen_at <= idle_cutoff)
    )


def _minutes(seconds: int) -> Message:
    minutes = max(1, math.ceil(seconds / 60))
    return AUTH("minutes.one") if minutes == 1 else AUTH("minutes", count=minutes)
