"""Loading a matching problem from the database: open requests, mentors with room, the rules."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from mentorship.accounts.tables import Account
from mentorship.agreement import services as agreement
from mentorship.assistance.states import RequestState, Track, Urgency
from mentorship.assistance.tables import AssistanceRequest, RequestSkill
from mentorship.cases import services as cases
from mentorship.district import services as district
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
from mentorship.pool import services as pool
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
