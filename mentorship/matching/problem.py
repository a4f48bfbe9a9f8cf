"""What the matcher is given and what it gives back (pure: no database or web)."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from enum import StrEnum
from typing import Annotated, Literal

import msgspec
import networkx as nx

from mentorship.agreement.terms import AgreementTerms
from mentorship.district.travel import TravelGraph
from mentorship.lib.messages import Message

Weight = Annotated[float, msgspec.Meta(ge=0, le=10_000)]


class Weights(msgspec.Struct, forbid_unknown_fields=True, frozen=True):
    """How much each soft cost counts. A run records the weights it used.

    Costs are in points: a proposal's cost is the sum of its parts, lower is better.
    """

    skills: Weight = 40.0
    """Points when none of the needed skills is covered; partly covered skills cost a share,
    weighted by each skill's priority and by the mentor's level in it (level 3 covers fully)."""
    job_role: Weight = 10.0
    """Points when the mentor holds a different job role than the employee."""
    travel_per_minute: Weight = 0.5
    """Points per minute of travel between the two sites (shortest path)."""
    language: Weight = 15.0
    """Points when the mentor does not work in the request's preferred language."""
    site_preference: Weight = 10.0
    """Points for a mentor at another site when the agreement prefers the same site."""
    load_per_case: Weight = 5.0
    """Points per case the mentor would already carry: each capacity unit their open cases
    take, plus each case this run gives them before this one. Spreads the load."""
    urgency: Weight = 400.0
    """Priority of an urgent request when mentors are scarce (not part of a proposal's cost)."""
    waiting_per_day: Weight = 1.0
    """Priority per day a request has waited, up to `waiting_cap_days` (not part of the cost)."""
    waiting_cap_days: Annotated[int, msgspec.Meta(ge=0, le=3650)] = 365
    """Waiting beyond this many days adds no more priority."""


DEFAULT_WEIGHTS = Weights()


class Constraint(StrEnum):
    """Why a pair is forbidden, in the order an exclusion is attributed (first applies)."""

    SELF = "self"
    MENTOR_UNAVAILABLE = "mentor_unavailable"
    TRAINING = "training"
    CAPACITY = "capacity"
    SUPERVISOR_CHAIN = "supervisor_chain"
    SAME_SITE = "same_site"
    TRAVEL = "travel"
    REJECTED = "rejected"
    DECLINED = "declined"


CONSTRAINT_ORDER: tuple[Constraint, ...] = tuple(Constraint)


@dataclass(frozen=True)
class Rules:
    """The agreement terms matching obeys."""

    site_rule: Literal["forbidden", "allowed", "preferred"] = "forbidden"
    max_travel_minutes: float = 45
    referred_weight: int = 2

    @classmethod
    def from_terms(cls, terms: AgreementTerms) -> Rules:
        """The rules an agreement version sets."""
        return cls(
            site_rule=terms.mentor_site_rule,
            max_travel_minutes=terms.max_travel_minutes,
            referred_weight=terms.referred_case_weight,
        )


@dataclass(frozen=True)
class RequestInput:
    """An open request as the matcher sees it."""

    id: int
    employee_id: int
    site_id: int | None
    job_role_id: int | None
    language: str | None
    urgent: bool
    waiting_days: float
    referred: bool
    needs: Mapping[int, int]
    """Skill id → priority, 1 (nice to have) to 3 (essential)."""
    rejected_mentors: frozenset[int] = frozenset()
    """Mentors (account ids) a coordinator rejected for this request."""
    declined_mentors: frozenset[int] = frozenset()
    """Mentors barred for this person: the employee declined them, or a coordinator barred
    the pair for good (for example because the mentor declined this mentee)."""


@dataclass(frozen=True)
class MentorInput:
    """A member of the mentor pool as the matcher sees them (id = account id)."""

    id: int
    site_id: int | None
    job_role_id: int | None
    languages: frozenset[str]
    skills: Mapping[int, int]
    """Skill id → level, 1 (some) to 3 (expert)."""
    capacity: int
    """Weighted capacity (a referred case counts `Rules.referred_weight`)."""
    load: int
    """Weighted capacity already taken by open cases."""
    available: bool = True
    """False when suspended, marked unavailable or the account is deactivated."""
    training_current: bool = True


@dataclass(frozen=True)
class Problem:
    """Everything one run needs."""

    requests: Sequence[RequestInput]
    mentors: Sequence[MentorInput]
    travel: TravelGraph
    supervision: nx.DiGraph
    """Edges supervisor → employee (account ids)."""
    rules: Rules = field(default_factory=Rules)
    weights: Weights = DEFAULT_WEIGHTS
    skill_names: Mapping[int, str] = field(default_factory=dict)
    language_names: Mapping[str, str] = field(default_factory=dict)
    """Normalised language key → the name to show; missing keys are shown as given."""


@dataclass(frozen=True)
class CostPart:
    """One component of a proposal's cost and what it means (a coded message)."""

    key: str
    cost: float
    reason: Message


@dataclass(frozen=True)
class Alternative:
    """A mentor who could have taken the request instead, and how they compare."""

    mentor_id: int
    cost: float
    worse_by: float
    """How many points dearer than the proposal (negative: cheaper for this request alone)."""
    reasons: tuple[Message, ...]
    fully_used: bool
    """True when this run gave all of the mentor's free capacity to other requests."""


@dataclass(frozen=True)
class ProposalResult:
    """A proposed pair with its explanation."""

    request_id: int
    mentor_id: int
    cost: float
    parts: tuple[CostPart, ...]
    summary: Message
    alternatives: tuple[Alternative, ...]


class UnmatchedKind(StrEnum):
    """Why a request got no proposal."""

    NO_FEASIBLE_MENTOR = "no_feasible_mentor"
    OUTCOMPETED = "outcompeted"
    CHANGED_DURING_RUN = "changed_during_run"
    """The proposed pair stopped being possible while the run was solving."""


@dataclass(frozen=True)
class UnmatchedResult:
    """A request left without a proposal, and why."""

    request_id: int
    kind: UnmatchedKind
    message: Message
    excluded: Mapping[str, int]
    """Constraint → how many mentors it excluded (each mentor counted once, first rule)."""
    competitors: tuple[int, ...]
    """Requests that took the mentors this one could have had."""


@dataclass(frozen=True)
class Outcome:
    """A run's result: proposals, unmatched requests, totals and timings (seconds)."""

    proposals: tuple[ProposalResult, ...]
    unmatched: tuple[UnmatchedResult, ...]
    total_cost: float
    request_count: int
    mentor_count: int
    slot_count: int
    component_count: int
    timings: Mapping[str, float]
