"""The match board's side-by-side facts: each request's needs beside each mentor's skills, travel
and load."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

import msgspec

from mentorship.agreement import services as agreement
from mentorship.assistance.states import RequestState, Track, Urgency
from mentorship.assistance.tables import AssistanceRequest, RequestSkill
from mentorship.cases import services as cases
from mentorship.district import profiles as district_profiles
from mentorship.district import sites as district_sites
from mentorship.district.tables import Employee
from mentorship.matching.loading import REQUEST_COLUMNS, effective_capacity
from mentorship.pool.tables import Mentor, MentorSkill

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


async def board_facts(request_ids: Iterable[int], mentor_ids: Iterable[int]) -> BoardFacts:
    """The facts the match board shows side by side: each request's needs (skills with
    priorities, language, urgency, site) and each mentor's skills, languages, site, current
    load and capacity, with the travel time between every request and mentor given.

    Read-only and for any request state (an approved proposal's request is matched), so a
    board can show decided proposals as well as pending ones.
    """
    wanted_requests = sorted(set(request_ids))
    wanted_mentors = sorted(set(mentor_ids))
    request_rows = await AssistanceRequest.select(*REQUEST_COLUMNS).where(
        AssistanceRequest.id.is_in(wanted_requests or [-1])
    )
    everyone = {row["employee"] for row in request_rows} | set(wanted_mentors)
    people = _People(await _profiles(everyone), await district_profiles.names_of(everyone))
    needs = await _needs(wanted_requests)
    requests = {row["id"]: _request_facts(row, people, needs[row["id"]]) for row in request_rows}
    mentors = await _mentor_facts(wanted_mentors, people)
    graph = await district_sites.travel_graph()
    travel = {
        request_id: {
            mentor_id: (
                None
                if facts.site_id is None or mentor.site_id is None
                else graph.minutes(facts.site_id, mentor.site_id)
            )
            for mentor_id, mentor in mentors.items()
        }
        for request_id, facts in requests.items()
    }
    return BoardFacts(requests=requests, mentors=mentors, travel=travel)


@dataclass
class _People:
    """Profiles and names of everyone on the board."""

    profiles: dict[int, dict[str, Any]]
    names: dict[int, str] = field(default_factory=dict)

    def profile(self, account: int, key: str) -> Any:
        row = self.profiles.get(account)
        return None if row is None else row[key]


async def _profiles(people: set[int]) -> dict[int, dict[str, Any]]:
    rows = await Employee.select(
        Employee.account,
        Employee.site,
        Employee.site.name.as_alias("site_name"),
        Employee.job_role.name.as_alias("job_role_name"),
        Employee.languages,
    ).where(Employee.account.is_in(sorted(people) or [-1]))
    return {row["account"]: row for row in rows}


def _ranked(facts: list[SkillFact]) -> list[SkillFact]:
    return sorted(facts, key=lambda fact: (-fact.value, fact.name.casefold()))


async def _needs(request_ids: list[int]) -> dict[int, list[SkillFact]]:
    needs: dict[int, list[SkillFact]] = {request_id: [] for request_id in request_ids}
    for row in await RequestSkill.select(
        RequestSkill.request,
        RequestSkill.skill,
        RequestSkill.skill.name.as_alias("skill_name"),
        RequestSkill.priority,
    ).where(RequestSkill.request.is_in(request_ids or [-1])):
        needs[row["request"]].append(SkillFact(row["skill"], row["skill_name"], row["priority"]))
    return needs


def _request_facts(row: dict[str, Any], people: _People, needs: list[SkillFact]) -> RequestFacts:
    employee = row["employee"]
    return RequestFacts(
        request_id=row["id"],
        employee_name=people.names.get(employee, ""),
        site_id=people.profile(employee, "site"),
        site_name=people.profile(employee, "site_name"),
        job_role=people.profile(employee, "job_role_name"),
        language=row["preferred_language"],
        urgency=Urgency(row["urgency"]),
        track=Track(row["track"]),
        state=RequestState(row["state"]),
        waiting_since=row["opened_at"] or row["filed_at"],
        needs=_ranked(needs),
    )


async def _mentor_facts(mentor_ids: list[int], people: _People) -> dict[int, MentorFacts]:
    """Each mentor's skills, languages, site, capacity within the agreement's cap and load."""
    cap = (await agreement.in_force()).terms.caseload_cap
    members = {
        row["account"]: row
        for row in await Mentor.select(Mentor.id, Mentor.account, Mentor.capacity).where(
            Mentor.account.is_in(mentor_ids or [-1])
        )
    }
    offered: dict[int, list[SkillFact]] = {row["id"]: [] for row in members.values()}
    for row in await MentorSkill.select(
        MentorSkill.mentor,
        MentorSkill.skill,
        MentorSkill.skill.name.as_alias("skill_name"),
        MentorSkill.level,
    ).where(MentorSkill.mentor.is_in(list(offered) or [-1])):
        offered[row["mentor"]].append(SkillFact(row["skill"], row["skill_name"], row["level"]))
    loads = await cases.caseloads(mentor_ids)
    facts = {}
    for account in mentor_ids:
        member = members.get(account)
        facts[account] = MentorFacts(
            mentor_id=account,
            name=people.names.get(account, ""),
            site_id=people.profile(account, "site"),
            site_name=people.profile(account, "site_name"),
            job_role=people.profile(account, "job_role_name"),
            languages=district_profiles.stored_languages(people.profile(account, "languages")),
            skills=_ranked(offered[member["id"]]) if member else [],
            capacity=effective_capacity(member["capacity"], cap) if member else 0,
            load=loads.get(account, 0),
        )
    return facts
