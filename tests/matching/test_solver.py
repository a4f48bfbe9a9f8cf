"""The domain solver: hard constraints, capacity and load, priority, determinism, components.

Random problems are checked against the independent reading of the rules in conftest and,
on small instances, against a brute force over every possible assignment.
"""

from __future__ import annotations

import itertools
from collections import Counter
from dataclasses import replace

import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st

from mentorship.lib.messages import word
from mentorship.matching.pairs import FEASIBLE, feasibility, pair_matrix, prepare, reason_codes
from mentorship.matching.problem import (
    CONSTRAINT_ORDER,
    Constraint,
    Outcome,
    Problem,
    Rules,
    UnmatchedKind,
    Weights,
)
from mentorship.matching.solver import components, solve, solve_matrix, violations
from tests.matching.conftest import (
    PROPERTY,
    feasible,
    forbidding,
    free_of,
    mentor,
    pair_cost,
    problem,
    problems,
    request,
    reward,
    weight_of,
)


def pairs_of(outcome: Outcome) -> dict[int, int]:
    """Request id → proposed mentor id."""
    return {p.request_id: p.mentor_id for p in outcome.proposals}


def weighted_load(p: Problem, outcome: Outcome) -> Counter[int]:
    """Capacity units each mentor is given by the run."""
    requests = {r.id: r for r in p.requests}
    load: Counter[int] = Counter()
    for proposal in outcome.proposals:
        load[proposal.mentor_id] += weight_of(p, requests[proposal.request_id])
    return load


# --- every hard constraint forbids the pair ---------------------------------------------------

# Request 1 (employee 1001, site 1) and mentor 7 (site 2, 10 minutes away): a feasible pair
# unless the case changes one thing.
FORBIDDING_CASES: list[tuple[str, Constraint, Problem]] = [
    ("self", Constraint.SELF, problem([request(1, employee=7)], [mentor(7)])),
    (
        "suspended",
        Constraint.MENTOR_UNAVAILABLE,
        problem([request(1)], [mentor(7, available=False)]),
    ),
    ("training", Constraint.TRAINING, problem([request(1)], [mentor(7, training=False)])),
    ("full", Constraint.CAPACITY, problem([request(1)], [mentor(7, capacity=2, load=2)])),
    ("over-full", Constraint.CAPACITY, problem([request(1)], [mentor(7, capacity=2, load=5)])),
    ("no-capacity", Constraint.CAPACITY, problem([request(1)], [mentor(7, capacity=0)])),
    (
        "referred-weighs-two",
        Constraint.CAPACITY,
        problem([request(1, referred=True)], [mentor(7, capacity=3, load=2)]),
    ),
    (
        "referred-weighs-three",
        Constraint.CAPACITY,
        problem(
            [request(1, referred=True)],
            [mentor(7, capacity=2)],
            rules=Rules(referred_weight=3),
        ),
    ),
    (
        "direct-supervisor",
        Constraint.SUPERVISOR_CHAIN,
        problem([request(1)], [mentor(7)], supervision=[(7, 1001)]),
    ),
    (
        "supervisor-two-up",
        Constraint.SUPERVISOR_CHAIN,
        problem([request(1)], [mentor(7)], supervision=[(7, 50), (50, 1001)]),
    ),
    (
        "supervisor-three-up",
        Constraint.SUPERVISOR_CHAIN,
        problem([request(1)], [mentor(7)], supervision=[(7, 60), (60, 50), (50, 1001)]),
    ),
    (
        "same-site-forbidden",
        Constraint.SAME_SITE,
        problem([request(1)], [mentor(7, site=1)], rules=Rules(site_rule="forbidden")),
    ),
    ("over-travel-limit", Constraint.TRAVEL, problem([request(1)], [mentor(7, site=4)])),
    (
        "over-a-lowered-limit",
        Constraint.TRAVEL,
        problem([request(1)], [mentor(7, site=3)], rules=Rules(max_travel_minutes=20)),
    ),
    ("no-route", Constraint.TRAVEL, problem([request(1)], [mentor(7, site=5)])),
    ("site-not-in-graph", Constraint.TRAVEL, problem([request(1)], [mentor(7, site=77)])),
    ("request-site-unknown", Constraint.TRAVEL, problem([request(1, site=None)], [mentor(7)])),
    ("mentor-site-unknown", Constraint.TRAVEL, problem([request(1)], [mentor(7, site=None)])),
    ("rejected", Constraint.REJECTED, problem([request(1, rejected=[7])], [mentor(7)])),
    ("declined", Constraint.DECLINED, problem([request(1, declined=[7])], [mentor(7)])),
]


