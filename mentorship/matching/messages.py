"""The matching domain's messages: explanations, unmatched reasons and refusals as codes.

Explanations are stored as these codes and worded where they are shown. The wordings are
the English every page, the API and the command line have always shown; a translation
catalogue is keyed on them.
"""

from __future__ import annotations

from mentorship.lib.messages import Catalogue, Message
from mentorship.matching.problem import Constraint

MAX_NAMED = 5  # skills or requests named in one sentence before "and N more"

_PRIORITY = (
    "Matching fits in as many requests as it can, urgent and longer-waiting ones first, so"
    " those had fewer options or a higher priority."
)

MATCHING = Catalogue(
    "matching",
    {
        # A stored sentence the migration could not read back into a code, kept word for word.
        "legacy_text": "{text}",
        # A proposal's summary: its cost parts' reasons, one after the other.
        "summary": "{parts}",
        # --- the cost parts of a proposal ---
        "skills.none_asked": "no particular skills asked for",
        "skills.covers_one": "covers the needed skill",
        "skills.covers_one_below_expert": "covers the needed skill, below expert level",
        "skills.covers_all": "covers all {needed} needed skills",
        "skills.covers_all_below_expert": "covers all {needed} needed skills, some below expert"
        " level",
        "skills.misses_one": "does not cover the needed skill ({missing})",
        "skills.covers_some": "covers {covered} of {needed} needed skills (not {missing})",
        "skills.covers_some_more": "covers {covered} of {needed} needed skills (not {missing}"
        " and {more} more)",
        "role.unknown": "the employee's job role is not recorded",
        "role.same": "same job role",
        "role.different": "different job role",
        "travel.none": "same site, no travel",
        "travel.minutes": "{minutes} min travel",
        "language.none": "no language preference",
        "language.works_in": "works in {language}",
        "language.not_in": "does not work in {language}",
        "site.same_preferred": "same site, as the agreement prefers",
        "site.other_preferred": "another site (the agreement prefers the same site)",
        "load.first_case": "the mentor's first case",
        "load.carries": "the mentor already carries {units} of {capacity} capacity",
        # --- how an alternative mentor compares with the proposed one ---
        "alternative.covers_more": "covers more needed skills ({covered} of {needed})",
        "alternative.covers_fewer": "covers fewer needed skills ({covered} of {needed})",
        "alternative.lower_levels": "lower levels in the needed skills",
        "alternative.higher_levels": "higher levels in the needed skills",
        "alternative.travel": "{minutes} min travel instead of {instead} min",
        "alternative.different_role": "different job role",
        "alternative.same_role": "same job role",
        "alternative.not_language": "does not work in the preferred language",
        "alternative.language": "works in the preferred language",
        "alternative.other_site": "another site",
        "alternative.same_site": "same site",
        "alternative.carries": "already carries {units} capacity",
        "alternative.no_cases": "has no cases yet",
        "alternative.same": "about the same on every count",
        "alternative.fully_used": "all of their free capacity went to other requests in this run",
        "alternative.cheaper_alone": "cheaper for this request alone, but not in the best plan"
        " for all requests together",
        # --- why a request got no proposal ---
        "unmatched.empty_pool": "There are no mentors in the pool.",
        "unmatched.none_fit_one": "None of the 1 mentor in the pool can take this request:"
        " {excluded}.",
        "unmatched.none_fit": "None of the {mentors} mentors in the pool can take this"
        " request: {excluded}.",
        "unmatched.no_room_one": "1 mentor could take this request, but their remaining"
        " capacity could not hold it beside their other proposals (a referred request counts"
        " more than once).",
        "unmatched.no_room": "{mentors} mentors could take this request, but their remaining"
        " capacity could not hold it beside their other proposals (a referred request counts"
        " more than once).",
        "unmatched.outcompeted_one": "1 mentor could take this request, but this run gave"
        " their capacity to other requests ({requests}). " + _PRIORITY,
        "unmatched.outcompeted": "{mentors} mentors could take this request, but this run gave"
        " their capacity to other requests ({requests}). " + _PRIORITY,
        "unmatched.outcompeted_one_more": "1 mentor could take this request, but this run gave"
        " their capacity to other requests ({requests} and {more} more). " + _PRIORITY,
        "unmatched.outcompeted_more": "{mentors} mentors could take this request, but this run"
        " gave their capacity to other requests ({requests} and {more} more). " + _PRIORITY,
        "unmatched.changed_during_run": "While this run was working, its proposed mentor"
        " stopped being possible for this request (declined, rejected, or no longer taking"
        " cases); it waits for the next run.",
        # --- how many mentors each rule left out (one / several) ---
        "excluded.self.one": "{count} is the employee themself",
        "excluded.self": "{count} are the employee themself",
        "excluded.mentor_unavailable.one": "{count} is not taking cases now (suspended,"
        " unavailable or deactivated)",
        "excluded.mentor_unavailable": "{count} are not taking cases now (suspended,"
        " unavailable or deactivated)",
        "excluded.training.one": "{count} has training that is incomplete or expired",
        "excluded.training": "{count} have training that is incomplete or expired",
        "excluded.capacity.one": "{count} has no free capacity for it",
        "excluded.capacity": "{count} have no free capacity for it",
        "excluded.supervisor_chain.one": "{count} is in the employee's supervisory chain",
        "excluded.supervisor_chain": "{count} are in the employee's supervisory chain",
        "excluded.same_site.one": "{count} works at the employee's site, which the agreement"
        " forbids",
        "excluded.same_site": "{count} work at the employee's site, which the agreement forbids",
        "excluded.travel.one": "{count} is more than {minutes} min away or has no route on the"
        " site graph",
        "excluded.travel": "{count} are more than {minutes} min away or have no route on the"
        " site graph",
        "excluded.rejected.one": "{count} is rejected for this request already",
        "excluded.rejected": "{count} are rejected for this request already",
        "excluded.declined.one": "{count} is barred for this person (declined before)",
        "excluded.declined": "{count} are barred for this person (declined before)",
        # --- why one pair is forbidden (an approval or a choice by hand refused) ---
        "rule.self": "a mentor cannot be matched with their own request",
        "rule.mentor_unavailable": "the mentor is not taking cases now (suspended, unavailable"
        " or deactivated)",
        "rule.training": "the mentor's required training is incomplete or expired",
        "rule.capacity": "the mentor has no free capacity for this request",
        "rule.supervisor_chain": "the mentor is in the employee's supervisory chain",
        "rule.same_site": "the mentor works at the employee's site, which the agreement forbids",
        "rule.travel": "the sites are more than {minutes} min apart or have no route on the"
        " site graph",
        "rule.rejected": "this mentor was rejected for this request",
        "rule.declined": "this mentor is barred for this person (declined before)",
        # --- refusals ---
        "cannot_take": "{mentor} cannot take it: {rules}",
        "not_in_pool": "{mentor} is not an approved member of the mentor pool",
        "no_runs_yet": "matching has not been run yet",
        "no_run": "no match run with id {run_id}",
        "no_proposal": "no proposal with id {proposal_id}",
        "no_request": "no request with id {request_id}",
        "no_offer": "no mentor is proposed for this request at the moment",
        "superseded": "this proposal was superseded by a later match run; review the latest"
        " run instead",
        "already_decided.approved": "this proposal was already approved",
        "already_decided.rejected": "this proposal was already rejected",
        "already_decided.declined": "this proposal was already declined",
        "already_decided.overridden": "this proposal was already overridden",
        "already_decided.withdrawn": "this proposal was already withdrawn",
        "no_longer_waiting": "the request is no longer waiting for a mentor",
        "no_longer_waiting_state": "the request is no longer waiting for a mentor (it is {state})",
        "not_waiting_state": "the request is not waiting for a mentor (it is {state})",
        "run_superseded": "run {run_id} was superseded by a later run; approve the latest one",
        "same_mentor": "that is the proposed mentor; approve the proposal instead",
        "pending_proposal": "this request has a pending proposal; override that proposal instead",
        "declined_once": "you have already declined one proposed mentor for this request;"
        " please talk to the program coordinator, or withdraw the request",
        # --- the match board's pages ---
        "count.proposals.one": "1 proposal",
        "count.proposals": "{count} proposals",
        "count.requests.one": "1 request",
        "count.requests": "{count} requests",
        "notice.ran": "Matching ran: {proposals} to review, {requests} not matched.",
        "notice.approved": "Approved: {employee} and {mentor}. The case is open.",
        "notice.not_approved": "Not approved: {reason:sentence}",
        "notice.nothing_approved": "Nothing was approved: {reason:sentence}",
        "notice.rejected": "Rejected {mentor} for {employee}. The request waits for the next run,"
        " or you can assign a mentor by hand.",
        "notice.overridden": "{mentor} will mentor {employee} instead of {instead}. The case is"
        " open.",
        "notice.assigned": "{mentor} will mentor {employee}. The case is open.",
        "notice.offer_declined": "You declined the suggested mentor. Your request is back in the"
        " queue and this mentor will not be suggested to you again.",
        "notice.reassigned": "The case now belongs to {mentor}.",
        "choose_other_mentor": "Choose the mentor you want instead.",
        "say_why_other": "Say why you choose another mentor.",
        "choose_mentor": "Choose a mentor.",
        "say_why_by_hand": "Say why you choose this mentor by hand.",
        "option": "{name} ({site}; {free} of {capacity} places free)",
        "option_travel": "{name} ({site}, {minutes} min away; {free} of {capacity} places free)",
        "site_unknown": "site not recorded",
        # --- why the system withdrew a pending proposal (pool.unavailable.* for the others) ---
        "withdrawn.account_deactivated": "the mentor's account was deactivated",
    },
)


