"""The notices domain's messages: each kind's subject and body (its parameters filled in from
the allow-listed context when it is sent or shown), the mail's fixed parts, the preferences
page's words and the refusals."""

from __future__ import annotations

from mentorship.lib.messages import Catalogue

NOTICES = Catalogue(
    "notices",
    {
        # --- request_filed: the employee's receipt and the coordinators' notice ---
        "request_filed.receipt.subject": "We received your request for peer assistance",
        "request_filed.receipt.body": (
            "Hello {employee_name},\n\n"
            "We received your request for peer assistance (request {request_id}) on"
            " {filed_on}.\n\n"
            "What happens next: a coordinator looks for a peer mentor who fits what you need."
            " When one is found you will be told their name and how to reach them. Until then"
            " there is nothing you need to do, and you can withdraw the request at any time.\n\n"
            "What you tell a peer mentor stays between you and your mentor."
        ),
        "request_filed.coordinator.subject": "New request for peer assistance ({request_id})",
        "request_filed.coordinator.body": (
            "{employee_name} asked for peer assistance on {filed_on} (request {request_id},"
            " urgency: {urgency}). It is waiting in the matching queue."
        ),
        # --- the daily digest ---
        "digest.subject": "Your notices from the peer assistance program ({count})",
        "digest.body": "Here is what happened since your last digest ({count} notices):",
        # --- the fixed parts of every mail ---
        "mail.open": "Open it: {url}",
        "mail.signature": "{district} · peer assistance program",
        "mail.optional": "You receive this mail by your notice settings; change them at {url}",
        "mail.always": "This notice is always sent by mail.",
        # --- the pages ---
        "category.requests": "Requests and referrals",
        "category.cases": "Matches and cases",
        "category.meetings": "Meetings",
        "category.notes_and_reports": "Shared notes and status reports",
        "category.reviews": "Case reviews and closures",
        "category.training": "Mentor applications and training",
        "category.account": "Your account and security",
        "delivery.immediate": "Mail me right away",
        "delivery.digest": "Mail me a daily digest",
        "delivery.off": "Only in the app, no mail",
        "preferences_saved": "Your notice settings are saved.",
        "marked_read": "Marked as read.",
        # --- refusals ---
        "unknown_category": "is not a category of notices ({category})",
        "fixed_category": "cannot be changed: notices about your account are always mailed",
        "no_notice": "no notice with id {notice_id}",
        "not_a_choice": "must be one of the choices",
    },
)
