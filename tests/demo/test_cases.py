"""The demo cases: a few dozen approved matches with meetings, notes and status reports, built
through the real services, so that every demo sign-in has something real to look at.

Building the demo takes seconds, so this module builds it once, through the command, and its
tests share it: they only read (and sign in), and the one that runs the command again checks
that it adds nothing. The suite's per-test emptying of the database is replaced here by one
emptying before the build.
"""

from __future__ import annotations

import asyncio
import contextlib
import io
import json
import re
from collections.abc import AsyncIterator, Awaitable, Callable
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest
from litestar import Litestar
from litestar.testing import AsyncTestClient

from mentorship.access.roles import Role
from mentorship.accounts.passwords import PasswordHashing, configure_hashing
from mentorship.accounts.tables import Account, AccountRole
from mentorship.assistance.states import RequestState
from mentorship.assistance.tables import AssistanceRequest
from mentorship.audit import services as audit
from mentorship.audit.tables import AuditEvent
from mentorship.cases import notes, reports
from mentorship.cases.states import CaseOutcome, CaseState, NoteAudience
from mentorship.cases.tables import Case, CaseAssignment, Meeting, Note, NoteVersion, StatusReport
from mentorship.cli import main
from mentorship.config import Settings
from mentorship.demo.case_openings import DemoActor
from mentorship.demo.cases import reference_time
from mentorship.demo.cases_data import REFERENCE_LAG_DAYS
from mentorship.district import sites as district_sites
from mentorship.lib import db
from mentorship.matching.tables import MatchProposal, MatchRun
from tests.conftest import BASE_URL, FAST_HASHER, all_tables, sign_in
from tests.test_cli import run_cli

SUMMARY = re.compile(
    r"Opened (\d+) cases \((\d+) paused, (\d+) closed, (\d+) reassigned\):"
    r" (\d+) meetings, (\d+) notes, (\d+) status reports\."
)
DISTRICT_LINE = re.compile(
    r"Built the demo district: (\d+) sites, (\d+) people, (\d+) mentors, (\d+) applicants,"
    r" (\d+) requests\."
)
MATCHING_LINE = re.compile(
    r"Ran matching: (\d+) proposal\(s\), (\d+) request\(s\) unmatched; the coordinator"
    r" approved (\d+), and (\d+) wait for review\."
)
DOCS = Path(__file__).resolve().parents[2] / "docs"
MENTOR = "mentor@demo.example.org"
EMPLOYEE = "employee@demo.example.org"
SUPERVISOR = "supervisor@demo.example.org"
COORDINATOR = "coordinator@demo.example.org"


@dataclass
class Built:
    """What the demo command printed, and the passwords it kept."""

    output: str
    logins: dict[str, str]

    def counts(self) -> dict[str, int]:
        """The numbers on the command's cases line."""
        keys = ("cases", "paused", "closed", "reassigned", "meetings", "notes", "reports")
        return self.numbers(SUMMARY, keys)

    def figures(self) -> dict[str, int]:
        """Every number the command printed about the district, the run and the cases."""
        district = ("sites", "people", "mentors", "applicants", "requests")
        run = ("proposals", "unmatched", "approved", "pending")
        return (
            self.numbers(DISTRICT_LINE, district) | self.numbers(MATCHING_LINE, run) | self.counts()
        )

    def numbers(self, line: re.Pattern[str], keys: tuple[str, ...]) -> dict[str, int]:
        """The numbers on one of the command's summary lines, by name."""
        found = line.search(self.output)
        assert found is not None, self.output
        return dict(zip(keys, (int(n) for n in found.groups()), strict=True))


def _run_demo() -> tuple[int, str]:
    """Run `mentorship demo` in this thread (it runs an event loop of its own)."""
    out = io.StringIO()
    with contextlib.redirect_stdout(out), contextlib.redirect_stderr(out):
        try:
            main(["demo"])
        except SystemExit as exit_:
            return int(exit_.code or 0), out.getvalue()
    return 0, out.getvalue()


@pytest.fixture(scope="module")
async def built(migrated_database: dict[str, list[dict[str, Any]]], settings: Settings) -> Built:
    """An empty database (as the suite's fixture leaves it), then the demo, built once."""
    configure_hashing(PasswordHashing(hasher=FAST_HASHER, concurrency=2))
    district_sites._travel_cache = None
    tables = all_tables()
    async with db.transaction():
        for table in reversed(tables):
            await table.delete(force=True)
        for table in tables:
            rows = migrated_database.get(table._meta.tablename)
            if rows:
                await table.insert(*(table(**row) for row in rows))
    code, output = await asyncio.to_thread(_run_demo)
    assert code == 0, output
    logins = json.loads((settings.data_dir / "demo-logins.json").read_text())
    return Built(output=output, logins=logins)


