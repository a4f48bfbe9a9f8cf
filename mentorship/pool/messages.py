"""The mentor pool's messages as codes: why a mentor stopped taking new cases, which the
domains above store (a proposal withdrawn for it) and word where they show it."""

from __future__ import annotations

from mentorship.lib.messages import Catalogue

POOL = Catalogue(
    "pool",
    {
        "unavailable.suspended": "the mentor was suspended",
        "unavailable.retired": "the mentor left the pool",
        "unavailable.not_taking_cases": "the mentor is not taking new cases",
    },
)
