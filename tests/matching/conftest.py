"""Shared set-up for the pure matching tests: no database, builders, random problems, and an
independent reading of the rules to check the solver against."""

from __future__ import annotations

import os
import random
from collections.abc import Iterable, Mapping
from typing import Literal

import networkx as nx
from hypothesis import HealthCheck, settings
from hypothesis import strategies as st

from mentorship.district.travel import Link, TravelGraph
from mentorship.matching.problem import (
    Constraint,
    MentorInput,
    Problem,
    RequestInput,
    Rules,
    Weights,
)

# Modest runs that keep the files fast; no example database written into the repository.
# In CI the examples are fixed (derandomized) so a run is repeatable; elsewhere each run
# explores new ones.
PROPERTY = settings(
    max_examples=150,
    deadline=None,
    database=None,
    derandomize=bool(os.environ.get("CI")),
    suppress_health_check=[HealthCheck.too_slow],
)

# --- builders ---------------------------------------------------------------------------------

#   1 --10-- 2 --20-- 3 --60-- 4        5 (isolated: no route to or from it)
SITES = (1, 2, 3, 4, 5)
LINKS = (Link(1, 2, 10), Link(2, 3, 20), Link(3, 4, 60))
TRAVEL = TravelGraph.build(SITES, LINKS)


def request(
    id: int,
    *,
    employee: int | None = None,
    site: int | None = 1,
    role: int | None = None,
    language: str | None = None,
    urgent: bool = False,
    waiting: float = 0.0,
    referred: bool = False,
    needs: Mapping[int, int] | None = None,
    rejected: Iterable[int] = (),
    declined: Iterable[int] = (),
) -> RequestInput:
    """A request; the employee's account id defaults to 1000 + id (never a mentor here)."""
    return RequestInput(
        id=id,
        employee_id=1000 + id if employee is None else employee,
        site_id=site,
        job_role_id=role,
        language=language,
        urgent=urgent,
        waiting_days=waiting,
        referred=referred,
        needs=dict(needs or {}),
        rejected_mentors=frozenset(rejected),
        declined_mentors=frozenset(declined),
    )


def mentor(
    id: int,
    *,
    site: int | None = 2,
    role: int | None = None,
    languages: Iterable[str] = (),
    skills: Mapping[int, int] | None = None,
    capacity: int = 2,
    load: int = 0,
    available: bool = True,
    training: bool = True,
) -> MentorInput:
    """A mentor (id = account id), by default at site 2, 10 minutes from site 1."""
    return MentorInput(
        id=id,
        site_id=site,
        job_role_id=role,
        languages=frozenset(languages),
        skills=dict(skills or {}),
        capacity=capacity,
        load=load,
        available=available,
        training_current=training,
    )


def problem(
    requests: Iterable[RequestInput],
    mentors: Iterable[MentorInput],
    *,
    supervision: Iterable[tuple[int, int]] = (),
    travel: TravelGraph = TRAVEL,
    rules: Rules | None = None,
    weights: Weights | None = None,
    skill_names: Mapping[int, str] | None = None,
    language_names: Mapping[str, str] | None = None,
) -> Problem:
    """A problem over the default site graph; supervision edges are supervisor → employee."""
    graph = nx.DiGraph()
    graph.add_edges_from(supervision)
    return Problem(
        requests=list(requests),
        mentors=list(mentors),
        travel=travel,
        supervision=graph,
        rules=rules or Rules(),
        weights=weights or Weights(),
        skill_names=dict(skill_names or {}),
        language_names=dict(language_names or {}),
    )


# --- an independent reading of the rules ------------------------------------------------------


def weight_of(p: Problem, r: RequestInput) -> int:
    """Capacity units the request takes."""
    return p.rules.referred_weight if r.referred else 1


def free_of(m: MentorInput) -> int:
    """Capacity units the mentor has free before the run."""
    return max(m.capacity - m.load, 0)


def travel_minutes(p: Problem, r: RequestInput, m: MentorInput) -> float | None:
    """Shortest travel between the two sites, None when either is unknown or unreachable."""
    if r.site_id is None or m.site_id is None:
        return None
    return p.travel.minutes(r.site_id, m.site_id)


