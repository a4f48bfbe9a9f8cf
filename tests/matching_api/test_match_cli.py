"""`mentorship match`: the operator's way to run matching, with a summary table."""

from __future__ import annotations

from mentorship.matching.tables import MatchRun
from tests.matching_api.conftest import District
from tests.test_cli import assert_one_line_error, run_cli


async def test_match_prints_a_summary_and_records_the_run(world: District, capsys, monkeypatch):
    ana = await world.person("Ana Lopez")
    await world.request(ana)
    far = await world.person("Far Away", site="east")
    await world.request(far)
    await world.mentor("Lena Park")

    code, out, err = run_cli(capsys, monkeypatch, "match", "--by", world.coordinator.email)

    assert code == 0, err
    row = await MatchRun.select(MatchRun.id, MatchRun.source, MatchRun.run_by).first()
    assert row == {"id": row["id"], "source": "cli", "run_by": world.coordinator.id}
    # Ids are not reset between tests on PostgreSQL: compare with the recorded run's own id.
    assert f"Match run {row['id']} by Rosa Coordinator, agreement version 1" in out
    assert "Proposed              1" in out and "Unmatched             1" in out
    assert "Ana Lopez" in out and "Lena Park" in out
    assert "None of the 1 mentor in the pool can take this request" in out


async def test_match_dry_run_records_nothing(world: District, capsys, monkeypatch):
    await world.request(await world.person("Ana Lopez"))
    await world.mentor("Lena Park")

    code, out, err = run_cli(capsys, monkeypatch, "match", "--dry-run")

    assert code == 0, err
    assert out.startswith("Dry run (nothing recorded) by operator (command line)")
    assert await MatchRun.count() == 0


async def test_match_refuses_someone_who_is_not_a_coordinator(world: District, capsys, monkeypatch):
    ana = await world.person("Ana Lopez")
    code, _, err = run_cli(capsys, monkeypatch, "match", "--by", ana.email)
    assert_one_line_error(code, err, 1, f"{ana.email} is not a program coordinator")
    from mentorship.accounts import services as accounts

    await accounts.deactivate(world.coordinator.id)
    code, _, err = run_cli(capsys, monkeypatch, "match", "--by", world.coordinator.email)
    assert_one_line_error(code, err, 1, f"{world.coordinator.email} is deactivated")
    code, _, err = run_cli(capsys, monkeypatch, "match", "--by", "nobody@example.org")
    assert_one_line_error(code, err, 1, "no account with email nobody@example.org")
    assert await MatchRun.count() == 0
