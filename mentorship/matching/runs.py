"""Match runs: solving the loaded problem, recording the run and its proposals, reading runs
back."""

from __future__ import annotations

import asyncio
import time
from typing import Any

import msgspec

from mentorship.district import profiles
from mentorship.lib import clock, db
from mentorship.lib.errors import NotFound
from mentorship.lib.messages import word
from mentorship.matching import solver
from mentorship.matching.loading import Loaded, load_problem
from mentorship.matching.messages import MATCHING
from mentorship.matching.problem import (
    ProposalResult,
    UnmatchedKind,
    UnmatchedResult,
    Weights,
)
from mentorship.matching.recording import Solved, record_run, stored_alternatives, stored_parts
from mentorship.matching.schemas import (
    AlternativeRead,
    CostPartRead,
    MessageRead,
    ProposalRead,
    RunRead,
    RunSummary,
    UnmatchedRead,
    english,
)
from mentorship.matching.states import (
    ProposalOrigin,
    ProposalStatus,
    RunSource,
)
from mentorship.matching.tables import MatchProposal, MatchRun, UnmatchedRequest


async def _actor_name(actor_id: int | None) -> str:
    if actor_id is None:
        return "operator (command line)"
    return (await profiles.names_of([actor_id])).get(actor_id, f"account {actor_id}")


async def run_matching(
    actor_id: int | None,
    *,
    dry_run: bool = False,
    weights: Weights | None = None,
    source: RunSource = RunSource.API,
) -> RunRead:
    """Match every open request; record the run (unless a dry run) and return it.

    The open proposals of earlier runs are superseded: a run re-solves everything that is
    not yet approved. Approved pairs are cases and simply take the mentors' capacity.
    """
    started = clock.now()
    timer = time.perf_counter()
    loaded = await load_problem(weights)
    loaded_at = clock.now()
    # The solver is CPU work: off the event loop, so the server keeps answering meanwhile.
    outcome = await asyncio.to_thread(solver.solve, loaded.problem)
    solved = Solved(
        loaded=loaded,
        outcome=outcome,
        actor_id=actor_id,
        actor_name=await _actor_name(actor_id),
        source=source,
        started=started,
        loaded_at=loaded_at,
        timer=timer,
        timings={key: round(value, 4) for key, value in outcome.timings.items()},
    )
    if dry_run:
        solved.note_load_and_record()
        return _dry_run_read(solved)
    async with db.transaction():
        run_id = await record_run(solved)
    return await get_run(run_id)


def _dry_run_read(solved: Solved) -> RunRead:
    """A dry run as the API shows it: nothing recorded, so no ids."""
    loaded, outcome, timings = solved.loaded, solved.outcome, solved.timings
    return RunRead(
        id=None,
        dry_run=True,
        run_by_id=solved.actor_id,
        run_by_name=solved.actor_name,
        source=solved.source,
        started_at=solved.started,
        finished_at=clock.now(),
        duration_ms=round(1000 * (timings["total"] + timings["load_and_record"])),
        parameters=loaded.problem.weights,
        agreement_version=loaded.agreement_version,
        request_count=outcome.request_count,
        mentor_count=outcome.mentor_count,
        slot_count=outcome.slot_count,
        component_count=outcome.component_count,
        matched_count=len(outcome.proposals),
        unmatched_count=len(outcome.unmatched),
        total_cost=outcome.total_cost,
        timings=timings,
        proposals=[_dry_proposal(loaded, p) for p in outcome.proposals],
        unmatched=[_dry_unmatched(loaded, u) for u in outcome.unmatched],
    )


def _dry_proposal(loaded: Loaded, p: ProposalResult) -> ProposalRead:
    names = loaded.names
    employee = loaded.requests[p.request_id]["employee"]
    return ProposalRead(
        id=None,
        run_id=None,
        request_id=p.request_id,
        employee_id=employee,
        employee_name=names.get(employee, ""),
        mentor_id=p.mentor_id,
        mentor_name=names.get(p.mentor_id, ""),
        origin=ProposalOrigin.RUN,
        status=ProposalStatus.PENDING,
        cost=p.cost,
        parts=[CostPartRead.stored(part) for part in stored_parts(p)],
        summary=word(p.summary),
        summary_coded=MessageRead.of(p.summary),
        alternatives=[
            AlternativeRead.stored(a, names.get(a["mentor_id"], "")) for a in stored_alternatives(p)
        ],
    )


def _dry_unmatched(loaded: Loaded, u: UnmatchedResult) -> UnmatchedRead:
    return UnmatchedRead(
        request_id=u.request_id,
        employee_name=loaded.names.get(loaded.requests[u.request_id]["employee"], ""),
        kind=u.kind,
        message=word(u.message),
        message_coded=MessageRead.of(u.message),
        excluded=dict(u.excluded),
        competitors=list(u.competitors),
    )


def _summary(row: dict[str, Any]) -> RunSummary:
    return RunSummary(**_summary_fields(row))


