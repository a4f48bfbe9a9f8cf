"""Match runs, their proposals and unmatched requests, and pairs banned from matching."""

from piccolo.columns import (
    JSON,
    DoublePrecision,
    ForeignKey,
    Integer,
    Serial,
    Text,
    Timestamptz,
    Varchar,
)
from piccolo.columns.base import OnDelete
from piccolo.columns.defaults.timestamptz import TimestamptzNow
from piccolo.table import Table

from mentorship.accounts.tables import Account
from mentorship.assistance.tables import AssistanceRequest
from mentorship.cases.tables import Case
from mentorship.matching.states import (
    BanScope,
    BanSource,
    ProposalOrigin,
    ProposalStatus,
    RunSource,
)


class MatchRun(Table):
    """One run of the matcher: who, when, with which weights, and what came out."""

    id: Serial

    run_by = ForeignKey(references=Account, on_delete=OnDelete.set_null, null=True)
    run_by_name = Varchar(length=200, help_text="Copied, so the record survives the account.")
    source = Varchar(length=10, choices=RunSource)
    started_at = Timestamptz(default=TimestamptzNow())
    finished_at = Timestamptz(default=TimestamptzNow())
    duration_ms = Integer()
    parameters = JSON(help_text="The weights the run used.")
    agreement_version = Integer()
    request_count = Integer()
    mentor_count = Integer()
    slot_count = Integer()
    component_count = Integer()
    matched_count = Integer()
    unmatched_count = Integer()
    total_cost = DoublePrecision()
    timings = JSON(help_text="Seconds spent building, solving and explaining.")
    superseded_at = Timestamptz(null=True, default=None)


class MatchProposal(Table):
    """A proposed mentor for a request, with its explanation and the review decision."""

    id: Serial

    run = ForeignKey(references=MatchRun, on_delete=OnDelete.cascade, null=False, index=True)
    request = ForeignKey(
        references=AssistanceRequest, on_delete=OnDelete.cascade, null=False, index=True
    )
    mentor = ForeignKey(references=Account, on_delete=OnDelete.cascade, null=False, index=True)
    origin = Varchar(length=10, choices=ProposalOrigin, default=ProposalOrigin.RUN.value)
    status = Varchar(length=20, choices=ProposalStatus, index=True)
    cost = DoublePrecision()
    parts = JSON(help_text="The cost split into parts, each with a plain-language reason.")
    explanation = JSON(help_text="The summary: its parts' reasons in order, a coded message.")
    alternatives = JSON(help_text="The next best mentors and how they compare.")
    decided_at = Timestamptz(null=True, default=None)
    decided_by = ForeignKey(references=Account, on_delete=OnDelete.set_null, null=True)
    decision_reason = Text(default="")
    decision_coded = JSON(
        default="{}",
        help_text="Why the system itself decided (a coded message); empty when a person did,"
        " and `decision_reason` holds their words.",
    )
    case = ForeignKey(references=Case, on_delete=OnDelete.set_null, null=True, default=None)


class UnmatchedRequest(Table):
    """A request a run could not match, and why."""

    id: Serial

    run = ForeignKey(references=MatchRun, on_delete=OnDelete.cascade, null=False, index=True)
    request = ForeignKey(references=AssistanceRequest, on_delete=OnDelete.cascade, null=False)
    kind = Varchar(length=30)
    reason = JSON(help_text="Why it got no proposal, a coded message.")
    excluded = JSON(help_text="Constraint → how many mentors it excluded.")
    competitors = JSON(help_text="Requests that took the mentors this one could have had.")


class PairBan(Table):
    """A mentor who must not be proposed again for a request (or for the whole person)."""

    id: Serial

    request = ForeignKey(
        references=AssistanceRequest, on_delete=OnDelete.cascade, null=False, index=True
    )
    employee = ForeignKey(references=Account, on_delete=OnDelete.cascade, null=False, index=True)
    mentor = ForeignKey(references=Account, on_delete=OnDelete.cascade, null=False)
    scope = Varchar(length=10, choices=BanScope)
    source = Varchar(length=20, choices=BanSource)
    reason = Text(default="")
    created_at = Timestamptz(default=TimestamptzNow())
    created_by = ForeignKey(references=Account, on_delete=OnDelete.set_null, null=True)
