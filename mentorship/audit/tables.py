"""The audit log: one row per audited action, append-only, hash-chained."""

from piccolo.columns import JSON, Integer, Serial, Timestamptz, Varchar
from piccolo.table import Table

from mentorship.audit.chain import Outcome


class AuditEvent(Table):
    """An audited action. Rows are only ever inserted; `mentorship audit verify` checks them.

    The actor is copied (id and name) rather than linked, so the record outlives accounts.
    """

    id: Serial

    sequence = Integer(unique=True, help_text="1, 2, 3, … in the order events were appended.")
    occurred_at = Timestamptz()
    actor_id = Integer(null=True, default=None)
    actor_name = Varchar(length=200, default="")
    actor_role = Varchar(length=20, default="")
    action = Varchar(length=40, index=True)
    object_type = Varchar(length=40, index=True)
    object_id = Varchar(length=64, default="", index=True)
    outcome = Varchar(length=10, choices=Outcome)
    purpose = Varchar(length=200, default="")
    agreement_version = Integer(null=True, default=None)
    request_id = Varchar(length=64, default="")
    client_address = Varchar(length=64, default="")
    # Indexed with the sequence, (case_id, sequence), by a migration: Piccolo declares no
    # composite index. That one index serves a case's events, newest first.
    case_id = Integer(null=True, default=None, help_text="The case the event concerns, if any.")
    details = JSON(default="{}")
    previous_hash = Varchar(length=64)
    event_hash = Varchar(length=64)
