"""The mentor pool's messages as codes: why a mentor stopped taking new cases, which the
domains above store (a proposal withdrawn for it) and word where they show it, and the pool's
refusals."""

from __future__ import annotations

from mentorship.lib.messages import Catalogue

POOL = Catalogue(
    "pool",
    {
        "unavailable.suspended": "the mentor was suspended",
        "unavailable.retired": "the mentor left the pool",
        "unavailable.not_taking_cases": "the mentor is not taking new cases",
        # --- refusals ---
        "not_applied": "account {account_id} has not applied to the mentor pool",
        "skill_twice": "lists the same skill twice",
        "already_in_pool": "you are already in the mentor pool",
        "own_place": "another coordinator must decide on your own place in the pool",
        # `doing` is one of the doing.* messages below.
        "wrong_status": "cannot {doing}: the mentor's status is {status}",
        "doing.approve": "approve",
        "doing.decline": "decline",
        "doing.suspend": "suspend",
        "doing.reinstate": "reinstate",
        "doing.retire": "retire",
        "doing.set_capacity": "set capacity",
        "doing.change_availability": "change availability",
        "deactivated": "cannot approve: the account is deactivated",
        "training_short": "training is not complete and current: {shortfall}",
        "capacity_range": "must be between 1 and {cap} (the agreement's caseload cap)",
        # --- what the pool's forms say at a field ---
        "give_reason": "Give a reason for {doing}.",
        "reason.decline": "declining (the applicant will see it)",
        "reason.suspend": "suspending this mentor",
        "reason.retire": "taking this mentor out of the pool",
        "choose_capacity": "Choose how many cases this mentor can take.",
        "choose_skill": "Choose at least one skill and your level in it.",
        "enter_language": "Enter at least one language you can mentor in.",
        "enter_statement": "Tell us in a few words why you want to mentor.",
        "not_approved": "{who} could not be approved: {reason}.",
        "this_person": "This person",
        # --- notices after a change ---
        "notice.now_mentor": "{name} is now a mentor.",
        "notice.declined": "The application from {name} was declined.",
        "notice.capacity": "{name} can now take up to {capacity} cases.",
        "notice.taking_cases": "{name} is taking new cases.",
        "notice.not_taking_cases": "{name} will not be offered new cases for now.",
        "notice.suspended": "{name} is suspended and will not be matched.",
        "notice.reinstated": "{name} is an active mentor again.",
        "notice.retired": "{name} has left the mentor pool.",
        "notice.training_recorded": "The training “{topic}” was recorded.",
        "notice.applied": "Your application was sent. A coordinator will look at it and let you"
        " know.",
        "notice.application_updated": "Your application was updated.",
        "notice.taking_again": "You are taking new cases again.",
        "notice.paused": "You will not be offered new cases until you say so. Your open cases go"
        " on.",
    },
)
