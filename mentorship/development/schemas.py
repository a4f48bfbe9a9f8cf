"""What the professional-development record reads as: hours by topic, by kind."""

from __future__ import annotations

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
