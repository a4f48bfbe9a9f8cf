"""The matching problem as arrays: canonical order, soft costs and hard constraints of
request × mentor pairs, and the shape of a solved assignment (pure; numpy).

Both the solver and the explanations read these; neither is needed to compute them.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from functools import cached_property

import numpy as np
from numpy.typing import NDArray

from mentorship.district.supervision import ancestors_of_each
from mentorship.matching.problem import (
    CONSTRAINT_ORDER,
    Constraint,
    MentorInput,
    Problem,
    RequestInput,
)

FloatArray = NDArray[np.float64]
IntArray = NDArray[np.intp]
BoolArray = NDArray[np.bool_]

FEASIBLE = -1  # the reason code of a pair no constraint forbids


def language_key(language: str | None) -> str | None:
    """Languages compare without case or surrounding spaces."""
    if language is None:
        return None
    key = language.strip().casefold()
    return key or None


@dataclass
class Prepared:
    """The problem as arrays, requests and mentors in canonical (id) order."""

    problem: Problem
    requests: list[RequestInput]
    mentors: list[MentorInput]
    request_ids: IntArray
    mentor_ids: IntArray
    employee_ids: IntArray
    needs: FloatArray  # R × K priorities (0 = not needed)
    levels: FloatArray  # M × K levels (0 = not offered)
    skill_ids: list[int]
    request_site: IntArray  # index into `minutes`, last = unknown site
    mentor_site: IntArray
    minutes: FloatArray  # (S+1) × (S+1) shortest travel; inf = no route
    request_role: IntArray  # -1 = unknown
    mentor_role: IntArray  # -2 = unknown (never equal to a request's role)
    request_language: IntArray  # index into `speaks` columns; last = no preference
    speaks: BoolArray  # M × (V+1)
    languages: list[str]
    weight: IntArray  # capacity units each request takes
    free: IntArray  # free capacity units per mentor
    load: IntArray
    reward: FloatArray  # priority per request (urgency and waiting)

    @property
    def shape(self) -> tuple[int, int]:
        """(requests, mentors)."""
        return len(self.requests), len(self.mentors)

    @cached_property
    def mentor_column(self) -> dict[int, int]:
        """Mentor id → column position."""
        return {int(m): j for j, m in enumerate(self.mentor_ids)}

    @cached_property
    def chains(self) -> list[frozenset[int]]:
        """Each request's supervisory chain (everyone above the employee)."""
        above = ancestors_of_each(self.problem.supervision, {r.employee_id for r in self.requests})
        return [above[r.employee_id] for r in self.requests]


def _skill_arrays(
    requests: list[RequestInput], mentors: list[MentorInput]
) -> tuple[list[int], FloatArray, FloatArray]:
    """(skill ids, R × K needed priorities, M × K offered levels capped at 3)."""
    skill_ids = sorted(
        {s for r in requests for s in r.needs} | {s for m in mentors for s in m.skills}
    )
    skill_index = {s: k for k, s in enumerate(skill_ids)}
    needs = np.zeros((len(requests), len(skill_ids)))
    for i, r in enumerate(requests):
        for skill, priority in r.needs.items():
            needs[i, skill_index[skill]] = priority
    levels = np.zeros((len(mentors), len(skill_ids)))
    for j, m in enumerate(mentors):
        for skill, level in m.skills.items():
            levels[j, skill_index[skill]] = min(max(level, 0), 3)
    return skill_ids, needs, levels


def _site_arrays(
    problem: Problem, requests: list[RequestInput], mentors: list[MentorInput]
) -> tuple[IntArray, IntArray, FloatArray]:
    """(request site index, mentor site index, (S+1) × (S+1) shortest travel minutes)."""
    sites = sorted(
        {r.site_id for r in requests if r.site_id is not None}
        | {m.site_id for m in mentors if m.site_id is not None}
    )
    site_index = {s: k for k, s in enumerate(sites)}
    unknown = len(sites)
    minutes = np.full((len(sites) + 1, len(sites) + 1), np.inf)
    for a, site_a in enumerate(sites):
        for b, site_b in enumerate(sites):
            found = problem.travel.minutes(site_a, site_b)
            if found is not None:
                minutes[a, b] = found

    def site_of(site_id: int | None) -> int:
        return unknown if site_id is None else site_index[site_id]

    return (
        np.array([site_of(r.site_id) for r in requests], dtype=np.intp),
        np.array([site_of(m.site_id) for m in mentors], dtype=np.intp),
        minutes,
    )


