"""Explanations: cost parts that add up, alternatives that are real and ranked, and reasons
for every unmatched request that name what actually happened."""

from __future__ import annotations

import json
from collections import Counter

import pytest
from hypothesis import given

from mentorship.lib.messages import Message, word
from mentorship.matching.messages import excluded, rule
from mentorship.matching.problem import (
    Constraint,
    Outcome,
    Problem,
    ProposalResult,
    Rules,
    UnmatchedKind,
    Weights,
)
from mentorship.matching.solver import solve
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
    weight_of,
)


def parts_of(proposal: ProposalResult) -> dict[str, tuple[float, str]]:
    """Part key → (cost, reason in words)."""
    return {part.key: (part.cost, word(part.reason)) for part in proposal.parts}


def excluded_phrase(constraint: Constraint, count: int, max_travel: float) -> str:
    """How many mentors a rule left out, in words."""
    return word(excluded(constraint, count, max_travel))


def constraint_sentence(constraint: Constraint, max_travel: float) -> str:
    """Why one pair is forbidden, in words."""
    return word(rule(constraint, max_travel))


def given_load(p: Problem, outcome: Outcome) -> Counter[int]:
    """Capacity units each mentor is given by the run."""
    requests = {r.id: r for r in p.requests}
    load: Counter[int] = Counter()
    for proposal in outcome.proposals:
        load[proposal.mentor_id] += weight_of(p, requests[proposal.request_id])
    return load


# --- cost parts -------------------------------------------------------------------------------


def test_cost_parts_are_computed_and_worded_as_the_weights_define_them() -> None:
    # Needs skill 1 (essential) and 2 (nice to have); the mentor is expert in 1 only, so
    # a quarter of the need is unmet: 40 × 0.25 = 10. Site 3 is 30 minutes from site 1:
    # 15. Another job role: 10. Does not work in French: 15. Another site where the
    # agreement prefers the same one: 10. One case already: 5.
    case = problem(
        [request(1, role=5, language="fr", needs={1: 3, 2: 1})],
        [mentor(7, site=3, role=6, languages=["en"], skills={1: 3}, capacity=3, load=1)],
        rules=Rules("preferred"),
        skill_names={1: "Conflict", 2: "Listening"},
        language_names={"fr": "French"},
    )
    [proposal] = solve(case).proposals
    assert [part.key for part in proposal.parts] == [
        "skills",
        "travel",
        "job_role",
        "language",
        "site",
        "load",
    ]
    parts = parts_of(proposal)
    assert parts["skills"][0] == pytest.approx(10.0)
    assert parts["skills"][1] == "covers 1 of 2 needed skills (not Listening)"
    assert parts["travel"] == (15.0, "30 min travel")
    assert parts["job_role"] == (10.0, "different job role")
    assert parts["language"] == (15.0, "does not work in French")
    assert parts["site"] == (10.0, "another site (the agreement prefers the same site)")
    assert parts["load"] == (5.0, "the mentor already carries 1 of 3 capacity")
    assert proposal.cost == 65.0
    assert word(proposal.summary) == "; ".join(word(part.reason) for part in proposal.parts)


def test_a_perfect_pair_costs_nothing_and_says_why() -> None:
    # Same site (allowed), same job role, the language written differently, expert skills.
    case = problem(
        [request(1, role=5, language=" FR ", needs={1: 3, 2: 1})],
        [mentor(7, site=1, role=5, languages=["fr"], skills={1: 3, 2: 3})],
        rules=Rules("allowed"),
        language_names={"fr": "French"},
    )
    [proposal] = solve(case).proposals
    assert proposal.cost == 0.0
    assert "site" not in parts_of(proposal)  # only the preferred rule prices the site
    assert word(proposal.summary) == (
        "covers all 2 needed skills; same site, no travel; same job role; works in French;"
        " the mentor's first case"
    )


def test_reasons_for_partial_levels_and_missing_facts() -> None:
    case = problem(
        [request(1, needs={1: 2}), request(2, language="  ")],
        [mentor(7, skills={1: 2}, capacity=1), mentor(8, capacity=1)],
    )
    outcome = solve(case)
    by_request = {p.request_id: parts_of(p) for p in outcome.proposals}
    skills_cost, skills_reason = by_request[1]["skills"]
    assert skills_cost == pytest.approx(40 / 3)
    assert skills_reason == "covers the needed skill, below expert level"
    assert by_request[2]["skills"] == (0.0, "no particular skills asked for")
    assert by_request[2]["job_role"] == (0.0, "the employee's job role is not recorded")
    assert by_request[2]["language"] == (0.0, "no language preference")


