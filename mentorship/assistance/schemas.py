"""Request and response shapes of the assistance-request API."""

from __future__ import annotations

from datetime import datetime
from typing import Annotated

import msgspec

from mentorship.assistance.states import ConsentDecision, RequestState, Track, Urgency

Priority = Annotated[int, msgspec.Meta(ge=1, le=3, description="1 nice to have … 3 essential")]


class NeededSkill(msgspec.Struct, forbid_unknown_fields=True):
    """A skill the request needs and how much it matters."""

    skill_id: int
    priority: Priority = 2


class RequestCreate(msgspec.Struct, forbid_unknown_fields=True):
    """A self-request for peer assistance."""

    needed_skills: Annotated[list[NeededSkill], msgspec.Meta(min_length=1, max_length=15)]
    description: Annotated[str, msgspec.Meta(min_length=1, max_length=5000, pattern=r"\S")]
    urgency: Urgency = Urgency.NORMAL
    preferred_language: Annotated[str, msgspec.Meta(min_length=2, max_length=40)] | None = None


class ReferralCreate(RequestCreate, kw_only=True, forbid_unknown_fields=True):
    """A supervisor's referral of someone in their supervision chain."""

    employee_id: int


class ConsentBody(msgspec.Struct, forbid_unknown_fields=True):
    """The employee's answer, naming the agreement version whose wording they read."""

    decision: ConsentDecision
    agreement_version: int


class NeededSkillRead(msgspec.Struct):
    """A needed skill with its name."""

    skill_id: int
    name: str
    priority: int


class ConsentPrompt(msgspec.Struct):
    """What the employee must read before answering a referral."""

    agreement_version: int
    wording: str


class RequestRead(msgspec.Struct):
    """The whole request, for the employee it concerns and the coordinator."""

    id: int
    employee_id: int
    employee_name: str
    filed_by_name: str | None
    track: Track
    state: RequestState
    urgency: Urgency
    preferred_language: str | None
    needed_skills: list[NeededSkillRead]
    description: str
    agreement_version: int
    filed_at: datetime
    opened_at: datetime | None
    consent_decision: ConsentDecision | None
    consent_at: datetime | None
    consent_agreement_version: int | None
    consent_wording: str | None
    closed_at: datetime | None
    consent_needed: ConsentPrompt | None = None


class ReferralStatus(msgspec.Struct):
    """What the referring supervisor may see: status and dates, nothing of the content."""

    id: int
    employee_id: int
    employee_name: str
    state: RequestState
    filed_at: datetime
    consent_at: datetime | None
    closed_at: datetime | None


class QueueEntry(msgspec.Struct):
    """A request in the coordinator's queue."""

    id: int
    employee_id: int
    employee_name: str
    site_code: str | None
    track: Track
    state: RequestState
    urgency: Urgency
    preferred_language: str | None
    needed_skills: list[NeededSkillRead]
    filed_at: datetime
    opened_at: datetime | None
    waiting_days: float