def same_site(r: RequestInput, m: MentorInput) -> bool:
    """Both at the same known site."""
    return r.site_id is not None and r.site_id == m.site_id


def forbidding(p: Problem, r: RequestInput, m: MentorInput) -> list[Constraint]:
    """Every hard constraint that forbids the pair, in the order the constraints are listed."""
    found: list[Constraint] = []
    if m.id == r.employee_id:
        found.append(Constraint.SELF)
    if not m.available:
        found.append(Constraint.MENTOR_UNAVAILABLE)
    if not m.training_current:
        found.append(Constraint.TRAINING)
    if free_of(m) < weight_of(p, r):
        found.append(Constraint.CAPACITY)
    graph = p.supervision
    if r.employee_id in graph and m.id in nx.ancestors(graph, r.employee_id):
        found.append(Constraint.SUPERVISOR_CHAIN)
    if p.rules.site_rule == "forbidden" and same_site(r, m):
        found.append(Constraint.SAME_SITE)
    minutes = travel_minutes(p, r, m)
    if minutes is None or minutes > p.rules.max_travel_minutes:
        found.append(Constraint.TRAVEL)
    if m.id in r.rejected_mentors:
        found.append(Constraint.REJECTED)
    if m.id in r.declined_mentors:
        found.append(Constraint.DECLINED)
    return found


def feasible(p: Problem, r: RequestInput, m: MentorInput) -> bool:
    """No hard constraint forbids the pair."""
    return not forbidding(p, r, m)


def language_key(language: str | None) -> str | None:
    """How languages compare: no case, no surrounding spaces, blank = no preference."""
    if language is None:
        return None
    return language.strip().casefold() or None


def pair_cost(p: Problem, r: RequestInput, m: MentorInput) -> float:
    """The soft cost of a feasible pair without the load part, from the weights' definitions."""
    w = p.weights
    total_priority = sum(r.needs.values())
    if total_priority:
        met = sum(
            priority * min(max(m.skills.get(skill, 0), 0), 3) / 3
            for skill, priority in r.needs.items()
        )
        unmet = min(max(1 - met / total_priority, 0.0), 1.0)
    else:
        unmet = 0.0
    cost = w.skills * unmet
    if r.job_role_id is not None and r.job_role_id != m.job_role_id:
        cost += w.job_role
    minutes = travel_minutes(p, r, m)
    assert minutes is not None, "pair_cost is for feasible pairs"
    cost += w.travel_per_minute * minutes
    wanted = language_key(r.language)
    if wanted is not None and wanted not in {language_key(x) for x in m.languages}:
        cost += w.language
    if p.rules.site_rule == "preferred" and not same_site(r, m):
        cost += w.site_preference
    return cost


def reward(p: Problem, r: RequestInput) -> float:
    """A request's priority: urgency plus capped waiting."""
    w = p.weights
    waiting = min(max(r.waiting_days, 0.0), float(w.waiting_cap_days))
    return w.urgency * r.urgent + w.waiting_per_day * waiting


# --- random problems --------------------------------------------------------------------------

SiteRule = Literal["forbidden", "allowed", "preferred"]
SMALL_WEIGHTS = st.sampled_from([0.0, 0.5, 1.0, 2.5, 5.0, 10.0, 40.0])


@st.composite
def weights(draw: st.DrawFn) -> Weights:
    """Either the defaults or a random mix of small weights."""
    if draw(st.booleans()):
        return Weights()
    return Weights(
        skills=draw(SMALL_WEIGHTS),
        job_role=draw(SMALL_WEIGHTS),
        travel_per_minute=draw(SMALL_WEIGHTS),
        language=draw(SMALL_WEIGHTS),
        site_preference=draw(SMALL_WEIGHTS),
        load_per_case=draw(SMALL_WEIGHTS),
        urgency=draw(st.sampled_from([0.0, 50.0, 400.0])),
        waiting_per_day=draw(st.sampled_from([0.0, 0.5, 1.0])),
        waiting_cap_days=draw(st.sampled_from([0, 30, 365])),
    )


SITE_RULES: tuple[SiteRule, ...] = ("forbidden", "allowed", "preferred")


