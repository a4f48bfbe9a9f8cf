"""Explanations of a solved run as coded messages (pure; numpy for the pair arithmetic).

Every reason is a `Message` of the matching catalogue (`matching.messages`): a code and its
parameters, worded where it is shown.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
from numpy.typing import NDArray

from mentorship.lib.messages import Message
from mentorship.matching.messages import MATCHING, excluded, minutes, named, summary
from mentorship.matching.pairs import (
    Assignment,
    IntArray,
    PairMatrix,
    Prepared,
    pair_parts,
    reason_codes,
    skill_counts,
)
from mentorship.matching.problem import (
    CONSTRAINT_ORDER,
    Alternative,
    CostPart,
    ProposalResult,
    UnmatchedKind,
    UnmatchedResult,
)

ALTERNATIVES = 3


@dataclass
class _Facts:
    """Cost parts of a list of pairs as plain Python lists (fast to read one by one), plus
    how many needed skills each pair covers; `total` stays an array for arithmetic."""

    skills: list[float]
    job_role: list[float]
    travel: list[float]
    language: list[float]
    site: list[float]
    minutes: list[float]
    same_role: list[bool]
    speaks: list[bool]
    same_site: list[bool]
    covered: list[int]
    needed: list[int]
    total: NDArray[np.float64]


def _facts(prepared: Prepared, rows: IntArray, mentors: IntArray) -> _Facts:
    covered, needed = skill_counts(prepared, rows, mentors)
    parts = pair_parts(prepared, rows, mentors)
    return _Facts(
        skills=parts.skills.tolist(),
        job_role=parts.job_role.tolist(),
        travel=parts.travel.tolist(),
        language=parts.language.tolist(),
        site=parts.site.tolist(),
        minutes=parts.minutes.tolist(),
        same_role=parts.same_role.tolist(),
        speaks=parts.speaks.tolist(),
        same_site=parts.same_site.tolist(),
        covered=covered.tolist(),
        needed=needed.tolist(),
        total=parts.total,
    )


class _Words:
    """Formats the facts of a pair for one prepared problem."""

    def __init__(self, prepared: Prepared) -> None:
        self.prepared = prepared
        self.names = prepared.problem.skill_names
        self.languages = prepared.problem.language_names
        self.role_unknown = (prepared.request_role == -1).tolist()
        self.site_preferred = prepared.problem.rules.site_rule == "preferred"
        self.per_case = prepared.problem.weights.load_per_case
        self.mentor_ids: list[int] = prepared.mentor_ids.tolist()

    def language(self, row: int) -> str | None:
        raw = self.prepared.requests[row].language
        if raw is None or not raw.strip():
            return None
        return self.languages.get(raw.strip().casefold(), raw.strip())

    def missing_skills(self, row: int, mentor: int) -> list[str]:
        needs = self.prepared.needs[row]
        offered = self.prepared.levels[mentor]
        skill_ids = self.prepared.skill_ids
        missing = [
            (-needs[k], self.names.get(skill_ids[k], f"skill {skill_ids[k]}"))
            for k in np.flatnonzero((needs > 0) & (offered == 0))
        ]
        missing.sort()  # essential skills first, then by name
        return [name for _, name in missing]

    def skills(self, row: int, mentor: int, facts: _Facts, p: int) -> Message:
        """How far the mentor covers the skills the request needs."""
        needed, covered = facts.needed[p], facts.covered[p]
        if needed == 0:
            return MATCHING("skills.none_asked")
        if covered == needed:
            below = facts.skills[p] > 1e-9
            if needed == 1:
                return MATCHING("skills.covers_one_below_expert" if below else "skills.covers_one")
            name = "skills.covers_all_below_expert" if below else "skills.covers_all"
            return MATCHING(name, needed=needed)
        missing, more = named(self.missing_skills(row, mentor))
        if needed == 1:
            return MATCHING("skills.misses_one", missing=missing)
        if more:
            return MATCHING(
                "skills.covers_some_more",
                covered=covered,
                needed=needed,
                missing=missing,
                more=more,
            )
        return MATCHING("skills.covers_some", covered=covered, needed=needed, missing=missing)

    def parts(
        self, row: int, mentor: int, facts: _Facts, p: int, units_before: int, load_cost: float
    ) -> tuple[CostPart, ...]:
        """The cost parts of pair p (row, mentor) with their reasons."""
        if self.role_unknown[row]:
            role = MATCHING("role.unknown")
        else:
            role = MATCHING("role.same" if facts.same_role[p] else "role.different")
        if facts.same_site[p]:
            travel = MATCHING("travel.none")
        else:
            travel = MATCHING("travel.minutes", minutes=minutes(facts.minutes[p]))
        language = self.language(row)
        if language is None:
            spoken = MATCHING("language.none")
        else:
            works = "language.works_in" if facts.speaks[p] else "language.not_in"
            spoken = MATCHING(works, language=language)
        result = [
            CostPart("skills", facts.skills[p], self.skills(row, mentor, facts, p)),
            CostPart("travel", facts.travel[p], travel),
            CostPart("job_role", facts.job_role[p], role),
            CostPart("language", facts.language[p], spoken),
        ]
        if self.site_preferred:
            site = "site.same_preferred" if facts.same_site[p] else "site.other_preferred"
            result.append(CostPart("site", facts.site[p], MATCHING(site)))
        capacity = self.prepared.mentors[mentor].capacity
        if units_before == 0:
            load = MATCHING("load.first_case")
        else:
            load = MATCHING("load.carries", units=units_before, capacity=capacity)
        result.append(CostPart("load", load_cost, load))
        return tuple(result)

    def comparison(
        self,
        chosen: _Facts,
        c: int,
        alt: _Facts,
        a: int,
        chosen_load: int,
        alt_load: int,
        alt_units: int,
    ) -> list[Message]:
        """How an alternative differs from the chosen mentor, biggest differences first.

        `chosen_load` and `alt_load` are the slot loads the two are priced at; `alt_units`
        is the capacity the alternative already carries.
        """
        reasons: list[tuple[float, Message]] = []
        skill_gap = float(alt.skills[a] - chosen.skills[c])
        if alt.covered[a] != chosen.covered[c]:
            more = "more" if alt.covered[a] > chosen.covered[c] else "fewer"
            covers = MATCHING(
                f"alternative.covers_{more}", covered=alt.covered[a], needed=alt.needed[a]
            )
            reasons.append((skill_gap, covers))
        elif abs(skill_gap) > 1e-6:
            level = "lower" if skill_gap > 0 else "higher"
            reasons.append((skill_gap, MATCHING(f"alternative.{level}_levels")))
        if abs(float(alt.minutes[a] - chosen.minutes[c])) >= 1:
            travel = MATCHING(
                "alternative.travel",
                minutes=minutes(alt.minutes[a]),
                instead=minutes(chosen.minutes[c]),
            )
            reasons.append((float(alt.travel[a] - chosen.travel[c]), travel))
        flags = (
            (alt.job_role[a], chosen.job_role[c], "different_role", "same_role"),
            (alt.language[a], chosen.language[c], "not_language", "language"),
            (alt.site[a], chosen.site[c], "other_site", "same_site"),
        )
        for alt_cost, chosen_cost, worse, better in flags:
            if alt_cost != chosen_cost:
                name = worse if alt_cost > chosen_cost else better
                reasons.append((float(alt_cost - chosen_cost), MATCHING(f"alternative.{name}")))
        if alt_load != chosen_load:
            if alt_units:
                load = MATCHING("alternative.carries", units=alt_units)
            else:
                load = MATCHING("alternative.no_cases")
            reasons.append((self.per_case * (alt_load - chosen_load), load))
        reasons.sort(key=lambda item: -abs(item[0]))
        return [reason for _, reason in reasons] or [MATCHING("alternative.same")]


@dataclass
class _Alternatives:
    """The next best mentors of every matched request, found in one vectorised pass."""

    index: list[list[int]]  # matched request × rank → mentor position
    cost: list[list[float]]  # the same, priced at the mentor's next free slot
    width: int  # alternatives per request (fewer when some are forbidden: cost inf)
    facts: _Facts  # their cost parts, row-major over (request, rank)
    next_load: list[int]  # per mentor: the slot load after this run's cases
    units_now: list[int]  # per mentor: capacity units carried after this run
    remaining: list[int]  # per mentor: free capacity units left after this run


def _alternatives(
    prepared: Prepared, pairs: PairMatrix, matched: IntArray, chosen_mentor: IntArray
) -> _Alternatives:
    """An alternative is priced at that mentor's next free slot after this run: what the
    request would cost there now, beside the cases this run already gives them."""
    used = np.bincount(
        chosen_mentor, weights=prepared.weight[matched], minlength=prepared.shape[1]
    ).astype(np.intp)
    next_slot_load = prepared.load + np.bincount(chosen_mentor, minlength=prepared.shape[1])
    k = min(ALTERNATIVES, max(prepared.shape[1] - 1, 0))
    index = np.zeros((len(matched), 0), dtype=np.intp)
    cost = np.zeros((len(matched), 0))
    if k and len(matched):
        per_case = prepared.problem.weights.load_per_case
        candidates = pairs.cost[matched] + per_case * next_slot_load[None, :]
        candidates[np.arange(len(matched)), chosen_mentor] = np.inf
        top = np.argpartition(candidates, k - 1, axis=1)[:, :k]
        top_cost = np.take_along_axis(candidates, top, axis=1)
        order = np.lexsort((top, top_cost), axis=1)  # by cost, ties by mentor id
        index = np.take_along_axis(top, order, axis=1)
        cost = np.take_along_axis(top_cost, order, axis=1)
    rows = np.repeat(np.arange(len(matched)), index.shape[1])
    return _Alternatives(
        index=index.tolist(),
        cost=cost.tolist(),
        width=index.shape[1],
        facts=_facts(prepared, matched[rows], index.ravel()),
        next_load=next_slot_load.tolist(),
        units_now=(prepared.load + used).tolist(),
        remaining=(prepared.free - used).tolist(),
    )


def explain(
    prepared: Prepared, pairs: PairMatrix, assignment: Assignment
) -> tuple[tuple[ProposalResult, ...], tuple[UnmatchedResult, ...]]:
    """Proposals with cost parts and alternatives; unmatched requests with their reasons."""
    words = _Words(prepared)
    matched = np.flatnonzero(assignment.mentor_of >= 0)
    chosen_mentor = assignment.mentor_of[matched]
    chosen = _facts(prepared, matched, chosen_mentor)
    chosen_cost = (chosen.total + assignment.load_cost[matched]).tolist()
    others = _alternatives(prepared, pairs, matched, chosen_mentor)
    # Plain lists from here on: reading numpy scalars one at a time is slow.
    mentor_list = chosen_mentor.tolist()
    load_before = assignment.load_before[matched].tolist()
    units_before = assignment.units_before[matched].tolist()
    weight = prepared.weight.tolist()
    load_cost = assignment.load_cost[matched].tolist()
    mentor_ids = prepared.mentor_ids.tolist()
    request_ids = prepared.request_ids.tolist()
    proposals: list[ProposalResult] = []
    for p, row in enumerate(matched.tolist()):
        mentor = mentor_list[p]
        parts = words.parts(row, mentor, chosen, p, units_before[p], load_cost[p])
        proposals.append(
            ProposalResult(
                request_id=request_ids[row],
                mentor_id=mentor_ids[mentor],
                cost=round(chosen_cost[p], 4),
                parts=parts,
                summary=summary(tuple(part.reason for part in parts)),
                alternatives=_compared(
                    words, chosen, chosen_cost[p], others, p, load_before[p], weight[row]
                ),
            )
        )
    return tuple(proposals), _unmatched(prepared, assignment)


def _compared(
    words: _Words,
    chosen: _Facts,
    chosen_cost: float,
    others: _Alternatives,
    p: int,
    load_before: int,
    weight: int,
) -> tuple[Alternative, ...]:
    """The alternatives of the p-th matched request (which takes `weight` capacity units,
    priced at slot load `load_before`), each compared with its chosen mentor."""
    width = others.width
    mentor_ids = words.mentor_ids
    result = []
    for q in range(width):
        cost = others.cost[p][q]
        if cost == np.inf:
            break
        other = others.index[p][q]
        fully_used = others.remaining[other] < weight
        reasons = words.comparison(
            chosen,
            p,
            others.facts,
            p * width + q,
            load_before,
            others.next_load[other],
            others.units_now[other],
        )
        if fully_used:
            reasons.append(MATCHING("alternative.fully_used"))
        elif cost < chosen_cost:
            reasons.append(MATCHING("alternative.cheaper_alone"))
        result.append(
            Alternative(
                mentor_id=mentor_ids[other],
                cost=round(cost, 4),
                worse_by=round(cost - chosen_cost, 4),
                reasons=tuple(reasons),
                fully_used=fully_used,
            )
        )
    return tuple(result)


def _unmatched(prepared: Prepared, assignment: Assignment) -> tuple[UnmatchedResult, ...]:
    """Each request left without a proposal, with why: no mentor meets the rules for it,
    or those who do were given to other requests."""
    mentor_of = assignment.mentor_of
    rows = np.flatnonzero(mentor_of < 0)
    if len(rows) == 0:
        return ()
    codes = reason_codes(prepared, rows)
    feasible_count = (codes < 0).sum(axis=1)
    counts = np.stack([(codes == c).sum(axis=1) for c in range(len(CONSTRAINT_ORDER))], axis=1)
    takers: dict[int, list[int]] = {}
    for row in np.flatnonzero(mentor_of >= 0):
        takers.setdefault(int(mentor_of[row]), []).append(int(prepared.request_ids[row]))
    result = []
    for u, row in enumerate(rows):
        left_out = {CONSTRAINT_ORDER[c].value: int(counts[u, c]) for c in np.flatnonzero(counts[u])}
        request_id = int(prepared.request_ids[row])
        if feasible_count[u] == 0:
            message = _none_fit(prepared, counts[u])
            result.append(
                UnmatchedResult(request_id, UnmatchedKind.NO_FEASIBLE_MENTOR, message, left_out, ())
            )
            continue
        possible = np.flatnonzero(codes[u] < 0)
        competitors = tuple(sorted({r for m in possible for r in takers.get(int(m), [])}))
        message = _outcompeted(len(possible), competitors)
        result.append(
            UnmatchedResult(request_id, UnmatchedKind.OUTCOMPETED, message, left_out, competitors)
        )
    return tuple(result)


def _none_fit(prepared: Prepared, counts: NDArray[np.intp]) -> Message:
    """No mentor in the pool meets the rules: how many each rule left out, most first."""
    pool = prepared.shape[1]
    if pool == 0:
        return MATCHING("unmatched.empty_pool")
    max_travel = prepared.problem.rules.max_travel_minutes
    phrases = tuple(
        excluded(CONSTRAINT_ORDER[c], int(counts[c]), max_travel)
        for c in np.argsort(-counts, kind="stable")
        if counts[c]
    )
    if pool == 1:
        return MATCHING("unmatched.none_fit_one", excluded=phrases)
    return MATCHING("unmatched.none_fit", mentors=pool, excluded=phrases)


def _outcompeted(possible: int, competitors: tuple[int, ...]) -> Message:
    """Some mentors meet the rules, but their capacity went elsewhere (to `competitors`)."""
    one = "_one" if possible == 1 else ""
    if not competitors:
        return MATCHING(f"unmatched.no_room{one}", mentors=possible)
    requests, more = named([str(c) for c in competitors])
    if more:
        return MATCHING(
            f"unmatched.outcompeted{one}_more", mentors=possible, requests=requests, more=more
        )
    return MATCHING(f"unmatched.outcompeted{one}", mentors=possible, requests=requests)
