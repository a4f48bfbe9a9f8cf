"""Is a person's mentor training complete and current? (pure; no database or web)"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, timedelta

from mentorship.agreement.terms import RequiredTraining


@dataclass(frozen=True)
class Completed:
    """One verified training record."""

    topic: str
    minutes: int
    completed_on: date


@dataclass(frozen=True)
class TopicStanding:
    """Current hours in one required topic against its minimum."""

    topic: str
    required_hours: float
    current_hours: float
    current_until: date | None

    @property
    def missing_hours(self) -> float:
        """Hours still needed (0 when met)."""
        return max(0.0, round(self.required_hours - self.current_hours, 2))


@dataclass(frozen=True)
class TrainingStanding:
    """The whole picture: each topic, the total, and until when it all stays current."""

    topics: list[TopicStanding]
    required_total_hours: float
    current_total_hours: float
    current_until: date | None

    @property
    def complete(self) -> bool:
        """True when every topic and the total are met by current training."""
        return self.missing_total_hours == 0 and all(t.missing_hours == 0 for t in self.topics)

    @property
    def missing_total_hours(self) -> float:
        """Hours still needed toward the total (0 when met)."""
        return max(0.0, round(self.required_total_hours - self.current_total_hours, 2))

    def shortfall(self) -> str:
        """What is missing, in words, e.g. 'Confidentiality: 2 h more; total: 4 h more'."""
        parts = [
            f"{t.topic}: {_hours(t.missing_hours)} more" for t in self.topics if t.missing_hours
        ]
        if self.missing_total_hours:
            parts.append(f"total: {_hours(self.missing_total_hours)} more")
        return "; ".join(parts)


def _hours(value: float) -> str:
    return f"{value:g} h"


def topic_key(topic: str) -> str:
    """Topic names compare ignoring case and spacing."""
    return " ".join(topic.split()).casefold()


def _current_until(
    records: list[Completed], needed_minutes: float, valid: timedelta
) -> date | None:
    """The last day the newest records still add up to the minimum, or None if they never do."""
    if needed_minutes <= 0:
        return date.max
    total = 0
    for record in sorted(records, key=lambda r: r.completed_on, reverse=True):
        total += record.minutes
        if total >= needed_minutes:
            return record.completed_on + valid - timedelta(days=1)
    return None


def assess(
    records: Iterable[Completed],
    required: RequiredTraining,
    valid_days: int,
    today: date,
) -> TrainingStanding:
    """Measure verified records against the agreement's required training on a given day."""
    valid = timedelta(days=valid_days)
    current = [r for r in records if r.completed_on <= today < r.completed_on + valid]
    by_topic: dict[str, list[Completed]] = {}
    for record in current:
        by_topic.setdefault(topic_key(record.topic), []).append(record)
    topics: list[TopicStanding] = []
    required_records: list[Completed] = []
    for requirement in required.topics:
        mine = by_topic.get(topic_key(requirement.topic), [])
        required_records.extend(mine)
        topics.append(
            TopicStanding(
                topic=requirement.topic,
                required_hours=requirement.min_hours,
                current_hours=sum(r.minutes for r in mine) / 60,
                current_until=_current_until(mine, requirement.min_hours * 60, valid),
            )
        )
    total_until = _current_until(required_records, required.total_min_hours * 60, valid)
    untils = [t.current_until for t in topics] + [total_until]
    return TrainingStanding(
        topics=topics,
        required_total_hours=required.total_min_hours,
        current_total_hours=sum(r.minutes for r in required_records) / 60,
        current_until=None if any(u is None for u in untils) else min(u for u in untils if u),
    )