def test_missing_skills_are_listed_essential_first_and_cut_after_five() -> None:
    needs = {10 + k: (3 if k in (4, 6) else 1) for k in range(8)}
    case = problem([request(1, needs=needs)], [mentor(7)], skill_names={14: "Zeta", 16: "Alpha"})
    [proposal] = solve(case).proposals
    assert parts_of(proposal)["skills"] == (
        40.0,
        "covers 0 of 8 needed skills (not Alpha, Zeta, skill 10, skill 11, skill 12 and 3 more)",
    )


# --- alternatives -----------------------------------------------------------------------------


def test_alternatives_are_the_next_three_cheapest_feasible_mentors_in_order() -> None:
    # Request 1 (site 1, English). Mentor 7: 10 min (5). Mentor 8: 30 min (15). Mentor 11:
    # 10 min but carries 2 cases (5 + 10 = 15, ties with 8: lower id first). Mentor 9: 10 min,
    # no English (20). Mentor 12: 10 min, no English, other role... (30) is a fourth.
    # Mentor 10 is 90 min away: not feasible.
    case = problem(
        [request(1, language="en", role=1)],
        [
            mentor(7, languages=["en"], role=1),
            mentor(8, site=3, languages=["en"], role=1),
            mentor(9, languages=["de"], role=1),
            mentor(10, site=4, languages=["en"], role=1),
            mentor(11, languages=["en"], role=1, capacity=4, load=2),
            mentor(12, languages=["de"], role=2),
        ],
    )
    [proposal] = solve(case).proposals
    assert (proposal.mentor_id, proposal.cost) == (7, 5.0)
    alternatives = [(a.mentor_id, a.cost, a.worse_by) for a in proposal.alternatives]
    assert alternatives == [(8, 15.0, 10.0), (11, 15.0, 10.0), (9, 20.0, 15.0)]
    reasons = {a.mentor_id: tuple(map(word, a.reasons)) for a in proposal.alternatives}
    assert reasons[8] == ("30 min travel instead of 10 min",)
    assert reasons[11] == ("already carries 2 capacity",)
    assert reasons[9] == ("does not work in the preferred language",)
    assert not any(a.fully_used for a in proposal.alternatives)


def test_an_alternative_whose_capacity_went_to_others_is_marked_fully_used() -> None:
    # Two requests, mentors 7 (10 min) and 8 (30 min) with one place each, and 9 (90 min,
    # allowed here) with room to spare.
    case = problem(
        [request(1), request(2)],
        [mentor(7, capacity=1), mentor(8, site=3, capacity=1), mentor(9, site=4, capacity=1)],
        rules=Rules(max_travel_minutes=90),
    )
    outcome = solve(case)
    assert sorted(pairs.mentor_id for pairs in outcome.proposals) == [7, 8]
    for proposal in outcome.proposals:
        flags = {a.mentor_id: a.fully_used for a in proposal.alternatives}
        other = 15 - proposal.mentor_id  # 7 ↔ 8
        assert flags == {other: True, 9: False}
        [taken] = [a for a in proposal.alternatives if a.mentor_id == other]
        assert (
            word(taken.reasons[-1])
            == "all of their free capacity went to other requests in this run"
        )


def test_a_single_mentor_leaves_no_alternatives() -> None:
    [proposal] = solve(problem([request(1)], [mentor(7)])).proposals
    assert proposal.alternatives == ()


def test_an_alternative_that_is_as_good_says_so() -> None:
    case = problem([request(1)], [mentor(7), mentor(8)])
    [proposal] = solve(case).proposals
    [alternative] = proposal.alternatives
    assert alternative.worse_by == 0.0
    assert tuple(map(word, alternative.reasons)) == ("about the same on every count",)


# --- unmatched requests -----------------------------------------------------------------------


def test_an_outcompeted_request_names_who_took_the_mentor() -> None:
    # One place; request 2 has waited longer. Mentor 8 is too far for anyone.
    case = problem(
        [request(1, waiting=1), request(2, waiting=9)],
        [mentor(7, capacity=1), mentor(8, site=5)],
    )
    outcome = solve(case)
    assert [p.request_id for p in outcome.proposals] == [2]
    [unmatched] = outcome.unmatched
    assert unmatched.request_id == 1
    assert unmatched.kind is UnmatchedKind.OUTCOMPETED
    assert unmatched.competitors == (2,)
    assert dict(unmatched.excluded) == {"travel": 1}
    assert word(unmatched.message) == (
        "1 mentor could take this request, but this run gave their capacity to other requests"
        " (2). Matching fits in as many requests as it can, urgent and longer-waiting ones"
        " first, so those had fewer options or a higher priority."
    )


