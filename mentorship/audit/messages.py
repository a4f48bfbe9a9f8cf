"""The audit log's messages as codes: its refusals, what its filter form says, and the notice
after the chain is verified."""

from __future__ import annotations

from mentorship.lib.messages import Catalogue

AUDIT = Catalogue(
    "audit",
    {
        "unavailable": "The service could not record this access, so nothing was shown. Try again.",
        "since_after_until": "is after `until`",
        "too_many": "more than {limit} events match: choose a shorter date range",
        "choose_outcome": "Choose allowed or denied.",
        "days_reversed": "The first day must be on or before the last day.",
        "notice.intact": "The audit log is intact: all {count} events check out against their"
        " hashes.",
        "notice.broken": "The audit log is broken at event {sequence}: {reason}. {count} events"
        " before it check out. Tell district IT at once.",
    },
)