@pytest.fixture(autouse=True)
def clean_database(built: Built) -> None:
    """Overrides the suite's: every test here reads the one demo built for the module."""
    configure_hashing(PasswordHashing(hasher=FAST_HASHER, concurrency=2))


SignIn = Callable[[str], Awaitable[AsyncTestClient[Litestar]]]


@pytest.fixture
async def sign_in_as(app: Litestar, built: Built) -> AsyncIterator[SignIn]:
    """Sign a new client in as one of the demo sign-ins, by email, with its demo password."""
    async with contextlib.AsyncExitStack() as stack:

        async def signed_in(email: str) -> AsyncTestClient[Litestar]:
            client = AsyncTestClient(app=app, base_url=BASE_URL)
            await stack.enter_async_context(client)
            await sign_in(client, email, built.logins[email])
            return client

        yield signed_in


async def _actor(account_id: int) -> DemoActor:
    row = await Account.select(Account.display_name).where(Account.id == account_id).first()
    assert row is not None
    roles = await AccountRole.select(AccountRole.role).where(AccountRole.account == account_id)
    return DemoActor(account_id, row["display_name"], frozenset(Role(r["role"]) for r in roles))


async def test_the_demo_opens_a_few_dozen_cases_with_a_history(built: Built):
    counts = built.counts()
    assert 25 <= counts["cases"] <= 45
    assert await Case.count() == counts["cases"]
    assert await Meeting.count() == counts["meetings"] >= 2 * counts["cases"]
    assert await Note.count() == counts["notes"] >= 2 * counts["cases"]
    assert await StatusReport.count() == counts["reports"] >= 5
    # Every case came from an approved proposal of the demo's matching run.
    assert await MatchProposal.count().where(MatchProposal.status == "approved") == counts["cases"]
    assert counts["paused"] == await Case.count().where(Case.state == CaseState.PAUSED.value) == 1
    closed = await Case.select().where(Case.state == CaseState.CLOSED.value)
    assert [c["outcome"] for c in closed] == [CaseOutcome.COMPLETED.value]
    assert closed[0]["closure_summary"].startswith("Met ")
    assert counts["reassigned"] == 1
    assert (
        await CaseAssignment.count().where(
            CaseAssignment.ended_outcome == CaseOutcome.REASSIGNED.value
        )
        == 1
    )
    # Some notes were edited (their history kept), and one closure waits for a decision.
    assert await Note.count().where(Note.current_version > 1) >= 3
    assert (
        await Case.count().where(
            Case.closure_proposed_at.is_not_null() & (Case.state == CaseState.ACTIVE.value)
        )
        == 1
    )
    # Meetings were held while the case was open, and never in the future.
    for meeting in await Meeting.select(
        Meeting.held_on, Meeting.recorded_at, Meeting.case.opened_at.as_alias("opened_at")
    ):
        assert meeting["opened_at"].date() <= meeting["held_on"] <= meeting["recorded_at"].date()


async def test_the_demo_mentor_has_open_cases_with_meetings_and_notes(sign_in_as: SignIn):
    client = await sign_in_as(MENTOR)
    mine = (await client.get("/api/v1/cases/mine")).json()
    assert 2 <= len(mine) <= 3
    for case in mine:
        assert case["your_relation"] == "mentor"
        assert case["state"] == "active"
        assert case["meeting_count"] >= 2
        assert case["note_count"] >= 2
        listed = (await client.get(f"/api/v1/cases/{case['id']}/notes")).json()
        assert {n["audience"] for n in listed} == {"private", "shared"}
        assert all(n["text"] for n in listed)
        meetings = (await client.get(f"/api/v1/cases/{case['id']}/meetings")).json()
        assert len(meetings) == case["meeting_count"]


async def test_the_demo_employee_sees_shared_notes_and_a_report_to_answer(sign_in_as: SignIn):
    client = await sign_in_as(EMPLOYEE)
    requests = (await client.get("/api/v1/requests/mine")).json()
    assert sorted(r["state"] for r in requests) == ["awaiting_consent", "matched"]
    (case,) = (await client.get("/api/v1/cases/mine")).json()
    assert case["your_relation"] == "mentee"
    assert case["track"] == "referred"
    assert case["meeting_count"] >= 2

    listed = (await client.get(f"/api/v1/cases/{case['id']}/notes")).json()
    assert listed
    assert {n["audience"] for n in listed} == {"shared"}
    private = await Note.select(Note.id).where(
        (Note.case == case["id"]) & (Note.audience == NoteAudience.PRIVATE.value)
    )
    assert private, "the mentor keeps a private note too"
    assert not {n["id"] for n in listed} & {n["id"] for n in private}
    hidden = await client.get(f"/api/v1/cases/{case['id']}/notes/{private[0]['id']}")
    assert hidden.status_code == 404

    found = (await client.get(f"/api/v1/cases/{case['id']}/reports")).json()
    waiting = [r for r in found if not r["released"]]
    answered = [r for r in found if r["released"]]
    assert len(waiting) == 1
    assert waiting[0]["responded_at"] is None
    assert waiting[0]["text"]
    assert len(answered) == 1
    assert answered[0]["response"]