@pytest.mark.parametrize(
    ("constraint", "case"),
    [(constraint, case) for _, constraint, case in FORBIDDING_CASES],
    ids=[name for name, _, _ in FORBIDDING_CASES],
)
def test_each_hard_constraint_forbids_the_pair_and_is_named_as_the_reason(
    constraint: Constraint, case: Problem
) -> None:
    prepared = prepare(case)
    assert not feasibility(prepared)[0, 0]
    assert np.isinf(pair_matrix(prepared).cost[0, 0])
    assert reason_codes(prepared, np.array([0]))[0, 0] == CONSTRAINT_ORDER.index(constraint)

    outcome = solve(case)
    assert outcome.proposals == ()
    [unmatched] = outcome.unmatched
    assert unmatched.request_id == 1
    assert unmatched.kind is UnmatchedKind.NO_FEASIBLE_MENTOR
    assert dict(unmatched.excluded) == {constraint.value: 1}
    assert unmatched.competitors == ()
    assert word(unmatched.message).startswith(
        "None of the 1 mentor in the pool can take this request: 1 "
    )


ALLOWED_CASES: list[tuple[str, Problem]] = [
    ("plain", problem([request(1)], [mentor(7)])),
    ("mentor-is-a-subordinate", problem([request(1)], [mentor(7)], supervision=[(1001, 7)])),
    ("mentor-is-a-peer", problem([request(1)], [mentor(7)], supervision=[(50, 1001), (50, 7)])),
    (
        "mentor-is-below-a-supervisor",
        problem([request(1)], [mentor(7)], supervision=[(50, 1001), (50, 60), (60, 7)]),
    ),
    ("last-free-unit", problem([request(1)], [mentor(7, capacity=3, load=2)])),
    ("referred-fits-exactly", problem([request(1, referred=True)], [mentor(7, capacity=2)])),
    (
        "referred-weighs-one",
        problem(
            [request(1, referred=True)], [mentor(7, capacity=1)], rules=Rules(referred_weight=1)
        ),
    ),
    ("same-site-allowed", problem([request(1)], [mentor(7, site=1)], rules=Rules("allowed"))),
    ("same-site-preferred", problem([request(1)], [mentor(7, site=1)], rules=Rules("preferred"))),
    ("travel-at-the-limit", problem([request(1)], [mentor(7, site=3)], rules=Rules("allowed", 30))),
    ("rejected-someone-else", problem([request(1, rejected=[8], declined=[9])], [mentor(7)])),
]


@pytest.mark.parametrize(
    "case", [case for _, case in ALLOWED_CASES], ids=[n for n, _ in ALLOWED_CASES]
)
def test_pairs_no_constraint_forbids_are_feasible_and_matched(case: Problem) -> None:
    prepared = prepare(case)
    assert feasibility(prepared)[0, 0]
    assert reason_codes(prepared, np.array([0]))[0, 0] == FEASIBLE
    assert pairs_of(solve(case)) == {1: 7}


def test_an_exclusion_is_counted_once_under_the_first_constraint_that_applies() -> None:
    # Employee 1001 at site 1 under 50 under 60. Ten mentors, each kept out by something.
    case = problem(
        [request(1, rejected=[13, 19], declined=[19, 20])],
        [
            mentor(1001),  # the employee (also has free capacity, and is at a good site)
            mentor(12, available=False, training=False),  # unavailable before training
            mentor(13, available=False),  # unavailable before rejected
            mentor(14, training=False, capacity=0),  # training before capacity
            mentor(15, capacity=1, load=1),
            mentor(16, capacity=0, site=5),  # capacity before travel
            mentor(60, site=1),  # chain (two up) before same site
            mentor(17, site=1),
            mentor(18, site=4),
            mentor(19),  # rejected before declined
            mentor(20),
        ],
        supervision=[(60, 50), (50, 1001)],
    )
    [unmatched] = solve(case).unmatched
    assert dict(unmatched.excluded) == {
        "self": 1,
        "mentor_unavailable": 2,
        "training": 1,
        "capacity": 2,
        "supervisor_chain": 1,
        "same_site": 1,
        "travel": 1,
        "rejected": 1,
        "declined": 1,
    }
    assert unmatched.kind is UnmatchedKind.NO_FEASIBLE_MENTOR
    # Biggest counts first, ties in the constraints' order.
    assert word(unmatched.message) == (
        "None of the 11 mentors in the pool can take this request: "
        "2 are not taking cases now (suspended, unavailable or deactivated); "
        "2 have no free capacity for it; "
        "1 is the employee themself; "
        "1 has training that is incomplete or expired; "
        "1 is in the employee's supervisory chain; "
        "1 works at the employee's site, which the agreement forbids; "
        "1 is more than 45 min away or has no route on the site graph; "
        "1 is rejected for this request already; "
        "1 is barred for this person (declined before)."
    )


