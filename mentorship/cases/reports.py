"""Status reports on referred cases: the mentee sees each first, then it is released.

A report is released to the referring supervisor when the mentee responds or when the
agreement's response window (`report_response_days`) has passed, whichever comes first.
The supervisor only ever receives its status line and dates.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from mentorship.cases.access import (
    Access,
    Actor,
    authorize,
    content_key,
    guarded,
    is_open,
    open_sealed,
    reading,
    record,
    record_read,
    refuse,
    writing_key,
)
from mentorship.cases.crypto import content_identity, seal_text
from mentorship.cases.messages import CASES
from mentorship.cases.policy import Action, may
from mentorship.cases.schemas import ReportCreate, ReportRead, ReportResponse
from mentorship.cases.states import ReportStatus
from mentorship.cases.tables import Case, StatusReport
from mentorship.lib import clock, db
from mentorship.lib.errors import Conflict, NotFound

_COLUMNS = (*StatusReport.all_columns(), StatusReport.author.display_name.as_alias("author_name"))


def body_identity(case_id: int, report_id: int, status: ReportStatus) -> bytes:
    """What a report's text is bound to (its status included, so that cannot be swapped)."""
    return content_identity("report", case_id, report_id, "body", status.value)


def response_identity(case_id: int, report_id: int) -> bytes:
    """What the mentee's response is bound to."""
    return content_identity("report", case_id, report_id, "response")


def released_at(report: dict[str, Any], now: datetime) -> datetime | None:
    """When the report reached (or reaches) the supervisor; None while the mentee has it."""
    if report["responded_at"] is not None:
        return report["responded_at"]
    respond_by: datetime = report["respond_by"]
    return respond_by if respond_by <= now else None


@dataclass(frozen=True)
class Released:
    """A report as far as the supervisor may know it."""

    written_at: datetime
    released_at: datetime
    status: ReportStatus


async def released(case_id: int) -> list[Released]:
    """The case's reports already released to the referring supervisor, oldest first."""
    rows = (
        await StatusReport.select(
            StatusReport.written_at,
            StatusReport.respond_by,
            StatusReport.responded_at,
            StatusReport.status,
        )
        .where(StatusReport.case == case_id)
        .order_by(StatusReport.written_at)
    )
    now = clock.now()
    out = []
    for row in rows:
        when = released_at(row, now)
        if when is not None:
            out.append(
                Released(written_at=row["written_at"], released_at=when, status=row["status"])
            )
    return out


def _open(
    access: Access, data_key: bytes | None, sealed: Any, identity: bytes, report_id: int
) -> str | None:
    return open_sealed(
        access,
        data_key,
        sealed,
        identity,
        object_type="report",
        object_id=report_id,
        action="read",
    )


def _read(
    access: Access, row: dict[str, Any], data_key: bytes | None, with_text: bool
) -> ReportRead:
    status = ReportStatus(row["status"])
    when = released_at(row, clock.now())
    return ReportRead(
        id=row["id"],
        case_id=row["case"],
        status=status,
        author_name=row["author_name"],
        written_at=row["written_at"],
        respond_by=row["respond_by"],
        responded_at=row["responded_at"],
        released=when is not None,
        released_at=when,
        text=_open(
            access,
            data_key,
            row["sealed_body"],
            body_identity(access.case_id, row["id"], status),
            row["id"],
        )
        if with_text
        else None,
        response=_open(
            access,
            data_key,
            row["sealed_response"],
            response_identity(access.case_id, row["id"]),
            row["id"],
        )
        if with_text
        else None,
    )


async def write_report(case_id: int, actor: Actor, data: ReportCreate) -> ReportRead:
    """The mentor writes a status report on a referred case; the mentee sees it first."""

    async def work() -> ReportRead:
        access = await authorize(
            case_id, actor, Action.WRITE_REPORT, purpose="write a status report", lock=True
        )
        if access.case["track"] != "referred":
            raise Conflict(CASES("reports_for_referred"))
        if not is_open(access.case):
            raise Conflict(CASES("case_closed", case_id=case_id))
        data_key = await writing_key(access)
        now = clock.now()
        rows = await StatusReport.insert(
            StatusReport(
                case=case_id,
                author=actor.account_id,
                status=data.status.value,
                written_at=now,
                respond_by=now + timedelta(days=access.terms.report_response_days),
            )
        ).returning(StatusReport.id)
        report_id = int(rows[0]["id"])
        await StatusReport.update(
            {
                StatusReport.sealed_body: seal_text(
                    data_key, data.text, body_identity(case_id, report_id, data.status)
                )
            }
        ).where(StatusReport.id == report_id)
        await record(
            access,
            "create",
            purpose="write a status report",
            object_type="report",
            object_id=report_id,
            details={"status": data.status.value},
        )
        row = await StatusReport.select(*_COLUMNS).where(StatusReport.id == report_id).first()
        assert row is not None
        return _read(access, row, data_key, with_text=True)

    return await guarded(work)


