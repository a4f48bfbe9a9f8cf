"""Reads that scale: a bounded number of statements per read, whatever the case's history,
one audit write per request, and no confidential content when that write fails."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest

from mentorship.audit import services as audit_services
from mentorship.lib import clock
from mentorship.lib.db import get_engine
from tests.cases_api.conftest import Cases, events
from tests.cases_api.test_confidentiality import MARKER, _write_notes

CASE_PAGE_STATEMENTS = 15  # the ceiling for one case page
# Where this code stands (PostgreSQL's counts, one more than SQLite's: the chain lock): the
# session 1, the case with its terms and key 1, its mentors 1, the audit write 2 (+1), and
# the page's own reads. A new statement on these reads should be a decision, not a drift.
CASE_PAGE_NOW = 13
NOTES_READ_NOW = 7


class Statements:
    """The SQL statements the database engine ran while counting."""

    def __init__(self) -> None:
        self.seen: list[str] = []

    def __len__(self) -> int:
        return len(self.seen)

    def clear(self) -> None:
        """Start counting again."""
        self.seen.clear()


@pytest.fixture
def statements(monkeypatch: pytest.MonkeyPatch) -> Iterator[Statements]:
    """Count every statement sent to the database: built by Piccolo, or fixed (`db.fetch`)."""
    engine = get_engine()
    counted = Statements()
    original = engine.run_querystring
    original_sql = engine.run_sql  # type: ignore[attr-defined]

    async def run_querystring(querystring: Any, in_pool: bool = False) -> Any:
        counted.seen.append(str(querystring))
        return await original(querystring, in_pool=in_pool)

    async def run_sql(query: str, args: list[Any]) -> Any:
        counted.seen.append(query)
        return await original_sql(query, args)

    monkeypatch.setattr(engine, "run_querystring", run_querystring)
    monkeypatch.setattr(engine, "run_sql", run_sql)
    yield counted


async def _grow(cases: Cases, notes: int, meetings: int, reads: int) -> None:
    """More notes, meetings and audited reads on the referred case."""
    url = cases.url(cases.referred_case)
    today = clock.now().date().isoformat()
    for number in range(notes):
        answer = await cases.mentor.api.post(
            f"{url}/notes", json={"audience": "shared", "text": f"note {number}"}
        )
        assert answer.status_code == 201, answer.text
    for _ in range(meetings):
        answer = await cases.mentor.api.post(
            f"{url}/meetings",
            json={"held_on": today, "minutes": 30, "mode": "virtual", "topic_ids": []},
        )
        assert answer.status_code == 201, answer.text
    for _ in range(reads):
        assert (await cases.coordinator.api.get(url)).status_code == 200
        assert (await cases.mentee.api.get(f"{url}/notes")).status_code == 200


async def _count(statements: Statements, client: Any, path: str) -> int:
    statements.clear()
    answer = await client.get(path)
    assert answer.status_code == 200, answer.text
    return len(statements)


async def test_statements_per_read_do_not_grow_with_the_case(
    cases: Cases, statements: Statements
) -> None:
    """The case page and the notes read cost the same with 2 notes or 22, and 0 or 80
    earlier reads in the log; the case page stays within its ceiling."""
    await _write_notes(cases)
    await _grow(cases, notes=0, meetings=1, reads=0)
    page = f"/cases/{cases.referred_case}"
    notes = cases.url(cases.referred_case, "/notes")
    small = {
        "coordinator page": await _count(statements, cases.coordinator.api, page),
        "mentee page": await _count(statements, cases.mentee.api, page),
        "mentor page": await _count(statements, cases.mentor.api, page),
        "notes": await _count(statements, cases.mentor.api, notes),
    }
    await _grow(cases, notes=20, meetings=8, reads=40)
    large = {
        "coordinator page": await _count(statements, cases.coordinator.api, page),
        "mentee page": await _count(statements, cases.mentee.api, page),
        "mentor page": await _count(statements, cases.mentor.api, page),
        "notes": await _count(statements, cases.mentor.api, notes),
    }
    assert large == small
    print("statements per read:", small)
    assert max(small.values()) <= CASE_PAGE_STATEMENTS, small
    assert max(small.values()) <= CASE_PAGE_NOW, small
    assert small["notes"] <= NOTES_READ_NOW, small


async def test_a_case_page_writes_its_audit_events_at_once(
    cases: Cases, statements: Statements
) -> None:
    """One event per object read (the case, its meetings, each note, each report, who
    accessed it), all written by one INSERT before the page is sent."""
    await _write_notes(cases)
    before = await events(case_id=cases.referred_case)
    statements.clear()
    page = await cases.mentee.api.get(f"/cases/{cases.referred_case}")
    assert page.status_code == 200
    written = (await events(case_id=cases.referred_case))[len(before) :]
    kinds = sorted(event["object_type"] for event in written)
    # The mentee reads the shared note (not the private one) and the report's text.
    assert kinds == ["accesses", "case", "meetings", "note", "report"], kinds
    assert len({event["request_id"] for event in written}) == 1
    inserts = [sql for sql in statements.seen if "INSERT" in sql.upper() and "audit_event" in sql]
    assert len(inserts) == 1


@pytest.mark.parametrize("path", ["/notes", ""])
async def test_no_content_leaves_when_the_audit_write_fails(
    cases: Cases, monkeypatch: pytest.MonkeyPatch, path: str
) -> None:
    """The notes read (API) and the case page: a 503 carrying nothing read, nothing logged."""
    await _write_notes(cases)
    before = len(await events())

    async def broken(pending: Any) -> int:
        raise ConnectionError("the audit log is out of reach")

    monkeypatch.setattr(audit_services, "_append", broken)
    url = cases.url(cases.referred_case, path) if path else f"/cases/{cases.referred_case}"
    answer = await cases.mentor.api.get(url)
    assert answer.status_code == 503
    assert MARKER not in answer.text
    assert "Zebra" not in answer.text
    monkeypatch.undo()
    assert len(await events()) == before