def test_an_empty_pool_says_there_are_no_mentors() -> None:
    outcome = solve(problem([request(1), request(2)], []))
    assert outcome.proposals == ()
    assert [u.request_id for u in outcome.unmatched] == [1, 2]
    for unmatched in outcome.unmatched:
        assert unmatched.kind is UnmatchedKind.NO_FEASIBLE_MENTOR
        assert word(unmatched.message) == "There are no mentors in the pool."
        assert dict(unmatched.excluded) == {}


def test_no_requests_give_an_empty_outcome() -> None:
    outcome = solve(problem([], [mentor(7)]))
    assert outcome.proposals == () and outcome.unmatched == ()
    assert outcome.total_cost == 0
    assert (outcome.request_count, outcome.mentor_count) == (0, 1)


def test_duplicate_ids_are_refused() -> None:
    with pytest.raises(ValueError, match="request ids"):
        prepare(problem([request(1), request(1, employee=5)], [mentor(7)]))
    with pytest.raises(ValueError, match="mentor ids"):
        prepare(problem([request(1)], [mentor(7), mentor(7, site=3)]))


@PROPERTY
@given(problems())
def test_feasibility_and_reason_codes_agree_with_an_independent_reading_of_the_rules(
    p: Problem,
) -> None:
    prepared = prepare(p)
    ok = feasibility(prepared)
    codes = reason_codes(prepared, np.arange(len(prepared.requests)))
    for i, r in enumerate(prepared.requests):
        for j, m in enumerate(prepared.mentors):
            found = forbidding(p, r, m)
            assert ok[i, j] == (not found), (r, m, found)
            expected = CONSTRAINT_ORDER.index(found[0]) if found else FEASIBLE
            assert codes[i, j] == expected, (r, m, found)


@PROPERTY
@given(problems(max_requests=4, max_mentors=4))
def test_violations_of_one_pair_lists_every_constraint_it_breaks(p: Problem) -> None:
    for r in p.requests:
        for m in p.mentors:
            single = replace(p, requests=[r], mentors=[m])
            assert violations(single) == forbidding(p, r, m), (r, m)


def test_violations_checks_exactly_one_pair() -> None:
    assert violations(problem([request(1, rejected=[7])], [mentor(7, available=False)])) == [
        Constraint.MENTOR_UNAVAILABLE,
        Constraint.REJECTED,
    ]
    with pytest.raises(ValueError, match="exactly one"):
        violations(problem([request(1), request(2)], [mentor(7)]))
    with pytest.raises(ValueError, match="exactly one"):
        violations(problem([request(1)], []))


@PROPERTY
@given(problems())
def test_solve_proposes_only_feasible_pairs_and_reports_every_request_once(p: Problem) -> None:
    outcome = solve(p)
    requests = {r.id: r for r in p.requests}
    mentors = {m.id: m for m in p.mentors}
    for proposal in outcome.proposals:
        assert feasible(p, requests[proposal.request_id], mentors[proposal.mentor_id])
    reported = [x.request_id for x in outcome.proposals] + [u.request_id for u in outcome.unmatched]
    assert sorted(reported) == sorted(requests)
    assert outcome.request_count == len(p.requests)
    assert outcome.mentor_count == len(p.mentors)


# --- capacity and load ----------------------------------------------------------------------------


@PROPERTY
@given(problems())
def test_no_mentor_is_given_more_weighted_load_than_their_free_capacity(p: Problem) -> None:
    outcome = solve(p)
    given_load = weighted_load(p, outcome)
    for m in p.mentors:
        assert given_load[m.id] <= free_of(m), m