async def test_the_supervisor_sees_a_released_status_and_no_text(sign_in_as: SignIn):
    client = await sign_in_as(SUPERVISOR)
    referrals = (await client.get("/api/v1/referrals/")).json()
    assert sorted(r["state"] for r in referrals) == ["awaiting_consent", "matched"]
    matched = next(r for r in referrals if r["state"] == "matched")
    response = await client.get(f"/api/v1/referrals/{matched['id']}")
    status = response.json()["case"]
    assert status["state"] == "active"
    assert [r["status"] for r in status["reports"]] == ["progressing"]
    assert set(status["reports"][0]) == {"written_at", "released_at", "status"}
    # Neither the reports' text, the employee's response nor any note reaches the supervisor.
    case = await Case.select(Case.id, Case.mentor).where(Case.request == matched["id"]).first()
    assert case is not None
    mentor = await _actor(case["mentor"])
    for report in await reports.list_reports(case["id"], mentor):
        assert report.text and report.text not in response.text
        assert report.response is None or report.response not in response.text
    for note in await notes.list_notes(case["id"], mentor):
        assert note.text and note.text not in response.text
    refused = await client.get(f"/api/v1/cases/{case['id']}/notes")
    assert refused.status_code == 404


async def test_the_coordinator_sees_flags_and_the_audit_log(sign_in_as: SignIn):
    client = await sign_in_as(COORDINATOR)
    flagged = (await client.get("/api/v1/cases/", params={"flagged": "true"})).json()
    codes = sorted(flag["code"] for case in flagged for flag in case["flags"])
    assert codes == ["over_max_days", "report_due"]
    events = (await client.get("/api/v1/audit/events", params={"limit": 1000})).json()
    actions = {(e["action"], e["object_type"]) for e in events}
    assert {
        ("approve", "proposal"),
        ("create", "meeting"),
        ("create", "note"),
        ("update", "note"),
        ("create", "report"),
        ("respond", "report"),
        ("pause", "case"),
        ("propose_closure", "case"),
        ("close", "case"),
        ("reassign", "case"),
    } <= actions
    # The coordinator manages cases but reads no note (the agreement's default).
    refused = await client.get(f"/api/v1/cases/{flagged[0]['id']}/notes")
    assert refused.status_code == 403


async def test_notes_and_reports_are_sealed_at_rest(built: Built):
    checked = 0
    for case in await Case.select(Case.id, Case.mentor).where(Case.state != CaseState.CLOSED.value):
        mentor = await _actor(case["mentor"])
        for note in await notes.list_notes(case["id"], mentor):
            assert note.text
            sealed = await NoteVersion.select(NoteVersion.sealed).where(NoteVersion.note == note.id)
            for row in sealed:
                stored = bytes(row["sealed"])
                assert note.text.encode() not in stored
                assert note.text[:24].encode() not in stored
            checked += 1
        for report in await reports.list_reports(case["id"], mentor):
            row = (
                await StatusReport.select(StatusReport.sealed_body, StatusReport.sealed_response)
                .where(StatusReport.id == report.id)
                .first()
            )
            assert row is not None and report.text
            assert report.text[:24].encode() not in bytes(row["sealed_body"])
            if report.response:
                assert report.response[:24].encode() not in bytes(row["sealed_response"])
    assert checked >= 40
    # Nor does any text reach the audit log.
    logged = " ".join(
        f"{e['purpose']} {e['details']}"
        for e in await AuditEvent.select(AuditEvent.purpose, AuditEvent.details)
    )
    assert "Thanks for meeting" not in logged
    assert "reflects on them" not in logged


async def test_the_audit_chain_verifies(built: Built):
    count, broken = await audit.verify_chain()
    assert broken is None
    assert count > built.counts()["meetings"] + built.counts()["notes"]


async def test_running_the_demo_again_adds_nothing(built: Built, capsys, monkeypatch):
    tables = (Account, Case, CaseAssignment, Meeting, Note, NoteVersion, StatusReport)
    before = [await table.count() for table in tables]
    code, out, err = run_cli(capsys, monkeypatch, "demo")
    assert code == 0, err
    assert "already there; nothing was added" in out
    assert "Opened" not in out
    assert [await table.count() for table in tables] == before


# --- the figures the docs quote -------------------------------------------------------------


def quoted(doc: str, pattern: str) -> dict[str, int]:
    """The figures a page quotes, named by the pattern's groups (line breaks read as spaces)."""
    text = " ".join((DOCS / doc).read_text(encoding="utf-8").split())
    found = re.search(pattern, text)
    assert found is not None, (
        f"docs/{doc} no longer says {pattern!r}: change the page's figures and this test together"
    )
    return {name: int(value) for name, value in found.groupdict().items()}


