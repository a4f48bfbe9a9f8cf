"""Matching rules: loading a problem, running and recording it, reviewing proposals."""

from __future__ import annotations

import asyncio
import json
import time
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any, TypeVar

import msgspec

from mentorship.accounts.services import lock_account
from mentorship.accounts.tables import Account
from mentorship.agreement import services as agreement
from mentorship.assistance.states import RequestState, Track, Urgency
from mentorship.assistance.tables import AssistanceRequest, RequestSkill
from mentorship.audit import services as audit
from mentorship.cases import services as cases
from mentorship.district import services as district
from mentorship.district.supervision import build_graph
from mentorship.district.tables import Employee, Skill
from mentorship.lib import clock, db
from mentorship.lib.errors import Conflict, NotFound
from mentorship.lib.messages import Message, word
from mentorship.matching import solver
from mentorship.matching.messages import MATCHING, cannot_take
from mentorship.matching.problem import (
    DEFAULT_WEIGHTS,
    MentorInput,
    Problem,
    ProposalResult,
    RequestInput,
    Rules,
    UnmatchedKind,
    UnmatchedResult,
    Weights,
)
from mentorship.matching.schemas import (
    AlternativeRead,
    Approval,
    ApproveAllResult,
    CostPartRead,
    MentorOffer,
    MessageRead,
    ProposalRead,
    Refusal,
    RunRead,
    RunSummary,
    UnmatchedRead,
    english,
)
from mentorship.matching.states import (
    BanScope,
    BanSource,
    ProposalOrigin,
    ProposalStatus,
    RunSource,
)
from mentorship.matching.tables import MatchProposal, MatchRun, PairBan, UnmatchedRequest
from mentorship.pool import services as pool
from mentorship.pool.tables import Mentor, MentorSkill, MentorStatus

MATCHABLE_STATES = [RequestState.OPEN.value, RequestState.PROPOSED.value]
# Pool members the matcher considers: suspended ones only so unmatched reasons can count them.
POOL_STATES = [MentorStatus.APPROVED.value, MentorStatus.SUSPENDED.value]
INSERT_CHUNK = 400  # rows per INSERT: stays far below SQLite's bound-parameter limit
RUN_LOCK_KEY = 7_261_001  # PostgreSQL advisory lock that lets one run be recorded at a time

T = TypeVar("T")


def _chunks(items: Sequence[T], size: int = INSERT_CHUNK) -> Iterable[Sequence[T]]:
    for start in range(0, len(items), size):
        yield items[start : start + size]


# --- loading a problem from the database ----------------------------------------------------


@dataclass
class Loaded:
    """A problem with what the services need around it."""

    problem: Problem
    agreement_version: int
    requests: dict[int, dict[str, Any]]
    names: dict[int, str]


