"""Request rules: filing, referral consent, withdrawal, one pending request, the queue."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from mentorship.access.roles import Role
from mentorship.accounts.services import display_name, lock_account
from mentorship.accounts.tables import Account, AccountRole
from mentorship.agreement import services as agreement
from mentorship.assistance.messages import ASSISTANCE
from mentorship.assistance.policy import RequestParties, RequestView, may_withdraw, request_view
from mentorship.assistance.schemas import (
    ConsentBody,
    ConsentPrompt,
    NeededSkillRead,
    QueueEntry,
    ReferralCreate,
    ReferralStatus,
    RequestCreate,
    RequestRead,
)
from mentorship.assistance.signals import RequestWithdrawn, request_withdrawn
from mentorship.assistance.states import (
    ACTIVE_STATES,
    PENDING_STATES,
    ConsentDecision,
    RequestState,
    Track,
    Urgency,
)
from mentorship.assistance.tables import AssistanceRequest, RequestSkill
from mentorship.district import job_roles_and_skills, profiles
from mentorship.district.tables import Employee
from mentorship.lib import clock, db
from mentorship.lib.errors import Conflict, NotFound, PermissionDenied, ValidationFailed
from mentorship.notices import services as notices

_PENDING = [s.value for s in PENDING_STATES]
_ACTIVE = [s.value for s in ACTIVE_STATES]


async def _request_in(
    employee_id: int, states: list[str], filed_by: int | None = None
) -> int | None:
    """The id of one of the employee's requests in those states (optionally by one filer)."""
    condition = (AssistanceRequest.employee == employee_id) & AssistanceRequest.state.is_in(states)
    if filed_by is not None:
        condition = condition & (AssistanceRequest.filed_by == filed_by)
    row = await AssistanceRequest.select(AssistanceRequest.id).where(condition).first()
    return None if row is None else int(row["id"])


async def _refuse_second_request(employee_id: int, told_to_employee: bool = True) -> None:
    """Refuse a second active request; only the employee is told which request is in the way."""
    active = await _request_in(employee_id, _ACTIVE)
    if active is not None and not told_to_employee:
        raise Conflict(ASSISTANCE("other_in_progress"))
    if active is not None:
        raise Conflict(ASSISTANCE("own_in_progress", request_id=active))


async def _insert(
    data: RequestCreate,
    employee_id: int,
    filed_by: int,
    track: Track,
    state: RequestState,
    agreement_version: int,
) -> int:
    skills = {s.skill_id: s.priority for s in data.needed_skills}
    if len(skills) != len(data.needed_skills):
        raise ValidationFailed({"needed_skills": ASSISTANCE("skill_twice")})
    await job_roles_and_skills.require_active_skills(skills, "needed_skills")
    now = clock.now()
    languages = profiles.normalise_languages([data.preferred_language or ""])
    language = languages[0] if languages else None
    try:
        async with db.transaction():
            await lock_account(employee_id)
            if track is Track.REFERRED:
                # Only the supervisor's own referrals are mentioned: whether the employee has
                # asked for help themselves is none of the supervisor's business.
                earlier = await _request_in(employee_id, _PENDING, filed_by=filed_by)
                if earlier is not None:
                    raise Conflict(ASSISTANCE("already_referred", request_id=earlier))
            if state is not RequestState.AWAITING_CONSENT:
                await _refuse_second_request(employee_id, employee_id == filed_by)
            rows = await AssistanceRequest.insert(
                AssistanceRequest(
                    employee=employee_id,
                    filed_by=filed_by,
                    track=track.value,
                    state=state.value,
                    urgency=data.urgency.value,
                    preferred_language=language,
                    description=data.description.strip(),
                    agreement_version=agreement_version,
                    filed_at=now,
                    opened_at=now if state is RequestState.OPEN else None,
                )
            ).returning(AssistanceRequest.id)
            request_id = int(rows[0]["id"])
            await RequestSkill.insert(
                *(
                    RequestSkill(request=request_id, skill=skill, priority=priority)
                    for skill, priority in sorted(skills.items())
                )
            )
            if track is Track.VOLUNTARY:
                await _tell_filed(request_id, employee_id, data.urgency, now)
    except Exception as exc:
        # Two filings at the same moment: the partial unique index stops the second, which
        # gets the same answer as if it had come a moment later.
        if "unique" in str(exc).lower():
            await _refuse_second_request(employee_id, employee_id == filed_by)
        raise
    return request_id