@PROPERTY
@given(problems())
def test_no_request_is_left_out_while_a_feasible_mentor_has_room_for_it(p: Problem) -> None:
    outcome = solve(p)
    given_load = weighted_load(p, outcome)
    mentors = {m.id: m for m in p.mentors}
    requests = {r.id: r for r in p.requests}
    for unmatched in outcome.unmatched:
        r = requests[unmatched.request_id]
        for m in mentors.values():
            if feasible(p, r, m):
                assert free_of(m) - given_load[m.id] < weight_of(p, r), (r, m)


def test_two_equally_good_idle_mentors_each_get_one_of_two_requests() -> None:
    case = problem([request(1), request(2)], [mentor(7, capacity=3), mentor(8, capacity=3)])
    assert sorted(pairs_of(solve(case)).values()) == [7, 8]


def test_a_request_goes_to_the_mentor_carrying_less_load() -> None:
    case = problem([request(1)], [mentor(7, capacity=4, load=2), mentor(8, capacity=4, load=1)])
    outcome = solve(case)
    assert pairs_of(outcome) == {1: 8}
    [proposal] = outcome.proposals
    assert {part.key: part.cost for part in proposal.parts}["load"] == 5.0  # one case ahead


def test_load_spreading_gives_way_when_the_other_mentor_is_much_dearer() -> None:
    # Mentor 8 is 30 minutes away (15 points) against a second case at 7 (5 points).
    case = problem([request(1), request(2)], [mentor(7, capacity=2), mentor(8, site=3)])
    assert pairs_of(solve(case)) == {1: 7, 2: 7}


def test_a_referred_case_counts_twice_so_no_second_case_joins_it() -> None:
    # Mentor 7 has 2 free units and 2 slots: the referred request (2 units) or both normal
    # ones fit, never the referred one beside a normal one.
    case = problem(
        [request(1, referred=True, urgent=True), request(2), request(3)],
        [mentor(7, capacity=2)],
    )
    outcome = solve(case)
    assert set(pairs_of(outcome)) in ({1}, {2, 3})
    assert weighted_load(case, outcome)[7] == 2


def test_an_overfilled_mentor_gives_back_a_request_that_is_rematched_elsewhere() -> None:
    # With cheap load, the first solve puts all three on mentor 7 (4 units > 3 free); 7 keeps
    # the urgent referred case and one normal one, and the other goes to mentor 8.
    case = problem(
        [request(1, referred=True, urgent=True), request(2), request(3)],
        [mentor(7, capacity=3), mentor(8, site=3, capacity=1)],
        weights=Weights(load_per_case=1.0),
    )
    outcome = solve(case)
    assert len(outcome.proposals) == 3
    load = weighted_load(case, outcome)
    assert (load[7], load[8]) == (3, 1)
    assert pairs_of(outcome)[1] == 7


@PROPERTY
@given(problems(referred_weights=(2,)))
def test_referred_mixes_never_overfill_a_mentor(p: Problem) -> None:
    outcome = solve(p)
    given_load = weighted_load(p, outcome)
    assert all(given_load[m.id] <= free_of(m) for m in p.mentors)


# --- priority under scarcity ----------------------------------------------------------------------


def test_an_urgent_request_wins_the_only_slot_over_a_cheaper_normal_one() -> None:
    # The normal request would cost less (the mentor works in its language), yet urgency wins.
    case = problem(
        [request(1, language="en"), request(2, urgent=True, language="fr")],
        [mentor(7, capacity=1, languages=["en"])],
    )
    outcome = solve(case)
    assert pairs_of(outcome) == {2: 7}
    [unmatched] = outcome.unmatched
    assert unmatched.request_id == 1
    assert unmatched.kind is UnmatchedKind.OUTCOMPETED
    assert unmatched.competitors == (2,)


def test_at_equal_urgency_the_longer_waiting_request_wins_the_only_slot() -> None:
    for urgent in (False, True):
        case = problem(
            [request(1, urgent=urgent, waiting=3), request(2, urgent=urgent, waiting=10)],
            [mentor(7, capacity=1)],
        )
        assert pairs_of(solve(case)) == {2: 7}, urgent


