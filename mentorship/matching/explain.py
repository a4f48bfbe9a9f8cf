"""Plain-language explanations of a solved run (pure; numpy for the pair arithmetic)."""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

import numpy as np
from numpy.typing import NDArray

from mentorship.matching.problem import (
    CONSTRAINT_ORDER,
    Alternative,
    Constraint,
    CostPart,
    ProposalResult,
    UnmatchedKind,
    UnmatchedResult,
)

if TYPE_CHECKING:
    from mentorship.matching.solver import Assignment, IntArray, PairMatrix, Prepared

ALTERNATIVES = 3
MAX_NAMED = 5  # skills or requests named in one sentence before "and N more"


def _plural(count: int, one: str, many: str | None = None) -> str:
    return f"{count} {one if count == 1 else (many or one + 's')}"


def _listing(items: list[str]) -> str:
    shown = items[:MAX_NAMED]
    more = len(items) - len(shown)
    text = ", ".join(shown)
    return f"{text} and {more} more" if more else text


def _minutes(value: float) -> str:
    return f"{round(float(value))} min"


def excluded_phrase(constraint: Constraint, count: int, max_travel: float) -> str:
    """'3 are in the employee's supervisory chain' and the like."""
    verb = "is" if count == 1 else "are"
    has = "has" if count == 1 else "have"
    phrases = {
        Constraint.SELF: f"{count} {verb} the employee themself",
        Constraint.MENTOR_UNAVAILABLE: (
            f"{count} {verb} not taking cases now (suspended, unavailable or deactivated)"
        ),
        Constraint.TRAINING: f"{count} {has} training that is incomplete or expired",
        Constraint.CAPACITY: f"{count} {has} no free capacity for it",
        Constraint.SUPERVISOR_CHAIN: f"{count} {verb} in the employee's supervisory chain",
        Constraint.SAME_SITE: f"{count} work{'s' if count == 1 else ''} at the employee's site,"
        " which the agreement forbids",
        Constraint.TRAVEL: f"{count} {verb} more than {_minutes(max_travel)} away or {has} no"
        " route on the site graph",
        Constraint.REJECTED: f"{count} {verb} rejected for this request already",
        Constraint.DECLINED: f"{count} {verb} barred for this person (declined before)",
    }
    return phrases[constraint]