async def _tell_filed(request_id: int, employee_id: int, urgency: Urgency, now: datetime) -> None:
    """The employee's receipt and the coordinators' notice of a self-request, in its
    transaction: names, ids, dates and the urgency only, never what the request says."""
    told = {"employee_name": await display_name(employee_id), "request_id": request_id}
    told["filed_on"] = now
    await notices.tell(employee_id, "request_filed.receipt", told, "/requests")
    coordinators = await notices.coordinators(besides=employee_id)
    told["urgency"] = urgency.value
    await notices.tell_each(coordinators, "request_filed.coordinator", told, "/queue")


async def file_self_request(employee_id: int, data: RequestCreate) -> RequestRead:
    """An employee asks for help (voluntary track); it joins the queue at once."""
    in_force = await agreement.in_force()
    if not in_force.terms.tracks.voluntary:
        raise Conflict(ASSISTANCE("no_voluntary_track"))
    waiting = await _request_in(employee_id, [RequestState.AWAITING_CONSENT.value])
    if waiting is not None:
        raise Conflict(ASSISTANCE("referral_waiting", request_id=waiting))
    request_id = await _insert(
        data, employee_id, employee_id, Track.VOLUNTARY, RequestState.OPEN, in_force.version
    )
    return await _read(request_id)


async def file_referral(supervisor_id: int, data: ReferralCreate) -> ReferralStatus:
    """A supervisor refers someone in their chain; it waits for the employee's consent."""
    in_force = await agreement.in_force()
    if not in_force.terms.tracks.referred:
        raise Conflict(ASSISTANCE("no_referred_track"))
    if data.employee_id == supervisor_id:
        raise ValidationFailed({"employee_id": ASSISTANCE("refer_yourself")})
    target = await Account.select(Account.active).where(Account.id == data.employee_id).first()
    if (
        target is None
        or not target["active"]
        or not await AccountRole.exists().where(
            (AccountRole.account == data.employee_id) & (AccountRole.role == Role.EMPLOYEE.value)
        )
    ):
        raise ValidationFailed(
            {"employee_id": ASSISTANCE("no_employee", employee_id=data.employee_id)}
        )
    if not await profiles.is_in_chain(supervisor_id, data.employee_id):
        raise PermissionDenied(ASSISTANCE("outside_chain"))
    state = (
        RequestState.AWAITING_CONSENT
        if in_force.terms.tracks.referred_requires_consent
        else RequestState.OPEN
    )
    request_id = await _insert(
        data, data.employee_id, supervisor_id, Track.REFERRED, state, in_force.version
    )
    return await referral_status(request_id, supervisor_id)


async def _row(request_id: int) -> dict[str, Any]:
    row = (
        await AssistanceRequest.select(
            *AssistanceRequest.all_columns(),
            AssistanceRequest.employee.display_name.as_alias("employee_name"),
            AssistanceRequest.filed_by.display_name.as_alias("filed_by_name"),
        )
        .where(AssistanceRequest.id == request_id)
        .first()
    )
    if row is None:
        raise NotFound(ASSISTANCE("no_request", request_id=request_id))
    return row


async def _skills(request_ids: list[int]) -> dict[int, list[NeededSkillRead]]:
    result: dict[int, list[NeededSkillRead]] = {i: [] for i in request_ids}
    if not request_ids:
        return result
    rows = await RequestSkill.select(
        RequestSkill.request,
        RequestSkill.skill,
        RequestSkill.skill.name.as_alias("name"),
        RequestSkill.priority,
    ).where(RequestSkill.request.is_in(request_ids))
    for row in rows:
        result[row["request"]].append(
            NeededSkillRead(skill_id=row["skill"], name=row["name"], priority=row["priority"])
        )
    for skills in result.values():
        skills.sort(key=lambda s: (-s.priority, s.name))
    return result


