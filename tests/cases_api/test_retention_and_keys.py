"""Retention purges and master-key rotation, through the operator's commands."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from mentorship.audit import services as audit
from mentorship.cases.tables import Case, CaseKey, NoteVersion, StatusReport
from mentorship.config import reset_settings
from tests.cases_api.conftest import Cases, case_row, events
from tests.conftest import FrozenClock
from tests.test_cli import run_cli


async def _note(cases: Cases, case_id: int, text: str) -> int:
    response = await cases.mentor.api.post(
        cases.url(case_id, "/notes"), json={"audience": "shared", "text": text}
    )
    assert response.status_code == 201, response.text
    return int(response.json()["id"])


async def _close(cases: Cases, case_id: int) -> None:
    response = await cases.coordinator.api.post(
        cases.url(case_id, "/close"), json={"outcome": "completed", "summary": "Goals met."}
    )
    assert response.status_code == 200, response.text


async def test_purge_destroys_content_after_retention_and_honours_legal_hold(
    cases: Cases,
    frozen_clock: FrozenClock,
    capsys,
    monkeypatch,  # type: ignore[no-untyped-def]
) -> None:
    referred_note = await _note(cases, cases.referred_case, "to be destroyed")
    await _note(cases, cases.voluntary_case, "kept under hold")
    await cases.mentor.api.post(
        cases.url(cases.referred_case, "/reports"), json={"status": "progressing", "text": "r"}
    )
    await _close(cases, cases.referred_case)
    await _close(cases, cases.voluntary_case)
    hold = await cases.coordinator.api.post(
        cases.url(cases.voluntary_case, "/legal-hold"),
        json={"hold": True, "reason": "Grievance filed"},
    )
    assert hold.json()["legal_hold"] is True

    code, out, _ = run_cli(capsys, monkeypatch, "purge")
    assert code == 0 and "Destroyed the content of 0 case(s)" in out  # not yet due

    frozen_clock.advance(days=731)
    code, out, _ = run_cli(capsys, monkeypatch, "purge")
    assert code == 0, out
    assert f"Destroyed the content of 1 case(s): {cases.referred_case}." in out
    assert f"legal hold: {cases.voluntary_case}" in out

    key = await CaseKey.select().where(CaseKey.case == cases.referred_case).first()
    assert key is not None and key["wrapped"] is None and key["destroyed_at"] is not None
    sealed = await NoteVersion.select(NoteVersion.sealed).where(NoteVersion.note == referred_note)
    assert [row["sealed"] for row in sealed] == [None]
    reports = await StatusReport.select().where(StatusReport.case == cases.referred_case)
    assert reports and all(r["sealed_body"] is None for r in reports)
    # Metadata stays: the case, its notes' existence and dates, and the audit trail.
    assert (await case_row(cases.referred_case))["content_destroyed_at"] is not None
    assert await Case.count() == 2
    purge_events = await events(action="purge")
    assert [e["case_id"] for e in purge_events] == [cases.referred_case]

    code, out, _ = run_cli(capsys, monkeypatch, "purge")
    assert "Destroyed the content of 0 case(s)" in out  # idempotent
    assert len(await events(action="purge")) == 1
    assert len(await events(action="purge_run")) == 3
    assert (await audit.verify_chain())[1] is None


async def test_purged_note_reads_as_destroyed_for_the_mentee(
    cases: Cases,
    frozen_clock: FrozenClock,
    capsys,
    monkeypatch,  # type: ignore[no-untyped-def]
) -> None:
    note = await _note(cases, cases.voluntary_case, "gone soon")
    await _close(cases, cases.voluntary_case)
    frozen_clock.advance(days=731)
    run_cli(capsys, monkeypatch, "purge")
    await cases.world.signed_in(cases.volunteer)
    response = await cases.volunteer.api.get(cases.url(cases.voluntary_case, f"/notes/{note}"))
    assert response.status_code == 200
    assert response.json()["text"] is None
    view = await cases.volunteer.api.get(cases.url(cases.voluntary_case))
    assert view.json()["content_destroyed_at"] is not None


@pytest.fixture
def restore_settings() -> object:
    """Put the notes key back after a test that changes it."""
    saved = {
        k: os.environ.get(k) for k in ("MENTORSHIP_NOTES_KEY", "MENTORSHIP_NOTES_PREVIOUS_KEY")
    }
    yield None
    for name, value in saved.items():
        if value is None:
            os.environ.pop(name, None)
        else:
            os.environ[name] = value
    reset_settings()


async def test_rotation_with_configured_keys(
    cases: Cases,
    capsys,
    monkeypatch,
    restore_settings,  # type: ignore[no-untyped-def]
) -> None:
    note = await _note(cases, cases.referred_case, "survives rotation")
    old = os.environ["MENTORSHIP_NOTES_KEY"]
    new = "a-brand-new-notes-master-key-" + "n" * 32
    monkeypatch.setenv("MENTORSHIP_NOTES_KEY", new)
    reset_settings()

    # Without the old key the rotation cannot read the case keys: refused, nothing changed.
    code, _, err = run_cli(capsys, monkeypatch, "keys", "rotate")
    assert code == 1
    assert "MENTORSHIP_NOTES_PREVIOUS_KEY" in err and err.count("\n") == 1

    monkeypatch.setenv("MENTORSHIP_NOTES_PREVIOUS_KEY", old)
    reset_settings()
    code, out, _ = run_cli(capsys, monkeypatch, "keys", "rotate")
    assert code == 0, out
    assert "Re-wrapped 2 case key(s)" in out

    monkeypatch.delenv("MENTORSHIP_NOTES_PREVIOUS_KEY")
    reset_settings()
    response = await cases.mentee.api.get(cases.url(cases.referred_case, f"/notes/{note}"))
    assert response.json()["text"] == "survives rotation"
    code, out, _ = run_cli(capsys, monkeypatch, "keys", "rotate")
    assert "Re-wrapped 0 case key(s)" in out and "2 were already under it" in out
    assert [e["details"] for e in await events(action="rotate_keys")]


async def test_rotation_of_a_generated_development_key(
    cases: Cases,
    capsys,
    monkeypatch,
    tmp_path: Path,
    restore_settings,  # type: ignore[no-untyped-def]
) -> None:
    note = await _note(cases, cases.voluntary_case, "dev key note")
    old = os.environ["MENTORSHIP_NOTES_KEY"]
    # As a fresh development install: no key configured, the generated one in the data folder.
    monkeypatch.delenv("MENTORSHIP_NOTES_KEY")
    monkeypatch.setenv("MENTORSHIP_NOTES_PREVIOUS_KEY", old)
    monkeypatch.setenv("MENTORSHIP_DATA_DIR", str(tmp_path))
    reset_settings()
    code, out, err = run_cli(capsys, monkeypatch, "keys", "rotate")
    assert code == 0, err  # everything moves from the old key to the generated one
    monkeypatch.delenv("MENTORSHIP_NOTES_PREVIOUS_KEY")
    reset_settings()
    first = (tmp_path / "notes_key").read_text()

    code, out, _ = run_cli(capsys, monkeypatch, "keys", "rotate")
    assert code == 0 and "Re-wrapped 2 case key(s)" in out, out
    assert f"new development key is in {tmp_path / 'notes_key'}" in out
    assert (tmp_path / "notes_key").read_text() != first
    assert not (tmp_path / "notes_key.previous").exists()
    assert (tmp_path / "notes_key").stat().st_mode & 0o077 == 0
    reset_settings()
    response = await cases.volunteer.api.get(cases.url(cases.voluntary_case, f"/notes/{note}"))
    assert response.json()["text"] == "dev key note"
