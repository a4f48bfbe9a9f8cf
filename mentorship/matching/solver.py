"""The domain solver: hard constraints, soft costs, slots, components (pure; numpy).

`solve(problem)` turns requests and mentors into a cost matrix, solves it with
`engine.assign` and explains the result. Everything over request × mentor pairs is
vectorised; Python loops run over requests, mentors, sites or components only.

Inputs are put in a canonical order (requests and mentors by id) before anything else, so
the same inputs give the same proposals whatever order they arrive in; among equally good
answers the solver's deterministic pivoting on that order decides.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import dataclass
from functools import cached_property

import numpy as np
from numpy.typing import NDArray
from scipy.sparse import coo_matrix
from scipy.sparse.csgraph import connected_components

from mentorship.district.supervision import ancestors_of_each
from mentorship.matching import engine, explain
from mentorship.matching.problem import (
    CONSTRAINT_ORDER,
    Constraint,
    MentorInput,
    Outcome,
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


def prepare(problem: Problem) -> Prepared:
    """Canonical order and the per-request and per-mentor arrays."""
    requests = sorted(problem.requests, key=lambda r: r.id)
    mentors = sorted(problem.mentors, key=lambda m: m.id)
    if len({r.id for r in requests}) != len(requests):
        raise ValueError("request ids must be unique")
    if len({m.id for m in mentors}) != len(mentors):
        raise ValueError("mentor ids must be unique")
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
        request_site=np.array([site_of(r.site_id) for r in requests], dtype=np.intp),
        mentor_site=np.array([site_of(m.site_id) for m in mentors], dtype=np.intp),
        minutes=minutes,
        request_role=np.array(
            [-1 if r.job_role_id is None else r.job_role_id for r in requests], dtype=np.intp
        ),
        mentor_role=np.array(
            [-2 if m.job_role_id is None else m.job_role_id for m in mentors], dtype=np.intp
        ),
        request_language=np.array(
            [
                language_index[k] if (k := language_key(r.language)) else len(languages)
                for r in requests
            ],
            dtype=np.intp,
        ),
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


def violations(problem: Problem) -> list[Constraint]:
    """Every hard constraint broken by the pair of a problem with one request and one
    mentor (how an override or a late approval is checked: the same rules as a run)."""
    prepared = prepare(problem)
    if prepared.shape != (1, 1):
        raise ValueError("violations() checks exactly one request and one mentor")
    masks = constraint_masks(prepared, np.arange(1))
    return [constraint for constraint in CONSTRAINT_ORDER if masks[constraint][0, 0]]


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


# --- slots and the solve --------------------------------------------------------------------


def slot_matrix(
    prepared: Prepared, pairs: PairMatrix, rows: IntArray, mentors: IntArray, slots: IntArray
) -> tuple[FloatArray, IntArray, IntArray]:
    """The solve matrix for some rows and mentors: each mentor repeated once per slot.

    Returns (matrix, slot → mentor position, slot number within its mentor). Slot s of a
    mentor costs `load_per_case` × (load + s) more, so a second case costs more than a first
    and load spreads; each row is lowered by its priority so urgent and older requests win
    slots when there are too few.
    """
    per_case = prepared.problem.weights.load_per_case
    slot_mentor = np.repeat(np.arange(len(mentors)), slots)
    first = np.concatenate(([0], np.cumsum(slots)[:-1])).astype(np.intp)
    within = np.arange(len(slot_mentor)) - np.repeat(first, slots)
    slot_cost = per_case * (prepared.load[mentors][slot_mentor] + within)
    matrix = pairs.cost[np.ix_(rows, mentors[slot_mentor])]  # one copy
    matrix += slot_cost[None, :]
    matrix -= prepared.reward[rows][:, None]
    return matrix, slot_mentor, within


@dataclass
class Assignment:
    """Which mentor (position) each request (position) got, and the load cost it pays."""

    mentor_of: IntArray  # per request; -1 = unmatched
    load_cost: FloatArray  # per request; 0 when unmatched
    load_before: IntArray  # per request: the slot's load (open-case units + earlier slots)
    units_before: IntArray  # per request: capacity units the mentor carries before it
    slot_count: int
    component_count: int


def components(pairs: PairMatrix) -> tuple[int, IntArray, IntArray]:
    """Connected components of the feasible-pair graph: (count, row labels, mentor labels)."""
    rows, mentors = np.nonzero(pairs.feasible)
    n_rows, n_mentors = pairs.feasible.shape
    graph = coo_matrix(
        (np.ones(len(rows), dtype=np.int8), (rows, n_rows + mentors)),
        shape=(n_rows + n_mentors, n_rows + n_mentors),
    )
    count, labels = connected_components(graph, directed=False)
    return count, labels[:n_rows], labels[n_rows:]


def _solve_slots(
    prepared: Prepared,
    pairs: PairMatrix,
    rows: IntArray,
    mentors: IntArray,
    slots: IntArray,
) -> tuple[IntArray, IntArray]:
    """One assignment solve: mentor position (-1) and slot number per row.

    A sparse group goes to the solver as its allowed (request, slot) entries only, so the
    dense slot matrix is never built; a dense one as that matrix. Both are exact.
    """
    slot_mentor = np.repeat(np.arange(len(mentors)), slots)
    first = np.concatenate(([0], np.cumsum(slots)[:-1])).astype(np.intp)
    within = np.arange(len(slot_mentor)) - np.repeat(first, slots)
    allowed = pairs.feasible[np.ix_(rows, mentors)]
    entries = len(rows) * len(slot_mentor)
    if entries >= engine.SPARSE_FROM_ENTRIES and (
        allowed.sum() < engine.SPARSE_BELOW_DENSITY * allowed.size
    ):
        pair_rows, pair_mentors = np.nonzero(allowed & (slots > 0)[None, :])
        counts = slots[pair_mentors]
        edge_rows = np.repeat(pair_rows, counts)
        edge_mentors = np.repeat(pair_mentors, counts)
        edge_within = np.arange(counts.sum()) - np.repeat(np.cumsum(counts) - counts, counts)
        per_case = prepared.problem.weights.load_per_case
        costs = (
            pairs.cost[rows[edge_rows], mentors[edge_mentors]]
            + per_case * (prepared.load[mentors[edge_mentors]] + edge_within)
            - prepared.reward[rows[edge_rows]]
        )
        chosen_rows, chosen_slots = engine.assign_entries(
            edge_rows, first[edge_mentors] + edge_within, costs, (len(rows), len(slot_mentor))
        )
    else:
        matrix, _, _ = slot_matrix(prepared, pairs, rows, mentors, slots)
        chosen_rows, chosen_slots = engine.assign(matrix, method="dense")
    mentor_of = np.full(len(rows), -1, dtype=np.intp)
    slot_of = np.zeros(len(rows), dtype=np.intp)
    mentor_of[chosen_rows] = slot_mentor[chosen_slots]
    slot_of[chosen_rows] = within[chosen_slots]
    return mentor_of, slot_of


def _solve_part(
    prepared: Prepared, pairs: PairMatrix, rows: IntArray, mentors: IntArray
) -> tuple[IntArray, IntArray, int]:
    """Solve one group of rows and mentors: mentor per row (-1), slot per row, slots offered.

    A referred request takes `referred_weight` units of a mentor's capacity but one slot,
    so a solution can overfill a mentor who gets a referred case beside others. When no
    mentor is overfilled (always so when every request weighs the same) the solve is
    exact. Otherwise each overfilled mentor gives back their least valuable requests until
    they fit, and those are matched to the capacity left elsewhere, heaviest first, in
    solves whose requests all weigh the same and so cannot overfill anyone. (Re-solving
    the whole group with fewer slots instead was tried: it took longer and matched fewer.)
    """
    weight = prepared.weight[rows]
    free = prepared.free[mentors]
    slots = np.minimum(free, len(rows)).astype(np.intp)
    mentor_of, slot_of = _solve_slots(prepared, pairs, rows, mentors, slots)
    matched = mentor_of >= 0
    used = np.bincount(mentor_of[matched], weights=weight[matched], minlength=len(mentors))
    over = used > free
    if not over.any():
        return mentor_of, slot_of, int(slots.sum())
    # Take back the dearest requests of each overfilled mentor until they fit.
    value = np.where(
        matched, pairs.cost[rows, mentors[np.maximum(mentor_of, 0)]] - prepared.reward[rows], 0
    )
    for m in np.flatnonzero(over):
        taken = np.flatnonzero(mentor_of == m)
        for row in taken[np.argsort(-value[taken], kind="stable")]:
            if used[m] <= free[m]:
                break
            mentor_of[row] = -1
            used[m] -= weight[row]
    load = used.astype(np.intp)
    for heavy_first in np.unique(weight)[::-1]:
        waiting = np.flatnonzero((mentor_of < 0) & (weight == heavy_first))
        room = np.minimum((free - load) // heavy_first, len(waiting)).astype(np.intp)
        if len(waiting) == 0 or not room.any():
            continue
        part_mentor, _ = _solve_slots(prepared, pairs, rows[waiting], mentors, room)
        got = part_mentor >= 0
        mentor_of[waiting[got]] = part_mentor[got]
        load += np.bincount(part_mentor[got], minlength=len(mentors)) * heavy_first
    # Slot numbers follow from the final load order (earlier rows first).
    slot_of = np.zeros(len(rows), dtype=np.intp)
    seen = np.zeros(len(mentors), dtype=np.intp)
    for row in np.flatnonzero(mentor_of >= 0):
        slot_of[row] = seen[mentor_of[row]]
        seen[mentor_of[row]] += 1
    return mentor_of, slot_of, int(np.minimum(free, len(rows)).sum())


def solve_matrix(prepared: Prepared, pairs: PairMatrix, *, split: bool = True) -> Assignment:
    """Assign requests to mentors, one connected component at a time (`split`) or at once.

    Components share no feasible pair, so their optimal solutions together are an optimal
    solution of the whole; solving them apart only makes each solve smaller.
    """
    n_rows, _ = prepared.shape
    mentor_of = np.full(n_rows, -1, dtype=np.intp)
    load_before = np.zeros(n_rows, dtype=np.intp)
    if split:
        count, row_labels, mentor_labels = components(pairs)
        groups = [
            (np.flatnonzero(row_labels == label), np.flatnonzero(mentor_labels == label))
            for label in _labels_with_pairs(row_labels, mentor_labels, count)
        ]
    else:
        groups = [(np.arange(n_rows), np.arange(prepared.shape[1]))]
    slot_count = 0
    for rows, mentors in groups:
        if len(rows) == 0 or len(mentors) == 0:
            continue
        part_mentor, part_slot, part_slots = _solve_part(prepared, pairs, rows, mentors)
        matched = part_mentor >= 0
        mentor_of[rows[matched]] = mentors[part_mentor[matched]]
        load_before[rows[matched]] = (
            prepared.load[mentors[part_mentor[matched]]] + part_slot[matched]
        )
        slot_count += part_slots
    load_cost = (prepared.problem.weights.load_per_case * load_before).astype(np.float64)
    load_cost[mentor_of < 0] = 0.0
    return Assignment(
        mentor_of,
        load_cost,
        load_before,
        _units_before(prepared, mentor_of, load_before),
        slot_count,
        len(groups),
    )


def _units_before(prepared: Prepared, mentor_of: IntArray, load_before: IntArray) -> IntArray:
    """Capacity units each matched request's mentor carries before it: open cases plus the
    weights of the requests this run put in that mentor's earlier slots."""
    units = np.zeros(len(mentor_of), dtype=np.intp)
    matched = np.flatnonzero(mentor_of >= 0)
    if len(matched) == 0:
        return units
    mentors = mentor_of[matched]
    order = np.lexsort((load_before[matched], mentors))  # by mentor, then slot
    rows, mentors = matched[order], mentors[order]
    weights = prepared.weight[rows]
    earlier = np.cumsum(weights) - weights
    first = np.r_[True, mentors[1:] != mentors[:-1]]
    group = np.cumsum(first) - 1
    units[rows] = prepared.load[mentors] + earlier - earlier[first][group]
    return units


