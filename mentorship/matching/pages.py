"""Coordinator pages for the request queue and the match board.

The queue lists requests waiting for a mentor. The match board shows the latest match run
(or any earlier one): each proposal with the request's needs beside the proposed mentor's
offer, the explanation and the alternatives considered; the coordinator approves, rejects
with a reason, or chooses another mentor, and assigns unmatched requests by hand. Every rule
is the matching service's: the handlers read forms, call it, and show what it answers.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Annotated, Any

from litestar import Controller, Request, Response, get, post
from litestar.params import FromPath, QueryParameter
from litestar.response import Template

from mentorship.access.guards import access, roles
from mentorship.access.principal import Principal
from mentorship.access.roles import Role
from mentorship.agreement import services as agreement
from mentorship.assistance import services as assistance
from mentorship.assistance.states import RequestState, Track, Urgency
from mentorship.lib.errors import Conflict, NotFound, ValidationFailed
from mentorship.lib.messages import word
from mentorship.matching import services
from mentorship.matching.messages import excluded
from mentorship.matching.problem import Constraint, UnmatchedKind
from mentorship.matching.schemas import (
    MessageRead,
    OverrideBody,
    ProposalRead,
    RejectBody,
    RunRead,
)
from mentorship.matching.states import BanScope, ProposalStatus
from mentorship.pool import services as pool
from mentorship.pool.tables import MentorStatus
from mentorship.web.forms import convert, read_form, sentence
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

TRACKS = {
    Track.VOLUNTARY: "Asked for help themselves",
    Track.REFERRED: "Referred by a supervisor",
}

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


class QueuePages(Controller):
    """The request queue with waiting times."""

    path = "/queue"
    include_in_schema = False
    opt = access(roles(Role.COORDINATOR))

    @get("/")
    async def queue(self, shown: Annotated[str, QueryParameter(name="state")] = "open") -> Template:
        """Requests waiting for a mentor: urgent first, then longest waiting."""
        chosen = shown if shown in QUEUE_FILTERS else "open"
        entries = await assistance.queue(QUEUE_FILTERS[chosen][1])
        return page(
            "matching/queue.html",
            _words(
                entries=entries,
                state=chosen,
                filters=[(key, label) for key, (label, _) in QUEUE_FILTERS.items()],
                filter_label=QUEUE_FILTERS[chosen][0],
                urgent_count=sum(1 for e in entries if e.urgency is Urgency.URGENT),
            ),
        )


# --- the match board -------------------------------------------------------------------------


def _run_path(run_id: int | None) -> str:
    return "/matching" if run_id is None else f"/matching/runs/{run_id}"


async def _board_context(run: RunRead | None, latest_id: int | None) -> dict[str, Any]:
    """Everything the board template needs for one run (or none yet)."""
    runs = await services.list_runs(20)
    if run is None:
        return _words(run=None, runs=runs, latest_id=latest_id)
    facts = await services.board_facts(
        [p.request_id for p in run.proposals] + [u.request_id for u in run.unmatched],
        [p.mentor_id for p in run.proposals],
    )
    pending = [p for p in run.proposals if p.status is ProposalStatus.PENDING]
    decided = [p for p in run.proposals if p.status is not ProposalStatus.PENDING]
    max_travel = (await agreement.in_force()).terms.max_travel_minutes
    return _words(
        run=run,
        runs=runs,
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
        return await services.latest_run_id()
    except NotFound:
        return None


async def _pool_choices(exclude: Iterable[int]) -> list[tuple[int, str]]:
    """Approved mentors taking cases, for choosing one by hand (the service checks the rest)."""
    left_out = set(exclude)
    mentors = await pool.list_mentors(MentorStatus.APPROVED)
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
    facts = await services.board_facts(
        [proposal.request_id], [proposal.mentor_id, *alternative_ids]
    )
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


class MatchBoardPages(Controller):
    """Run matching, review proposals side by side, approve, reject or override."""

    path = "/matching"
    include_in_schema = False
    opt = access(roles(Role.COORDINATOR))

    @get("/")
    async def board(self) -> Template:
        """The latest run's board, or an explanation before the first run."""
        latest_id = await _latest_id()
        run = None if latest_id is None else await services.get_run(latest_id)
        return page("matching/board.html", await _board_context(run, latest_id))

    @get("/runs/{run_id:int}")
    async def one_run(self, run_id: FromPath[int]) -> Template:
        """An earlier (or the latest) run's board."""
        run = await services.get_run(run_id)
        return page("matching/board.html", await _board_context(run, await _latest_id()))

    @post("/runs")
    async def run(self, request: Me) -> Response[Any]:
        """Run matching over every open request and show the new run."""
        # The service runs the solver off the event loop (asyncio.to_thread), as for the API.
        result = await services.run_matching(request.user.account_id)
        proposed = result.matched_count
        left = result.unmatched_count
        notice = (
            f"Matching ran: {proposed} proposal{'s' if proposed != 1 else ''} to review,"
            f" {left} request{'s' if left != 1 else ''} not matched."
        )
        return redirect(request, _run_path(result.id), notice)

    @post("/runs/{run_id:int}/approve-all")
    async def approve_all(self, request: Me, run_id: FromPath[int]) -> Response[Any]:
        """Approve every pending proposal of the latest run; list any that could not be."""
        try:
            result = await services.approve_all(run_id, request.user.account_id)
        except Conflict as exc:
            return redirect(
                request, _run_path(run_id), f"Nothing was approved: {sentence(exc.message)}"
            )
        return page(
            "matching/approve_all.html",
            _words(result=result, run_id=run_id),
        )

    @get("/proposals/{proposal_id:int}")
    async def proposal(self, proposal_id: FromPath[int]) -> Template:
        """One proposal in full: side by side, explained, with every action."""
        proposal = await services.get_proposal(proposal_id)
        return page("matching/proposal.html", await _proposal_context(proposal))

    @post("/proposals/{proposal_id:int}/approve")
    async def approve(self, request: Me, proposal_id: FromPath[int]) -> Response[Any]:
        """Approve: the case opens. With HTMX only the proposal's card is sent back."""
        back = request.headers.get("referer", "")
        try:
            approval = await services.approve(proposal_id, request.user.account_id)
        except Conflict as exc:
            proposal = await services.get_proposal(proposal_id)
            if is_htmx(request):
                return await self._card(proposal, error=f"Not approved: {sentence(exc.message)}")
            return redirect(
                request, self._back(back, proposal), f"Not approved: {sentence(exc.message)}"
            )
        proposal = approval.proposal
        if is_htmx(request):
            return await self._card(
                proposal,
                notice=f"Approved: {proposal.employee_name} and {proposal.mentor_name}."
                " The case is open.",
            )
        return redirect(
            request,
            self._back(back, proposal),
            f"Approved: {proposal.employee_name} and {proposal.mentor_name}. The case is open.",
        )

    @post("/proposals/{proposal_id:int}/reject")
    async def reject(self, request: Me, proposal_id: FromPath[int]) -> Response[Any]:
        """Reject with a reason (required); the pair is not proposed again."""
        form = await read_form(request)
        proposal = await services.get_proposal(proposal_id)
        values = {"reason": form.get("reason"), "scope": form.get("scope", BanScope.REQUEST)}
        try:
            data = convert(RejectBody, values, labels={"reason": "Why you reject this match"})
            rejected = await services.reject(
                proposal_id, request.user.account_id, data.reason, data.scope
            )
        except ValidationFailed as exc:
            fields = {k if k in ("reason", "scope") else "reason": v for k, v in exc.fields.items()}
            context = await _proposal_context(proposal, {**values, "form": "reject"}, fields)
            return page("matching/proposal.html", context, status=422)
        except Conflict as exc:
            return redirect(request, f"/matching/proposals/{proposal_id}", sentence(exc.message))
        return redirect(
            request,
            _run_path(rejected.run_id) + f"#proposal-{proposal_id}",
            f"Rejected {rejected.mentor_name} for {rejected.employee_name}. The request waits"
            " for the next run, or you can assign a mentor by hand.",
        )

    @post("/proposals/{proposal_id:int}/override")
    async def override(self, request: Me, proposal_id: FromPath[int]) -> Response[Any]:
        """Open the case with another mentor than proposed, with a reason."""
        form = await read_form(request)
        proposal = await services.get_proposal(proposal_id)
        values = {
            "mentor_id": form.get("mentor_id"),
            "override_reason": form.get("override_reason"),
        }
        errors: dict[str, str] = {}
        if not values["mentor_id"]:
            errors["mentor_id"] = "Choose the mentor you want instead."
        if not values["override_reason"]:
            errors["override_reason"] = "Say why you choose another mentor."
        try:
            if errors:
                raise ValidationFailed(errors)
            data = convert(
                OverrideBody,
                {"mentor_id": values["mentor_id"], "reason": values["override_reason"]},
                labels={"mentor_id": "Mentor", "reason": "Why you choose another mentor"},
            )
            approval = await services.override(
                proposal_id, data.mentor_id, request.user.account_id, data.reason
            )
        except ValidationFailed as exc:
            fields = {("override_reason" if k == "reason" else k): v for k, v in exc.fields.items()}
            context = await _proposal_context(proposal, {**values, "form": "override"}, fields)
            return page("matching/proposal.html", context, status=422)
        except Conflict as exc:
            context = await _proposal_context(
                proposal, {**values, "form": "override"}, {"mentor_id": sentence(exc.message)}
            )
            return page("matching/proposal.html", context, status=409)
        chosen = approval.proposal
        return redirect(
            request,
            _run_path(proposal.run_id) + f"#proposal-{proposal_id}",
            f"{chosen.mentor_name} will mentor {chosen.employee_name} instead of"
            f" {proposal.mentor_name}. The case is open.",
        )

    @get("/requests/{request_id:int}/assign")
    async def assign_form(self, request_id: FromPath[int]) -> Template:
        """Choose a mentor by hand for a request the latest run left unmatched."""
        return page("matching/assign.html", await self._assign_context(request_id, {}, {}))

    @post("/requests/{request_id:int}/assign")
    async def assign(self, request: Me, request_id: FromPath[int]) -> Response[Any]:
        """Open the case with the chosen mentor (the same rules as a match run)."""
        form = await read_form(request)
        values = {"mentor_id": form.get("mentor_id"), "reason": form.get("reason")}
        errors: dict[str, str] = {}
        if not values["mentor_id"]:
            errors["mentor_id"] = "Choose a mentor."
        if not values["reason"]:
            errors["reason"] = "Say why you choose this mentor by hand."
        try:
            if errors:
                raise ValidationFailed(errors)
            data = convert(
                OverrideBody,
                values,
                labels={"mentor_id": "Mentor", "reason": "Why you choose this mentor"},
            )
            approval = await services.assign_unmatched(
                request_id, data.mentor_id, request.user.account_id, data.reason
            )
        except ValidationFailed as exc:
            context = await self._assign_context(request_id, values, exc.fields)
            return page("matching/assign.html", context, status=422)
        except Conflict as exc:
            context = await self._assign_context(
                request_id, values, {"mentor_id": sentence(exc.message)}
            )
            return page("matching/assign.html", context, status=409)
        chosen = approval.proposal
        return redirect(
            request,
            f"/matching#request-{request_id}",
            f"{chosen.mentor_name} will mentor {chosen.employee_name}. The case is open.",
        )

    async def _assign_context(
        self, request_id: int, values: dict[str, Any], errors: dict[str, str]
    ) -> dict[str, Any]:
        facts = await services.board_facts([request_id], [])
        need = facts.requests.get(request_id)
        if need is None:
            raise NotFound(f"no request with id {request_id}")
        latest_id = await _latest_id()
        reason = None
        if latest_id is not None:
            run = await services.get_run(latest_id)
            reason = next((u for u in run.unmatched if u.request_id == request_id), None)
        choices = await _pool_choices([])
        chosen_facts = await services.board_facts([request_id], [m for m, _ in choices])
        options = []
        for mentor_id, name in choices:
            mentor = chosen_facts.mentors[mentor_id]
            free = max(mentor.capacity - mentor.load, 0)
            minutes = chosen_facts.minutes(request_id, mentor_id)
            where = mentor.site_name or "site not recorded"
            travel = "" if minutes is None else f", {round(minutes)} min away"
            options.append(
                (mentor_id, f"{name} ({where}{travel}; {free} of {mentor.capacity} places free)")
            )
        return _words(
            need=need,
            request_id=request_id,
            unmatched=reason,
            options=options,
            values=values,
            errors=errors,
            waiting=need.state is RequestState.OPEN,
        )

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
        facts = await services.board_facts([proposal.request_id], [proposal.mentor_id])
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
