"""The requests domain's messages: how a request came in (its track), in one wording for
everyone who reads about someone else's request and one for the employee reading their own;
and the requests' refusals."""

from __future__ import annotations

from mentorship.assistance.states import Track
from mentorship.lib.messages import Catalogue, Message, word

ASSISTANCE = Catalogue(
    "assistance",
    {
        "track.voluntary": "Asked for help themselves",
        "track.referred": "Referred by a supervisor",
        "track.voluntary.own": "You asked for help yourself",
        "track.referred.own": "Your supervisor referred you",
        # --- refusals ---
        "other_in_progress": "this person already has a request in progress; try again later",
        "own_in_progress": (
            "you already have a request in progress (request {request_id}); withdraw it or wait"
            " for it to finish first"
        ),
        "skill_twice": "lists the same skill twice",
        "already_referred": "you have already referred this person (referral {request_id})",
        "no_voluntary_track": "the agreement in force does not offer the voluntary track",
        "no_referred_track": "the agreement in force does not offer the referred track",
        "referral_waiting": (
            "a referral is waiting for your answer (request {request_id}); consent to it or"
            " decline it first"
        ),
        "refer_yourself": "you cannot refer yourself; file a request instead",
        "no_employee": "no active employee with id {employee_id}",
        "outside_chain": "you can refer only people in your own supervision chain",
        "no_request": "no request with id {request_id}",
        "no_referral": "no referral with id {request_id}",
        "not_awaiting_answer": "this request is not waiting for your answer (it is {state})",
        "agreement_changed": (
            "you answered version {answered} of the agreement but version {in_force} is in"
            " force; please read its wording and answer again"
        ),
        "not_withdrawable": "this request can no longer be withdrawn (it is {state})",
        # --- the request pages' forms and notices ---
        "choose_person": "Choose the person you are referring.",
        "notice.request_sent": "Your request was sent. The program coordinator will look for a"
        " mentor for you.",
        "notice.consent_declined": "You said no to this referral. Nothing more will happen with"
        " it.",
        "notice.consented": "Thank you. You agreed, and the program coordinator will look for a"
        " mentor.",
        "notice.request_withdrawn": "Your request was withdrawn.",
        "notice.referral_sent": "Your referral of {name} was sent.",
        "notice.referral_withdrawn": "Your referral was withdrawn.",
        "employees_hands": (
            "the request is in the employee's hands now (they consented, or no consent was"
            " needed); only they can withdraw it"
        ),
    },
)


def how_it_came_in(track: Track, *, own: bool = False) -> Message:
    """How a request came in: for its own employee (`own`), or for anyone else."""
    return ASSISTANCE(f"track.{track.value}" + (".own" if own else ""))


def track_words(*, own: bool = False) -> dict[Track, str]:
    """Each track in English words, for pages and files that show a track beside a request."""
    return {track: word(how_it_came_in(track, own=own)) for track in Track}
