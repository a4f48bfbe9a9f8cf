"""The domain solver: slots, components and the solve over the pairs' costs (pure; numpy).

`solve(problem)` turns requests and mentors into a cost matrix (`pairs`), solves it with
`engine.assign` and explains the result. Everything over request × mentor pairs is
vectorised; Python loops run over requests, mentors, sites or components only.

Inputs are put in a canonical order (requests and mentors by id) before anything else, so
the same inputs give the same proposals whatever order they arrive in; among equally good
answers the solver's deterministic pivoting on that order decides.
"""

from __future__ import annotations

import time

import numpy as np
from scipy.sparse import coo_matrix
from scipy.sparse.csgraph import connected_components

from mentorship.matching import engine, explain
from mentorship.matching.pairs import (
    Assignment,
    FloatArray,
    IntArray,
    PairMatrix,
    Prepared,
    constraint_masks,
    pair_matrix,
    prepare,
)
from mentorship.matching.problem import CONSTRAINT_ORDER, Constraint, Outcome, Problem


def violations(problem: Problem) -> list[Constraint]:
    """Every hard constraint broken by the pair of a problem with one request and one
    mentor (how an override or a late approval is checked: the same rules as a run)."""
    prepared = prepare(problem)
    if prepared.shape != (1, 1):
        raise ValueError("violations() checks exactly one request and one mentor")
    masks = constraint_masks(prepared, np.arange(1))
    return [constraint for constraint in CONSTRAINT_ORDER if masks[constraint][0, 0]]


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
