"""Case data keys: creating, unwrapping, rotating the master key, and retention purges."""

from __future__ import annotations

import os
import secrets
from dataclasses import dataclass
from datetime import timedelta
from pathlib import Path

from mentorship.agreement import services as agreement
from mentorship.audit import services as audit
from mentorship.cases.crypto import ContentUnavailable, Keyring
from mentorship.cases.messages import CASES
from mentorship.cases.states import CaseState
from mentorship.cases.tables import Case, CaseKey, Note, NoteVersion, StatusReport
from mentorship.config import NOTES_PREVIOUS_KEY_FILE_NAME, get_settings, reset_settings
from mentorship.lib import clock, db
from mentorship.lib.errors import Conflict


def keyring() -> Keyring:
    """The configured master keys: the current one and, during a rotation, the previous one."""
    settings = get_settings()
    return Keyring.from_secrets(settings.notes_key, [settings.notes_previous_key])


async def create_data_key(case_id: int) -> None:
    """Give a new case its own data key (inside the caller's transaction)."""
    key_id, wrapped = keyring().new_data_key(case_id)
    await CaseKey.insert(CaseKey(case=case_id, key_id=key_id, wrapped=wrapped))


async def data_key(case_id: int) -> bytes | None:
    """The case's data key, or None once retention destroyed it."""
    row = (
        await CaseKey.select(CaseKey.key_id, CaseKey.wrapped).where(CaseKey.case == case_id).first()
    )
    if row is None or row["wrapped"] is None:
        return None
    return keyring().unwrap(case_id, row["key_id"], bytes(row["wrapped"]))


async def _secure_delete() -> None:
    """On SQLite, overwrite freed space so destroyed keys do not linger in the file."""
    if db.get_engine().engine_type == "sqlite":
        await Case.raw("PRAGMA secure_delete = ON")


async def _checkpoint() -> None:
    """On SQLite, fold the write-ahead log back into the file (old pages leave with it)."""
    if db.get_engine().engine_type == "sqlite":
        await Case.raw("PRAGMA wal_checkpoint(TRUNCATE)")


# --- master key rotation ------------------------------------------------------------------


@dataclass(frozen=True)
class Rotation:
    """What a rotation did."""

    rewrapped: int
    already_current: int
    key_id: str
    generated_key_file: Path | None


