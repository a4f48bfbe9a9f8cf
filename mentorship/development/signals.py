"""What the professional-development record asks of the domains above it (see lib.events):
the record sits below the mentor pool and the cases, which both read people's training, yet
shows meeting hours (cases know them) and a person's place in the pool (the pool knows it)."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from mentorship.lib.events import Provision


@dataclass(frozen=True)
class MeetingTime:
    """One meeting a person took part in: its length, its topics, and the person's side."""

    minutes: int
    topics: tuple[str, ...]  # topic names; empty for a meeting logged without topics
    as_mentee: bool
    as_mentor: bool


@dataclass(frozen=True)
class PoolPlace:
    """A person's place in the mentor pool as the training pages show it (the pool's words)."""

    label: str
    tone: str  # the badge's tone


# Every meeting the person took part in, as mentee or mentor; no case detail (cases answer).
meeting_time: Provision[[int], list[MeetingTime]] = Provision("development.meeting_time")

# The place in the mentor pool of each person who ever applied to it (the pool answers).
pool_places: Provision[[Iterable[int]], dict[int, PoolPlace]] = Provision("development.pool_places")