async def load_problem(
    weights: Weights | None = None,
    *,
    request_ids: list[int] | None = None,
    mentor_ids: list[int] | None = None,
    request_states: list[str] = MATCHABLE_STATES,
) -> Loaded:
    """Open requests and the mentor pool as the matcher's input (optionally only some).

    `request_states` widens the requests considered: reassigning a case checks its
    (matched) request against a new mentor with the same rules.
    """
    in_force = await agreement.in_force()
    terms = in_force.terms
    now = clock.now()

    request_query = AssistanceRequest.select(
        AssistanceRequest.id,
        AssistanceRequest.employee,
        AssistanceRequest.track,
        AssistanceRequest.state,
        AssistanceRequest.urgency,
        AssistanceRequest.preferred_language,
        AssistanceRequest.filed_at,
        AssistanceRequest.opened_at,
    ).where(AssistanceRequest.state.is_in(request_states))
    if request_ids is not None:
        request_query = request_query.where(AssistanceRequest.id.is_in(request_ids or [-1]))
    request_rows = {row["id"]: row for row in await request_query}

    mentor_query = Mentor.select(
        Mentor.id, Mentor.account, Mentor.status, Mentor.capacity, Mentor.available
    ).where(Mentor.status.is_in(POOL_STATES))
    if mentor_ids is not None:
        mentor_query = mentor_query.where(Mentor.account.is_in(mentor_ids or [-1]))
    mentor_rows = await mentor_query
    mentor_accounts = [row["account"] for row in mentor_rows]

    people = {row["employee"] for row in request_rows.values()} | set(mentor_accounts)
    # Every profile, in one read: the supervision graph needs everyone's supervisor even
    # when only one pair is checked.
    profiles = {
        row["account"]: row
        for row in await Employee.select(
            Employee.account,
            Employee.site,
            Employee.job_role,
            Employee.languages,
            Employee.supervisor,
        )
    }
    account_query = Account.select(Account.id, Account.display_name, Account.active)
    if request_ids is not None or mentor_ids is not None:
        account_query = account_query.where(Account.id.is_in(list(people) or [-1]))
    accounts = {row["id"]: row for row in await account_query}

    needs: dict[int, dict[int, int]] = {request_id: {} for request_id in request_rows}
    skill_query = RequestSkill.select(
        RequestSkill.request, RequestSkill.skill, RequestSkill.priority
    ).where(RequestSkill.request._.state.is_in(request_states))
    if request_ids is not None:
        skill_query = skill_query.where(RequestSkill.request.is_in(list(request_rows) or [-1]))
    for row in await skill_query:
        if row["request"] in needs:
            needs[row["request"]][row["skill"]] = row["priority"]

    offers: dict[int, dict[int, int]] = {row["id"]: {} for row in mentor_rows}
    offer_query = MentorSkill.select(MentorSkill.mentor, MentorSkill.skill, MentorSkill.level)
    offer_query = offer_query.where(MentorSkill.mentor._.status.is_in(POOL_STATES))
    if mentor_ids is not None:
        offer_query = offer_query.where(MentorSkill.mentor.is_in(list(offers) or [-1]))
    for row in await offer_query:
        if row["mentor"] in offers:
            offers[row["mentor"]][row["skill"]] = row["level"]

    rejected: dict[int, set[int]] = {request_id: set() for request_id in request_rows}
    declined: dict[int, set[int]] = {}
    ban_query = PairBan.select(PairBan.request, PairBan.employee, PairBan.mentor, PairBan.scope)
    for row in await ban_query.where(
        PairBan.request.is_in(list(request_rows) or [-1])
        | PairBan.employee.is_in(list({r["employee"] for r in request_rows.values()}) or [-1])
    ):
        if row["scope"] == BanScope.PERSON:
            declined.setdefault(row["employee"], set()).add(row["mentor"])
        elif row["request"] in rejected:
            rejected[row["request"]].add(row["mentor"])

    standings = await pool.current_training_by_account(mentor_accounts, terms)
    loads = await cases.caseloads(mentor_accounts)
    travel = await district.travel_graph()
    supervision = build_graph({account: row["supervisor"] for account, row in profiles.items()})
    skill_names = {row["id"]: row["name"] for row in await Skill.select(Skill.id, Skill.name)}

    language_names: dict[str, str] = {}

    def languages_of(account: int) -> frozenset[str]:
        profile = profiles.get(account)
        spoken = district.stored_languages(profile["languages"]) if profile else []
        for name in spoken:
            language_names.setdefault(name.casefold(), name)
        return frozenset(spoken)

    def profile_value(account: int, key: str) -> int | None:
        profile = profiles.get(account)
        return None if profile is None else profile[key]

    requests = [
        RequestInput(
            id=request_id,
            employee_id=row["employee"],
            site_id=profile_value(row["employee"], "site"),
            job_role_id=profile_value(row["employee"], "job_role"),
            language=row["preferred_language"],
            urgent=row["urgency"] == Urgency.URGENT,
            waiting_days=(now - (row["opened_at"] or row["filed_at"])).total_seconds() / 86400,
            referred=row["track"] == Track.REFERRED,
            needs=needs[request_id],
            rejected_mentors=frozenset(rejected[request_id]),
            declined_mentors=frozenset(declined.get(row["employee"], ())),
        )
        for request_id, row in request_rows.items()
    ]
    mentors = []
    for row in mentor_rows:
        account = row["account"]
        capacity = effective_capacity(row["capacity"], terms.caseload_cap)
        mentors.append(
            MentorInput(
                id=account,
                site_id=profile_value(account, "site"),
                job_role_id=profile_value(account, "job_role"),
                languages=languages_of(account),
                skills=offers[row["id"]],
                capacity=capacity,
                load=loads.get(account, 0),
                available=row["status"] == MentorStatus.APPROVED
                and row["available"]
                and bool(accounts.get(account, {}).get("active")),
                training_current=standings[account].complete,
            )
        )
    return Loaded(
        problem=Problem(
            requests=requests,
            mentors=mentors,
            travel=travel,
            supervision=supervision,
            rules=Rules.from_terms(terms),
            weights=weights or DEFAULT_WEIGHTS,
            skill_names=skill_names,
            language_names=language_names,
        ),
        agreement_version=in_force.version,
        requests=request_rows,
        names={row["id"]: row["display_name"] for row in accounts.values()},
    )


