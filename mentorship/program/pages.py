"""The coordinator's program reports: charts with a data table beside each."""

from __future__ import annotations

from datetime import date
from typing import Any
from urllib.parse import urlencode

from litestar import Controller, Request, Response, get
from litestar.params import FromQuery
from litestar.response import Template

from mentorship.access.guards import access, roles
from mentorship.access.roles import Role
from mentorship.lib.errors import ValidationFailed
from mentorship.lib.http import csv_download
from mentorship.lib.messages import Message, word
from mentorship.program import charts, services
from mentorship.program.messages import PROGRAM
from mentorship.program.suppression import Table
from mentorship.web import dates
from mentorship.web.forms import Form
from mentorship.web.messages import WEB
from mentorship.web.pages import FormPage, as_said, shows_refusals
from mentorship.web.render import page

LABELS = {"since": "First day", "until": "Last day"}


def parse_day(raw: str | None, name: str, errors: dict[str, Message]) -> date | None:
    """A YYYY-MM-DD date from the form, or None when blank; a message when it is not one."""
    if not raw or not raw.strip():
        return None
    try:
        return date.fromisoformat(raw.strip())
    except ValueError:
        errors[name] = WEB("date_example", label=LABELS[name])
        return None


def _formatters(request: Request[Any, Any, Any]) -> tuple[Any, Any]:
    locale = dates.preferred_locale(request.headers.get("accept-language", ""))

    def count(value: float) -> str:
        return dates.number(int(value), locale)

    def hours(value: float) -> str:
        return word(PROGRAM("hours", hours=dates.number(value, locale)))

    return count, hours


def _figure(ident: str, title: str, table: Table, fmt: Any, summary: str = "") -> dict[str, Any]:
    chart_ident = charts.chart_id(ident)
    return {
        "id": chart_ident,
        "title": title,
        "table": table,
        "svg": charts.bar_chart(chart_ident, title, table, fmt=fmt, summary=summary),
        "fmt": fmt,
    }


def _period(since: str | None, until: str | None) -> tuple[date | None, date | None]:
    """The chosen period's first and last day; both mistakes at once."""
    errors: dict[str, Message] = {}
    first = parse_day(since, "since", errors)
    last = parse_day(until, "until", errors)
    if errors:
        raise ValidationFailed(errors)
    return first, last


def _report_context(
    request: Request[Any, Any, Any], report: Any, values: dict[str, str]
) -> dict[str, Any]:
    """The report's figures, each a chart with its table, in the reader's number format."""
    count, hours = _formatters(request)
    median = ""
    if report.median_days is not None:
        median = word(PROGRAM("median_days", days=f"{report.median_days:g}"))
    figures = {
        "status": _figure(
            "requests-status", "Requests by status", report.requests_by_status, count
        ),
        "track": _figure(
            "requests-track", "Requests by how they came in", report.requests_by_track, count
        ),
        "wait": _figure(
            "time-to-match",
            "Days from request to case opening",
            report.time_to_match,
            count,
            median,
        ),
        "cases": _figure(
            "mentor-cases", "Mentors by open cases (today)", report.mentors_by_cases, count
        ),
        "fullness": _figure(
            "mentor-fullness",
            "Mentors by how full their caseload is (today)",
            report.mentors_by_fullness,
            count,
        ),
        "topic": _figure("hours-topic", "Meeting hours by topic", report.hours_by_topic, hours),
        "setting": _figure(
            "hours-setting", "Meeting hours by setting", report.hours_by_setting, hours
        ),
    }
    query = urlencode({name: value for name, value in values.items() if value})
    return {
        "values": values,
        "errors": {},
        "report": report,
        "figures": figures,
        "csv_url": "/program/report.csv" + (f"?{query}" if query else ""),
    }


async def _no_report(request: Request[Any, Any, Any], form: Form | None) -> dict[str, Any]:
    return {"values": {"since": "", "until": ""}, "report": None, "figures": {}}


REPORT = FormPage("program/report.html", _no_report, LABELS, words=as_said)


class ProgramPages(Controller):
    """Program reports."""

    path = "/program"
    include_in_schema = False
    opt = access(roles(Role.COORDINATOR))

    @get("/")
    @shows_refusals(REPORT)
    async def report(
        self,
        request: Request[Any, Any, Any],
        since: FromQuery[str | None] = None,
        until: FromQuery[str | None] = None,
    ) -> Template:
        """The report for the chosen period (everything when no dates are given)."""
        report = await services.program_report(*_period(since, until))
        values = {"since": since or "", "until": until or ""}
        return page("program/report.html", _report_context(request, report, values))

    @get("/report.csv")
    async def download(
        self, since: FromQuery[str | None] = None, until: FromQuery[str | None] = None
    ) -> Response[str]:
        """The report's tables as CSV (hidden figures stay hidden)."""
        report = await services.program_report(*_period(since, until))
        return csv_download(services.report_csv(report), "program-report")
