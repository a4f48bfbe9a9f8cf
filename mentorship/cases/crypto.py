"""Envelope encryption of confidential case content (pure; no database or web).

Each case has its own random 256-bit data key. Note and report text is sealed with AES-GCM
under that key, with the text's identity (what it is, which row, which case, its audience)
as associated data: a ciphertext copied to another row, case or audience no longer opens.
The data key is stored only wrapped (AES-GCM again) under a master key that lives outside
the database, bound to its case the same way. Destroying a case's wrapped key destroys its
content for good (retention purge); re-wrapping every data key under a new master key
rotates the master key without touching any note.
"""

from __future__ import annotations

import os
from collections.abc import Iterable
from dataclasses import dataclass

from cryptography.exceptions import InvalidTag
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.ciphers.aead import AESGCM
from cryptography.hazmat.primitives.kdf.hkdf import HKDF

NONCE_BYTES = 12
KEY_BYTES = 32


class ContentUnavailable(Exception):
    """Sealed content cannot be opened: tampered with, moved, or its key is gone."""


class Tampered(ContentUnavailable):
    """The ciphertext, or the identity it is bound to, was changed."""


class KeyNotConfigured(ContentUnavailable):
    """The data key was wrapped under a master key this process was not given."""


def _derive(secret: str, purpose: bytes) -> bytes:
    return HKDF(algorithm=hashes.SHA256(), length=KEY_BYTES, salt=None, info=purpose).derive(
        secret.encode("utf-8")
    )


@dataclass(frozen=True)
class MasterKey:
    """A master key derived from the configured secret, with a public identifier.

    The identifier is derived separately from the secret, so storing it beside each wrapped
    key says which master key to use without revealing anything about it.
    """

    key_id: str
    material: bytes

    @classmethod
    def from_secret(cls, secret: str) -> MasterKey:
        """Derive the wrapping key and its identifier from a configured secret."""
        return cls(
            key_id=_derive(secret, b"mentorship notes master key id").hex()[:16],
            material=_derive(secret, b"mentorship notes master key"),
        )


def _case_binding(case_id: int) -> bytes:
    return f"mentorship/case-key/{case_id}".encode()


def _seal(key: bytes, plaintext: bytes, associated: bytes) -> bytes:
    nonce = os.urandom(NONCE_BYTES)
    return nonce + AESGCM(key).encrypt(nonce, plaintext, associated)


def _open(key: bytes, sealed: bytes, associated: bytes) -> bytes:
    if len(sealed) <= NONCE_BYTES:
        raise Tampered("sealed content is too short")
    try:
        return AESGCM(key).decrypt(sealed[:NONCE_BYTES], sealed[NONCE_BYTES:], associated)
    except InvalidTag as exc:
        raise Tampered("sealed content failed its integrity check") from exc


class Keyring:
    """The current master key, plus earlier ones still readable while a rotation runs."""

    def __init__(self, current: MasterKey, earlier: Iterable[MasterKey] = ()) -> None:
        self.current = current
        self._by_id = {key.key_id: key for key in (*earlier, current)}

    @classmethod
    def from_secrets(cls, current: str, earlier: Iterable[str | None] = ()) -> Keyring:
        """A keyring from configured secrets (None entries are skipped)."""
        return cls(
            MasterKey.from_secret(current),
            [MasterKey.from_secret(secret) for secret in earlier if secret],
        )

    def new_data_key(self, case_id: int) -> tuple[str, bytes]:
        """A fresh data key for a case, wrapped under the current master key: (key id, wrapped)."""
        data_key = AESGCM.generate_key(bit_length=KEY_BYTES * 8)
        return self.current.key_id, _seal(self.current.material, data_key, _case_binding(case_id))

    def unwrap(self, case_id: int, key_id: str, wrapped: bytes) -> bytes:
        """The case's data key, checked to belong to this case."""
        master = self._by_id.get(key_id)
        if master is None:
            raise KeyNotConfigured(
                f"the key of case {case_id} is wrapped under master key {key_id}, which this"
                " process was not given"
            )
        return _open(master.material, wrapped, _case_binding(case_id))

    def rewrap(self, case_id: int, key_id: str, wrapped: bytes) -> tuple[str, bytes]:
        """The same data key wrapped under the current master key: (key id, wrapped)."""
        data_key = self.unwrap(case_id, key_id, wrapped)
        return self.current.key_id, _seal(self.current.material, data_key, _case_binding(case_id))


def content_identity(kind: str, case_id: int, row_id: int, *parts: object) -> bytes:
    """The associated data binding sealed text to what it is and where it belongs."""
    tail = "".join(f"/{part}" for part in parts)
    return f"mentorship/{kind}/{row_id}/case/{case_id}{tail}".encode()


def seal_text(data_key: bytes, text: str, identity: bytes) -> bytes:
    """Encrypt and authenticate text, bound to its identity."""
    return _seal(data_key, text.encode("utf-8"), identity)


def open_text(data_key: bytes, sealed: bytes, identity: bytes) -> str:
    """Decrypt text sealed by `seal_text` under the same identity; Tampered otherwise."""
    return _open(data_key, sealed, identity).decode("utf-8")