def test_the_demo_builds_the_same_whatever_the_day():
    # Every case date counts back from the reference day, so only the week it falls in moves.
    monday = datetime(2026, 11, 30, tzinfo=UTC)
    for hours in range(0, 7 * 24, 5):
        now = monday + timedelta(hours=hours)
        assert reference_time(now) == monday
        assert timedelta(0) <= now - reference_time(now) < timedelta(days=REFERENCE_LAG_DAYS + 1)
    assert reference_time(monday - timedelta(minutes=1)) == monday - timedelta(days=7)


async def test_the_figures_the_docs_quote_are_the_demos(built: Built):
    printed = built.figures()
    output_block = re.search(
        r"```text\n(Built the demo district.*?)\n```",
        (DOCS / "running.md").read_text(encoding="utf-8"),
        re.S,
    )
    assert output_block is not None
    for line in output_block.group(1).splitlines():
        assert line in built.output, (
            f"docs/running.md quotes a line the demo no longer prints: {line}"
        )
    awaiting = await AssistanceRequest.count().where(
        AssistanceRequest.state == RequestState.AWAITING_CONSENT.value
    )
    actual = printed | {"awaiting": awaiting, "open": printed["requests"] - awaiting}
    sentences = {
        "index.md": (
            r"(?P<sites>\d+) sites: ten in each of four regions",
            r"(?P<people>\d+) people: managers",
            r"(?P<mentors>\d+) approved mentors and (?P<applicants>\d+) applicants",
            r"(?P<requests>\d+) requests of both tracks: (?P<open>\d+) open ones and"
            r" (?P<awaiting>\d+) referrals",
            r"(?P<proposals>\d+) proposals, of which the coordinator has approved (?P<approved>\d+)"
            r" \(those are cases now\) and (?P<pending>\d+) wait for review",
            r"(?P<cases>\d+) cases with history: (?P<meetings>\d+) meetings, (?P<notes>\d+)"
            r" progress notes \(private and shared, some edited\), (?P<reports>\d+) status reports",
        ),
        "running.md": (
            r"(?P<sites>\d+) sites: ten in each of four regions",
            r"(?P<mentors>\d+) approved mentors with complete, current training and skills, and"
            r" (?P<applicants>\d+) applicants",
            r"(?P<requests>\d+) requests of both tracks: (?P<open>\d+) open ones and"
            r" (?P<awaiting>\d+) referrals",
            r"one match run: (?P<proposals>\d+) proposals, (?P<approved>\d+) of them approved by"
            r" the coordinator and (?P<pending>\d+) waiting",
            r"(?P<cases>\d+) cases with history: (?P<meetings>\d+) meetings, (?P<notes>\d+)"
            r" progress notes, (?P<reports>\d+) status reports",
        ),
        "matching.md": (
            r"(?P<approved>\d+) of its proposals have since been approved",
            r"including the (?P<pending>\d+) the demo's own run proposed and the coordinator"
            r" has not approved yet \(the (?P<cases>\d+) approved ones are cases\)",
        ),
    }
    for doc, patterns in sentences.items():
        for pattern in patterns:
            figures = quoted(doc, pattern)
            assert figures == {name: actual[name] for name in figures}, (doc, pattern)


async def test_the_runs_the_matching_guide_shows_are_the_demos(built: Built, capsys, monkeypatch):
    run = await MatchRun.select().order_by(MatchRun.id).first()
    assert run is not None
    names = ("request_count", "mentor_count", "slot_count", "component_count")
    names += ("matched_count", "unmatched_count")
    json_pattern = ", ".join(f'"{name}": (?P<{name}>\\d+)' for name in names[:4])
    quoted_run = quoted("matching.md", json_pattern) | quoted(
        "matching.md",
        r'"matched_count": (?P<matched_count>\d+), "unmatched_count": (?P<unmatched_count>\d+)',
    )
    assert quoted_run == {name: run[name] for name in names}
    # A dry run right after the demo, as the guide shows it (it records nothing).
    code, out, err = run_cli(capsys, monkeypatch, "match", "--dry-run", "--show", "0")
    assert code == 0, err
    labels = ("Open requests", "Mentors considered", "Capacity slots", "Independent groups")
    labels += ("Proposed", "Unmatched")
    guide = " ".join((DOCS / "matching.md").read_text(encoding="utf-8").split())
    printed = " ".join(out.split())
    for label in labels:
        in_guide = re.search(rf"{label} (\d+)", guide)
        in_output = re.search(rf"{label} (\d+)", printed)
        assert in_guide is not None and in_output is not None, label
        assert in_guide.group(1) == in_output.group(1), label
