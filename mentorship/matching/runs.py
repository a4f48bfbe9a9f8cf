"""Match runs: solving the loaded problem, recording the run and its proposals, reading runs
back."""

from __future__ import annotations

import asyncio
import json
import time
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any, TypeVar

import msgspec

from mentorship.assistance.states import RequestState
from mentorship.assistance.tables import AssistanceRequest
from mentorship.audit import services as audit
from mentorship.district import profiles
from mentorship.lib import clock, db
from mentorship.lib.errors import NotFound
from mentorship.lib.messages import word
from mentorship.matching import solver
from mentorship.matching.loading import Loaded, load_problem
from mentorship.matching.messages import MATCHING
from mentorship.matching.problem import (
    Outcome,
    ProposalResult,
    UnmatchedKind,
    UnmatchedResult,
    Weights,
)
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
    BanScope,
    ProposalOrigin,
    ProposalStatus,
    RunSource,
)
from mentorship.matching.tables import MatchProposal, MatchRun, PairBan, UnmatchedRequest
from mentorship.pool.tables import Mentor, MentorStatus

INSERT_CHUNK = 400  # rows per INSERT: stays far below SQLite's bound-parameter limit
RUN_LOCK_KEY = 7_261_001  # PostgreSQL advisory lock that lets one run be recorded at a time

T = TypeVar("T")


def _chunks(items: Sequence[T], size: int = INSERT_CHUNK) -> Iterable[Sequence[T]]:
    for start in range(0, len(items), size):
        yield items[start : start + size]


# --- runs -----------------------------------------------------------------------------------


def stored_parts(result: ProposalResult) -> list[dict[str, Any]]:
    """A proposal's cost parts as stored: key, cost and coded reason."""
    return [
        {"key": p.key, "cost": round(p.cost, 4), "reason": p.reason.as_dict()} for p in result.parts
    ]


def _alternatives(result: ProposalResult) -> list[dict[str, Any]]:
    return [
        {
            "mentor_id": a.mentor_id,
            "cost": a.cost,
            "worse_by": a.worse_by,
            "reasons": [reason.as_dict() for reason in a.reasons],
            "fully_used": a.fully_used,
        }
        for a in result.alternatives
    ]


async def _actor_name(actor_id: int | None) -> str:
    if actor_id is None:
        return "operator (command line)"
    return (await profiles.names_of([actor_id])).get(actor_id, f"account {actor_id}")


async def _lock_runs() -> None:
    """Let one run at a time supersede the last and record itself (SQLite's IMMEDIATE
    transaction already serialises every writer)."""
    if MatchRun._meta.db.engine_type == "postgres":
        await MatchRun.raw("SELECT pg_advisory_xact_lock({})", RUN_LOCK_KEY)