# --- runs -----------------------------------------------------------------------------------


def _parts(result: ProposalResult) -> list[dict[str, Any]]:
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
    return (await district.names_of([actor_id])).get(actor_id, f"account {actor_id}")


async def _lock_runs() -> None:
    """Let one run at a time supersede the last and record itself (SQLite's IMMEDIATE
    transaction already serialises every writer)."""
    if MatchRun._meta.db.engine_type == "postgres":
        await MatchRun.raw("SELECT pg_advisory_xact_lock({})", RUN_LOCK_KEY)


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
    weights_used = loaded.problem.weights
    timings = {key: round(value, 4) for key, value in outcome.timings.items()}
    actor_name = await _actor_name(actor_id)
    if dry_run:
        timings["load_and_record"] = round(
            time.perf_counter() - timer - outcome.timings["total"], 4
        )
        return _dry_run_read(
            loaded, outcome, actor_id, actor_name, source, started, weights_used, timings
        )
    async with db.transaction():
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
        # Anything withdrawn or approved while the solver ran is left out of the record.
        still_open = {
            row["id"]
            for row in await AssistanceRequest.select(AssistanceRequest.id).where(
                AssistanceRequest.state == RequestState.OPEN.value
            )
        }
        proposals = [p for p in outcome.proposals if p.request_id in still_open]
        unmatched = [u for u in outcome.unmatched if u.request_id in still_open]
        late = await _changed_since(loaded_at, proposals, loaded)
        proposals = [p for p in proposals if p.request_id not in late]
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
        inserted = await MatchRun.insert(
            MatchRun(
                run_by=actor_id,
                run_by_name=actor_name,
                source=source.value,
                started_at=started,
                finished_at=now,
                duration_ms=0,
                parameters=msgspec.json.encode(weights_used).decode(),
                agreement_version=loaded.agreement_version,
                request_count=outcome.request_count,
                mentor_count=outcome.mentor_count,
                slot_count=outcome.slot_count,
                component_count=outcome.component_count,
                matched_count=len(proposals),
                unmatched_count=len(unmatched),
                total_cost=round(sum(p.cost for p in proposals), 4),
                timings=json.dumps(timings),
            )
        ).returning(MatchRun.id)
        run_id = int(inserted[0]["id"])
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
                        parts=json.dumps(_parts(p)),
                        explanation=json.dumps(p.summary.as_dict()),
                        alternatives=json.dumps(_alternatives(p)),
                    )
                    for p in chunk
                )
            )
            await AssistanceRequest.update(
                {AssistanceRequest.state: RequestState.PROPOSED.value}
            ).where(AssistanceRequest.id.is_in([p.request_id for p in chunk]))
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
        await audit.record(
            action="match_run",
            object_type="match_run",
            object_id=run_id,
            actor_id=actor_id,
            actor_name=actor_name,
            actor_role="coordinator" if actor_id is not None else "operator",
            purpose="match open requests to mentors",
            agreement_version=loaded.agreement_version,
            details={"proposed": len(proposals), "unmatched": len(unmatched)},
        )
        timings["load_and_record"] = round(
            time.perf_counter() - timer - outcome.timings["total"], 4
        )
        await MatchRun.update(
            {
                MatchRun.duration_ms: round((time.perf_counter() - timer) * 1000),
                MatchRun.finished_at: clock.now(),
                MatchRun.timings: json.dumps(timings),
            }
        ).where(MatchRun.id == run_id)
    return await get_run(run_id)


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


