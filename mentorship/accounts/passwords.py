"""Password rules (OWASP ASVS v4 §2.1) and argon2id hashing off the event loop."""

from __future__ import annotations

import re
import unicodedata
from functools import cache
from importlib import resources

import anyio
import anyio.to_thread
from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError
from argon2.profiles import RFC_9106_LOW_MEMORY

from mentorship.accounts.messages import ACCOUNTS
from mentorship.lib.messages import Message, word

MIN_LENGTH = 12
# ASVS 2.1.2 asks that passwords of at least 64 characters be accepted and our rules promise
# 128; this far higher bound only stops someone making the server hash megabytes.
MAX_LENGTH = 1024

# RFC 9106 §4 "second recommended option": argon2id, t=3 passes, m=64 MiB, p=4 lanes,
# 16-byte salt, 32-byte tag. It is stronger than OWASP's minimum (m=19 MiB, t=2, p=1).
DEFAULT_HASHER = PasswordHasher.from_parameters(RFC_9106_LOW_MEMORY)
# The cheapest argon2id the library accepts: for test servers only (the setting that picks it
# is refused in production). Hashes record their parameters, so either verifies the other's.
TEST_HASHER = PasswordHasher(time_cost=1, memory_cost=1024, parallelism=1)

_TRAILING_DIGITS_OR_SYMBOLS = re.compile(r"[\d\W_]+$")


def normalise(password: str) -> str:
    """NFKC-normalise so the same password typed on different keyboards hashes the same."""
    return unicodedata.normalize("NFKC", password)


@cache
def common_passwords() -> frozenset[str]:
    """The bundled list of common and breached passwords, case-folded."""
    text = resources.files("mentorship.accounts").joinpath("data/common-passwords.txt")
    return frozenset(
        line.strip().casefold()
        for line in text.read_text(encoding="utf-8").splitlines()
        if line.strip() and not line.startswith("#")
    )


def password_problems(password: str, *, email: str = "", display_name: str = "") -> list[str]:
    """Everything wrong with a proposed password, in plain words; empty when it is acceptable."""
    return [
        word(problem)
        for problem in password_refusals(password, email=email, display_name=display_name)
    ]


def password_refusals(password: str, *, email: str = "", display_name: str = "") -> list[Message]:
    """Everything wrong with a proposed password, as codes; empty when it is acceptable.

    No composition rules (ASVS 2.1.9): length, the common-password list and the person's own
    name or address are what is checked.
    """
    value = normalise(password)
    if len(value) < MIN_LENGTH:
        return [ACCOUNTS("password.too_short", count=MIN_LENGTH)]
    if len(value) > MAX_LENGTH:
        return [ACCOUNTS("password.too_long", count=MAX_LENGTH)]
    folded = value.casefold()
    common = common_passwords()
    stem = _TRAILING_DIGITS_OR_SYMBOLS.sub("", folded)
    if (
        folded in common
        or (len(stem) >= 4 and stem in common)
        or len(set(folded)) <= 2
        or _is_repetition_of_common(folded, common)
    ):
        return [ACCOUNTS("password.common")]
    local_part = email.casefold().partition("@")[0]
    if len(local_part) >= 4 and local_part in folded:
        return [ACCOUNTS("password.has_email")]
    name = display_name.casefold().replace(" ", "")
    if len(name) >= 4 and name in folded.replace(" ", ""):
        return [ACCOUNTS("password.has_name")]
    return []


def _is_repetition_of_common(folded: str, common: frozenset[str]) -> bool:
    """True for 'passwordpassword' and the like: one common word repeated."""
    for size in range(1, len(folded) // 2 + 1):
        if len(folded) % size == 0 and folded[:size] * (len(folded) // size) == folded:
            return folded[:size] in common or size <= 3
    return False


class PasswordHashing:
    """argon2id hashing and verification run in worker threads, a bounded number at a time.

    Each hash takes tens of MiB and tens of milliseconds of CPU: run on the event loop it
    would stall every other request, and unbounded it could exhaust memory under a burst
    of sign-ins.
    """

    def __init__(self, hasher: PasswordHasher = DEFAULT_HASHER, concurrency: int = 2) -> None:
        self.hasher = hasher
        self.concurrency = concurrency
        self._limiter: anyio.CapacityLimiter | None = None
        # Verified against when the account does not exist, so that path costs the same.
        self._dummy_hash: str | None = None

    @property
    def limiter(self) -> anyio.CapacityLimiter:
        """The bound on concurrent hash computations, created inside the running loop."""
        if self._limiter is None:
            self._limiter = anyio.CapacityLimiter(self.concurrency)
        return self._limiter

    async def hash(self, password: str) -> str:
        """A PHC-format argon2id hash of the password."""
        return await anyio.to_thread.run_sync(
            self.hasher.hash, normalise(password), limiter=self.limiter
        )

    async def verify(self, stored_hash: str, password: str) -> bool:
        """True when the password matches the stored hash."""
        return await anyio.to_thread.run_sync(
            self._verify_sync, stored_hash, normalise(password), limiter=self.limiter
        )

    async def verify_against_dummy(self, password: str) -> None:
        """Spend the time a real verification would, for accounts that do not exist."""
        if self._dummy_hash is None:
            self._dummy_hash = await self.hash("not a real password, only for timing")
        await self.verify(self._dummy_hash, password)

    def needs_rehash(self, stored_hash: str) -> bool:
        """True when the hash was made with other parameters than the current ones."""
        try:
            return self.hasher.check_needs_rehash(stored_hash)
        except InvalidHashError:
            return True

    def _verify_sync(self, stored_hash: str, password: str) -> bool:
        try:
            return self.hasher.verify(stored_hash, password)
        except (VerificationError, InvalidHashError):
            return False


_hashing: PasswordHashing | None = None


def get_hashing() -> PasswordHashing:
    """The process-wide hasher (configured by the app at start-up)."""
    global _hashing
    if _hashing is None:
        _hashing = PasswordHashing()
    return _hashing


def configure_hashing(hashing: PasswordHashing) -> None:
    """Replace the process-wide hasher (start-up with settings; tests with cheaper parameters)."""
    global _hashing
    _hashing = hashing
