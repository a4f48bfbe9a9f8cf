"""Coordinator pages for the request queue and the match board.

The queue lists requests waiting for a mentor. The match board shows the latest match run
(or any earlier one): each proposal with the request's needs beside the proposed mentor's
offer, the explanation and the alternatives considered; the coordinator approves, rejects
with a reason, or chooses another mentor, and assigns unmatched requests by hand. Every rule
is the matching service's: the handlers read forms, call it, and show what it answers.
"""

from __future__ import annotations

import functools
from collections.abc import Iterable, Mapping
from typing import Annotated, Any

from litestar import Controller, Request, Response, get, post
from litestar.params import FromPath, QueryParameter
from litestar.response import Template

from mentorship.access.guards import access, roles
from mentorship.access.principal import Principal
from mentorship.access.roles import Role
from mentorship.agreement import services as agreement
from mentorship.assistance import services as assistance
from mentorship.assistance.messages import track_words
from mentorship.assistance.states import RequestState, Urgency
from mentorship.lib.errors import Conflict, NotFound, ValidationFailed
from mentorship.lib.messages import Message, word
from mentorship.matching import board, review, runs
from mentorship.matching.messages import MATCHING, excluded, ran
from mentorship.matching.problem import Constraint, UnmatchedKind
from mentorship.matching.schemas import (
    MessageRead,
    OverrideBody,
    ProposalRead,
    RejectBody,
    RunRead,
)
from mentorship.matching.states import BanScope, ProposalStatus
from mentorship.pool import mentors as pool_mentors
from mentorship.pool.tables import MentorStatus
from mentorship.web.forms import Form, convert, field_errors
from mentorship.web.pages import AnyRequest, At, BackTo, FormPage, as_said, form_post
from mentorship.web.render import is_htmx, page, redirect

Me = Request[Principal, Any, Any]

# --- words for the states and levels the pages show ---------------------------------------

QUEUE_FILTERS: dict[str, tuple[str, list[RequestState]]] = {
    "open": ("Waiting for a match", [RequestState.OPEN]),
    "proposed": ("A mentor is proposed", [RequestState.PROPOSED]),
    "awaiting_consent": (
        "Referral waiting for the employee's consent",
        [RequestState.AWAITING_CONSENT],
    ),
    "all": (
        "All of these",
        [RequestState.OPEN, RequestState.PROPOSED, RequestState.AWAITING_CONSENT],
    ),
}

REQUEST_STATES = {
    RequestState.AWAITING_CONSENT: ("Waiting for consent", "neutral"),
    RequestState.OPEN: ("Waiting for a match", "info"),
    RequestState.PROPOSED: ("Mentor proposed", "warn"),
    RequestState.MATCHED: ("Matched", "ok"),
    RequestState.DECLINED: ("Referral declined", "neutral"),
    RequestState.WITHDRAWN: ("Withdrawn", "neutral"),
    RequestState.CANCELLED: ("Cancelled", "neutral"),
}

TRACKS = track_words()

URGENCY = {Urgency.URGENT: ("Urgent", "alert"), Urgency.NORMAL: ("Not urgent", "neutral")}

PRIORITIES = {3: "essential", 2: "important", 1: "nice to have"}
LEVELS = {3: "expert", 2: "experienced", 1: "some experience"}

PROPOSAL_STATES = {
    ProposalStatus.PENDING: ("Waiting for your review", "warn"),
    ProposalStatus.APPROVED: ("Approved", "ok"),
    ProposalStatus.REJECTED: ("Rejected", "alert"),
    ProposalStatus.DECLINED: ("Declined by the employee", "neutral"),
    ProposalStatus.OVERRIDDEN: ("Another mentor was chosen", "info"),
    ProposalStatus.SUPERSEDED: ("Replaced by a later run", "neutral"),
    ProposalStatus.WITHDRAWN: ("Request withdrawn", "neutral"),
}

UNMATCHED_KINDS = {
    UnmatchedKind.NO_FEASIBLE_MENTOR: "No mentor in the pool meets the rules for this request",
    UnmatchedKind.OUTCOMPETED: "The mentors who could take it went to other requests",
    UnmatchedKind.CHANGED_DURING_RUN: "Something changed while matching was running",
}