def test_many_competitors_are_listed_five_then_counted() -> None:
    # Seven requests, six places: the one waiting least loses to the six others.
    case = problem(
        [request(i, waiting=10 + i) for i in range(1, 8)],
        [mentor(7, capacity=3), mentor(8, capacity=3)],
    )
    [unmatched] = solve(case).unmatched
    assert unmatched.request_id == 1
    assert unmatched.competitors == (2, 3, 4, 5, 6, 7)
    assert "2 mentors could take this request" in word(unmatched.message)
    assert "(2, 3, 4, 5, 6 and 1 more)" in word(unmatched.message)


@pytest.mark.parametrize("constraint", list(Constraint))
@pytest.mark.parametrize("count", [1, 2])
def test_every_constraint_has_a_phrase_and_a_sentence(constraint: Constraint, count: int) -> None:
    phrase = excluded_phrase(constraint, count, 45)
    assert phrase.startswith(f"{count} ")
    sentence = constraint_sentence(constraint, 45)
    assert sentence
    if constraint is Constraint.TRAVEL:
        assert "45 min" in phrase and "45 min" in sentence


def test_exclusion_phrases_agree_in_number() -> None:
    assert excluded_phrase(Constraint.TRAVEL, 1, 30) == (
        "1 is more than 30 min away or has no route on the site graph"
    )
    assert excluded_phrase(Constraint.TRAVEL, 3, 30) == (
        "3 are more than 30 min away or have no route on the site graph"
    )
    assert excluded_phrase(Constraint.SAME_SITE, 1, 30).startswith("1 works at")
    assert excluded_phrase(Constraint.SAME_SITE, 2, 30).startswith("2 work at")
    assert excluded_phrase(Constraint.TRAINING, 2, 30).startswith("2 have training")


def test_explanations_are_codes_that_a_translation_rewords() -> None:
    case = problem(
        [request(1, language="fr", needs={1: 3})],
        [mentor(7, site=3, languages=["fr"], skills={1: 3})],
        language_names={"fr": "French"},
    )
    [proposal] = solve(case).proposals
    assert proposal.summary.code == "matching.summary"
    assert [part.reason.code for part in proposal.parts] == [
        "matching.skills.covers_one",
        "matching.travel.minutes",
        "matching.role.unknown",
        "matching.language.works_in",
        "matching.load.first_case",
    ]
    assert proposal.parts[3].reason.params == {"language": "French"}
    spanish = {
        "works in {language}": "trabaja en {language}",
        "{minutes} min travel": "{minutes} min",
    }
    worded = word(proposal.summary, lambda wording: spanish.get(wording, wording))
    assert worded == (
        "covers the needed skill; 30 min; the employee's job role is not recorded;"
        " trabaja en French; the mentor's first case"
    )


def every_message(outcome: Outcome) -> list[Message]:
    """Every message a run's explanation holds."""
    found: list[Message] = []
    for proposal in outcome.proposals:
        found += [proposal.summary, *(part.reason for part in proposal.parts)]
        found += [reason for a in proposal.alternatives for reason in a.reasons]
    return found + [u.message for u in outcome.unmatched]


@PROPERTY
@given(problems())
def test_every_message_is_stored_as_plain_json_and_reads_back_the_same(p: Problem) -> None:
    for message in every_message(solve(p)):
        stored = json.loads(json.dumps(message.as_dict()))
        assert Message.from_dict(stored) == message
        assert word(Message.from_dict(stored)) == word(message)


# --- properties on random problems ------------------------------------------------------------


@PROPERTY
@given(problems())
def test_every_proposal_costs_the_sum_of_its_parts(p: Problem) -> None:
    outcome = solve(p)
    keys = ["skills", "travel", "job_role", "language"]
    keys += ["site", "load"] if p.rules.site_rule == "preferred" else ["load"]
    for proposal in outcome.proposals:
        assert [part.key for part in proposal.parts] == keys
        assert proposal.cost == pytest.approx(sum(part.cost for part in proposal.parts), abs=1e-4)
        assert all(part.cost >= 0 and part.reason for part in proposal.parts)
        assert word(proposal.summary) == "; ".join(word(part.reason) for part in proposal.parts)
    assert outcome.total_cost == pytest.approx(sum(x.cost for x in outcome.proposals), abs=1e-6)