def constraint_sentence(constraint: Constraint, max_travel: float) -> str:
    """Why one pair is forbidden, for an override refusal."""
    sentences = {
        Constraint.SELF: "a mentor cannot be matched with their own request",
        Constraint.MENTOR_UNAVAILABLE: "the mentor is not taking cases now (suspended,"
        " unavailable or deactivated)",
        Constraint.TRAINING: "the mentor's required training is incomplete or expired",
        Constraint.CAPACITY: "the mentor has no free capacity for this request",
        Constraint.SUPERVISOR_CHAIN: "the mentor is in the employee's supervisory chain",
        Constraint.SAME_SITE: "the mentor works at the employee's site, which the agreement"
        " forbids",
        Constraint.TRAVEL: f"the sites are more than {_minutes(max_travel)} apart or have no"
        " route on the site graph",
        Constraint.REJECTED: "this mentor was rejected for this request",
        Constraint.DECLINED: "this mentor is barred for this person (declined before)",
    }
    return sentences[constraint]


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
    from mentorship.matching.solver import pair_parts, skill_counts  # solver imports us

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

    def parts(
        self, row: int, mentor: int, facts: _Facts, p: int, units_before: int, load_cost: float
    ) -> tuple[CostPart, ...]:
        """The cost parts of pair p (row, mentor) with their reasons."""
        prepared = self.prepared
        parts = facts
        needed, covered = facts.needed[p], facts.covered[p]
        if needed == 0:
            skills = "no particular skills asked for"
        elif covered == needed:
            skills = (
                "covers the needed skill" if needed == 1 else f"covers all {needed} needed skills"
            )
            if parts.skills[p] > 1e-9:
                skills += ", below expert level" if needed == 1 else ", some below expert level"
        else:
            missing = _listing(self.missing_skills(row, mentor))
            skills = (
                f"does not cover the needed skill ({missing})"
                if needed == 1
                else f"covers {covered} of {needed} needed skills (not {missing})"
            )
        if self.role_unknown[row]:
            role = "the employee's job role is not recorded"
        else:
            role = "same job role" if parts.same_role[p] else "different job role"
        if parts.same_site[p]:
            travel = "same site, no travel"
        else:
            travel = f"{_minutes(parts.minutes[p])} travel"
        language = self.language(row)
        if language is None:
            spoken = "no language preference"
        else:
            spoken = f"works in {language}" if parts.speaks[p] else f"does not work in {language}"
        capacity = prepared.mentors[mentor].capacity
        load = (
            "the mentor's first case"
            if units_before == 0
            else f"the mentor already carries {units_before} of {capacity} capacity"
        )
        result = [
            CostPart("skills", parts.skills[p], skills),
            CostPart("travel", parts.travel[p], travel),
            CostPart("job_role", parts.job_role[p], role),
            CostPart("language", parts.language[p], spoken),
        ]
        if self.site_preferred:
            site = (
                "same site, as the agreement prefers"
                if parts.same_site[p]
                else "another site (the agreement prefers the same site)"
            )
            result.append(CostPart("site", parts.site[p], site))
        result.append(CostPart("load", load_cost, load))
        return tuple(result)

    def comparison(
        self,
        chosen_facts: _Facts,
        c: int,
        alt_facts: _Facts,
        a: int,
        chosen_load: int,
        alt_load: int,
        alt_units: int,
    ) -> list[str]:
        """How an alternative differs from the chosen mentor, biggest differences first.

        `chosen_load` and `alt_load` are the slot loads the two are priced at; `alt_units`
        is the capacity the alternative already carries.
        """
        reasons: list[tuple[float, str]] = []
        chosen, alt = chosen_facts, alt_facts
        skill_gap = float(alt.skills[a] - chosen.skills[c])
        alt_covered, chosen_covered = alt_facts.covered[a], chosen_facts.covered[c]
        if alt_covered != chosen_covered:
            more = "more" if alt_covered > chosen_covered else "fewer"
            reasons.append(
                (skill_gap, f"covers {more} needed skills ({alt_covered} of {alt_facts.needed[a]})")
            )
        elif abs(skill_gap) > 1e-6:
            level = "lower" if skill_gap > 0 else "higher"
            reasons.append((skill_gap, f"{level} levels in the needed skills"))
        travel_gap = float(alt.travel[a] - chosen.travel[c])
        if abs(float(alt.minutes[a] - chosen.minutes[c])) >= 1:
            reasons.append(
                (
                    travel_gap,
                    f"{_minutes(alt.minutes[a])} travel instead of {_minutes(chosen.minutes[c])}",
                )
            )
        if alt.job_role[a] != chosen.job_role[c]:
            text = "different job role" if alt.job_role[a] > chosen.job_role[c] else "same job role"
            reasons.append((float(alt.job_role[a] - chosen.job_role[c]), text))
        if alt.language[a] != chosen.language[c]:
            text = (
                "does not work in the preferred language"
                if alt.language[a] > 0
                else ("works in the preferred language")
            )
            reasons.append((float(alt.language[a] - chosen.language[c]), text))
        if alt.site[a] != chosen.site[c]:
            text = "another site" if alt.site[a] > chosen.site[c] else "same site"
            reasons.append((float(alt.site[a] - chosen.site[c]), text))
        per_case = self.per_case
        if alt_load != chosen_load:
            text = f"already carries {alt_units} capacity" if alt_units else "has no cases yet"
            reasons.append((per_case * (alt_load - chosen_load), text))
        reasons.sort(key=lambda item: -abs(item[0]))
        return [text for _, text in reasons] or ["about the same on every count"]