SCOPES = [
    (BanScope.REQUEST.value, "Only for this request"),
    (BanScope.PERSON.value, "For any request from this person (never propose this pair again)"),
]

REASON_LABELS = {"reason": "Reason", "mentor_id": "Mentor"}


def _word(coded: MessageRead) -> str:
    """An explanation (a coded message) in words where a page shows it."""
    return word(coded.message())


WORDS = {
    "request_states": REQUEST_STATES,
    "tracks": TRACKS,
    "urgency": URGENCY,
    "priorities": PRIORITIES,
    "levels": LEVELS,
    "proposal_states": PROPOSAL_STATES,
    "unmatched_kinds": UNMATCHED_KINDS,
    "scopes": SCOPES,
    "word": _word,
}


def _words(**context: Any) -> dict[str, Any]:
    return {**WORDS, **context}


# --- the request queue -----------------------------------------------------------------------


async def _queue(shown: str) -> dict[str, Any]:
    """The queue in the chosen filter, urgent first, then longest waiting."""
    chosen = shown if shown in QUEUE_FILTERS else "open"
    entries = await assistance.queue(QUEUE_FILTERS[chosen][1])
    return _words(
        entries=entries,
        state=chosen,
        filters=[(key, label) for key, (label, _) in QUEUE_FILTERS.items()],
        filter_label=QUEUE_FILTERS[chosen][0],
        urgent_count=sum(1 for e in entries if e.urgency is Urgency.URGENT),
    )


class QueuePages(Controller):
    """The request queue with waiting times."""

    path = "/queue"
    include_in_schema = False
    opt = access(roles(Role.COORDINATOR))

    @get("/")
    async def queue(self, shown: Annotated[str, QueryParameter(name="state")] = "open") -> Template:
        """Requests waiting for a mentor: urgent first, then longest waiting."""
        return page("matching/queue.html", await _queue(shown))


# --- the match board -------------------------------------------------------------------------


def _run_path(run_id: int | None) -> str:
    return "/matching" if run_id is None else f"/matching/runs/{run_id}"


async def _board_context(run: RunRead | None, latest_id: int | None) -> dict[str, Any]:
    """Everything the board template needs for one run (or none yet)."""
    recent = await runs.list_runs(20)
    if run is None:
        return _words(run=None, runs=recent, latest_id=latest_id)
    facts = await board.board_facts(
        [p.request_id for p in run.proposals] + [u.request_id for u in run.unmatched],
        [p.mentor_id for p in run.proposals],
    )
    pending = [p for p in run.proposals if p.status is ProposalStatus.PENDING]
    decided = [p for p in run.proposals if p.status is not ProposalStatus.PENDING]
    max_travel = (await agreement.in_force()).terms.max_travel_minutes
    return _words(
        run=run,
        runs=recent,
        latest_id=latest_id,
        is_latest=run.id == latest_id,
        pending=pending,
        decided=decided,
        facts=facts,
        excluded=_excluded_words(run, max_travel),
    )


def _excluded_words(run: RunRead, max_travel: float) -> dict[int, list[str]]:
    """Request id → why each group of mentors was left out, in plain words."""
    words: dict[int, list[str]] = {}
    for entry in run.unmatched:
        phrases = []
        for key, count in entry.excluded.items():
            try:
                phrases.append(word(excluded(Constraint(key), count, max_travel)))
            except ValueError:
                continue
        words[entry.request_id] = phrases
    return words


async def _latest_id() -> int | None:
    try:
        return await runs.latest_run_id()
    except NotFound:
        return None


async def _pool_choices(exclude: Iterable[int]) -> list[tuple[int, str]]:
    """Approved mentors taking cases, for choosing one by hand (the service checks the rest)."""
    left_out = set(exclude)
    mentors = await pool_mentors.list_mentors(MentorStatus.APPROVED)
    return sorted(
        (
            (m.account_id, m.display_name)
            for m in mentors
            if m.matchable and m.account_id not in left_out
        ),
        key=lambda choice: choice[1].casefold(),
    )


