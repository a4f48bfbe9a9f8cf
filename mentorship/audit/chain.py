"""The audit chain's arithmetic: canonical form, keyed hashes, verification (pure).

Each event stores its sequence number, the previous event's hash and its own hash: an
HMAC-SHA256, under a key kept outside the database, over the previous hash and the event's
canonical form. Changing, deleting, inserting or reordering an event breaks the chain at
that event, and nobody without the key can compute hashes that would hide it.
"""

from __future__ import annotations

import hashlib
import hmac
import json
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import UTC, datetime
from enum import StrEnum
from typing import Any

import msgspec

GENESIS = "0" * 64  # the "previous hash" of the first event


class Outcome(StrEnum):
    """Whether the action was carried out or refused."""

    ALLOWED = "allowed"
    DENIED = "denied"


DetailValue = str | int | bool | None


class Event(msgspec.Struct, frozen=True):
    """One audited action, as hashed (and as the API shows it). Never holds note or report
    text."""

    sequence: int
    occurred_at: datetime
    actor_id: int | None
    actor_name: str
    actor_role: str
    action: str
    object_type: str
    object_id: str
    outcome: Outcome
    purpose: str
    agreement_version: int | None
    request_id: str
    client_address: str
    details: Mapping[str, DetailValue] = msgspec.field(default_factory=dict)
    case_id: int | None = None  # lets the employee see who accessed their case


def _timestamp(moment: datetime) -> str:
    # Microseconds, UTC, one spelling: both databases give the moment back exactly.
    return moment.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%S.%fZ")


def canonical(event: Event) -> bytes:
    """The event as sorted, compact JSON: the exact bytes that are hashed."""
    values: dict[str, Any] = msgspec.structs.asdict(event)
    values["occurred_at"] = _timestamp(event.occurred_at)
    values["outcome"] = Outcome(event.outcome).value
    values["details"] = dict(event.details)
    return json.dumps(values, sort_keys=True, separators=(",", ":"), ensure_ascii=False).encode()


def event_hash(key: bytes, previous_hash: str, event: Event) -> str:
    """The keyed hash chaining `event` to the one before it."""
    message = previous_hash.encode("ascii") + b"\n" + canonical(event)
    return hmac.new(key, message, hashlib.sha256).hexdigest()


def check_details(details: Mapping[str, Any]) -> dict[str, DetailValue]:
    """Details are short plain values (no floats: their text form is not stable)."""
    checked: dict[str, DetailValue] = {}
    for name, value in details.items():
        if not isinstance(value, str | int | bool | None) or isinstance(value, float):
            raise ValueError(f"audit detail {name!r} must be text, a whole number or a flag")
        checked[str(name)] = value
    return checked


@dataclass(frozen=True)
class Stored:
    """An event as read back, with the two hashes kept beside it."""

    event: Event
    previous_hash: str
    event_hash: str


@dataclass(frozen=True)
class Break:
    """Where and why the chain stops verifying."""

    sequence: int
    reason: str


class Verifier:
    """Walks the chain one stored event at a time (the log can be long)."""

    def __init__(self, key: bytes) -> None:
        self.key = key
        self.count = 0
        self._previous = GENESIS

    def feed(self, item: Stored) -> Break | None:
        """Check the next event in stored order; the break it shows, if any."""
        expected = self.count + 1
        sequence = item.event.sequence
        if sequence != expected:
            what = "missing (deleted)" if sequence > expected else "out of order"
            return Break(expected, f"event {expected} is {what}")
        if item.previous_hash != self._previous:
            return Break(sequence, "its link to the previous event does not match")
        if not hmac.compare_digest(
            event_hash(self.key, self._previous, item.event), item.event_hash
        ):
            return Break(sequence, "its content does not match its hash (altered)")
        self._previous = item.event_hash
        self.count += 1
        return None


def verify(stored: Iterable[Stored], key: bytes) -> tuple[int, Break | None]:
    """Walk the chain in stored order; (events checked, the first break or None)."""
    verifier = Verifier(key)
    for item in stored:
        broken = verifier.feed(item)
        if broken is not None:
            return verifier.count, broken
    return verifier.count, None
