"""The agreement's messages as codes: refusals of a version asked for or published (the terms'
shape and the rules across them), what the publish form says at its inputs, and its notice."""

from __future__ import annotations

from mentorship.lib.messages import Catalogue

AGREEMENT = Catalogue(
    "agreement",
    {
        "none_published": "no agreement version has been published",
        "no_version": "no agreement version {version}",
        # --- the terms' shape ---
        "not_a_term": "is not a term of the agreement",
        "required": "is required",
        "one_of": "must be one of {choices}",
        # msgspec's words for a value of the wrong type or out of range, first letter lowered.
        "invalid_value": "{detail}",
        # --- rules across the terms ---
        "no_track": "at least one track (voluntary or referred) must be open",
        "weight_over_cap": "a referred case weighing {weight} could never fit a caseload cap of"
        " {cap}",
        "topic_twice": "{topic!r} is listed twice",
        "total_needs_topic": "the total counts hours in the listed topics, so a total needs at"
        " least one topic",
        "topic_hours": "at least one topic needs some hours",
        "travel_zero": "0 minutes allows only mentors at the same site, which mentor_site_rule"
        " forbids",
        "response_days": "the mentee's time to respond must be shorter than the time between"
        " reports",
        # --- the publish form ---
        "enter_number": "Enter a number for “{label}”.",
        "name_topic": "Name the topic, or clear its hours to remove it.",
        "enter_hours": "Enter the hours as a number, e.g. 2 or 1.5.",
        "notice.published": "Version {version} of the agreement is published and in force from"
        " now on. Cases already open keep the version they opened under.",
    },
)
