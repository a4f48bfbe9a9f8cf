"""Progress notes: sealed at rest, versioned on edit, and one audit event per access.

Every read of a note's text, and every refused attempt, writes exactly one audit event
naming the note, in the same transaction as the read: text is never returned without its
access being on record.
"""

from __future__ import annotations

from typing import Any

from piccolo.columns.combination import WhereRaw

from mentorship.cases.access import (
    Access,
    Actor,
    authorize,
    content_key,
    guarded,
    open_sealed,
    reading,
    record,
    record_read,
    refuse,
    writing_key,
)
from mentorship.cases.crypto import content_identity, seal_text
from mentorship.cases.messages import CASES
from mentorship.cases.policy import Action, NoteFacts, Relation, may_edit_note, may_read_note
from mentorship.cases.schemas import NoteCreate, NoteEdit, NoteRead, NoteVersionRead
from mentorship.cases.states import NoteAudience
from mentorship.cases.tables import Note, NoteVersion
from mentorship.lib import clock, db
from mentorship.lib.errors import NotFound, PermissionDenied

_COLUMNS = (*Note.all_columns(), Note.author.display_name.as_alias("author_name"))
# A note with its current version's sealed text, read from the version's side in one go.
_CURRENT = (
    *(
        getattr(NoteVersion.note, column._meta.name).as_alias(column._meta.name)
        for column in Note.all_columns()
    ),
    # Piccolo types a join two steps deep loosely: this is the author's account name.
    NoteVersion.note.author.display_name.as_alias("author_name"),  # type: ignore[union-attr]
    NoteVersion.sealed,
)
_IS_CURRENT = '"note_version"."version" = "note_version$note"."current_version"'


def note_identity(case_id: int, note_id: int, version: int, audience: NoteAudience) -> bytes:
    """What a note version's ciphertext is bound to: moving or relabelling it breaks it."""
    return content_identity("note", case_id, note_id, f"v{version}", audience.value)


def _facts(note: dict[str, Any]) -> NoteFacts:
    return NoteFacts(author_id=note["author"], audience=NoteAudience(note["audience"]))


def _not_found(note_id: int) -> NotFound:
    return NotFound(CASES("note_not_found", note_id=note_id))


async def _note(access: Access, note_id: int, action: str, purpose: str) -> dict[str, Any]:
    """The case's note, if this reader may read it; a refusal that reveals nothing otherwise."""
    note = (
        await Note.select(*_COLUMNS)
        .where((Note.id == note_id) & (Note.case == access.case_id))
        .first()
    )
    if note is None or not may_read_note(
        access.actor.account_id, access.relation, access.facts, _facts(note)
    ):
        raise refuse(
            access,
            _not_found(note_id),
            action=action,
            object_type="note",
            object_id=note_id,
            purpose=purpose,
        )
    return note


def _open(
    access: Access,
    data_key: bytes | None,
    note_id: int,
    version: int,
    audience: NoteAudience,
    sealed: Any,
    action: str,
) -> str | None:
    """A version's text; None once destroyed by retention; refused when it fails to open."""
    return open_sealed(
        access,
        data_key,
        sealed,
        note_identity(access.case_id, note_id, version, audience),
        object_type="note",
        object_id=note_id,
        action=action,
    )


async def _current_texts(
    access: Access, notes: list[dict[str, Any]], data_key: bytes | None
) -> dict[int, str | None]:
    if not notes:
        return {}
    if all("sealed" in note for note in notes):  # read with the notes (`note_rows`)
        sealed = {note["id"]: note["sealed"] for note in notes}
    else:
        wanted = {note["id"]: note["current_version"] for note in notes}
        rows = await NoteVersion.select(
            NoteVersion.note, NoteVersion.version, NoteVersion.sealed
        ).where(NoteVersion.note.is_in(list(wanted)))
        sealed = {
            row["note"]: row["sealed"] for row in rows if wanted[row["note"]] == row["version"]
        }
    return {
        note["id"]: _open(
            access,
            data_key,
            note["id"],
            note["current_version"],
            NoteAudience(note["audience"]),
            sealed.get(note["id"]),
            "read",
        )
        for note in notes
    }


def _read(note: dict[str, Any], text: str | None) -> NoteRead:
    return NoteRead(
        id=note["id"],
        case_id=note["case"],
        audience=NoteAudience(note["audience"]),
        author_id=note["author"],
        author_name=note["author_name"],
        version=note["current_version"],
        created_at=note["created_at"],
        updated_at=note["updated_at"],
        text=text,
    )


async def _seal(
    access: Access, note_id: int, version: int, audience: NoteAudience, text: str
) -> bytes:
    data_key = await writing_key(access)
    return seal_text(data_key, text, note_identity(access.case_id, note_id, version, audience))


async def write_note(case_id: int, actor: Actor, data: NoteCreate) -> NoteRead:
    """The case's mentor writes a note, private or shared with the mentee."""

    async def work() -> int:
        access = await authorize(
            case_id, actor, Action.WRITE_NOTE, purpose="write a note", lock=True
        )
        now = clock.now()
        rows = await Note.insert(
            Note(
                case=case_id,
                author=actor.account_id,
                audience=data.audience.value,
                current_version=1,
                created_at=now,
                updated_at=now,
            )
        ).returning(Note.id)
        note_id = int(rows[0]["id"])
        await NoteVersion.insert(
            NoteVersion(
                note=note_id,
                version=1,
                audience=data.audience.value,
                sealed=await _seal(access, note_id, 1, data.audience, data.text),
                written_at=now,
                written_by=actor.account_id,
            )
        )
        await record(
            access,
            "create",
            purpose="write a note",
            object_type="note",
            object_id=note_id,
            details={"audience": data.audience.value, "version": 1},
        )
        return note_id

    note_id = await guarded(work)
    note = await Note.select(*_COLUMNS).where(Note.id == note_id).first()
    assert note is not None
    return _read(note, data.text)


