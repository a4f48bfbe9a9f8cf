"""Request and response shapes of the mentor-pool API."""

from __future__ import annotations

from datetime import datetime
from typing import Annotated

import msgspec

from mentorship.development.schemas import TrainingStandingRead
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