async def _read(request_id: int, row: dict[str, Any] | None = None) -> RequestRead:
    row = row or await _row(request_id)
    prompt = None
    if row["state"] == RequestState.AWAITING_CONSENT:
        in_force = await agreement.in_force()
        prompt = ConsentPrompt(
            agreement_version=in_force.version, wording=in_force.terms.referral_consent_text
        )
    return RequestRead(
        id=row["id"],
        employee_id=row["employee"],
        employee_name=row["employee_name"],
        filed_by_name=row["filed_by_name"],
        track=Track(row["track"]),
        state=RequestState(row["state"]),
        urgency=Urgency(row["urgency"]),
        preferred_language=row["preferred_language"],
        needed_skills=(await _skills([row["id"]]))[row["id"]],
        description=row["description"],
        agreement_version=row["agreement_version"],
        filed_at=row["filed_at"],
        opened_at=row["opened_at"],
        consent_decision=ConsentDecision(row["consent_decision"])
        if row["consent_decision"]
        else None,
        consent_at=row["consent_at"],
        consent_agreement_version=row["consent_agreement_version"],
        consent_wording=row["consent_wording"],
        closed_at=row["closed_at"],
        consent_needed=prompt,
    )


def _parties(row: dict[str, Any]) -> RequestParties:
    return RequestParties(employee_id=row["employee"], filed_by_id=row["filed_by"])


async def get_request(
    request_id: int, viewer_id: int, viewer_roles: frozenset[Role]
) -> RequestRead:
    """The whole request for the employee or a coordinator; 404 for anyone else."""
    row = await _row(request_id)
    if request_view(viewer_id, viewer_roles, _parties(row)) is not RequestView.FULL:
        raise NotFound(ASSISTANCE("no_request", request_id=request_id))
    return await _read(request_id, row)


def _status(row: dict[str, Any]) -> ReferralStatus:
    return ReferralStatus(
        id=row["id"],
        employee_id=row["employee"],
        employee_name=row["employee_name"],
        state=RequestState(row["state"]),
        filed_at=row["filed_at"],
        consent_at=row["consent_at"],
        closed_at=row["closed_at"],
    )


async def referral_status(request_id: int, viewer_id: int) -> ReferralStatus:
    """A referral as the supervisor who filed it may see it: state and dates only."""
    row = await _row(request_id)
    if row["track"] != Track.REFERRED or row["filed_by"] != viewer_id:
        raise NotFound(ASSISTANCE("no_referral", request_id=request_id))
    return _status(row)


async def my_referrals(supervisor_id: int) -> list[ReferralStatus]:
    """Referrals the supervisor filed, newest first, status only."""
    rows = (
        await AssistanceRequest.select(
            *AssistanceRequest.all_columns(),
            AssistanceRequest.employee.display_name.as_alias("employee_name"),
        )
        .where(
            (AssistanceRequest.filed_by == supervisor_id)
            & (AssistanceRequest.track == Track.REFERRED.value)
        )
        .order_by(AssistanceRequest.filed_at, ascending=False)
        .order_by(AssistanceRequest.id, ascending=False)
    )
    return [_status(row) for row in rows]


async def my_requests(employee_id: int) -> list[RequestRead]:
    """The employee's own requests of both tracks, newest first."""
    rows = (
        await AssistanceRequest.select(AssistanceRequest.id)
        .where(AssistanceRequest.employee == employee_id)
        .order_by(AssistanceRequest.filed_at, ascending=False)
        .order_by(AssistanceRequest.id, ascending=False)
    )
    return [await _read(row["id"]) for row in rows]


