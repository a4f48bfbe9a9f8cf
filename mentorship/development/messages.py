"""The professional-development record's messages as codes: its refusals about training
records, the training form's words and the notices after a change."""

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
        # --- the training form's words ---
        "enter_topic": "Enter the topic of the training.",
        "enter_hours": "Enter the hours as a number above 0 and up to 200, in quarter hours"
        " (like 1.5).",
        "enter_finished": "Enter the date you finished the training.",
        "finished_in_future": "The date you finished cannot be in the future.",
        # --- notices after a change ---
        "notice.verified": "Verified: {name}, “{topic}”. It now counts toward their training.",
        "notice.training_removed": "The training record “{topic}” was removed.",
        "notice.own_training_recorded": "Your training “{topic}” was recorded. It counts once a"
        " coordinator has checked it.",
    },
)
