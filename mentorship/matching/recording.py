"""Recording a solved match run: earlier open proposals superseded, this run's proposals and
unmatched requests stored in the caller's transaction, the run audited."""

from __future__ import annotations

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
from mentorship.lib import clock
from mentorship.matching.loading import Loaded
from mentorship.matching.messages import MATCHING
from mentorship.matching.problem import (
    Outcome,
    ProposalResult,
    UnmatchedKind,
    UnmatchedResult,
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


def stored_alternatives(result: ProposalResult) -> list[dict[str, Any]]:
    """A proposal's next-best alternatives as stored: mentor, cost and coded reasons."""
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


async def _lock_runs() -> None:
    """Let one run at a time supersede the last and record itself (SQLite's IMMEDIATE
    transaction already serialises every writer)."""
    if MatchRun._meta.db.engine_type == "postgres":
        await MatchRun.raw("SELECT pg_advisory_xact_lock({})", RUN_LOCK_KEY)


@dataclass
class Solved:
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


async def record_run(solved: Solved) -> int:
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
    solved: Solved,
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
    solved: Solved,
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
                    alternatives=json.dumps(stored_alternatives(p)),
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
