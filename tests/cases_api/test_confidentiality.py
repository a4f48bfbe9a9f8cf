"""The confidentiality promise, tested the way an auditor would try to break it.

Note text never sits in the database in the clear, never reaches a log or the audit log,
never reaches a supervisor by any route; a ciphertext altered, moved or relabelled in the
database is refused, and the refusal is on record.
"""

from __future__ import annotations

import logging
import re
from typing import Any

import pytest
from litestar import Litestar

from mentorship.cases.tables import Note, NoteVersion
from mentorship.config import Settings
from tests.cases_api.conftest import API, Cases, case_row, events

MARKER = "Zebra-Quartz confided about her divorce"


async def _write_notes(cases: Cases) -> tuple[int, int]:
    """A private and a shared note carrying the marker on the referred case; their ids."""
    ids = []
    for audience in ("private", "shared"):
        response = await cases.mentor.api.post(
            cases.url(cases.referred_case, "/notes"),
            json={"audience": audience, "text": f"{MARKER} ({audience})"},
        )
        assert response.status_code == 201, response.text
        ids.append(response.json()["id"])
    report = await cases.mentor.api.post(
        cases.url(cases.referred_case, "/reports"),
        json={"status": "progressing", "text": f"{MARKER} (report)"},
    )
    assert report.status_code == 201, report.text
    await cases.mentee.api.post(
        cases.url(cases.referred_case, f"/reports/{report.json()['id']}/response"),
        json={"text": f"{MARKER} (response)"},
    )
    return ids[0], ids[1]


async def _database_contents(settings: Settings) -> bytes:
    """Everything the database holds, as bytes an attacker with a copy would search."""
    if settings.database.engine == "sqlite":
        path = settings.database.sqlite_path
        assert path is not None
        chunks = [path.read_bytes()]
        for suffix in ("-wal", "-journal"):
            extra = path.with_name(path.name + suffix)
            if extra.exists():
                chunks.append(extra.read_bytes())
        return b"".join(chunks)
    tables = await Note.raw("SELECT tablename FROM pg_tables WHERE schemaname = 'public'")
    chunks = []
    for row in tables:
        # Table names come from the catalogue, not from input.
        query = f'SELECT t::text AS row FROM "{row["tablename"]}" t'  # noqa: S608
        for record in await Note.raw(query):
            chunks.append(record["row"].encode())
    return b"\n".join(chunks)


async def test_database_copy_reveals_no_note_text(cases: Cases, settings: Settings) -> None:
    await _write_notes(cases)
    contents = await _database_contents(settings)
    for needle in (MARKER, "Zebra-Quartz"):
        assert needle.encode() not in contents
        assert needle.encode().hex().encode() not in contents  # bytea printed as hex
        assert needle.encode("utf-16-le") not in contents


async def test_logs_and_audit_log_hold_no_note_text(
    cases: Cases, caplog: pytest.LogCaptureFixture
) -> None:
    with caplog.at_level(logging.DEBUG):
        private_id, shared_id = await _write_notes(cases)
        for person in (cases.mentor, cases.mentee):
            await person.api.get(cases.url(cases.referred_case, "/notes"))
            await person.api.get(cases.url(cases.referred_case, f"/notes/{shared_id}"))
            await person.api.get(cases.url(cases.referred_case, "/reports"))
        await cases.mentee.api.get(cases.url(cases.referred_case, f"/notes/{private_id}"))
    assert "Zebra" not in caplog.text
    assert "Zebra" not in str(await events())


def _fill(template: str, values: dict[str, int]) -> str:
    return re.sub(r"\{(\w+):\w+\}", lambda m: str(values.get(m.group(1), 1)), template)


async def test_supervisor_reaches_no_note_text_by_any_route(cases: Cases, app: Litestar) -> None:
    private_id, shared_id = await _write_notes(cases)
    request_id = (await case_row(cases.referred_case))["request"]
    values = {
        "case_id": cases.referred_case,
        "note_id": shared_id,
        "report_id": 1,
        "request_id": request_id,
        "account_id": cases.mentee.id,
        "proposal_id": 1,
        "run_id": 1,
    }
    paths = sorted(
        {
            _fill(route.path, values)
            for route in app.routes
            if route.path.startswith(API) and "GET" in getattr(route, "methods", set())
        }
    )
    assert any("/notes/" in path for path in paths)
    reached: dict[str, Any] = {}
    for path in paths:
        response = await cases.supervisor.api.get(path)
        reached[path] = response.status_code
        assert "Zebra" not in response.text, path
    # The referral view itself works and says how the case is going, without content.
    assert reached[f"{API}/referrals/{request_id}"] == 200
    assert reached[cases.url(cases.referred_case, f"/notes/{shared_id}")] == 404
    del private_id


async def _flip(note_id: int) -> None:
    row = (
        await NoteVersion.select(NoteVersion.id, NoteVersion.sealed)
        .where(NoteVersion.note == note_id)
        .first()
    )
    assert row is not None
    sealed = bytearray(row["sealed"])
    sealed[-1] ^= 0x01
    await NoteVersion.update({NoteVersion.sealed: bytes(sealed)}).where(NoteVersion.id == row["id"])


async def test_tampered_ciphertext_is_refused_and_audited(cases: Cases) -> None:
    _, shared_id = await _write_notes(cases)
    await _flip(shared_id)
    before = len(await events(object_type="note", object_id=str(shared_id)))
    response = await cases.mentee.api.get(cases.url(cases.referred_case, f"/notes/{shared_id}"))
    assert response.status_code == 409
    assert "integrity" in response.json()["detail"]
    recorded = await events(object_type="note", object_id=str(shared_id))
    assert len(recorded) == before + 1
    assert recorded[-1]["outcome"] == "denied"
    assert recorded[-1]["purpose"] == "integrity check failed"


async def test_ciphertext_moved_to_another_note_does_not_open(cases: Cases) -> None:
    private_id, shared_id = await _write_notes(cases)
    secret = (
        await NoteVersion.select(NoteVersion.sealed).where(NoteVersion.note == private_id).first()
    )
    assert secret is not None
    # An attacker with write access copies the private text over the shared note …
    await NoteVersion.update({NoteVersion.sealed: secret["sealed"]}).where(
        NoteVersion.note == shared_id
    )
    response = await cases.mentee.api.get(cases.url(cases.referred_case, f"/notes/{shared_id}"))
    assert response.status_code == 409 and "Zebra" not in response.text


async def test_relabelling_a_private_note_as_shared_does_not_open_it(cases: Cases) -> None:
    private_id, _ = await _write_notes(cases)
    # … or flips its audience so the mentee would be shown it.
    await Note.update({Note.audience: "shared"}).where(Note.id == private_id)
    response = await cases.mentee.api.get(cases.url(cases.referred_case, f"/notes/{private_id}"))
    assert response.status_code == 409 and "Zebra" not in response.text
