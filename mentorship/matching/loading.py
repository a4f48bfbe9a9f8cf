"""Loading a matching problem from the database: open requests, mentors with room, the rules."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any

from mentorship.accounts.tables import Account
from mentorship.agreement import services as agreement
from mentorship.assistance.states import RequestState, Track, Urgency
from mentorship.assistance.tables import AssistanceRequest, RequestSkill
from mentorship.cases import services as cases
from mentorship.development import training_records
from mentorship.district import profiles as district_profiles
from mentorship.district import sites
from mentorship.district.supervision import build_graph
from mentorship.district.tables import Employee, Skill
from mentorship.lib import clock
from mentorship.matching.problem import (
    DEFAULT_WEIGHTS,
    MentorInput,
    Problem,
    RequestInput,
    Rules,
    Weights,
)
from mentorship.matching.states import (
    BanScope,
)
from mentorship.matching.tables import PairBan
from mentorship.pool.tables import Mentor, MentorSkill, MentorStatus

MATCHABLE_STATES = [RequestState.OPEN.value, RequestState.PROPOSED.value]
# Pool members the matcher considers: suspended ones only so unmatched reasons can count them.
POOL_STATES = [MentorStatus.APPROVED.value, MentorStatus.SUSPENDED.value]


def effective_capacity(own: int | None, cap: int) -> int:
    """The capacity matching uses: the mentor's own, never above the agreement's cap."""
    return min(own or cap, cap)


# --- loading a problem from the database ----------------------------------------------------


@dataclass
class Loaded:
    """A problem with what the services need around it."""

    problem: Problem
    agreement_version: int
    requests: dict[int, dict[str, Any]]
    names: dict[int, str]


@dataclass(frozen=True)
class _Scope:
    """Which requests and mentors a load reads (None: all that matching considers)."""

    request_ids: list[int] | None
    mentor_ids: list[int] | None
    request_states: list[str]

    @property
    def narrowed(self) -> bool:
        return self.request_ids is not None or self.mentor_ids is not None


@dataclass
class _Rows:
    """What a load read from the database, keyed for building the matcher's input."""

    requests: dict[int, dict[str, Any]]
    mentors: list[dict[str, Any]]
    profiles: dict[int, dict[str, Any]]
    accounts: dict[int, dict[str, Any]]
    needs: dict[int, dict[int, int]]
    offers: dict[int, dict[int, int]]
    rejected: dict[int, set[int]]
    declined: dict[int, set[int]]

    def profile_value(self, account: int, key: str) -> int | None:
        """One column of a person's profile, None when they have none."""
        profile = self.profiles.get(account)
        return None if profile is None else profile[key]


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
    rows = await _read_rows(_Scope(request_ids, mentor_ids, request_states))
    mentor_accounts = [row["account"] for row in rows.mentors]
    standings = await training_records.current_training_by_account(mentor_accounts, terms)
    loads = await cases.caseloads(mentor_accounts)
    language_names: dict[str, str] = {}
    mentors = [
        MentorInput(
            id=row["account"],
            site_id=rows.profile_value(row["account"], "site"),
            job_role_id=rows.profile_value(row["account"], "job_role"),
            languages=_languages(rows, row["account"], language_names),
            skills=rows.offers[row["id"]],
            capacity=effective_capacity(row["capacity"], terms.caseload_cap),
            load=loads.get(row["account"], 0),
            available=row["status"] == MentorStatus.APPROVED
            and row["available"]
            and bool(rows.accounts.get(row["account"], {}).get("active")),
            training_current=standings[row["account"]].complete,
        )
        for row in rows.mentors
    ]
    supervisors = {account: row["supervisor"] for account, row in rows.profiles.items()}
    return Loaded(
        problem=Problem(
            requests=_request_inputs(rows, clock.now()),
            mentors=mentors,
            travel=await sites.travel_graph(),
            supervision=build_graph(supervisors),
            rules=Rules.from_terms(terms),
            weights=weights or DEFAULT_WEIGHTS,
            skill_names={
                row["id"]: row["name"] for row in await Skill.select(Skill.id, Skill.name)
            },
            language_names=language_names,
        ),
        agreement_version=in_force.version,
        requests=rows.requests,
        names={row["id"]: row["display_name"] for row in rows.accounts.values()},
    )


async def _skill_names() -> dict[int, str]:
    return {row["id"]: row["name"] for row in await Skill.select(Skill.id, Skill.name)}


def _languages(rows: _Rows, account: int, names: dict[str, str]) -> frozenset[str]:
    """The languages a person speaks; each one's spelling is kept in `names` by its folded key."""
    profile = rows.profiles.get(account)
    spoken = district_profiles.stored_languages(profile["languages"]) if profile else []
    for name in spoken:
        names.setdefault(name.casefold(), name)
    return frozenset(spoken)


