"""Request and response shapes of the mentor-pool and training API."""

from __future__ import annotations

from datetime import date, datetime
from typing import Annotated

import msgspec

from mentorship.pool.tables import MentorStatus

Level = Annotated[int, msgspec.Meta(ge=1, le=3, description="1 some, 2 solid, 3 expert")]
Reason = Annotated[str, msgspec.Meta(min_length=1, max_length=2000, pattern=r"\S")]


class SkillLevel(msgspec.Struct, forbid_unknown_fields=True):
    """A skill offered at a level."""

    skill_id: int
    level: Level


class MentorApply(msgspec.Struct, forbid_unknown_fields=True):
    """An application to the mentor pool."""

    skills: Annotated[list[SkillLevel], msgspec.Meta(min_length=1, max_length=30)]
    languages: Annotated[
        list[Annotated[str, msgspec.Meta(min_length=2, max_length=40, pattern=r"\S")]],
        msgspec.Meta(min_length=1, max_length=10),
    ]
    statement: Annotated[str, msgspec.Meta(min_length=1, max_length=5000, pattern=r"\S")]


class Decision(msgspec.Struct, forbid_unknown_fields=True):
    """A coordinator's reason for declining, suspending or retiring."""

    reason: Reason


class ApproveBody(msgspec.Struct, forbid_unknown_fields=True):
    """Approval, optionally with a capacity below the agreement's cap."""

    capacity: Annotated[int, msgspec.Meta(ge=1, le=50)] | None = None


class CapacitySet(msgspec.Struct, forbid_unknown_fields=True):
    """A mentor's weighted capacity (at most the agreement's caseload cap)."""

    capacity: Annotated[int, msgspec.Meta(ge=1, le=50)]


class AvailabilitySet(msgspec.Struct, forbid_unknown_fields=True):
    """Whether the mentor takes new cases now."""

    available: bool


class TopicStandingRead(msgspec.Struct):
    """Current hours in one required topic."""

    topic: str
    required_hours: float
    current_hours: float
    missing_hours: float


class TrainingStandingRead(msgspec.Struct):
    """Training measured against the agreement in force."""

    complete: bool
    topics: list[TopicStandingRead]
    required_total_hours: float
    current_total_hours: float
    missing_total_hours: float
    current_until: date | None
    shortfall: str


class SkillLevelRead(msgspec.Struct):
    """A skill the mentor offers."""

    skill_id: int
    name: str
    level: int


class MentorRead(msgspec.Struct):
    """A person's standing in the mentor pool."""

    account_id: int
    display_name: str
    status: MentorStatus
    statement: str
    skills: list[SkillLevelRead]
    languages: list[str]
    capacity: int
    capacity_is_default: bool
    available: bool
    matchable: bool
    applied_at: datetime
    decided_at: datetime | None
    status_reason: str
    training: TrainingStandingRead


class TrainingCreate(msgspec.Struct, forbid_unknown_fields=True):
    """A completed training. Coordinators name the person; others record their own."""

    topic: Annotated[str, msgspec.Meta(min_length=1, max_length=200, pattern=r"\S")]
    hours: Annotated[float, msgspec.Meta(gt=0, le=200, multiple_of=0.25)]
    completed_on: date
    provider: Annotated[str, msgspec.Meta(max_length=200)] = ""
    account_id: int | None = None


class TrainingRead(msgspec.Struct):
    """A training record."""

    id: int
    account_id: int
    topic: str
    hours: float
    completed_on: date
    provider: str
    recorded_at: datetime
    verified: bool
    verified_at: datetime | None


class TopicHours(msgspec.Struct):
    """Hours on one topic."""

    topic: str
    hours: float


class DevelopmentRecord(msgspec.Struct):
    """A person's professional-development record: training hours by topic."""

    account_id: int
    display_name: str
    training: list[TopicHours]
    training_total_hours: float
    unverified_hours: float
    records: list[TrainingRead]