def _language_arrays(
    requests: list[RequestInput], mentors: list[MentorInput]
) -> tuple[IntArray, BoolArray, list[str]]:
    """(request language index, M × (V+1) who speaks what, the language keys)."""
    languages = sorted(
        {k for r in requests if (k := language_key(r.language))}
        | {k for m in mentors for language in m.languages if (k := language_key(language))}
    )
    language_index = {name: v for v, name in enumerate(languages)}
    speaks = np.zeros((len(mentors), len(languages) + 1), dtype=bool)
    speaks[:, len(languages)] = True  # "no preference" is met by everyone
    for j, m in enumerate(mentors):
        for language in m.languages:
            key = language_key(language)
            if key is not None:
                speaks[j, language_index[key]] = True
    request_language = np.array(
        [
            language_index[k] if (k := language_key(r.language)) else len(languages)
            for r in requests
        ],
        dtype=np.intp,
    )
    return request_language, speaks, languages


def prepare(problem: Problem) -> Prepared:
    """Canonical order and the per-request and per-mentor arrays."""
    requests = sorted(problem.requests, key=lambda r: r.id)
    mentors = sorted(problem.mentors, key=lambda m: m.id)
    if len({r.id for r in requests}) != len(requests):
        raise ValueError("request ids must be unique")
    if len({m.id for m in mentors}) != len(mentors):
        raise ValueError("mentor ids must be unique")
    skill_ids, needs, levels = _skill_arrays(requests, mentors)
    request_site, mentor_site, minutes = _site_arrays(problem, requests, mentors)
    request_language, speaks, languages = _language_arrays(requests, mentors)
    rules, weights = problem.rules, problem.weights
    if rules.referred_weight < 1:
        raise ValueError("a referred case must weigh at least one capacity unit")
    waiting = np.array([min(max(r.waiting_days, 0.0), weights.waiting_cap_days) for r in requests])
    urgent = np.array([r.urgent for r in requests], dtype=float)
    capacity = np.array([m.capacity for m in mentors], dtype=np.intp)
    load = np.array([m.load for m in mentors], dtype=np.intp)
    return Prepared(
        problem=problem,
        requests=requests,
        mentors=mentors,
        request_ids=np.array([r.id for r in requests], dtype=np.intp),
        mentor_ids=np.array([m.id for m in mentors], dtype=np.intp),
        employee_ids=np.array([r.employee_id for r in requests], dtype=np.intp),
        needs=needs,
        levels=levels,
        skill_ids=skill_ids,
        request_site=request_site,
        mentor_site=mentor_site,
        minutes=minutes,
        request_role=np.array(
            [-1 if r.job_role_id is None else r.job_role_id for r in requests], dtype=np.intp
        ),
        mentor_role=np.array(
            [-2 if m.job_role_id is None else m.job_role_id for m in mentors], dtype=np.intp
        ),
        request_language=request_language,
        speaks=speaks,
        languages=languages,
        weight=np.array(
            [rules.referred_weight if r.referred else 1 for r in requests], dtype=np.intp
        ),
        free=np.maximum(capacity - load, 0),
        load=load,
        reward=weights.urgency * urgent + weights.waiting_per_day * waiting,
    )


# --- soft costs -----------------------------------------------------------------------------


@dataclass
class PairParts:
    """Soft-cost components of a list of pairs, and the facts behind them."""

    skills: FloatArray
    job_role: FloatArray
    travel: FloatArray
    language: FloatArray
    site: FloatArray
    minutes: FloatArray
    same_role: BoolArray
    speaks: BoolArray
    same_site: BoolArray

    @property
    def total(self) -> FloatArray:
        """Sum of the components (load is added per slot, not per pair)."""
        return self.skills + self.job_role + self.travel + self.language + self.site


def _needs_normalised(prepared: Prepared) -> tuple[FloatArray, FloatArray]:
    """Each request's needs as shares of its total priority, and 1.0 where it needs any."""
    total = prepared.needs.sum(axis=1)
    has_need = (total > 0).astype(float)
    return prepared.needs / np.where(total > 0, total, 1.0)[:, None], has_need


