"""The professional-development record's messages as codes: its refusals about training
records."""

from __future__ import annotations

from mentorship.lib.messages import Catalogue

DEVELOPMENT = Catalogue(
    "development",
    {
        "training_for_others": "only a coordinator may record training for someone else",
        "in_the_future": "is in the future",
        "no_account": "no account with id {account_id}",
        "no_training_record": "no training record with id {record_id}",
        "own_training": "another coordinator must verify your own training",
    },
)
