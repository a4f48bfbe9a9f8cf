"""The web layer's messages: what a form's conversion says about each field it could not read
(in the page's own label for the field), and how a refusal comes back as a notice."""

from __future__ import annotations

from mentorship.lib.messages import Catalogue

WEB = Catalogue(
    "web",
    {
        "choose_at_least_one": "Choose at least one.",
        "choose_at_least": "Choose at least {count}.",
        "choose_at_most": "Choose at most {count}.",
        "required": "{label} is required.",
        "too_long": "{label} must be at most {count} characters.",
        "too_short": "{label} must be at least {count} characters.",
        "at_least": "{label} must be {bound} or more.",
        "at_most": "{label} must be {bound} or less.",
        "choose_option": "Choose one of the options for {option}.",
        "whole_number": "{label} must be a whole number.",
        "date": "{label} must be a date.",
        "not_valid": "{label} is not valid.",
        "date_example": "{label} must be a date, for example 2026-09-01.",
        "number_example": "{label} must be a whole number, for example 12.",
        # A service's refusal sent back to a page as its notice, as a sentence.
        "refused": "{reason:sentence}",
    },
)