def unmet_share(prepared: Prepared, rows: IntArray, mentors: IntArray) -> FloatArray:
    """Share of each pair's needed skill priority the mentor leaves uncovered (0 to 1).

    A mentor covers a needed skill by level/3 (level 3 covers it fully), so the share is
    1 - sum(priority × level/3) / sum(priority), and 0 for a request that needs nothing.
    """
    shares, has_need = _needs_normalised(prepared)
    met = np.einsum("pk,pk->p", shares[rows], prepared.levels[mentors] / 3.0)
    return np.clip(has_need[rows] - met, 0.0, 1.0)


def unmet_share_of_pairs(prepared: Prepared, rows: IntArray, mentors: IntArray) -> FloatArray:
    """`unmet_share` for many pairs at once: one matrix product (BLAS) over all requests
    and mentors, then the pairs picked out, which beats gathering a skill row per pair."""
    shares, has_need = _needs_normalised(prepared)
    met = shares @ (prepared.levels / 3.0).T
    return np.clip(has_need[rows] - met[rows, mentors], 0.0, 1.0)


def pair_parts(
    prepared: Prepared, rows: IntArray, mentors: IntArray, unmet: FloatArray | None = None
) -> PairParts:
    """Cost components of the pairs (rows[p], mentors[p]), all computed as arrays.

    `unmet` may pass the pairs' unmet skill shares when they are already known.
    """
    weights = prepared.problem.weights
    if unmet is None:
        unmet = unmet_share(prepared, rows, mentors)
    request_site = prepared.request_site[rows]
    mentor_site = prepared.mentor_site[mentors]
    minutes = prepared.minutes[request_site, mentor_site]
    unknown = len(prepared.minutes) - 1
    same_site = (request_site == mentor_site) & (request_site != unknown)
    request_role = prepared.request_role[rows]
    same_role = request_role == prepared.mentor_role[mentors]
    role_mismatch = (request_role != -1) & ~same_role
    speaks = prepared.speaks[mentors, prepared.request_language[rows]]
    preferred = prepared.problem.rules.site_rule == "preferred"
    return PairParts(
        skills=weights.skills * unmet,
        job_role=weights.job_role * role_mismatch,
        travel=weights.travel_per_minute * np.where(np.isfinite(minutes), minutes, 0.0),
        language=weights.language * (~speaks).astype(float),
        site=weights.site_preference * ~same_site if preferred else np.zeros(len(rows)),
        minutes=minutes,
        same_role=same_role,
        speaks=speaks,
        same_site=same_site,
    )


def skill_counts(
    prepared: Prepared, rows: IntArray, mentors: IntArray
) -> tuple[IntArray, IntArray]:
    """(covered, needed): how many of each pair's needed skills the mentor offers at all."""
    needs = prepared.needs[rows] > 0
    return (needs & (prepared.levels[mentors] > 0)).sum(axis=1), needs.sum(axis=1)


# --- hard constraints -----------------------------------------------------------------------


def _named_pairs(
    prepared: Prepared, rows: IntArray, named: Callable[[int], frozenset[int]]
) -> tuple[IntArray, IntArray]:
    """(row position, mentor position) of each mentor id a per-request set names."""
    column = prepared.mentor_column
    hit_rows: list[int] = []
    hit_columns: list[int] = []
    for position, row in enumerate(rows):
        for mentor in named(int(row)):
            j = column.get(mentor)
            if j is not None:
                hit_rows.append(position)
                hit_columns.append(j)
    return np.array(hit_rows, dtype=np.intp), np.array(hit_columns, dtype=np.intp)


def _pair_constraints(prepared: Prepared) -> dict[Constraint, Callable[[int], frozenset[int]]]:
    """The constraints that name single pairs, as request row → mentor ids."""
    requests = prepared.requests
    return {
        Constraint.SELF: lambda row: frozenset((requests[row].employee_id,)),
        Constraint.SUPERVISOR_CHAIN: lambda row: prepared.chains[row],
        Constraint.REJECTED: lambda row: requests[row].rejected_mentors,
        Constraint.DECLINED: lambda row: requests[row].declined_mentors,
    }