def minutes(value: float) -> int:
    """Minutes as the explanations show them: whole minutes."""
    return round(float(value))


def named(items: list[str]) -> tuple[str, int]:
    """The first few of a list joined with commas, and how many more are left unnamed."""
    shown = items[:MAX_NAMED]
    return ", ".join(shown), len(items) - len(shown)


def excluded(constraint: Constraint, count: int, max_travel: float) -> Message:
    """'3 are in the employee's supervisory chain' and the like."""
    name = f"excluded.{constraint.value}" + (".one" if count == 1 else "")
    if constraint is Constraint.TRAVEL:
        return MATCHING(name, count=count, minutes=minutes(max_travel))
    return MATCHING(name, count=count)


def rule(constraint: Constraint, max_travel: float) -> Message:
    """Why one pair is forbidden, for an approval or a choice by hand that is refused."""
    if constraint is Constraint.TRAVEL:
        return MATCHING("rule.travel", minutes=minutes(max_travel))
    return MATCHING(f"rule.{constraint.value}")


def cannot_take(mentor: str, broken: list[Constraint], max_travel: float) -> Message:
    """'Lena Park cannot take it: ' and every rule the pair breaks."""
    return MATCHING("cannot_take", mentor=mentor, rules=tuple(rule(c, max_travel) for c in broken))


def ran(proposed: int, left: int) -> Message:
    """What a match run found, as the notice after it says it."""
    proposals = MATCHING("count.proposals" + (".one" if proposed == 1 else ""), count=proposed)
    requests = MATCHING("count.requests" + (".one" if left == 1 else ""), count=left)
    return MATCHING("notice.ran", proposals=proposals, requests=requests)


def summary(reasons: tuple[Message, ...]) -> Message:
    """A proposal's summary: the reasons of its cost parts in order."""
    return MATCHING("summary", parts=reasons)


def legacy(text: str) -> Message:
    """Stored English the migration could not read back into a code, kept as it was."""
    return MATCHING("legacy_text", text=text)