async def _proposal_context(
    proposal: ProposalRead,
    values: dict[str, Any] | None = None,
    errors: dict[str, str] | None = None,
) -> dict[str, Any]:
    alternative_ids = [a.mentor_id for a in proposal.alternatives]
    facts = await board.board_facts([proposal.request_id], [proposal.mentor_id, *alternative_ids])
    latest_id = await _latest_id()
    others = await _pool_choices([proposal.mentor_id, proposal.employee_id, *alternative_ids])
    return _words(
        proposal=proposal,
        facts=facts,
        need=facts.requests.get(proposal.request_id),
        mentor=facts.mentors.get(proposal.mentor_id),
        other_mentors=others,
        latest_id=latest_id,
        values=values or {},
        errors=errors or {},
    )


def _reviewable(proposal: ProposalRead) -> bool:
    return proposal.status is ProposalStatus.PENDING and proposal.id is not None


async def _proposal_page(request: AnyRequest, form: Form | None, which: str = "") -> dict[str, Any]:
    proposal = await runs.get_proposal(int(request.path_params["proposal_id"]))
    values = {"form": which, "scope": BanScope.REQUEST} if which else {}
    return {**await _proposal_context(proposal), "values": values}


async def _assign_page(request: AnyRequest, form: Form | None) -> dict[str, Any]:
    return await _assign_context(int(request.path_params["request_id"]))


async def _assign_context(request_id: int) -> dict[str, Any]:
    facts = await board.board_facts([request_id], [])
    need = facts.requests.get(request_id)
    if need is None:
        raise NotFound(MATCHING("no_request", request_id=request_id))
    latest_id = await _latest_id()
    reason = None
    if latest_id is not None:
        run = await runs.get_run(latest_id)
        reason = next((u for u in run.unmatched if u.request_id == request_id), None)
    choices = await _pool_choices([])
    chosen_facts = await board.board_facts([request_id], [m for m, _ in choices])
    options = [
        (mentor_id, _option(name, chosen_facts, request_id, mentor_id))
        for mentor_id, name in choices
    ]
    return _words(
        need=need,
        request_id=request_id,
        unmatched=reason,
        options=options,
        waiting=need.state is RequestState.OPEN,
    )


def _option(name: str, facts: Any, request_id: int, mentor_id: int) -> Message:
    """A mentor as the assign form offers them: site, travel time and free places."""
    mentor = facts.mentors[mentor_id]
    free = max(mentor.capacity - mentor.load, 0)
    minutes = facts.minutes(request_id, mentor_id)
    site: str | Message = mentor.site_name or MATCHING("site_unknown")
    if minutes is None:
        return MATCHING("option", name=name, site=site, free=free, capacity=mentor.capacity)
    return MATCHING(
        "option_travel",
        name=name,
        site=site,
        minutes=round(minutes),
        free=free,
        capacity=mentor.capacity,
    )


def _rejection(form: Form) -> dict[str, Any]:
    return {"reason": form.get("reason"), "scope": form.get("scope", BanScope.REQUEST)}


def _reject_words(fields: Mapping[str, str]) -> dict[str, str]:
    return {k if k in ("reason", "scope") else "reason": v for k, v in fields.items()}


def _chosen_mentor(
    form: Form, reason_input: str, blanks: Mapping[str, Message], label: str
) -> OverrideBody:
    """The mentor chosen by hand and the reason (its input's `label`); every mistake at once."""
    data = {"mentor_id": form.get("mentor_id"), "reason": form.get(reason_input)}
    missing = {name: blanks[name] for name in ("mentor_id", "reason") if not data[name]}
    labels = {"mentor_id": "Mentor", "reason": label}
    errors = {**field_errors(OverrideBody, data, labels), **missing}
    if errors:
        raise ValidationFailed(errors)
    return convert(OverrideBody, data, labels)