async def answer_referral(request_id: int, employee_id: int, data: ConsentBody) -> RequestRead:
    """The employee consents (the request joins the queue) or declines (it ends)."""
    async with db.transaction():
        await lock_account(employee_id)
        row = await db.for_update(
            AssistanceRequest.select().where(AssistanceRequest.id == request_id)
        ).first()
        if row is None or row["employee"] != employee_id:
            raise NotFound(ASSISTANCE("no_request", request_id=request_id))
        if row["state"] != RequestState.AWAITING_CONSENT:
            raise Conflict(
                ASSISTANCE("not_awaiting_answer", state=RequestState(row["state"]).words)
            )
        in_force = await agreement.in_force()
        if data.agreement_version != in_force.version:
            raise Conflict(
                ASSISTANCE(
                    "agreement_changed",
                    answered=data.agreement_version,
                    in_force=in_force.version,
                )
            )
        now = clock.now()
        consented = data.decision is ConsentDecision.CONSENT
        if consented:
            await _refuse_second_request(employee_id)
        await AssistanceRequest.update(
            {
                AssistanceRequest.state: (
                    RequestState.OPEN if consented else RequestState.DECLINED
                ).value,
                AssistanceRequest.consent_decision: data.decision.value,
                AssistanceRequest.consent_at: now,
                AssistanceRequest.consent_agreement_version: in_force.version,
                AssistanceRequest.consent_wording: in_force.terms.referral_consent_text,
                AssistanceRequest.opened_at: now if consented else None,
                AssistanceRequest.closed_at: None if consented else now,
                AssistanceRequest.closed_by: None if consented else employee_id,
            }
        ).where(AssistanceRequest.id == request_id)
    return await _read(request_id)


async def withdraw(
    request_id: int, viewer_id: int, viewer_roles: frozenset[Role]
) -> RequestRead | ReferralStatus:
    """The employee or the filer withdraws a request that matching has not finished with."""
    async with db.transaction():
        row = await db.for_update(
            AssistanceRequest.select().where(AssistanceRequest.id == request_id)
        ).first()
        if row is None or viewer_id not in (row["employee"], row["filed_by"]):
            raise NotFound(ASSISTANCE("no_request", request_id=request_id))
        if row["state"] not in _PENDING:
            raise Conflict(ASSISTANCE("not_withdrawable", state=RequestState(row["state"]).words))
        awaiting = row["state"] == RequestState.AWAITING_CONSENT
        if not may_withdraw(viewer_id, _parties(row), awaiting):
            raise Conflict(ASSISTANCE("employees_hands"))
        now = clock.now()
        await AssistanceRequest.update(
            {
                AssistanceRequest.state: RequestState.WITHDRAWN.value,
                AssistanceRequest.closed_at: now,
                AssistanceRequest.closed_by: viewer_id,
            }
        ).where(AssistanceRequest.id == request_id)
        await request_withdrawn.send(RequestWithdrawn(request_id))
    full = await _row(request_id)
    if request_view(viewer_id, viewer_roles, _parties(full)) is RequestView.FULL:
        return await _read(request_id, full)
    return _status(full)


async def queue(states: list[RequestState] | None = None) -> list[QueueEntry]:
    """Requests for the coordinator: urgent first, then longest waiting."""
    wanted = [s.value for s in (states or [RequestState.OPEN])]
    rows = await AssistanceRequest.select(
        *AssistanceRequest.all_columns(exclude=[AssistanceRequest.description]),
        AssistanceRequest.employee.display_name.as_alias("employee_name"),
    ).where(AssistanceRequest.state.is_in(wanted))
    skills = await _skills([row["id"] for row in rows])
    sites = {
        row["account"]: row["site_code"]
        for row in await Employee.select(
            Employee.account, Employee.site.code.as_alias("site_code")
        ).where(Employee.account.is_in([r["employee"] for r in rows] or [-1]))
    }
    now = clock.now()
    entries = [
        QueueEntry(
            id=row["id"],
            employee_id=row["employee"],
            employee_name=row["employee_name"],
            site_code=sites.get(row["employee"]),
            track=Track(row["track"]),
            state=RequestState(row["state"]),
            urgency=Urgency(row["urgency"]),
            preferred_language=row["preferred_language"],
            needed_skills=skills[row["id"]],
            filed_at=row["filed_at"],
            opened_at=row["opened_at"],
            waiting_days=round(
                (now - (row["opened_at"] or row["filed_at"])).total_seconds() / 86400, 1
            ),
        )
        for row in rows
    ]
    # Sort on the exact time waited; waiting_days is rounded for display only.
    entries.sort(key=lambda e: (e.urgency is not Urgency.URGENT, e.opened_at or e.filed_at, e.id))
    return entries
