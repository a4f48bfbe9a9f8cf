"""Requests for peer assistance and the skills each needs."""

from piccolo.columns import ForeignKey, Integer, Serial, Text, Timestamptz, Varchar
from piccolo.columns.base import OnDelete
from piccolo.columns.defaults.timestamptz import TimestamptzNow
from piccolo.table import Table

from mentorship.accounts.tables import Account
from mentorship.assistance.states import ConsentDecision, RequestState, Track, Urgency
from mentorship.district.tables import Skill


class AssistanceRequest(Table):
    """One request for a peer mentor, filed by the employee or referred by a supervisor."""

    id: Serial

    employee = ForeignKey(references=Account, on_delete=OnDelete.cascade, null=False, index=True)
    filed_by = ForeignKey(references=Account, on_delete=OnDelete.set_null, null=True)
    track = Varchar(length=20, choices=Track)
    state = Varchar(length=20, choices=RequestState, index=True)
    urgency = Varchar(length=20, choices=Urgency, default=Urgency.NORMAL.value)
    preferred_language = Varchar(length=40, null=True, default=None)
    description = Text(
        default="", help_text="Confidential: only the employee, the coordinator and the mentor."
    )
    agreement_version = Integer(help_text="The agreement in force when the request was filed.")
    filed_at = Timestamptz(default=TimestamptzNow())
    opened_at = Timestamptz(
        null=True, default=None, help_text="When it joined the matching queue (waiting starts)."
    )
    consent_decision = Varchar(length=20, choices=ConsentDecision, null=True, default=None)
    consent_at = Timestamptz(null=True, default=None)
    consent_agreement_version = Integer(null=True, default=None)
    consent_wording = Text(null=True, default=None, help_text="The exact text the employee saw.")
    closed_at = Timestamptz(null=True, default=None)
    closed_by = ForeignKey(references=Account, on_delete=OnDelete.set_null, null=True)


class RequestSkill(Table):
    """A skill the request needs, with a priority from 1 (nice to have) to 3 (essential)."""

    id: Serial

    request = ForeignKey(
        references=AssistanceRequest, on_delete=OnDelete.cascade, null=False, index=True
    )
    skill = ForeignKey(references=Skill, on_delete=OnDelete.restrict, null=False)
    priority = Integer(default=2)