def _write_secret(path: Path, secret: str) -> None:
    """Write a key file readable only by its owner, replacing any earlier one atomically."""
    temporary = path.with_name(path.name + ".tmp")
    fd = os.open(temporary, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    with os.fdopen(fd, "w", encoding="utf-8") as handle:
        handle.write(secret + "\n")
        handle.flush()
        os.fsync(handle.fileno())
    os.replace(temporary, path)


def _development_rotation_keyring(key_file: Path) -> Keyring:
    """In development the key lives in the data folder: make a new one there, keeping the old
    one beside it until every data key is re-wrapped (an interrupted rotation resumes)."""
    settings = get_settings()
    previous_file = key_file.with_name(NOTES_PREVIOUS_KEY_FILE_NAME)
    if previous_file.exists():
        # An earlier rotation stopped part-way: finish it with the keys already on disk.
        current = key_file.read_text(encoding="utf-8").strip()
        previous = previous_file.read_text(encoding="utf-8").strip()
    else:
        previous = settings.notes_key
        current = secrets.token_urlsafe(48)
        _write_secret(previous_file, previous)
        _write_secret(key_file, current)
    # A previous key configured by the operator (moving into development keys) still reads.
    return Keyring.from_secrets(current, [previous, settings.notes_previous_key])


async def rotate(actor_id: int | None = None) -> Rotation:
    """Re-wrap every live data key under the current master key, in one transaction.

    In production the operator sets the new key as MENTORSHIP_NOTES_KEY and the old one as
    MENTORSHIP_NOTES_PREVIOUS_KEY, runs this, then removes the old one. In development the
    generated key file is replaced here. No note is re-encrypted: only the data keys move.
    """
    key_file = get_settings().notes_key_file
    ring = _development_rotation_keyring(key_file) if key_file is not None else keyring()
    rewrapped = current = 0
    async with db.transaction():
        await _secure_delete()
        rows = await db.for_update(
            CaseKey.select(CaseKey.id, CaseKey.case, CaseKey.key_id, CaseKey.wrapped).where(
                CaseKey.wrapped.is_not_null()
            )
        )
        for row in rows:
            if row["key_id"] == ring.current.key_id:
                current += 1
                continue
            try:
                key_id, wrapped = ring.rewrap(row["case"], row["key_id"], bytes(row["wrapped"]))
            except ContentUnavailable as exc:
                raise Conflict(CASES("cannot_rotate", problem=str(exc))) from exc
            await CaseKey.update({CaseKey.key_id: key_id, CaseKey.wrapped: wrapped}).where(
                CaseKey.id == row["id"]
            )
            rewrapped += 1
        await audit.record(
            action="rotate_keys",
            object_type="master_key",
            object_id=ring.current.key_id,
            actor_id=actor_id,
            actor_role="operator",
            purpose="re-wrap case keys under a new master key",
            details={"rewrapped": rewrapped, "already_current": current},
        )
    if key_file is not None:
        key_file.with_name(NOTES_PREVIOUS_KEY_FILE_NAME).unlink(missing_ok=True)
        reset_settings()
    await _checkpoint()
    return Rotation(
        rewrapped=rewrapped,
        already_current=current,
        key_id=ring.current.key_id,
        generated_key_file=key_file,
    )


# --- retention ----------------------------------------------------------------------------


@dataclass(frozen=True)
class Purge:
    """What a retention purge did."""

    purged_case_ids: list[int]
    held_case_ids: list[int]


async def _due_for_purge() -> tuple[list[int], list[int]]:
    """Closed cases past their agreement's retention period: (to purge, held)."""
    rows = await Case.select(
        Case.id, Case.closed_at, Case.agreement_version, Case.legal_hold
    ).where(
        (Case.state == CaseState.CLOSED.value)
        & Case.content_destroyed_at.is_null()
        & Case.closed_at.is_not_null()
    )
    now = clock.now()
    due: list[int] = []
    held: list[int] = []
    retention: dict[int, int] = {}
    for row in rows:
        version = row["agreement_version"]
        if version not in retention:
            retention[version] = (await agreement.terms_of(version)).note_retention_days
        if row["closed_at"] + timedelta(days=retention[version]) > now:
            continue
        (held if row["legal_hold"] else due).append(row["id"])
    return sorted(due), sorted(held)


async def purge(actor_id: int | None = None) -> Purge:
    """Destroy the content of closed cases past retention (not under legal hold).

    Destroying the data key makes every sealed note and report of the case unreadable for
    good; the sealed bytes are erased too. Case records, meeting records, note and report
    metadata and the audit trail stay. Running it again finds nothing more to do.
    """
    due, held = await _due_for_purge()
    purged: list[int] = []
    for case_id in due:
        async with db.transaction():
            await _secure_delete()
            case = await db.for_update(
                Case.select(Case.legal_hold, Case.content_destroyed_at).where(Case.id == case_id)
            ).first()
            if case is None or case["legal_hold"] or case["content_destroyed_at"] is not None:
                continue  # a hold was set, or another purge got here first
            now = clock.now()
            await CaseKey.update({CaseKey.wrapped: None, CaseKey.destroyed_at: now}).where(
                CaseKey.case == case_id
            )
            note_ids = [row["id"] for row in await Note.select(Note.id).where(Note.case == case_id)]
            if note_ids:
                await NoteVersion.update({NoteVersion.sealed: None}).where(
                    NoteVersion.note.is_in(note_ids)
                )
            await StatusReport.update(
                {StatusReport.sealed_body: None, StatusReport.sealed_response: None}
            ).where(StatusReport.case == case_id)
            await Case.update({Case.content_destroyed_at: now}).where(Case.id == case_id)
            await audit.record(
                action="purge",
                object_type="case",
                object_id=case_id,
                case_id=case_id,
                actor_id=actor_id,
                actor_role="operator",
                purpose="retention: destroy note and report content",
            )
            purged.append(case_id)
    await audit.record(
        action="purge_run",
        object_type="retention",
        actor_id=actor_id,
        actor_role="operator",
        purpose="retention purge",
        details={"purged": len(purged), "held": len(held)},
    )
    await _checkpoint()
    return Purge(purged_case_ids=purged, held_case_ids=held)