_CASE_REPORTS = db.Prepared(
    lambda: (
        StatusReport.select(*_COLUMNS)
        .where(StatusReport.case == db.Param(0))
        .order_by(StatusReport.written_at, ascending=False)
    )
)


async def reports_of(access: Access) -> list[ReportRead]:
    """The case's reports, newest first, for someone allowed to view the case. Text appears
    only for those allowed to read it, and each report whose text is returned is one event."""
    with_text = may(access.relation, Action.READ_REPORT, access.facts)
    rows = await _CASE_REPORTS.rows(access.case_id)
    data_key = await content_key(access) if with_text and rows else None
    reads = [_read(access, row, data_key, with_text) for row in rows]
    if with_text:
        for row in rows:
            await record_read(
                access,
                "read",
                purpose="read a status report",
                object_type="report",
                object_id=row["id"],
            )
    else:
        await record_read(
            access, "read", purpose="view report dates and statuses", object_type="reports"
        )
    return reads


async def list_reports(case_id: int, actor: Actor) -> list[ReportRead]:
    """The case's reports, newest first (see `reports_of`)."""

    async def work() -> list[ReportRead]:
        access = await authorize(case_id, actor, Action.VIEW, purpose="view status reports")
        return await reports_of(access)

    return await reading(work)


async def respond(case_id: int, report_id: int, actor: Actor, data: ReportResponse) -> ReportRead:
    """The mentee responds to a report (once, within the window); it is released at once."""

    async def work() -> ReportRead:
        access = await authorize(
            case_id,
            actor,
            Action.RESPOND_TO_REPORT,
            purpose="respond to a status report",
            lock=True,
            object_type="report",
            object_id=report_id,
        )
        row = (
            await StatusReport.select(*_COLUMNS)
            .where((StatusReport.id == report_id) & (StatusReport.case == case_id))
            .first()
        )
        if row is None:
            raise refuse(
                access,
                NotFound(CASES("report_not_found", report_id=report_id)),
                action="respond",
                object_type="report",
                object_id=report_id,
                purpose="respond to a status report",
            )
        now = clock.now()
        if row["responded_at"] is not None:
            raise Conflict(CASES("already_responded"))
        if row["respond_by"] < now:
            raise Conflict(CASES("response_too_late"))
        text = data.text.strip()
        changes: dict[Any, Any] = {StatusReport.responded_at: now}
        if text:
            data_key = await writing_key(access)
            changes[StatusReport.sealed_response] = seal_text(
                data_key, text, response_identity(case_id, report_id)
            )
        await StatusReport.update(changes).where(StatusReport.id == report_id)
        await record(
            access,
            "respond",
            purpose="respond to a status report",
            object_type="report",
            object_id=report_id,
            details={"with_comment": bool(text)},
        )
        fresh = await StatusReport.select(*_COLUMNS).where(StatusReport.id == report_id).first()
        assert fresh is not None
        return _read(access, fresh, await content_key(access), with_text=True)

    return await guarded(work)


@dataclass(frozen=True)
class AwaitingResponse:
    """A status report about the actor still open for their response (no text)."""

    case_id: int
    report_id: int
    mentor_name: str
    written_at: datetime
    respond_by: datetime


async def awaiting_response(actor: Actor) -> list[AwaitingResponse]:
    """Reports about the actor, in cases they are the employee of, that they may still
    answer (not answered, window still open), soonest deadline first.

    Content-free (no text is opened, so nothing is recorded): for the employee's home page.
    """
    case_ids = [
        row["id"] for row in await Case.select(Case.id).where(Case.employee == actor.account_id)
    ]
    if not case_ids:
        return []
    now = clock.now()
    rows = (
        await StatusReport.select(
            StatusReport.id,
            StatusReport.case,
            StatusReport.written_at,
            StatusReport.respond_by,
            StatusReport.author.display_name.as_alias("author_name"),
        )
        .where(
            StatusReport.case.is_in(case_ids)
            & StatusReport.responded_at.is_null()
            & (StatusReport.respond_by > now)
        )
        .order_by(StatusReport.respond_by)
    )
    return [
        AwaitingResponse(
            case_id=row["case"],
            report_id=row["id"],
            mentor_name=row["author_name"],
            written_at=row["written_at"],
            respond_by=row["respond_by"],
        )
        for row in rows
    ]