def test_waiting_beyond_the_cap_adds_no_priority() -> None:
    # Both have waited past the 365-day cap, so the cheaper pair (request 2 speaks the
    # mentor's language) wins although request 1 waited longer.
    case = problem(
        [request(1, waiting=900, language="fr"), request(2, waiting=400, language="en")],
        [mentor(7, capacity=1, languages=["en"])],
    )
    assert pairs_of(solve(case)) == {2: 7}


def test_priority_never_costs_a_match() -> None:
    # The urgent request prefers mentor 7 (10 minutes against 30), the only mentor the
    # normal request can have: both are matched, the urgent one with its second choice.
    case = problem(
        [request(1, rejected=[8]), request(2, urgent=True)],
        [mentor(7, capacity=1), mentor(8, site=3, capacity=1)],
    )
    assert pairs_of(solve(case)) == {1: 7, 2: 8}


# --- optimality against a brute force (every request weighs one unit) -----------------------


def brute_force(p: Problem) -> tuple[int, float]:
    """(most requests matched, least cost minus priority among those) over every assignment."""
    requests, mentors = list(p.requests), list(p.mentors)
    per_case = p.weights.load_per_case
    options = [[None, *(j for j, m in enumerate(mentors) if feasible(p, r, m))] for r in requests]
    best: tuple[int, float] = (0, 0.0)
    for choice in itertools.product(*options):
        count = Counter(j for j in choice if j is not None)
        if any(count[j] > free_of(mentors[j]) for j in count):
            continue
        matched = sum(count.values())
        value = sum(
            pair_cost(p, r, mentors[j]) - reward(p, r)
            for r, j in zip(requests, choice, strict=True)
            if j is not None
        ) + per_case * sum(n * mentors[j].load + n * (n - 1) / 2 for j, n in count.items())
        if matched > best[0] or (matched == best[0] and value < best[1]):
            best = (matched, value)
    return best


@PROPERTY
@given(problems(max_requests=5, max_mentors=3, max_capacity=2, referred_weights=(1,)))
def test_solve_is_optimal_against_a_brute_force_over_all_assignments(p: Problem) -> None:
    outcome = solve(p)
    requests = {r.id: r for r in p.requests}
    value = outcome.total_cost - sum(reward(p, requests[x.request_id]) for x in outcome.proposals)
    best_count, best_value = brute_force(p)
    assert len(outcome.proposals) == best_count
    assert value == pytest.approx(best_value, abs=1e-4)


@PROPERTY
@given(problems())
def test_proposal_costs_match_the_weights_definitions(p: Problem) -> None:
    outcome = solve(p)
    requests = {r.id: r for r in p.requests}
    mentors = {m.id: m for m in p.mentors}
    per_case = p.weights.load_per_case
    load_parts: dict[int, list[float]] = {}
    for proposal in outcome.proposals:
        parts = {part.key: part.cost for part in proposal.parts}
        expected = pair_cost(p, requests[proposal.request_id], mentors[proposal.mentor_id])
        assert proposal.cost - parts["load"] == pytest.approx(expected, abs=1e-4)
        load_parts.setdefault(proposal.mentor_id, []).append(parts["load"])
    # A mentor's n cases in this run pay for load + 0, 1, … n-1 cases ahead of them.
    for mentor_id, paid in load_parts.items():
        start = mentors[mentor_id].load
        assert sorted(paid) == pytest.approx(
            [per_case * (start + k) for k in range(len(paid))], abs=1e-9
        )


# --- determinism ----------------------------------------------------------------------------------


@PROPERTY
@given(st.data())
def test_shuffled_requests_and_mentors_give_identical_results(data: st.DataObject) -> None:
    p = data.draw(problems())
    shuffled = replace(
        p,
        requests=data.draw(st.permutations(list(p.requests))),
        mentors=data.draw(st.permutations(list(p.mentors))),
    )
    first, second = solve(p), solve(shuffled)
    assert first.proposals == second.proposals
    assert first.unmatched == second.unmatched
    assert first.total_cost == second.total_cost


def test_identical_requests_are_decided_by_id_whatever_the_input_order() -> None:
    requests = [request(5), request(3), request(9)]
    mentors = [mentor(7, capacity=1)]
    winners = {
        tuple(pairs_of(solve(problem(order, mentors))))
        for order in itertools.permutations(requests)
    }
    assert len(winners) == 1


# --- components -----------------------------------------------------------------------------------


