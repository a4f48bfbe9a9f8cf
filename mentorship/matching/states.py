"""Proposal states, ban scopes and where a run came from."""

from __future__ import annotations

from enum import StrEnum


class ProposalStatus(StrEnum):
    """Where a proposal stands; only pending ones can be reviewed."""

    PENDING = "pending"
    APPROVED = "approved"
    REJECTED = "rejected"
    DECLINED = "declined"
    OVERRIDDEN = "overridden"
    SUPERSEDED = "superseded"
    WITHDRAWN = "withdrawn"


class ProposalOrigin(StrEnum):
    """Whether the solver proposed the pair or a coordinator chose it."""

    RUN = "run"
    OVERRIDE = "override"


class BanScope(StrEnum):
    """How far a pair ban reaches."""

    REQUEST = "request"
    """This mentor is not proposed again for this request."""
    PERSON = "person"
    """This mentor is not proposed again for any request of this person."""


class BanSource(StrEnum):
    """Who made the ban."""

    COORDINATOR = "coordinator"
    EMPLOYEE = "employee"


class RunSource(StrEnum):
    """Which surface started a run."""

    API = "api"
    CLI = "cli"
