"""A case: one employee and one mentor working together after an approved match."""

from piccolo.columns import ForeignKey, Integer, Serial, Timestamptz, Varchar
from piccolo.columns.base import OnDelete
from piccolo.columns.defaults.timestamptz import TimestamptzNow
from piccolo.table import Table

from mentorship.accounts.tables import Account
from mentorship.assistance.states import Track
from mentorship.assistance.tables import AssistanceRequest
from mentorship.cases.states import CaseOutcome, CaseState


class Case(Table):
    """The mentoring relationship an approved proposal opens (one per request)."""

    id: Serial

    request = ForeignKey(
        references=AssistanceRequest, on_delete=OnDelete.restrict, null=False, unique=True
    )
    employee = ForeignKey(references=Account, on_delete=OnDelete.restrict, null=False, index=True)
    mentor = ForeignKey(references=Account, on_delete=OnDelete.restrict, null=False, index=True)
    track = Varchar(length=20, choices=Track)
    weight = Integer(help_text="Capacity units the case takes from the mentor's caseload.")
    state = Varchar(length=20, choices=CaseState, index=True)
    outcome = Varchar(length=20, choices=CaseOutcome, null=True, default=None)
    agreement_version = Integer(help_text="The agreement in force when the case opened.")
    opened_at = Timestamptz(default=TimestamptzNow())
    opened_by = ForeignKey(references=Account, on_delete=OnDelete.set_null, null=True)
    closed_at = Timestamptz(null=True, default=None)