def explain(
    prepared: Prepared, pairs: PairMatrix, assignment: Assignment
) -> tuple[tuple[ProposalResult, ...], tuple[UnmatchedResult, ...]]:
    """Proposals with cost parts and alternatives; unmatched requests with their reasons."""
    words = _Words(prepared)
    mentor_of = assignment.mentor_of
    matched = np.flatnonzero(mentor_of >= 0)
    chosen_mentor = mentor_of[matched]
    chosen = _facts(prepared, matched, chosen_mentor)
    chosen_cost = (chosen.total + assignment.load_cost[matched]).tolist()

    used = np.bincount(
        chosen_mentor, weights=prepared.weight[matched], minlength=prepared.shape[1]
    ).astype(np.intp)
    remaining = prepared.free - used
    per_case = prepared.problem.weights.load_per_case
    # An alternative is priced at that mentor's next free slot after this run: what the
    # request would cost there now, beside the cases this run already gives them.
    next_slot_load = prepared.load + np.bincount(chosen_mentor, minlength=prepared.shape[1])
    units_now = prepared.load + used

    # The next best mentors of every matched request, in one vectorised pass.
    k = min(ALTERNATIVES, max(prepared.shape[1] - 1, 0))
    alt_index = np.zeros((len(matched), 0), dtype=np.intp)
    alt_cost = np.zeros((len(matched), 0))
    if k and len(matched):
        candidates = pairs.cost[matched] + per_case * next_slot_load[None, :]
        candidates[np.arange(len(matched)), chosen_mentor] = np.inf
        top = np.argpartition(candidates, k - 1, axis=1)[:, :k]
        top_cost = np.take_along_axis(candidates, top, axis=1)
        order = np.lexsort((top, top_cost), axis=1)  # by cost, ties by mentor id
        alt_index = np.take_along_axis(top, order, axis=1)
        alt_cost = np.take_along_axis(top_cost, order, axis=1)
    alt_rows = np.repeat(np.arange(len(matched)), alt_index.shape[1])
    alt_flat = alt_index.ravel()
    alt_parts = _facts(prepared, matched[alt_rows], alt_flat)

    # Plain lists from here on: reading numpy scalars one at a time is slow.
    rows_list = matched.tolist()
    mentor_list = chosen_mentor.tolist()
    load_before_list = assignment.load_before[matched].tolist()
    units_before_list = assignment.units_before[matched].tolist()
    load_cost_list = assignment.load_cost[matched].tolist()
    alt_cost_list = alt_cost.tolist()
    alt_index_list = alt_index.tolist()
    remaining_list = remaining.tolist()
    weight_list = prepared.weight.tolist()
    mentor_ids = prepared.mentor_ids.tolist()
    request_ids = prepared.request_ids.tolist()
    next_load_list = next_slot_load.tolist()
    units_now_list = units_now.tolist()
    width = alt_index.shape[1]
    proposals: list[ProposalResult] = []
    for p, row in enumerate(rows_list):
        mentor = mentor_list[p]
        load_before = load_before_list[p]
        parts = words.parts(row, mentor, chosen, p, units_before_list[p], load_cost_list[p])
        alternatives = []
        for q in range(width):
            cost = alt_cost_list[p][q]
            if cost == np.inf:
                break
            other = alt_index_list[p][q]
            fully_used = remaining_list[other] < weight_list[row]
            reasons = words.comparison(
                chosen,
                p,
                alt_parts,
                p * width + q,
                load_before,
                next_load_list[other],
                units_now_list[other],
            )
            if fully_used:
                reasons.append("all of their free capacity went to other requests in this run")
            elif cost < chosen_cost[p]:
                reasons.append(
                    "cheaper for this request alone, but not in the best plan for all"
                    " requests together"
                )
            alternatives.append(
                Alternative(
                    mentor_id=mentor_ids[other],
                    cost=round(cost, 4),
                    worse_by=round(cost - chosen_cost[p], 4),
                    reasons=tuple(reasons),
                    fully_used=fully_used,
                )
            )
        proposals.append(
            ProposalResult(
                request_id=request_ids[row],
                mentor_id=mentor_ids[mentor],
                cost=round(chosen_cost[p], 4),
                parts=parts,
                summary="; ".join(part.reason for part in parts),
                alternatives=tuple(alternatives),
            )
        )
    return tuple(proposals), _unmatched(prepared, pairs, assignment)


def _unmatched(
    prepared: Prepared, pairs: PairMatrix, assignment: Assignment
) -> tuple[UnmatchedResult, ...]:
    mentor_of = assignment.mentor_of
    rows = np.flatnonzero(mentor_of < 0)
    if len(rows) == 0:
        return ()
    max_travel = prepared.problem.rules.max_travel_minutes
    from mentorship.matching.solver import reason_codes

    codes = reason_codes(prepared, rows)
    feasible_count = (codes < 0).sum(axis=1)
    counts = np.stack([(codes == c).sum(axis=1) for c in range(len(CONSTRAINT_ORDER))], axis=1)
    takers: dict[int, list[int]] = {}
    for row in np.flatnonzero(mentor_of >= 0):
        takers.setdefault(int(mentor_of[row]), []).append(int(prepared.request_ids[row]))
    result = []
    for u, row in enumerate(rows):
        excluded = {CONSTRAINT_ORDER[c].value: int(counts[u, c]) for c in np.flatnonzero(counts[u])}
        request_id = int(prepared.request_ids[row])
        if feasible_count[u] == 0:
            if prepared.shape[1] == 0:
                message = "There are no mentors in the pool."
            else:
                parts = [
                    excluded_phrase(CONSTRAINT_ORDER[c], int(counts[u, c]), max_travel)
                    for c in np.argsort(-counts[u], kind="stable")
                    if counts[u, c]
                ]
                pool = _plural(prepared.shape[1], "mentor")
                message = (
                    f"None of the {pool} in the pool can take this request: "
                    + "; ".join(parts)
                    + "."
                )
            result.append(
                UnmatchedResult(request_id, UnmatchedKind.NO_FEASIBLE_MENTOR, message, excluded, ())
            )
            continue
        possible = np.flatnonzero(codes[u] < 0)
        competitors = sorted({r for m in possible for r in takers.get(int(m), [])})
        if not competitors:
            message = (
                f"{_plural(len(possible), 'mentor')} could take this request, but their"
                " remaining capacity could not hold it beside their other proposals (a referred"
                " request counts more than once)."
            )
            result.append(
                UnmatchedResult(request_id, UnmatchedKind.OUTCOMPETED, message, excluded, ())
            )
            continue
        message = (
            f"{_plural(len(possible), 'mentor')} could take this request, but this run gave"
            f" their capacity to other requests ({_listing([str(c) for c in competitors])})."
            " Matching fits in as many requests as it can, urgent and longer-waiting ones"
            " first, so those had fewer options or a higher priority."
        )
        result.append(
            UnmatchedResult(
                request_id, UnmatchedKind.OUTCOMPETED, message, excluded, tuple(competitors)
            )
        )
    return tuple(result)