def _labels_with_pairs(row_labels: IntArray, mentor_labels: IntArray, count: int) -> list[int]:
    """Component labels holding at least one request and one mentor, in label order."""
    has_row = np.zeros(count, dtype=bool)
    has_row[row_labels] = True
    has_mentor = np.zeros(count, dtype=bool)
    has_mentor[mentor_labels] = True
    return [int(label) for label in np.flatnonzero(has_row & has_mentor)]


def solve(problem: Problem, *, split: bool = True) -> Outcome:
    """Propose mentors for as many requests as possible, at least total cost, explained."""
    clock = time.perf_counter
    started = clock()
    prepared = prepare(problem)
    pairs = pair_matrix(prepared)
    built = clock()
    assignment = solve_matrix(prepared, pairs, split=split)
    solved = clock()
    proposals, unmatched = explain.explain(prepared, pairs, assignment)
    explained = clock()
    return Outcome(
        proposals=proposals,
        unmatched=unmatched,
        total_cost=round(sum(p.cost for p in proposals), 6),
        request_count=prepared.shape[0],
        mentor_count=prepared.shape[1],
        slot_count=assignment.slot_count,
        component_count=assignment.component_count,
        timings={
            "build": built - started,
            "solve": solved - built,
            "explain": explained - solved,
            "total": explained - started,
        },
    )