def _request_inputs(rows: _Rows, now: datetime) -> list[RequestInput]:
    """Each request as the matcher sees it."""
    return [
        RequestInput(
            id=request_id,
            employee_id=row["employee"],
            site_id=rows.profile_value(row["employee"], "site"),
            job_role_id=rows.profile_value(row["employee"], "job_role"),
            language=row["preferred_language"],
            urgent=row["urgency"] == Urgency.URGENT,
            waiting_days=(now - (row["opened_at"] or row["filed_at"])).total_seconds() / 86400,
            referred=row["track"] == Track.REFERRED,
            needs=rows.needs[request_id],
            rejected_mentors=frozenset(rows.rejected[request_id]),
            declined_mentors=frozenset(rows.declined.get(row["employee"], ())),
        )
        for request_id, row in rows.requests.items()
    ]


async def _read_rows(scope: _Scope) -> _Rows:
    """Every row a load needs, one query per table."""
    request_rows = await _request_rows(scope)
    mentor_query = Mentor.select(
        Mentor.id, Mentor.account, Mentor.status, Mentor.capacity, Mentor.available
    ).where(Mentor.status.is_in(POOL_STATES))
    if scope.mentor_ids is not None:
        mentor_query = mentor_query.where(Mentor.account.is_in(scope.mentor_ids or [-1]))
    mentor_rows = await mentor_query
    people = {row["employee"] for row in request_rows.values()}
    people |= {row["account"] for row in mentor_rows}
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
    if scope.narrowed:
        account_query = account_query.where(Account.id.is_in(list(people) or [-1]))
    rejected, declined = await _bans(request_rows)
    return _Rows(
        requests=request_rows,
        mentors=mentor_rows,
        profiles=profiles,
        accounts={row["id"]: row for row in await account_query},
        needs=await _needs(scope, request_rows),
        offers=await _offers(scope, mentor_rows),
        rejected=rejected,
        declined=declined,
    )


# What matching reads of a request (the board reads the same, to show it beside its mentor).
REQUEST_COLUMNS = (
    AssistanceRequest.id,
    AssistanceRequest.employee,
    AssistanceRequest.track,
    AssistanceRequest.state,
    AssistanceRequest.urgency,
    AssistanceRequest.preferred_language,
    AssistanceRequest.filed_at,
    AssistanceRequest.opened_at,
)


async def _request_rows(scope: _Scope) -> dict[int, dict[str, Any]]:
    query = AssistanceRequest.select(*REQUEST_COLUMNS).where(
        AssistanceRequest.state.is_in(scope.request_states)
    )
    if scope.request_ids is not None:
        query = query.where(AssistanceRequest.id.is_in(scope.request_ids or [-1]))
    return {row["id"]: row for row in await query}


async def _needs(
    scope: _Scope, request_rows: dict[int, dict[str, Any]]
) -> dict[int, dict[int, int]]:
    """Each request's needed skills and how much each matters."""
    needs: dict[int, dict[int, int]] = {request_id: {} for request_id in request_rows}
    query = RequestSkill.select(
        RequestSkill.request, RequestSkill.skill, RequestSkill.priority
    ).where(RequestSkill.request._.state.is_in(scope.request_states))
    if scope.request_ids is not None:
        query = query.where(RequestSkill.request.is_in(list(request_rows) or [-1]))
    for row in await query:
        if row["request"] in needs:
            needs[row["request"]][row["skill"]] = row["priority"]
    return needs


async def _offers(scope: _Scope, mentor_rows: list[dict[str, Any]]) -> dict[int, dict[int, int]]:
    """Each mentor's skills and their level in each, by mentor row id."""
    offers: dict[int, dict[int, int]] = {row["id"]: {} for row in mentor_rows}
    query = MentorSkill.select(MentorSkill.mentor, MentorSkill.skill, MentorSkill.level)
    query = query.where(MentorSkill.mentor._.status.is_in(POOL_STATES))
    if scope.mentor_ids is not None:
        query = query.where(MentorSkill.mentor.is_in(list(offers) or [-1]))
    for row in await query:
        if row["mentor"] in offers:
            offers[row["mentor"]][row["skill"]] = row["level"]
    return offers


async def _bans(
    request_rows: dict[int, dict[str, Any]],
) -> tuple[dict[int, set[int]], dict[int, set[int]]]:
    """Mentors rejected for each request, and mentors each employee declined."""
    rejected: dict[int, set[int]] = {request_id: set() for request_id in request_rows}
    declined: dict[int, set[int]] = {}
    employees = list({row["employee"] for row in request_rows.values()})
    query = PairBan.select(PairBan.request, PairBan.employee, PairBan.mentor, PairBan.scope)
    for row in await query.where(
        PairBan.request.is_in(list(request_rows) or [-1])
        | PairBan.employee.is_in(employees or [-1])
    ):
        if row["scope"] == BanScope.PERSON:
            declined.setdefault(row["employee"], set()).add(row["mentor"])
        elif row["request"] in rejected:
            rejected[row["request"]].add(row["mentor"])
    return rejected, declined