def _summary_fields(row: dict[str, Any]) -> dict[str, Any]:
    return {
        "id": row["id"],
        "dry_run": False,
        "run_by_id": row["run_by"],
        "run_by_name": row["run_by_name"],
        "source": RunSource(row["source"]),
        "started_at": row["started_at"],
        "finished_at": row["finished_at"],
        "duration_ms": row["duration_ms"],
        "parameters": msgspec.convert(db.json_value(row["parameters"]), Weights),
        "agreement_version": row["agreement_version"],
        "request_count": row["request_count"],
        "mentor_count": row["mentor_count"],
        "slot_count": row["slot_count"],
        "component_count": row["component_count"],
        "matched_count": row["matched_count"],
        "unmatched_count": row["unmatched_count"],
        "total_cost": row["total_cost"],
        "timings": db.json_value(row["timings"]),
        "superseded_at": row["superseded_at"],
    }


async def list_runs(limit: int = 50) -> list[RunSummary]:
    """The latest runs, newest first."""
    rows = await MatchRun.select().order_by(MatchRun.id, ascending=False).limit(limit)
    return [_summary(row) for row in rows]


async def latest_run_id() -> int:
    """The newest run's id; 404 before the first run."""
    row = await MatchRun.select(MatchRun.id).order_by(MatchRun.id, ascending=False).first()
    if row is None:
        raise NotFound(MATCHING("no_runs_yet"))
    return int(row["id"])


_PROPOSAL_COLUMNS = (
    *MatchProposal.all_columns(),
    MatchProposal.request.employee.as_alias("employee_id"),
    MatchProposal.request._.employee._.display_name.as_alias("employee_name"),
    MatchProposal.mentor.display_name.as_alias("mentor_name"),
    MatchProposal.decided_by.display_name.as_alias("decided_by_name"),
)


def _decision_reason(row: dict[str, Any]) -> str:
    """Why the proposal was decided: the system's coded reason worded, or a person's words."""
    coded = db.json_value(row["decision_coded"])
    return english(coded) if coded else str(row["decision_reason"])


def _decision_reason_coded(row: dict[str, Any]) -> MessageRead | None:
    coded = db.json_value(row["decision_coded"])
    return MessageRead.stored(coded) if coded else None


async def _proposal_reads(rows: list[dict[str, Any]]) -> list[ProposalRead]:
    alternative_ids = {
        a["mentor_id"] for row in rows for a in (db.json_value(row["alternatives"]) or [])
    }
    names = await profiles.names_of(alternative_ids)
    return [
        ProposalRead(
            id=row["id"],
            run_id=row["run"],
            request_id=row["request"],
            employee_id=row["employee_id"],
            employee_name=row["employee_name"],
            mentor_id=row["mentor"],
            mentor_name=row["mentor_name"],
            origin=ProposalOrigin(row["origin"]),
            status=ProposalStatus(row["status"]),
            cost=row["cost"],
            parts=[CostPartRead.stored(part) for part in db.json_value(row["parts"])],
            summary=english(db.json_value(row["explanation"])),
            summary_coded=MessageRead.stored(db.json_value(row["explanation"])),
            alternatives=[
                AlternativeRead.stored(a, names.get(a["mentor_id"], ""))
                for a in db.json_value(row["alternatives"])
            ],
            decided_at=row["decided_at"],
            decided_by_name=row["decided_by_name"],
            decision_reason=_decision_reason(row),
            decision_reason_coded=_decision_reason_coded(row),
            case_id=row["case"],
        )
        for row in rows
    ]


async def get_run(run_id: int) -> RunRead:
    """A run with its proposals (in request order) and unmatched requests."""
    row = await MatchRun.select().where(MatchRun.id == run_id).first()
    if row is None:
        raise NotFound(MATCHING("no_run", run_id=run_id))
    proposal_rows = (
        await MatchProposal.select(*_PROPOSAL_COLUMNS)
        .where(MatchProposal.run == run_id)
        .order_by(MatchProposal.request)
        .order_by(MatchProposal.id)
    )
    unmatched_rows = (
        await UnmatchedRequest.select(
            *UnmatchedRequest.all_columns(),
            UnmatchedRequest.request._.employee._.display_name.as_alias("employee_name"),
        )
        .where(UnmatchedRequest.run == run_id)
        .order_by(UnmatchedRequest.request)
    )
    return RunRead(
        **_summary_fields(row),
        proposals=await _proposal_reads(proposal_rows),
        unmatched=[
            UnmatchedRead(
                request_id=u["request"],
                employee_name=u["employee_name"],
                kind=UnmatchedKind(u["kind"]),
                message=english(db.json_value(u["reason"])),
                message_coded=MessageRead.stored(db.json_value(u["reason"])),
                excluded=db.json_value(u["excluded"]),
                competitors=db.json_value(u["competitors"]),
            )
            for u in unmatched_rows
        ],
    )


async def get_proposal(proposal_id: int) -> ProposalRead:
    """One proposal, for the coordinator."""
    rows = await MatchProposal.select(*_PROPOSAL_COLUMNS).where(MatchProposal.id == proposal_id)
    if not rows:
        raise NotFound(MATCHING("no_proposal", proposal_id=proposal_id))
    return (await _proposal_reads(rows))[0]