@PROPERTY
@given(problems())
def test_alternatives_are_the_cheapest_other_feasible_mentors_sorted_with_true_worse_by(
    p: Problem,
) -> None:
    outcome = solve(p)
    requests = {r.id: r for r in p.requests}
    mentors = {m.id: m for m in p.mentors}
    load = given_load(p, outcome)
    per_case = p.weights.load_per_case
    cases_this_run = Counter(proposal.mentor_id for proposal in outcome.proposals)
    for proposal in outcome.proposals:
        r = requests[proposal.request_id]
        # An alternative is priced at that mentor's next free slot after this run.
        priced = {
            m.id: pair_cost(p, r, m) + per_case * (m.load + cases_this_run[m.id])
            for m in p.mentors
            if m.id != proposal.mentor_id and feasible(p, r, m)
        }
        alternatives = proposal.alternatives
        assert len(alternatives) == min(3, len(priced))
        assert len({a.mentor_id for a in alternatives}) == len(alternatives)
        order = [(a.cost, a.mentor_id) for a in alternatives]
        assert order == sorted(order)
        for a in alternatives:
            assert a.mentor_id in priced  # feasible and not the chosen mentor
            assert a.cost == pytest.approx(priced[a.mentor_id], abs=1e-4)
            assert a.worse_by == pytest.approx(a.cost - proposal.cost, abs=2e-4)
            m = mentors[a.mentor_id]
            assert a.fully_used == (free_of(m) - load[m.id] < weight_of(p, r))
            assert a.reasons
            if a.worse_by < 0 and not a.fully_used:
                assert "cheaper for this request alone" in word(a.reasons[-1])
        if alternatives:
            # Nobody left out is cheaper than the dearest alternative shown.
            shown = {a.mentor_id for a in alternatives}
            dearest = max(a.cost for a in alternatives)
            assert all(cost >= dearest - 1e-4 for m, cost in priced.items() if m not in shown)


@PROPERTY
@given(problems())
def test_unmatched_reasons_count_exclusions_and_name_real_competitors(p: Problem) -> None:
    outcome = solve(p)
    requests = {r.id: r for r in p.requests}
    mentors = {m.id: m for m in p.mentors}
    taken_by = {x.request_id: x.mentor_id for x in outcome.proposals}
    for unmatched in outcome.unmatched:
        r = requests[unmatched.request_id]
        first_reasons = Counter(found[0].value for m in p.mentors if (found := forbidding(p, r, m)))
        assert dict(unmatched.excluded) == dict(first_reasons)
        possible = {m.id for m in p.mentors if feasible(p, r, m)}
        if not possible:
            assert unmatched.kind is UnmatchedKind.NO_FEASIBLE_MENTOR
            assert unmatched.competitors == ()
            if p.mentors:
                assert word(unmatched.message).startswith(f"None of the {len(p.mentors)} mentor"), (
                    word(unmatched.message)
                )
            else:
                assert word(unmatched.message) == "There are no mentors in the pool."
            continue
        assert unmatched.kind is UnmatchedKind.OUTCOMPETED
        # Competitors: exactly the requests matched to a mentor this one could have had.
        rivals = sorted(q for q, m in taken_by.items() if m in possible)
        assert list(unmatched.competitors) == rivals
        assert all(mentors[taken_by[q]].id in possible for q in unmatched.competitors)
        assert word(unmatched.message).startswith(f"{len(possible)} mentor")
        for q in unmatched.competitors[:5]:
            assert str(q) in word(unmatched.message)


@PROPERTY
@given(problems(max_requests=10, max_mentors=3))
def test_a_request_left_out_beside_feasible_mentors_always_has_competitors(p: Problem) -> None:
    # Mentors this request could have had only lack room because others took it.
    outcome = solve(p)
    for unmatched in outcome.unmatched:
        if unmatched.kind is UnmatchedKind.OUTCOMPETED:
            assert unmatched.competitors, word(unmatched.message)


def test_weights_change_the_parts_but_parts_still_add_up() -> None:
    weights = Weights(skills=8, job_role=3, travel_per_minute=2, language=7, load_per_case=1)
    case = problem(
        [request(1, role=1, language="de", needs={1: 1})],
        [mentor(7, site=3, role=2, skills={1: 1}, load=1, capacity=3)],
        weights=weights,
    )
    [proposal] = solve(case).proposals
    parts = {key: cost for key, (cost, _) in parts_of(proposal).items()}
    assert parts == pytest.approx(
        {"skills": 8 * 2 / 3, "travel": 60.0, "job_role": 3.0, "language": 7.0, "load": 1.0}
    )
    assert proposal.cost == pytest.approx(sum(parts.values()), abs=1e-4)


def test_the_load_reason_counts_capacity_units_including_earlier_cases_of_this_run() -> None:
    # One mentor with room for a referred case (2 units) and a voluntary one (1 unit).
    case = problem(
        [request(1, referred=True), request(2)],
        [mentor(7, capacity=3)],
    )
    proposals = solve(case).proposals
    assert len(proposals) == 2
    first, second = sorted(proposals, key=lambda x: {q.key: q.cost for q in x.parts}["load"])
    weight_of_first = 2 if first.request_id == 1 else 1
    assert {q.key: word(q.reason) for q in first.parts}["load"] == "the mentor's first case"
    assert {q.key: word(q.reason) for q in second.parts}["load"] == (
        f"the mentor already carries {weight_of_first} of 3 capacity"
    )
