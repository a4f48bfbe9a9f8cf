"""The audit log in the database: what is recorded, concurrent appends, and verification."""

from __future__ import annotations

import asyncio

import pytest

from mentorship.access.roles import Role
from mentorship.audit import services as audit
from mentorship.audit.tables import AuditEvent
from tests.conftest import PASSWORD, create_account
from tests.test_cli import assert_one_line_error, run_cli


async def test_sign_ins_are_recorded_with_the_request_and_address(client):
    account = await create_account("ana@example.org", Role.EMPLOYEE, name="Ana Lopez")
    bad = await client.post(
        "/api/v1/auth/login", json={"email": "ana@example.org", "password": "wrong"}
    )
    good = await client.post(
        "/api/v1/auth/login", json={"email": "Ana@Example.org", "password": PASSWORD}
    )
    assert (bad.status_code, good.status_code) == (401, 200)

    rows = await AuditEvent.select().order_by(AuditEvent.sequence)
    denied, allowed = rows
    assert (denied["action"], denied["outcome"], denied["object_id"]) == (
        "login",
        "denied",
        str(account.id),
    )
    assert denied["actor_id"] is None
    assert "wrong password" in denied["details"] and "ana@example.org" in denied["details"]
    assert PASSWORD not in str(rows) and "wrong" not in denied["purpose"]
    assert (allowed["action"], allowed["outcome"], allowed["actor_id"]) == (
        "login",
        "allowed",
        account.id,
    )
    assert allowed["actor_name"] == "Ana Lopez"
    assert allowed["request_id"] == good.headers["x-request-id"]
    assert denied["request_id"] == bad.headers["x-request-id"]
    assert allowed["client_address"] == "testclient"
    assert allowed["agreement_version"] == 1
    assert (denied["sequence"], allowed["sequence"]) == (1, 2)
    assert allowed["previous_hash"] == denied["event_hash"]
    assert await audit.verify_chain() == (2, None)


@pytest.mark.db
async def test_concurrent_appends_never_fork_the_chain():
    writers = 40
    sequences = await asyncio.gather(
        *(
            audit.record(action="read", object_type="note", object_id=n, purpose="race")
            for n in range(writers)
        )
    )
    assert sorted(sequences) == list(range(1, writers + 1))
    assert await AuditEvent.count() == writers
    assert await audit.verify_chain() == (writers, None)


async def seed(events: int) -> None:
    for n in range(events):
        await audit.record(action="read", object_type="note", object_id=n, purpose="test")


async def tamper(kind: str) -> None:
    if kind == "altered":
        await AuditEvent.update({AuditEvent.outcome: "denied"}).where(AuditEvent.sequence == 3)
    elif kind == "deleted":
        await AuditEvent.delete().where(AuditEvent.sequence == 3)
    else:  # swapped: exchange the contents of events 3 and 4, sequence numbers kept
        rows = await AuditEvent.select().where(AuditEvent.sequence.is_in([3, 4]))
        three, four = sorted(rows, key=lambda r: r["sequence"])
        for row, other in ((three, four), (four, three)):
            values = {
                getattr(AuditEvent, k): v for k, v in other.items() if k not in ("id", "sequence")
            }
            await AuditEvent.update(values).where(AuditEvent.id == row["id"])


@pytest.mark.db
@pytest.mark.parametrize("kind", ["altered", "deleted", "swapped"])
async def test_audit_verify_names_the_first_bad_event(kind, capsys, monkeypatch):
    await seed(5)
    code, out, err = run_cli(capsys, monkeypatch, "audit", "verify")
    assert code == 0, err
    assert out.strip() == "Audit chain intact: 5 event(s) verified."

    await tamper(kind)

    code, out, err = run_cli(capsys, monkeypatch, "audit", "verify")
    assert_one_line_error(code, err, 1, "audit chain broken at sequence 3")
    assert "(2 event(s) before it verified)" in err


@pytest.mark.db
async def test_an_event_without_a_known_agreement_version_is_refused_not_guessed(monkeypatch):
    """No version given and none registered: the append fails loudly and writes nothing."""
    monkeypatch.setattr(audit.version_in_force, "_provider", None)
    with pytest.raises(RuntimeError, match=r"audit\.version_in_force"):
        await audit.record(action="read", object_type="note", object_id=1)
    assert await AuditEvent.count() == 0
    await audit.record(action="read", object_type="note", object_id=1, agreement_version=3)
    assert (await AuditEvent.select(AuditEvent.agreement_version).first()) == {
        "agreement_version": 3
    }


@pytest.mark.db
async def test_reads_in_a_batch_are_written_together_when_it_ends():
    """Reads wait for the end of their batch and then share one transaction, in order."""
    async with audit.batch():
        for n in range(3):
            await audit.record(
                action="read", object_type="note", object_id=n, agreement_version=1, read=True
            )
        assert await AuditEvent.count() == 0
    rows = await AuditEvent.select(AuditEvent.object_id).order_by(AuditEvent.sequence)
    assert [row["object_id"] for row in rows] == ["0", "1", "2"]
    assert await audit.verify_chain() == (3, None)
