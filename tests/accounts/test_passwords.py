"""Password rules and hashing, without a database."""

from __future__ import annotations

import asyncio
import threading
import time

import pytest
from argon2 import PasswordHasher
from cryptography.exceptions import InvalidKey
from cryptography.hazmat.primitives.kdf.argon2 import Argon2id

from mentorship.accounts.passwords import (
    DEFAULT_HASHER,
    MAX_LENGTH,
    MIN_LENGTH,
    PasswordHashing,
    common_passwords,
    password_problems,
)


@pytest.mark.parametrize(
    "password",
    [
        "correct horse battery staple",
        "Paraeducators rock!",
        "ñandú caminando despacio",
        "x" * 10 + "yz",  # twelve, two distinct plus one: long enough and not a repetition
        "a" * 5 + "bcdefghij",
        "é" * 3 + " tres cafés, por favor",
        ("long passphrase with many words " * 40)[:MAX_LENGTH],
    ],
)
def test_acceptable_passwords_have_no_problems(password):
    assert password_problems(password) == []


@pytest.mark.parametrize(
    ("password", "words"),
    [
        ("", "at least 12"),
        ("short pass", "at least 12"),
        ("x" * (MAX_LENGTH + 1), "at most"),
        ("123qweasdzxc", "common"),  # in the breached list
        ("1q2w3e4r5t6y", "common"),
        ("QAZWSXEDCRFV", "common"),  # case does not help
        ("password1234", "common"),  # common word + digits
        ("sunshine2024!!", "common"),
        ("passwordpassword", "common"),  # repeated common word
        ("abcabcabcabc", "common"),  # repetition of a short unit
        ("aaaaaaaaaaaa", "common"),
        ("p" * 100 + "q", "common"),  # two distinct characters
        ("ababababababab", "common"),
    ],
)
def test_weak_passwords_are_refused_with_a_reason(password, words):
    problems = password_problems(password)
    assert problems and words in problems[0]


def test_no_composition_rules():
    """ASVS 2.1.9: no demands for digits, capitals or symbols."""
    assert password_problems("all lower case words here") == []


def test_passwords_naming_the_person_are_refused():
    assert "email" in password_problems("mlopez-likes-coffee", email="mlopez@district.org")[0]
    assert "name" in password_problems("Maria Lopez 1990!", display_name="Maria Lopez")[0]


def test_the_bundled_list_is_loaded():
    common = common_passwords()
    assert len(common) > 29_000
    assert "password" in common and "123qweasdzxc" in common


def test_minimum_length_counts_characters_after_normalisation():
    # A decomposed é (e + combining accent) is one character, as a person sees it.
    decomposed = "cafe\u0301" * 2 + "abc"  # 11 characters once normalised
    assert len(decomposed) == 13
    assert f"at least {MIN_LENGTH}" in password_problems(decomposed)[0]


async def test_hashes_are_argon2id_phc_strings_with_rfc9106_parameters():
    hashing = PasswordHashing(hasher=DEFAULT_HASHER)
    stored = await hashing.hash("correct horse battery staple")
    assert stored.startswith("$argon2id$v=19$m=65536,t=3,p=4$")
    assert await hashing.verify(stored, "correct horse battery staple")
    assert not await hashing.verify(stored, "correct horse battery stapl")
    assert not hashing.needs_rehash(stored)


async def test_an_independent_argon2_implementation_verifies_our_hashes():
    """OpenSSL's Argon2id (through `cryptography`), not libargon2, checks the PHC string."""
    hashing = PasswordHashing(hasher=DEFAULT_HASHER)
    stored = await hashing.hash("correct horse battery staple")
    Argon2id.verify_phc_encoded(b"correct horse battery staple", stored)
    with pytest.raises(InvalidKey):
        Argon2id.verify_phc_encoded(b"wrong horse battery staple", stored)


async def test_long_passwords_are_never_truncated():
    hashing = PasswordHashing(hasher=PasswordHasher(time_cost=1, memory_cost=1024, parallelism=1))
    base = "z" * 200
    stored = await hashing.hash(base + "a")
    assert await hashing.verify(stored, base + "a")
    assert not await hashing.verify(stored, base + "b")
    assert not await hashing.verify(stored, base)


async def test_normalised_forms_verify_the_same():
    hashing = PasswordHashing(hasher=PasswordHasher(time_cost=1, memory_cost=1024, parallelism=1))
    stored = await hashing.hash("caf\u00e9 con leche ahora")
    assert await hashing.verify(stored, "cafe\u0301 con leche ahora")


async def test_changed_parameters_ask_for_a_rehash():
    old = PasswordHashing(hasher=PasswordHasher(time_cost=1, memory_cost=1024, parallelism=1))
    stored = await old.hash("correct horse battery staple")
    assert PasswordHashing(hasher=DEFAULT_HASHER).needs_rehash(stored)
    assert PasswordHashing(hasher=DEFAULT_HASHER).needs_rehash("not a hash at all")


async def test_hashing_runs_off_the_event_loop_and_is_bounded():
    running = 0
    peak = 0
    lock = threading.Lock()
    loop_threads: set[int] = set()

    class SlowHasher(PasswordHasher):
        def hash(self, password, *, salt=None):  # type: ignore[no-untyped-def,override]
            nonlocal running, peak
            with lock:
                running += 1
                peak = max(peak, running)
            loop_threads.add(threading.get_ident())
            time.sleep(0.05)
            with lock:
                running -= 1
            return "$argon2id$fake"

    hashing = PasswordHashing(hasher=SlowHasher(), concurrency=2)
    ticks = 0

    async def ticker() -> None:
        nonlocal ticks
        for _ in range(10):
            await asyncio.sleep(0.01)
            ticks += 1

    await asyncio.gather(ticker(), *(hashing.hash(f"password number {i}") for i in range(6)))
    assert peak == 2
    assert threading.get_ident() not in loop_threads
    assert ticks == 10  # the loop kept running while hashes were computed