async def edit_note(case_id: int, note_id: int, actor: Actor, data: NoteEdit) -> NoteRead:
    """The note's author writes a new version (and may change its audience)."""

    async def work() -> None:
        access = await authorize(
            case_id,
            actor,
            Action.WRITE_NOTE,
            purpose="edit a note",
            lock=True,
            object_type="note",
            object_id=note_id,
        )
        note = await _note(access, note_id, "update", "edit a note")
        if not may_edit_note(actor.account_id, access.relation, _facts(note)):
            raise refuse(
                access,
                PermissionDenied(CASES("note_author_changes")),
                action="update",
                object_type="note",
                object_id=note_id,
                purpose="edit a note",
            )
        version = note["current_version"] + 1
        audience = data.audience or NoteAudience(note["audience"])
        now = clock.now()
        await NoteVersion.insert(
            NoteVersion(
                note=note_id,
                version=version,
                audience=audience.value,
                sealed=await _seal(access, note_id, version, audience, data.text),
                written_at=now,
                written_by=actor.account_id,
            )
        )
        await Note.update(
            {Note.current_version: version, Note.audience: audience.value, Note.updated_at: now}
        ).where(Note.id == note_id)
        await record(
            access,
            "update",
            purpose="edit a note",
            object_type="note",
            object_id=note_id,
            details={"audience": audience.value, "version": version},
        )

    await guarded(work)
    note = await Note.select(*_COLUMNS).where(Note.id == note_id).first()
    assert note is not None
    return _read(note, data.text)


async def read_note(case_id: int, note_id: int, actor: Actor) -> NoteRead:
    """One note's current text, for someone allowed to read it (one audit event)."""

    async def work() -> NoteRead:
        access = await authorize(
            case_id,
            actor,
            Action.READ_NOTE,
            purpose="read a note",
            object_type="note",
            object_id=note_id,
        )
        note = await _note(access, note_id, "read", "read a note")
        texts = await _current_texts(access, [note], await content_key(access))
        await record_read(
            access,
            "read",
            purpose="read a note",
            object_type="note",
            object_id=note_id,
            details={"audience": note["audience"]},
        )
        return _read(note, texts[note_id])

    return await reading(work)


_NOTE_ROWS = db.Prepared(
    lambda: (
        NoteVersion.select(*_CURRENT)
        .where(NoteVersion.note.case == db.Param(0))
        .where(WhereRaw(_IS_CURRENT))
        .order_by(NoteVersion.note.created_at, ascending=False)
        .order_by(NoteVersion.note.id, ascending=False)
    )
)


async def note_rows(access: Access) -> list[dict[str, Any]]:
    """Every note of the case with its current version still sealed, newest first (for
    counting and `notes_of`): one statement, however many notes and versions."""
    return await _NOTE_ROWS.rows(access.case_id)


async def notes_of(access: Access, rows: list[dict[str, Any]] | None = None) -> list[NoteRead]:
    """The notes this reader may read (of `rows`, when already loaded), newest first: one
    audit event per note returned."""
    notes = [
        note
        for note in (await note_rows(access) if rows is None else rows)
        if may_read_note(access.actor.account_id, access.relation, access.facts, _facts(note))
    ]
    texts = await _current_texts(access, notes, await content_key(access) if notes else None)
    for note in notes:
        await record_read(
            access,
            "read",
            purpose="read the case's notes",
            object_type="note",
            object_id=note["id"],
            details={"audience": note["audience"]},
        )
    return [_read(note, texts[note["id"]]) for note in notes]


async def list_notes(case_id: int, actor: Actor) -> list[NoteRead]:
    """The notes this reader may read, newest first: one audit event per note returned."""

    async def work() -> list[NoteRead]:
        access = await authorize(
            case_id,
            actor,
            Action.READ_NOTE,
            purpose="read the case's notes",
            object_type="notes",
        )
        return await notes_of(access)

    return await reading(work)


async def note_history(case_id: int, note_id: int, actor: Actor) -> list[NoteVersionRead]:
    """Every version of a note, newest first: for its author (and a permitted coordinator)."""

    async def work() -> list[NoteVersionRead]:
        access = await authorize(
            case_id,
            actor,
            Action.READ_NOTE_HISTORY,
            purpose="read a note's history",
            object_type="note",
            object_id=note_id,
        )
        note = await _note(access, note_id, "read_history", "read a note's history")
        if access.relation is not Relation.COORDINATOR and note["author"] != actor.account_id:
            raise refuse(
                access,
                PermissionDenied(CASES("note_history_author_only")),
                action="read_history",
                object_type="note",
                object_id=note_id,
                purpose="read a note's history",
            )
        data_key = await content_key(access)
        rows = (
            await NoteVersion.select(
                *NoteVersion.all_columns(),
                NoteVersion.written_by.display_name.as_alias("writer"),
            )
            .where(NoteVersion.note == note_id)
            .order_by(NoteVersion.version, ascending=False)
        )
        versions = [
            NoteVersionRead(
                version=row["version"],
                audience=NoteAudience(row["audience"]),
                written_at=row["written_at"],
                written_by_name=row["writer"],
                text=_open(
                    access,
                    data_key,
                    note_id,
                    row["version"],
                    NoteAudience(row["audience"]),
                    row["sealed"],
                    "read_history",
                ),
            )
            for row in rows
        ]
        await record_read(
            access,
            "read_history",
            purpose="read a note's history",
            object_type="note",
            object_id=note_id,
            details={"versions": len(versions), "audience": note["audience"]},
        )
        return versions

    return await reading(work)
