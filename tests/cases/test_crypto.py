"""Envelope encryption: sealed text opens only with the right key, in the right place."""

from __future__ import annotations

import pytest

from mentorship.cases.crypto import (
    NONCE_BYTES,
    KeyNotConfigured,
    Keyring,
    MasterKey,
    Tampered,
    content_identity,
    open_text,
    seal_text,
)

SECRET = "a-master-secret-that-is-long-enough-0123456789"
OTHER = "another-master-secret-that-is-long-enough-9876"


def test_sealed_text_round_trips_and_hides_the_text() -> None:
    ring = Keyring.from_secrets(SECRET)
    key_id, wrapped = ring.new_data_key(7)
    data_key = ring.unwrap(7, key_id, wrapped)
    identity = content_identity("note", 7, 1, "v1", "private")
    sealed = seal_text(data_key, "She is worried about the IEP meeting.", identity)
    assert b"IEP" not in sealed and b"worried" not in sealed
    assert open_text(data_key, sealed, identity) == "She is worried about the IEP meeting."


def test_each_seal_uses_a_fresh_nonce() -> None:
    data_key = bytes(32)
    identity = content_identity("note", 1, 1)
    first, second = seal_text(data_key, "same", identity), seal_text(data_key, "same", identity)
    assert first[:NONCE_BYTES] != second[:NONCE_BYTES] and first != second


@pytest.mark.parametrize(
    "moved",
    [
        content_identity("note", 7, 2, "v1", "private"),  # another note
        content_identity("note", 8, 1, "v1", "private"),  # another case
        content_identity("note", 7, 1, "v2", "private"),  # another version
        content_identity("note", 7, 1, "v1", "shared"),  # relabelled audience
        content_identity("report", 7, 1, "v1", "private"),  # another kind of content
    ],
)
def test_ciphertext_bound_to_its_identity(moved: bytes) -> None:
    data_key = bytes(range(32))
    sealed = seal_text(data_key, "text", content_identity("note", 7, 1, "v1", "private"))
    with pytest.raises(Tampered):
        open_text(data_key, sealed, moved)


@pytest.mark.parametrize("position", [0, NONCE_BYTES, -1])
def test_any_flipped_bit_is_detected(position: int) -> None:
    data_key = bytes(range(32))
    identity = content_identity("note", 1, 1)
    sealed = bytearray(seal_text(data_key, "text", identity))
    sealed[position] ^= 0x01
    with pytest.raises(Tampered):
        open_text(data_key, bytes(sealed), identity)


def test_truncated_content_is_refused() -> None:
    with pytest.raises(Tampered):
        open_text(bytes(32), b"short", b"x")


def test_data_key_is_bound_to_its_case() -> None:
    ring = Keyring.from_secrets(SECRET)
    key_id, wrapped = ring.new_data_key(3)
    with pytest.raises(Tampered):
        ring.unwrap(4, key_id, wrapped)


def test_unknown_master_key_is_named_not_guessed() -> None:
    old = Keyring.from_secrets(OTHER)
    key_id, wrapped = old.new_data_key(1)
    with pytest.raises(KeyNotConfigured, match=key_id):
        Keyring.from_secrets(SECRET).unwrap(1, key_id, wrapped)


def test_rotation_rewraps_the_same_data_key() -> None:
    old = Keyring.from_secrets(OTHER)
    key_id, wrapped = old.new_data_key(5)
    data_key = old.unwrap(5, key_id, wrapped)
    rotating = Keyring.from_secrets(SECRET, [OTHER])
    new_id, rewrapped = rotating.rewrap(5, key_id, wrapped)
    assert new_id == MasterKey.from_secret(SECRET).key_id != key_id
    assert Keyring.from_secrets(SECRET).unwrap(5, new_id, rewrapped) == data_key


def test_key_id_reveals_nothing_of_the_key() -> None:
    master = MasterKey.from_secret(SECRET)
    assert master.key_id not in master.material.hex()
    assert MasterKey.from_secret(SECRET) == master  # stable across processes
    assert MasterKey.from_secret(OTHER).key_id != master.key_id