def _dry_run_read(
    loaded: Loaded,
    outcome: Any,
    actor_id: int | None,
    actor_name: str,
    source: RunSource,
    started: datetime,
    weights: Weights,
    timings: dict[str, float],
) -> RunRead:
    names = loaded.names
    requests = loaded.requests
    return RunRead(
        id=None,
        dry_run=True,
        run_by_id=actor_id,
        run_by_name=actor_name,
        source=source,
        started_at=started,
        finished_at=clock.now(),
        duration_ms=round(1000 * (timings["total"] + timings["load_and_record"])),
        parameters=weights,
        agreement_version=loaded.agreement_version,
        request_count=outcome.request_count,
        mentor_count=outcome.mentor_count,
        slot_count=outcome.slot_count,
        component_count=outcome.component_count,
        matched_count=len(outcome.proposals),
        unmatched_count=len(outcome.unmatched),
        total_cost=outcome.total_cost,
        timings=timings,
        proposals=[
            ProposalRead(
                id=None,
                run_id=None,
                request_id=p.request_id,
                employee_id=requests[p.request_id]["employee"],
                employee_name=names.get(requests[p.request_id]["employee"], ""),
                mentor_id=p.mentor_id,
                mentor_name=names.get(p.mentor_id, ""),
                origin=ProposalOrigin.RUN,
                status=ProposalStatus.PENDING,
                cost=p.cost,
                parts=[CostPartRead.stored(part) for part in _parts(p)],
                summary=word(p.summary),
                summary_coded=MessageRead.of(p.summary),
                alternatives=[
                    AlternativeRead.stored(a, names.get(a["mentor_id"], ""))
                    for a in _alternatives(p)
                ],
            )
            for p in outcome.proposals
        ],
        unmatched=[
            UnmatchedRead(
                request_id=u.request_id,
                employee_name=names.get(requests[u.request_id]["employee"], ""),
                kind=u.kind,
                message=word(u.message),
                message_coded=MessageRead.of(u.message),
                excluded=dict(u.excluded),
                competitors=list(u.competitors),
            )
            for u in outcome.unmatched
        ],
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


async def _proposal_reads(rows: list[dict[str, Any]]) -> list[ProposalRead]:
    alternative_ids = {
        a["mentor_id"] for row in rows for a in (db.json_value(row["alternatives"]) or [])
    }
    names = await district.names_of(alternative_ids)
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
            decision_reason=row["decision_reason"],
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


# --- the match board's side-by-side facts ---------------------------------------------------


class SkillFact(msgspec.Struct):
    """A skill by name with a request's priority (1-3) or a mentor's level (1-3)."""

    skill_id: int
    name: str
    value: int


class RequestFacts(msgspec.Struct):
    """What a request asks for, as the coordinator weighs a proposal against it."""

    request_id: int
    employee_name: str
    site_id: int | None
    site_name: str | None
    job_role: str | None
    language: str | None
    urgency: Urgency
    track: Track
    state: RequestState
    waiting_since: datetime
    needs: list[SkillFact]
    """Essential first, then by name."""


class MentorFacts(msgspec.Struct):
    """What a mentor offers and how busy they are now."""

    mentor_id: int
    name: str
    site_id: int | None
    site_name: str | None
    job_role: str | None
    languages: list[str]
    skills: list[SkillFact]
    """Highest level first, then by name."""
    capacity: int
    """The weighted capacity matching allows them (their own, within the agreement's cap)."""
    load: int
    """Weighted capacity their open cases take now."""


class BoardFacts(msgspec.Struct):
    """Requests and mentors of a match board, and the travel time between their sites."""

    requests: dict[int, RequestFacts]
    mentors: dict[int, MentorFacts]
    travel: dict[int, dict[int, float | None]]
    """Request id → mentor id → shortest minutes between their sites (None: no route or a
    site not recorded)."""

    def minutes(self, request_id: int, mentor_id: int) -> float | None:
        """Travel minutes for one pair (None when unknown)."""
        return self.travel.get(request_id, {}).get(mentor_id)


def effective_capacity(own: int | None, cap: int) -> int:
    """The capacity matching uses: the mentor's own, never above the agreement's cap."""
    return min(own or cap, cap)


async def board_facts(request_ids: Iterable[int], mentor_ids: Iterable[int]) -> BoardFacts:
    """The facts the match board shows side by side: each request's needs (skills with
    priorities, language, urgency, site) and each mentor's skills, languages, site, current
    load and capacity, with the travel time between every request and mentor given.

    Read-only and for any request state (an approved proposal's request is matched), so a
    board can show decided proposals as well as pending ones.
    """
    wanted_requests = sorted(set(request_ids))
    wanted_mentors = sorted(set(mentor_ids))
    request_rows = await AssistanceRequest.select(
        AssistanceRequest.id,
        AssistanceRequest.employee,
        AssistanceRequest.track,
        AssistanceRequest.state,
        AssistanceRequest.urgency,
        AssistanceRequest.preferred_language,
        AssistanceRequest.filed_at,
        AssistanceRequest.opened_at,
    ).where(AssistanceRequest.id.is_in(wanted_requests or [-1]))
    people = {row["employee"] for row in request_rows} | set(wanted_mentors)
    profiles = {
        row["account"]: row
        for row in await Employee.select(
            Employee.account,
            Employee.site,
            Employee.site.name.as_alias("site_name"),
            Employee.job_role.name.as_alias("job_role_name"),
            Employee.languages,
        ).where(Employee.account.is_in(sorted(people) or [-1]))
    }
    names = await district.names_of(people)

    needs: dict[int, list[SkillFact]] = {row["id"]: [] for row in request_rows}
    for row in await RequestSkill.select(
        RequestSkill.request,
        RequestSkill.skill,
        RequestSkill.skill.name.as_alias("skill_name"),
        RequestSkill.priority,
    ).where(RequestSkill.request.is_in(wanted_requests or [-1])):
        needs[row["request"]].append(SkillFact(row["skill"], row["skill_name"], row["priority"]))

    terms = (await agreement.in_force()).terms
    mentor_rows = {
        row["account"]: row
        for row in await Mentor.select(Mentor.id, Mentor.account, Mentor.capacity).where(
            Mentor.account.is_in(wanted_mentors or [-1])
        )
    }
    offered: dict[int, list[SkillFact]] = {row["id"]: [] for row in mentor_rows.values()}
    for row in await MentorSkill.select(
        MentorSkill.mentor,
        MentorSkill.skill,
        MentorSkill.skill.name.as_alias("skill_name"),
        MentorSkill.level,
    ).where(MentorSkill.mentor.is_in(list(offered) or [-1])):
        offered[row["mentor"]].append(SkillFact(row["skill"], row["skill_name"], row["level"]))
    loads = await cases.caseloads(wanted_mentors)
    graph = await district.travel_graph()

    def profile(account: int, key: str) -> Any:
        row = profiles.get(account)
        return None if row is None else row[key]

    def ranked(facts: list[SkillFact]) -> list[SkillFact]:
        return sorted(facts, key=lambda fact: (-fact.value, fact.name.casefold()))

    requests = {
        row["id"]: RequestFacts(
            request_id=row["id"],
            employee_name=names.get(row["employee"], ""),
            site_id=profile(row["employee"], "site"),
            site_name=profile(row["employee"], "site_name"),
            job_role=profile(row["employee"], "job_role_name"),
            language=row["preferred_language"],
            urgency=Urgency(row["urgency"]),
            track=Track(row["track"]),
            state=RequestState(row["state"]),
            waiting_since=row["opened_at"] or row["filed_at"],
            needs=ranked(needs[row["id"]]),
        )
        for row in request_rows
    }
    mentors = {}
    for account in wanted_mentors:
        member = mentor_rows.get(account)
        mentors[account] = MentorFacts(
            mentor_id=account,
            name=names.get(account, ""),
            site_id=profile(account, "site"),
            site_name=profile(account, "site_name"),
            job_role=profile(account, "job_role_name"),
            languages=district.stored_languages(profile(account, "languages")),
            skills=ranked(offered[member["id"]]) if member else [],
            capacity=effective_capacity(member["capacity"], terms.caseload_cap) if member else 0,
            load=loads.get(account, 0),
        )
    travel: dict[int, dict[int, float | None]] = {}
    for request_id, facts in requests.items():
        travel[request_id] = {
            mentor_id: (
                None
                if facts.site_id is None or mentor.site_id is None
                else graph.minutes(facts.site_id, mentor.site_id)
            )
            for mentor_id, mentor in mentors.items()
        }
    return BoardFacts(requests=requests, mentors=mentors, travel=travel)


# --- review ---------------------------------------------------------------------------------


async def _locked_for_review(proposal_id: int) -> tuple[dict[str, Any], dict[str, Any]]:
    """Lock (mentor, then request, then proposal) and check the proposal can be reviewed."""
    head = (
        await MatchProposal.select(MatchProposal.mentor, MatchProposal.request)
        .where(MatchProposal.id == proposal_id)
        .first()
    )
    if head is None:
        raise NotFound(MATCHING("no_proposal", proposal_id=proposal_id))
    await lock_account(head["mentor"])
    request = await db.for_update(
        AssistanceRequest.select().where(AssistanceRequest.id == head["request"])
    ).first()
    proposal = await db.for_update(
        MatchProposal.select().where(MatchProposal.id == proposal_id)
    ).first()
    if request is None or proposal is None:  # deleted since the first read
        raise NotFound(MATCHING("no_proposal", proposal_id=proposal_id))
    status = ProposalStatus(proposal["status"])
    if status is ProposalStatus.SUPERSEDED:
        raise Conflict(MATCHING("superseded"))
    if status is not ProposalStatus.PENDING:
        raise Conflict(MATCHING(f"already_decided.{status.value}"))
    if request["state"] != RequestState.PROPOSED:
        state = RequestState(request["state"]).words
        raise Conflict(MATCHING("no_longer_waiting_state", state=state))
    return proposal, request


async def _check_pair(
    request_id: int, mentor_id: int, request_states: list[str] = MATCHABLE_STATES
) -> Loaded:
    """Check the pair against today's data with the run's own rules; 409 naming what fails."""
    loaded = await load_problem(
        request_ids=[request_id], mentor_ids=[mentor_id], request_states=request_states
    )
    if not loaded.problem.requests:
        raise Conflict(MATCHING("no_longer_waiting"))
    if not loaded.problem.mentors:
        name = (await district.names_of([mentor_id])).get(mentor_id, f"account {mentor_id}")
        raise Conflict(MATCHING("not_in_pool", mentor=name))
    broken = solver.violations(loaded.problem)
    if broken:
        max_travel = loaded.problem.rules.max_travel_minutes
        name = loaded.names.get(mentor_id, "this mentor")
        raise Conflict(cannot_take(name, broken, max_travel))
    return loaded


async def check_reassignment(request_id: int, mentor_id: int) -> None:
    """Refuse (409, naming the rule) a new mentor for a case who breaks a hard constraint.

    The caller holds the new mentor's account lock, so capacity cannot change underneath.
    """
    await _check_pair(request_id, mentor_id, [RequestState.MATCHED.value])


async def _open_case(
    request: dict[str, Any], mentor_id: int, coordinator_id: int | None, loaded: Loaded
) -> int:
    track = Track(request["track"])
    case_id = await cases.open_case(
        request_id=request["id"],
        employee_id=request["employee"],
        mentor_id=mentor_id,
        track=track,
        weight=loaded.problem.rules.referred_weight if track is Track.REFERRED else 1,
        agreement_version=loaded.agreement_version,
        opened_by=coordinator_id,
    )
    await AssistanceRequest.update(
        {
            AssistanceRequest.state: RequestState.MATCHED.value,
            AssistanceRequest.closed_at: clock.now(),
            AssistanceRequest.closed_by: coordinator_id,
        }
    ).where(AssistanceRequest.id == request["id"])
    return case_id


_DECISION_ACTIONS = {
    ProposalStatus.APPROVED: "approve",
    ProposalStatus.REJECTED: "reject",
    ProposalStatus.OVERRIDDEN: "override",
    ProposalStatus.DECLINED: "decline",
}


async def _record_decision(
    proposal_id: int,
    status: ProposalStatus,
    actor_id: int,
    reason: str = "",
    case_id: int | None = None,
) -> None:
    """Write a review decision on a proposal, and audit it (inside the caller's transaction)."""
    values: dict[Any, Any] = {
        MatchProposal.status: status.value,
        MatchProposal.decided_at: clock.now(),
        MatchProposal.decided_by: actor_id,
        MatchProposal.decision_reason: reason.strip(),
    }
    if case_id is not None:
        values[MatchProposal.case] = case_id
    await MatchProposal.update(values).where(MatchProposal.id == proposal_id)
    employee_decided = status is ProposalStatus.DECLINED
    await audit.record(
        action=_DECISION_ACTIONS[status],
        object_type="proposal",
        object_id=proposal_id,
        actor_id=actor_id,
        actor_role="employee" if employee_decided else "coordinator",
        purpose="review a proposed match",
        details={} if case_id is None else {"case_id": case_id},
    )


async def approve(proposal_id: int, coordinator_id: int) -> Approval:
    """Approve a proposal: the case opens and takes the mentor's capacity, atomically.

    The pair is checked again against current data (capacity, suspension, training, …):
    two approvals racing for a mentor's last slot queue on the mentor's lock, and the
    second finds the capacity gone.
    """
    async with db.transaction():
        proposal, request = await _locked_for_review(proposal_id)
        loaded = await _check_pair(request["id"], proposal["mentor"])
        case_id = await _open_case(request, proposal["mentor"], coordinator_id, loaded)
        await _record_decision(
            proposal_id, ProposalStatus.APPROVED, coordinator_id, case_id=case_id
        )
    return Approval(proposal=await get_proposal(proposal_id), case_id=case_id)


async def approve_all(run_id: int, coordinator_id: int) -> ApproveAllResult:
    """Approve every pending proposal of the latest run, each on its own; report refusals."""
    if not await MatchRun.exists().where(MatchRun.id == run_id):
        raise NotFound(MATCHING("no_run", run_id=run_id))
    if run_id != await latest_run_id():
        raise Conflict(MATCHING("run_superseded", run_id=run_id))
    pending = (
        await MatchProposal.select(MatchProposal.id, MatchProposal.request)
        .where(
            (MatchProposal.run == run_id) & (MatchProposal.status == ProposalStatus.PENDING.value)
        )
        .order_by(MatchProposal.id)
    )
    approved: list[Approval] = []
    refused: list[Refusal] = []
    for row in pending:
        try:
            approved.append(await approve(row["id"], coordinator_id))
        except Conflict as refusal:
            coded = refusal.reason
            reason = MessageRead.of(coded) if isinstance(coded, Message) else None
            refused.append(Refusal(row["id"], row["request"], refusal.message, reason))
    return ApproveAllResult(approved=approved, refused=refused)


async def _ban(
    request: dict[str, Any],
    mentor_id: int,
    scope: BanScope,
    source: BanSource,
    reason: str,
    actor_id: int,
) -> None:
    await PairBan.insert(
        PairBan(
            request=request["id"],
            employee=request["employee"],
            mentor=mentor_id,
            scope=scope.value,
            source=source.value,
            reason=reason,
            created_at=clock.now(),
            created_by=actor_id,
        )
    )


async def _back_to_queue(request_id: int) -> None:
    await AssistanceRequest.update({AssistanceRequest.state: RequestState.OPEN.value}).where(
        AssistanceRequest.id == request_id
    )


async def reject(
    proposal_id: int, coordinator_id: int, reason: str, scope: BanScope
) -> ProposalRead:
    """Reject a proposal: the pair is banned from later runs and the request waits again."""
    async with db.transaction():
        proposal, request = await _locked_for_review(proposal_id)
        await _ban(
            request,
            proposal["mentor"],
            scope,
            BanSource.COORDINATOR,
            reason.strip(),
            coordinator_id,
        )
        await _record_decision(proposal_id, ProposalStatus.REJECTED, coordinator_id, reason)
        await _back_to_queue(request["id"])
    return await get_proposal(proposal_id)


async def _assign(
    request: dict[str, Any], mentor_id: int, coordinator_id: int, reason: str, run_id: int
) -> Approval:
    """Open a case with a mentor the coordinator chose, recorded as an override proposal."""
    loaded = await _check_pair(request["id"], mentor_id)
    # The solver on the single pair gives the same explanation a run would have.
    outcome = solver.solve(loaded.problem)
    result = outcome.proposals[0]
    case_id = await _open_case(request, mentor_id, coordinator_id, loaded)
    inserted = await MatchProposal.insert(
        MatchProposal(
            run=run_id,
            request=request["id"],
            mentor=mentor_id,
            origin=ProposalOrigin.OVERRIDE.value,
            status=ProposalStatus.APPROVED.value,
            cost=result.cost,
            parts=json.dumps(_parts(result)),
            explanation=json.dumps(result.summary.as_dict()),
            alternatives=json.dumps([]),
            decided_at=clock.now(),
            decided_by=coordinator_id,
            decision_reason=reason.strip(),
            case=case_id,
        )
    ).returning(MatchProposal.id)
    new_id = int(inserted[0]["id"])
    await audit.record(
        action="assign",
        object_type="proposal",
        object_id=new_id,
        actor_id=coordinator_id,
        actor_role="coordinator",
        purpose="assign a mentor chosen by the coordinator",
        details={"case_id": case_id, "request_id": request["id"]},
    )
    return Approval(proposal=await get_proposal(new_id), case_id=case_id)


async def override(proposal_id: int, mentor_id: int, coordinator_id: int, reason: str) -> Approval:
    """Assign a different mentor than proposed; refused (409) naming the broken rule."""
    head = (
        await MatchProposal.select(MatchProposal.mentor)
        .where(MatchProposal.id == proposal_id)
        .first()
    )
    if head is None:
        raise NotFound(MATCHING("no_proposal", proposal_id=proposal_id))
    if head["mentor"] == mentor_id:
        raise Conflict(MATCHING("same_mentor"))
    async with db.transaction():
        # Both mentors, lowest id first: two crossing overrides cannot deadlock.
        for account in sorted({mentor_id, head["mentor"]}):
            await lock_account(account)
        proposal, request = await _locked_for_review(proposal_id)
        approval = await _assign(request, mentor_id, coordinator_id, reason, proposal["run"])
        await _record_decision(proposal_id, ProposalStatus.OVERRIDDEN, coordinator_id, reason)
    return approval


async def assign_unmatched(
    request_id: int, mentor_id: int, coordinator_id: int, reason: str
) -> Approval:
    """Assign a mentor by hand to an open request the latest run left unmatched."""
    async with db.transaction():
        await lock_account(mentor_id)
        request = await db.for_update(
            AssistanceRequest.select().where(AssistanceRequest.id == request_id)
        ).first()
        if request is None:
            raise NotFound(MATCHING("no_request", request_id=request_id))
        if request["state"] == RequestState.PROPOSED:
            raise Conflict(MATCHING("pending_proposal"))
        if request["state"] != RequestState.OPEN:
            state = RequestState(request["state"]).words
            raise Conflict(MATCHING("not_waiting_state", state=state))
        return await _assign(request, mentor_id, coordinator_id, reason, await latest_run_id())


# --- the employee's view --------------------------------------------------------------------


async def _pending_for_employee(request_id: int, employee_id: int) -> dict[str, Any]:
    request = (
        await AssistanceRequest.select(
            AssistanceRequest.id, AssistanceRequest.employee, AssistanceRequest.state
        )
        .where(AssistanceRequest.id == request_id)
        .first()
    )
    if request is None or request["employee"] != employee_id:
        raise NotFound(MATCHING("no_request", request_id=request_id))
    proposal = (
        await MatchProposal.select(MatchProposal.id, MatchProposal.mentor)
        .where(
            (MatchProposal.request == request_id)
            & (MatchProposal.status == ProposalStatus.PENDING.value)
        )
        .first()
    )
    if proposal is None:
        raise NotFound(MATCHING("no_offer"))
    return proposal


async def _has_declined(request_id: int) -> bool:
    return await PairBan.exists().where(
        (PairBan.request == request_id) & (PairBan.source == BanSource.EMPLOYEE.value)
    )


async def mentor_offer(request_id: int, employee_id: int) -> MentorOffer:
    """The mentor proposed for the employee's own request."""
    proposal = await _pending_for_employee(request_id, employee_id)
    mentor = proposal["mentor"]
    profile = (
        await Employee.select(
            Employee.site.name.as_alias("site_name"),
            Employee.job_role.name.as_alias("job_role"),
            Employee.languages,
        )
        .where(Employee.account == mentor)
        .first()
    )
    return MentorOffer(
        proposal_id=proposal["id"],
        request_id=request_id,
        mentor_name=(await district.names_of([mentor])).get(mentor, ""),
        site_name=profile["site_name"] if profile else None,
        job_role=profile["job_role"] if profile else None,
        languages=district.stored_languages(profile["languages"]) if profile else [],
        may_decline=not await _has_declined(request_id),
    )


async def decline_offer(request_id: int, employee_id: int, reason: str) -> None:
    """The employee declines the proposed mentor, once per request; that pair is barred."""
    async with db.transaction():
        request = await db.for_update(
            AssistanceRequest.select().where(AssistanceRequest.id == request_id)
        ).first()
        if request is None or request["employee"] != employee_id:
            raise NotFound(MATCHING("no_request", request_id=request_id))
        proposal = await _pending_for_employee(request_id, employee_id)
        if await _has_declined(request_id):
            raise Conflict(MATCHING("declined_once"))
        await _ban(
            request,
            proposal["mentor"],
            BanScope.PERSON,
            BanSource.EMPLOYEE,
            reason.strip(),
            employee_id,
        )
        await _record_decision(proposal["id"], ProposalStatus.DECLINED, employee_id, reason)
        await _back_to_queue(request_id)
