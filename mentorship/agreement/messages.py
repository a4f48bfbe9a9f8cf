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
        # --- the terms in plain words (the agreement pages) ---
        "yes": "Yes",
        "no": "No",
        "describe.voluntary": "Colleagues may ask for help themselves: {answer}",
        "describe.referred": "Supervisors may refer someone: {answer}",
        "describe.consent": "A referred colleague must agree before being matched: {answer}",
        "visibility.status": "Only the status of the referral (never what was said)",
        "visibility.status_and_activity": "The status and how many meetings took place (never"
        " what was said)",
        "site_rule.forbidden": "Not allowed: the mentor must work at another site",
        "site_rule.allowed": "Allowed",
        "site_rule.preferred": "Preferred: a mentor from the same site is suggested first",
        "reads_notes.false": "No: notes stay between the mentor and the colleague",
        "reads_notes.true": "Yes: coordinators may read case notes",
        "describe.minutes": "{minutes} minutes",
        "describe.number": "{number}",
        "describe.weight": "{weight} cases toward the mentor's limit",
        "describe.topic": "{topic}: at least {hours}",
        "describe.total": "At least {hours} in total",
        "hours.one": "{hours} hour",
        "hours": "{hours} hours",
        "days.one": "{count} day",
        "days": "{count} days",
        "notice.published": "Version {version} of the agreement is published and in force from"
        " now on. Cases already open keep the version they opened under.",
    },
)
