"""The program reports' messages as codes."""

from __future__ import annotations

from mentorship.lib.messages import Catalogue

PROGRAM = Catalogue(
    "program",
    {
        "days_reversed": "The first day must be on or before the last day.",
        "median_days": "Half of the cases opened within {days} days of the request.",
        "hours": "{hours} hours",
    },
)
