"""Request and response shapes of the professional-development record: training records,
training measured against the agreement, and hours by topic, by kind."""

from __future__ import annotations

from datetime import date, datetime
from typing import Annotated

import msgspec


class TopicHours(msgspec.Struct):
    """Hours on one topic."""

    topic: str
    hours: float


class HoursRecord(msgspec.Struct):
    """A person's professional-development hours: training, and mentoring by topic."""

    account_id: int
    display_name: str
    training: list[TopicHours]
    mentored: list[TopicHours]  # meetings where the person was the mentee
    mentoring: list[TopicHours]  # meetings where the person was the mentor
    training_hours: float
    mentored_hours: float
    mentoring_hours: float


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


class DevelopmentRecord(msgspec.Struct):
    """A person's professional-development record: training hours by topic."""

    account_id: int
    display_name: str
    training: list[TopicHours]
    training_total_hours: float
    unverified_hours: float
    records: list[TrainingRead]