def _site_allowed(prepared: Prepared) -> BoolArray:
    """(S+1) × (S+1): may a mentor at one site take a request at the other (rule, travel)?"""
    allowed = prepared.minutes <= prepared.problem.rules.max_travel_minutes
    if prepared.problem.rules.site_rule == "forbidden":
        np.fill_diagonal(allowed, False)
    return allowed


def feasibility(prepared: Prepared) -> BoolArray:
    """R × M: True where no hard constraint forbids the pair (the fast path of the masks)."""
    mentors = prepared.mentors
    ok = _site_allowed(prepared)[np.ix_(prepared.request_site, prepared.mentor_site)]
    usable = np.array([m.available and m.training_current for m in mentors], dtype=bool)
    ok &= (usable & (prepared.free >= 1))[None, :]
    for weight in np.unique(prepared.weight[prepared.weight > 1]):
        heavy = np.flatnonzero(prepared.weight == weight)
        ok[np.ix_(heavy, np.flatnonzero(prepared.free < weight))] = False
    every_row = np.arange(prepared.shape[0])
    for named in _pair_constraints(prepared).values():
        rows, columns = _named_pairs(prepared, every_row, named)
        ok[rows, columns] = False
    return ok


def constraint_masks(prepared: Prepared, rows: IntArray) -> dict[Constraint, BoolArray]:
    """For the given rows × every mentor, the pairs each hard constraint forbids."""
    shape = (len(rows), prepared.shape[1])
    mentors = prepared.mentors
    request_site = prepared.request_site[rows][:, None]
    mentor_site = prepared.mentor_site[None, :]
    unknown = len(prepared.minutes) - 1
    rules = prepared.problem.rules
    masks: dict[Constraint, BoolArray] = {
        Constraint.MENTOR_UNAVAILABLE: np.broadcast_to(
            ~np.array([m.available for m in mentors], dtype=bool)[None, :], shape
        ),
        Constraint.TRAINING: np.broadcast_to(
            ~np.array([m.training_current for m in mentors], dtype=bool)[None, :], shape
        ),
        Constraint.CAPACITY: prepared.free[None, :] < prepared.weight[rows][:, None],
        Constraint.SAME_SITE: (request_site == mentor_site) & (request_site != unknown)
        if rules.site_rule == "forbidden"
        else np.zeros(shape, dtype=bool),
        Constraint.TRAVEL: ~(
            prepared.minutes[request_site, mentor_site] <= rules.max_travel_minutes
        ),
    }
    for constraint, named in _pair_constraints(prepared).items():
        mask = np.zeros(shape, dtype=bool)
        hit_rows, hit_columns = _named_pairs(prepared, rows, named)
        mask[hit_rows, hit_columns] = True
        masks[constraint] = mask
    return masks


def reason_codes(prepared: Prepared, rows: IntArray) -> NDArray[np.int8]:
    """For the given rows × every mentor: the index in CONSTRAINT_ORDER of the first
    constraint forbidding the pair, or FEASIBLE."""
    masks = constraint_masks(prepared, rows)
    codes = np.full((len(rows), prepared.shape[1]), FEASIBLE, dtype=np.int8)
    for code in range(len(CONSTRAINT_ORDER) - 1, -1, -1):
        codes[masks[CONSTRAINT_ORDER[code]]] = code
    return codes


@dataclass
class PairMatrix:
    """The R × M soft costs, inf where a hard constraint forbids the pair."""

    cost: FloatArray
    feasible: BoolArray


def pair_matrix(prepared: Prepared) -> PairMatrix:
    """Hard constraints for every pair, soft costs for the feasible ones only."""
    feasible = feasibility(prepared)
    rows, mentors = np.nonzero(feasible)
    cost = np.full(prepared.shape, np.inf)
    unmet = unmet_share_of_pairs(prepared, rows, mentors)
    cost[rows, mentors] = pair_parts(prepared, rows, mentors, unmet).total
    return PairMatrix(cost=cost, feasible=feasible)


@dataclass
class Assignment:
    """Which mentor (position) each request (position) got, and the load cost it pays."""

    mentor_of: IntArray  # per request; -1 = unmatched
    load_cost: FloatArray  # per request; 0 when unmatched
    load_before: IntArray  # per request: the slot's load (open-case units + earlier slots)
    units_before: IntArray  # per request: capacity units the mentor carries before it
    slot_count: int
    component_count: int