OVERRIDE_BLANKS = {
    "mentor_id": MATCHING("choose_other_mentor"),
    "reason": MATCHING("say_why_other"),
}
ASSIGN_BLANKS = {"mentor_id": MATCHING("choose_mentor"), "reason": MATCHING("say_why_by_hand")}
NOTHING_APPROVED = BackTo(
    "/matching/runs/{run_id}",
    (Conflict,),
    lambda reason: MATCHING("notice.nothing_approved", reason=reason),
)
REJECT = FormPage(
    "matching/proposal.html",
    functools.partial(_proposal_page, which="reject"),
    {"reason": "Why you reject this match"},
    words=_reject_words,
    refusals={Conflict: BackTo("/matching/proposals/{proposal_id}", (Conflict,))},
)
OVERRIDE = FormPage(
    "matching/proposal.html",
    functools.partial(_proposal_page, which="override"),
    names={"reason": "override_reason"},
    words=as_said,
    refusals={Conflict: At("mentor_id", own_status=True)},
)
ASSIGN = FormPage(
    "matching/assign.html",
    _assign_page,
    words=as_said,
    refusals={Conflict: At("mentor_id", own_status=True)},
)


class MatchBoardPages(Controller):
    """Run matching, review proposals side by side, approve, reject or override."""

    path = "/matching"
    include_in_schema = False
    opt = access(roles(Role.COORDINATOR))

    @get("/")
    async def board(self) -> Template:
        """The latest run's board, or an explanation before the first run."""
        latest_id = await _latest_id()
        run = None if latest_id is None else await runs.get_run(latest_id)
        return page("matching/board.html", await _board_context(run, latest_id))

    @get("/runs/{run_id:int}")
    async def one_run(self, run_id: FromPath[int]) -> Template:
        """An earlier (or the latest) run's board."""
        run = await runs.get_run(run_id)
        return page("matching/board.html", await _board_context(run, await _latest_id()))

    @post("/runs")
    async def run(self, request: Me) -> Response[Any]:
        """Run matching over every open request and show the new run."""
        # The service runs the solver off the event loop (asyncio.to_thread), as for the API.
        result = await runs.run_matching(request.user.account_id)
        notice = ran(result.matched_count, result.unmatched_count)
        return redirect(request, _run_path(result.id), notice)

    @form_post("/runs/{run_id:int}/approve-all", NOTHING_APPROVED)
    async def approve_all(self, request: Me, run_id: FromPath[int]) -> Response[Any]:
        """Approve every pending proposal of the latest run; list any that could not be."""
        result = await review.approve_all(run_id, request.user.account_id)
        return page("matching/approve_all.html", _words(result=result, run_id=run_id))

    @get("/proposals/{proposal_id:int}")
    async def proposal(self, proposal_id: FromPath[int]) -> Template:
        """One proposal in full: side by side, explained, with every action."""
        proposal = await runs.get_proposal(proposal_id)
        return page("matching/proposal.html", await _proposal_context(proposal))

    @post("/proposals/{proposal_id:int}/approve")
    async def approve(self, request: Me, proposal_id: FromPath[int]) -> Response[Any]:
        """Approve: the case opens. With HTMX only the proposal's card is sent back."""
        proposal, said, approved = await _approval(proposal_id, request.user.account_id)
        return await self._answer(request, proposal, said, approved)

    async def _answer(
        self, request: Me, proposal: ProposalRead, said: Message, approved: bool
    ) -> Response[Any]:
        """The proposal's card alone for HTMX, else back to the page the action came from."""
        if is_htmx(request):
            if approved:
                return await self._card(proposal, notice=word(said))
            return await self._card(proposal, error=word(said))
        return redirect(request, self._back(request.headers.get("referer", ""), proposal), said)

    @form_post("/proposals/{proposal_id:int}/reject", REJECT)
    async def reject(self, request: Me, proposal_id: FromPath[int]) -> Response[Any]:
        """Reject with a reason (required); the pair is not proposed again."""
        data = await REJECT.read(request, RejectBody, _rejection)
        who = request.user.account_id
        rejected = await review.reject(proposal_id, who, data.reason, data.scope)
        return redirect(request, _on_board(rejected.run_id, proposal_id), _rejected(rejected))

    @form_post("/proposals/{proposal_id:int}/override", OVERRIDE)
    async def override(self, request: Me, proposal_id: FromPath[int]) -> Response[Any]:
        """Open the case with another mentor than proposed, with a reason."""
        proposal = await runs.get_proposal(proposal_id)
        data = _chosen_mentor(await OVERRIDE.form(request), "override_reason", *OVERRIDE_REASON)
        who = request.user.account_id
        approval = await review.override(proposal_id, data.mentor_id, who, data.reason)
        notice = _overridden(approval.proposal, proposal.mentor_name)
        return redirect(request, _on_board(proposal.run_id, proposal_id), notice)

    @get("/requests/{request_id:int}/assign")
    async def assign_form(self, request: Me, request_id: FromPath[int]) -> Template:
        """Choose a mentor by hand for a request the latest run left unmatched."""
        return await ASSIGN.show(request)

    @form_post("/requests/{request_id:int}/assign", ASSIGN)
    async def assign(self, request: Me, request_id: FromPath[int]) -> Response[Any]:
        """Open the case with the chosen mentor (the same rules as a match run)."""
        data = _chosen_mentor(await ASSIGN.form(request), "reason", *ASSIGN_REASON)
        approval = await review.assign_unmatched(
            request_id, data.mentor_id, request.user.account_id, data.reason
        )
        notice = _assigned(approval.proposal)
        return redirect(request, f"/matching#request-{request_id}", notice)

    @staticmethod
    def _back(referer: str, proposal: ProposalRead) -> str:
        """Back to the page the action came from: the proposal's page or its run's board."""
        anchor = f"#proposal-{proposal.id}"
        if f"/matching/proposals/{proposal.id}" in referer:
            return f"/matching/proposals/{proposal.id}"
        return _run_path(proposal.run_id) + anchor

    @staticmethod
    async def _card(
        proposal: ProposalRead, *, notice: str | None = None, error: str | None = None
    ) -> Template:
        """One proposal's card alone, for HTMX to swap in place."""
        facts = await board.board_facts([proposal.request_id], [proposal.mentor_id])
        return page(
            "matching/card_fragment.html",
            _words(
                proposal=proposal,
                facts=facts,
                card_notice=notice,
                card_error=error,
                is_latest=proposal.run_id == await _latest_id(),
            ),
        )