@PROPERTY
@given(problems())
def test_solving_components_apart_matches_as_many_at_the_same_cost_as_solving_whole(
    p: Problem,
) -> None:
    apart, whole = solve(p, split=True), solve(p, split=False)
    assert len(apart.proposals) == len(whole.proposals)
    assert apart.total_cost == pytest.approx(whole.total_cost, abs=1e-4)


@PROPERTY
@given(problems(), st.integers(0, 2**32 - 1))
def test_solving_components_apart_gives_the_same_pairs_when_costs_do_not_tie(
    p: Problem, seed: int
) -> None:
    prepared = prepare(p)
    pairs = pair_matrix(prepared)
    # Replace the soft costs by random reals: no two assignments cost the same.
    rng = np.random.default_rng(seed)
    pairs.cost = np.where(pairs.feasible, rng.uniform(0, 100, pairs.cost.shape), np.inf)
    apart = solve_matrix(prepared, pairs, split=True)
    whole = solve_matrix(prepared, pairs, split=False)
    assert apart.mentor_of.tolist() == whole.mentor_of.tolist()
    assert whole.component_count == 1


def test_components_of_the_feasible_pair_graph_are_solved_apart() -> None:
    # Same site allowed, at most 10 minutes: requests 1 and 2 (site 1) can have mentors 7
    # (site 2) and 8 (site 1); request 3 (site 3) only mentor 9 (site 3); request 4 (site 5,
    # no route) nobody, and mentor 10 (site 4) nobody.
    case = problem(
        [request(1), request(2), request(3, site=3), request(4, site=5)],
        [mentor(7), mentor(8, site=1), mentor(9, site=3), mentor(10, site=4)],
        rules=Rules("allowed", max_travel_minutes=10),
    )
    pairs = pair_matrix(prepare(case))
    assert pairs.feasible.tolist() == [
        [True, True, False, False],
        [True, True, False, False],
        [False, False, True, False],
        [False, False, False, False],
    ]
    count, row_labels, mentor_labels = components(pairs)
    assert count == 4  # {1, 2, 7, 8}, {3, 9}, {4}, {10}
    first, second = row_labels[0], row_labels[2]
    assert first != second
    assert row_labels[1] == first and mentor_labels[:2].tolist() == [first, first]
    assert mentor_labels[2] == second
    assert len({first, second, row_labels[3], mentor_labels[3]}) == 4

    apart, whole = solve(case), solve(case, split=False)
    assert (apart.component_count, whole.component_count) == (2, 1)
    assert pairs_of(apart) == pairs_of(whole)
    assert set(pairs_of(apart)) == {1, 2, 3}


def test_a_supervision_loop_never_puts_a_person_in_their_own_chain() -> None:
    # Loops are refused when supervision is recorded; the solver still must not call the
    # requester their own supervisor if one slipped in (self is the rule that applies).
    case = problem(
        [request(1, employee=3)],
        [mentor(3)],
        supervision=[(3, 4), (4, 3)],
    )
    assert violations(case) == [Constraint.SELF]


@PROPERTY
@given(problems(max_requests=10, max_mentors=7, referred_weights=(1,)))
def test_sparse_and_dense_group_solves_find_the_same_optimum(p: Problem) -> None:
    # The solver sends a sparse group to the solver as its allowed entries and a dense one
    # as the slot matrix; forcing each way must give the same number of pairs and cost.
    from mentorship.matching import engine

    saved = engine.SPARSE_FROM_ENTRIES, engine.SPARSE_BELOW_DENSITY
    try:
        engine.SPARSE_FROM_ENTRIES, engine.SPARSE_BELOW_DENSITY = 0, 2.0
        sparse = solve(p)
        engine.SPARSE_FROM_ENTRIES, engine.SPARSE_BELOW_DENSITY = 0, 0.0
        dense = solve(p)
    finally:
        engine.SPARSE_FROM_ENTRIES, engine.SPARSE_BELOW_DENSITY = saved
    assert len(sparse.proposals) == len(dense.proposals)
    # Equal objective (cost minus priority) over the matched requests.
    priority = {r.id: reward(p, r) for r in p.requests}

    def objective(outcome: Outcome) -> float:
        return sum(x.cost - priority[x.request_id] for x in outcome.proposals)

    assert objective(sparse) == pytest.approx(objective(dense), abs=1e-6)