@dataclass
class _Solved:
    """A solved problem on its way to being recorded, with who ran it and how long it took."""

    loaded: Loaded
    outcome: Outcome
    actor_id: int | None
    actor_name: str
    source: RunSource
    started: datetime
    loaded_at: datetime
    timer: float
    timings: dict[str, float]

    def note_load_and_record(self) -> None:
        """Time spent outside the solver so far, in the run's timings."""
        spent = time.perf_counter() - self.timer - self.outcome.timings["total"]
        self.timings["load_and_record"] = round(spent, 4)


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
    solved = _Solved(
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
        run_id = await _record(solved)
    return await get_run(run_id)


async def _record(solved: _Solved) -> int:
    """Record the run in the caller's transaction: earlier open proposals superseded, this
    run's proposals and unmatched requests stored, the run audited. Returns its id."""
    await _lock_runs()
    now = clock.now()
    # Requests first, then proposals: the order every other writer locks them in.
    await AssistanceRequest.update({AssistanceRequest.state: RequestState.OPEN.value}).where(
        AssistanceRequest.state == RequestState.PROPOSED.value
    )
    await MatchProposal.update({MatchProposal.status: ProposalStatus.SUPERSEDED.value}).where(
        MatchProposal.status == ProposalStatus.PENDING.value
    )
    await MatchRun.update({MatchRun.superseded_at: now}).where(MatchRun.superseded_at.is_null())
    proposals, unmatched = await _still_current(solved)
    run_id = await _insert_run(solved, now, proposals, unmatched)
    await _insert_proposals(run_id, proposals)
    await _insert_unmatched(run_id, unmatched)
    await audit.record(
        action="match_run",
        object_type="match_run",
        object_id=run_id,
        actor_id=solved.actor_id,
        actor_name=solved.actor_name,
        actor_role="coordinator" if solved.actor_id is not None else "operator",
        purpose="match open requests to mentors",
        agreement_version=solved.loaded.agreement_version,
        details={"proposed": len(proposals), "unmatched": len(unmatched)},
    )
    solved.note_load_and_record()
    await MatchRun.update(
        {
            MatchRun.duration_ms: round((time.perf_counter() - solved.timer) * 1000),
            MatchRun.finished_at: clock.now(),
            MatchRun.timings: json.dumps(solved.timings),
        }
    ).where(MatchRun.id == run_id)
    return run_id


async def _still_current(
    solved: _Solved,
) -> tuple[list[ProposalResult], list[UnmatchedResult]]:
    """The proposals and unmatched requests still worth recording: anything withdrawn or
    approved while the solver ran is left out, and a pair ruled out meanwhile is unmatched."""
    still_open = {
        row["id"]
        for row in await AssistanceRequest.select(AssistanceRequest.id).where(
            AssistanceRequest.state == RequestState.OPEN.value
        )
    }
    proposals = [p for p in solved.outcome.proposals if p.request_id in still_open]
    unmatched = [u for u in solved.outcome.unmatched if u.request_id in still_open]
    late = await _changed_since(solved.loaded_at, proposals, solved.loaded)
    unmatched.extend(
        UnmatchedResult(
            request_id=request_id,
            kind=UnmatchedKind.CHANGED_DURING_RUN,
            message=MATCHING("unmatched.changed_during_run"),
            excluded={},
            competitors=(),
        )
        for request_id in sorted(late)
    )
    return [p for p in proposals if p.request_id not in late], unmatched


async def _insert_run(
    solved: _Solved,
    now: datetime,
    proposals: list[ProposalResult],
    unmatched: list[UnmatchedResult],
) -> int:
    outcome = solved.outcome
    inserted = await MatchRun.insert(
        MatchRun(
            run_by=solved.actor_id,
            run_by_name=solved.actor_name,
            source=solved.source.value,
            started_at=solved.started,
            finished_at=now,
            duration_ms=0,
            parameters=msgspec.json.encode(solved.loaded.problem.weights).decode(),
            agreement_version=solved.loaded.agreement_version,
            request_count=outcome.request_count,
            mentor_count=outcome.mentor_count,
            slot_count=outcome.slot_count,
            component_count=outcome.component_count,
            matched_count=len(proposals),
            unmatched_count=len(unmatched),
            total_cost=round(sum(p.cost for p in proposals), 4),
            timings=json.dumps(solved.timings),
        )
    ).returning(MatchRun.id)
    return int(inserted[0]["id"])


async def _insert_proposals(run_id: int, proposals: list[ProposalResult]) -> None:
    """The run's proposals, pending review; their requests become 'proposed'."""
    for chunk in _chunks(proposals):
        await MatchProposal.insert(
            *(
                MatchProposal(
                    run=run_id,
                    request=p.request_id,
                    mentor=p.mentor_id,
                    origin=ProposalOrigin.RUN.value,
                    status=ProposalStatus.PENDING.value,
                    cost=p.cost,
                    parts=json.dumps(stored_parts(p)),
                    explanation=json.dumps(p.summary.as_dict()),
                    alternatives=json.dumps(_alternatives(p)),
                )
                for p in chunk
            )
        )
        await AssistanceRequest.update(
            {AssistanceRequest.state: RequestState.PROPOSED.value}
        ).where(AssistanceRequest.id.is_in([p.request_id for p in chunk]))


async def _insert_unmatched(run_id: int, unmatched: list[UnmatchedResult]) -> None:
    for part in _chunks(unmatched):
        await UnmatchedRequest.insert(
            *(
                UnmatchedRequest(
                    run=run_id,
                    request=u.request_id,
                    kind=u.kind.value,
                    reason=json.dumps(u.message.as_dict()),
                    excluded=json.dumps(dict(u.excluded)),
                    competitors=json.dumps(list(u.competitors)),
                )
                for u in part
            )
        )


async def _changed_since(
    loaded_at: datetime, proposals: list[ProposalResult], loaded: Loaded
) -> set[int]:
    """Requests whose proposed pair a decision taken while the solver ran has ruled out:
    a ban on the pair, or the mentor suspended, retired, unavailable or deactivated."""
    if not proposals:
        return set()
    mentors = sorted({p.mentor_id for p in proposals})
    still_matchable = {
        row["account"]
        for row in await Mentor.select(Mentor.account).where(
            Mentor.account.is_in(mentors)
            & (Mentor.status == MentorStatus.APPROVED.value)
            & (Mentor.available == True)  # noqa: E712
            & (Mentor.account._.active == True)  # noqa: E712
        )
    }
    bans = await PairBan.select(
        PairBan.request, PairBan.employee, PairBan.mentor, PairBan.scope
    ).where(PairBan.created_at >= loaded_at)
    banned = {(row["request"], row["mentor"]) for row in bans if row["scope"] == BanScope.REQUEST}
    barred = {(row["employee"], row["mentor"]) for row in bans if row["scope"] == BanScope.PERSON}
    late = set()
    for p in proposals:
        employee = loaded.requests[p.request_id]["employee"]
        if (
            p.mentor_id not in still_matchable
            or (p.request_id, p.mentor_id) in banned
            or (employee, p.mentor_id) in barred
        ):
            late.add(p.request_id)
    return late


def _dry_run_read(solved: _Solved) -> RunRead:
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
            AlternativeRead.stored(a, names.get(a["mentor_id"], "")) for a in _alternatives(p)
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
