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
        "wrong_status": "cannot {doing}: the mentor's status is {status}",
        "deactivated": "cannot approve: the account is deactivated",
        "training_short": "training is not complete and current: {shortfall}",
        "capacity_range": "must be between 1 and {cap} (the agreement's caseload cap)",
    },
)