@st.composite
def problems(
    draw: st.DrawFn,
    *,
    max_requests: int = 8,
    max_mentors: int = 6,
    max_capacity: int = 4,
    referred_weights: tuple[int, ...] = (1, 2, 3),
) -> Problem:
    """A random problem: sites and links, unknown sites, supervision (possibly with cycles),
    self pairs, rejections, every mentor state, all three site rules, mixed request weights.

    Hypothesis draws the sizes, rules, weights and a seed; the seed fills in the people.
    (Drawing every field through hypothesis made data generation ten times slower than the
    solve; sizes and rules still shrink.)
    """
    site_count = draw(st.sampled_from(range(1, 5)))
    # sampled_from draws sizes about evenly (integers() favours the smallest) and still
    # shrinks towards none.
    mentor_count = draw(st.sampled_from(range(max_mentors + 1)))
    request_count = draw(st.sampled_from(range(max_requests + 1)))
    rules = Rules(
        site_rule=draw(st.sampled_from(SITE_RULES)),
        max_travel_minutes=draw(st.sampled_from([15, 45, 90, 120, 120])),
        referred_weight=draw(st.sampled_from(referred_weights)),
    )
    chosen_weights = draw(weights())
    usual_capacity = draw(st.sampled_from(range(1, max_capacity + 1)))  # 1: scarce mentors
    rng = random.Random(draw(st.integers(0, 2**32 - 1)))

    def chance(p: float) -> bool:
        return rng.random() < p

    sites = list(range(1, site_count + 1))
    # Mostly a connected line of sites, plus random links (shortcuts, self-links, duplicates).
    links = [Link(a, a + 1, rng.randint(0, 30)) for a in sites[:-1] if chance(0.9)]
    links += [
        Link(rng.choice(sites), rng.choice(sites), rng.randint(0, 60))
        for _ in range(rng.randint(0, 3))
    ]
    # None = site not recorded; 99 = a site the travel graph does not know (both rare).
    site_choices: list[int | None] = [*sites * 8, None, 99]
    roles: list[int | None] = [None, 1, 2, 3]
    accounts = range(1, 17)

    mentor_ids = rng.sample(range(1, 13), mentor_count)
    mentor_list = [
        MentorInput(
            id=mentor_id,
            site_id=rng.choice(site_choices),
            job_role_id=rng.choice(roles),
            languages=frozenset(rng.sample(["en", "fr", " Fr ", "de"], rng.randint(0, 2))),
            skills={rng.randint(1, 4): rng.randint(0, 3) for _ in range(rng.randint(0, 3))},
            capacity=(capacity := rng.randint(0, max_capacity) if chance(0.2) else usual_capacity),
            load=rng.randint(0, capacity + 1) if chance(0.3) else 0,
            available=chance(0.9),
            training_current=chance(0.9),
        )
        for mentor_id in mentor_ids
    ]

    def some_mentors() -> frozenset[int]:
        return frozenset(rng.sample(mentor_ids, min(len(mentor_ids), rng.randint(0, 2))))

    request_list = [
        RequestInput(
            id=request_id,
            employee_id=rng.choice(accounts),
            site_id=rng.choice(site_choices),
            job_role_id=rng.choice(roles),
            language=rng.choice([None, "", "en", " EN", "fr", "de"]),
            urgent=chance(0.4),
            waiting_days=float(rng.randint(-3, 500)),
            referred=chance(0.4),
            needs={rng.randint(1, 4): rng.randint(1, 3) for _ in range(rng.randint(0, 3))},
            rejected_mentors=some_mentors() if chance(0.15) else frozenset(),
            declined_mentors=some_mentors() if chance(0.15) else frozenset(),
        )
        for request_id in rng.sample(range(1, 41), request_count)
    ]
    # Mostly a forest (supervisor numbered below the employee), now and then a stray edge
    # that may close a cycle.
    supervision = nx.DiGraph()
    for account in accounts[1:]:
        if chance(0.3):
            supervision.add_edge(rng.randint(1, account - 1), account)
    for _ in range(rng.randint(0, 2)):
        a, b = rng.choice(accounts), rng.choice(accounts)
        if a != b:
            supervision.add_edge(a, b)
    return Problem(
        requests=request_list,
        mentors=mentor_list,
        travel=TravelGraph.build(sites, links),
        supervision=supervision,
        rules=rules,
        weights=chosen_weights,
    )