OVERRIDE_REASON = (OVERRIDE_BLANKS, "Why you choose another mentor")
ASSIGN_REASON = (ASSIGN_BLANKS, "Why you choose this mentor")


def _on_board(run_id: int | None, proposal_id: int) -> str:
    """A proposal's card on its run's board."""
    return _run_path(run_id) + f"#proposal-{proposal_id}"


def _overridden(chosen: ProposalRead, instead: str) -> Message:
    """The notice after a proposal is overridden: who mentors whom instead of whom."""
    mentor, employee = chosen.mentor_name, chosen.employee_name
    return MATCHING("notice.overridden", mentor=mentor, employee=employee, instead=instead)


def _rejected(rejected: ProposalRead) -> Message:
    """The notice after a proposal is rejected: the request waits for the next run."""
    mentor, employee = rejected.mentor_name, rejected.employee_name
    return MATCHING("notice.rejected", mentor=mentor, employee=employee)


def _assigned(chosen: ProposalRead) -> Message:
    """The notice after a mentor is chosen by hand for an unmatched request."""
    return MATCHING("notice.assigned", mentor=chosen.mentor_name, employee=chosen.employee_name)


async def _approval(proposal_id: int, coordinator_id: int) -> tuple[ProposalRead, Message, bool]:
    """Approve the proposal: the proposal as it stands now, what to say, and whether it was
    approved (a refusal is said, not raised, so the card can show it in place)."""
    try:
        approval = await review.approve(proposal_id, coordinator_id)
    except Conflict as exc:
        refused = await runs.get_proposal(proposal_id)
        return refused, MATCHING("notice.not_approved", reason=exc.reason), False
    proposal = approval.proposal
    said = MATCHING("notice.approved", employee=proposal.employee_name, mentor=proposal.mentor_name)
    return proposal, said, True
