"""The home page's messages as codes: what waits for each role, and the link to it."""

from __future__ import annotations

from mentorship.lib.messages import Catalogue, Message, ParamValue

HOME = Catalogue(
    "home",
    {
        # --- an employee ---
        "your_supervisor": "Your supervisor",
        "referred_you": "{by} referred you for peer assistance. Nothing happens until you answer.",
        "answer_referral": "Read and answer the referral",
        "report_to_review": "{mentor} wrote a status report about your case. You can read it and"
        " add your response before it is released.",
        "review_report": "Review the status report",
        "state.open": "open",
        "state.paused": "paused",
        "your_case.one": "Your case with {mentor} is {state}: 1 meeting so far.",
        "your_case": "Your case with {mentor} is {state}: {count} meetings so far.",
        "open_my_case": "Open my case",
        "requests_waiting.one": "1 request is waiting for a mentor.",
        "requests_waiting": "{count} requests are waiting for a mentor.",
        "see_my_requests": "See my requests",
        # --- a supervisor ---
        "referrals_in_progress.one": "1 referral is in progress.",
        "referrals_in_progress": "{count} referrals are in progress.",
        "see_my_referrals": "See my referrals",
        # --- a mentor ---
        "flagged_case": "{employee}: {flag}",
        "open_case_of": "Open the case of {employee}",
        "you_mentor.one": "You mentor 1 open case.",
        "you_mentor": "You mentor {count} open cases.",
        "see_caseload": "See my caseload",
        # --- a coordinator ---
        "proposals_wait.one": "1 proposed match waits for your review.",
        "proposals_wait": "{count} proposed matches wait for your review.",
        "open_board": "Open the match board",
        "requests_wait.one": "1 request waits for matching.",
        "requests_wait": "{count} requests wait for matching.",
        "requests_wait_urgent.one": "1 request waits for matching, {urgent} of them urgent.",
        "requests_wait_urgent": "{count} requests wait for matching, {urgent} of them urgent.",
        "see_queue": "See the request queue",
        "applications_wait.one": "1 mentor application waits for a decision.",
        "applications_wait": "{count} mentor applications wait for a decision.",
        "review_applications": "Review applications",
        "cases_flagged.one": "1 case needs your eye (overdue report, running long, or mentor"
        " unavailable).",
        "cases_flagged": "{count} cases need your eye (overdue report, running long, or mentor"
        " unavailable).",
        "see_flagged": "See flagged cases",
    },
)


def counted(name: str, count: int, **params: ParamValue) -> Message:
    """The message `name` for `count` things (its `.one` form for a single one)."""
    return HOME(name + (".one" if count == 1 else ""), count=count, **params)
