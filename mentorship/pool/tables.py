"""Mentor applications and admissions, and their skills (training records: development)."""

from enum import StrEnum

from piccolo.columns import Boolean, ForeignKey, Integer, Serial, Text, Timestamptz, Varchar
from piccolo.columns.base import OnDelete
from piccolo.columns.defaults.timestamptz import TimestamptzNow
from piccolo.table import Table

from mentorship.accounts.tables import Account
from mentorship.district.tables import Skill


class MentorStatus(StrEnum):
    """Where a person stands in the mentor pool."""

    APPLIED = "applied"
    APPROVED = "approved"
    DECLINED = "declined"
    SUSPENDED = "suspended"
    RETIRED = "retired"


class Mentor(Table):
    """A person's application to, and membership of, the mentor pool (one row per person)."""

    id: Serial

    account = ForeignKey(
        references=Account, on_delete=OnDelete.cascade, null=False, unique=True, index=True
    )
    status = Varchar(length=20, choices=MentorStatus, index=True)
    statement = Text(default="", help_text="Why the person wants to mentor, in their words.")
    capacity = Integer(
        null=True, default=None, help_text="Weighted capacity; empty = the agreement's cap."
    )
    available = Boolean(default=True, help_text="False while the mentor takes no new cases.")
    applied_at = Timestamptz(default=TimestamptzNow())
    decided_at = Timestamptz(null=True, default=None)
    decided_by = ForeignKey(references=Account, on_delete=OnDelete.set_null, null=True)
    status_reason = Text(default="", help_text="The coordinator's reason for the last change.")


class MentorSkill(Table):
    """A skill a mentor offers, with a level from 1 (some) to 3 (expert)."""

    id: Serial

    mentor = ForeignKey(references=Mentor, on_delete=OnDelete.cascade, null=False, index=True)
    skill = ForeignKey(references=Skill, on_delete=OnDelete.restrict, null=False)
    level = Integer(default=1)
