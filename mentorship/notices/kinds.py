"""Every kind of notice the system sends: its category (what a person's preferences are set
by), whether it may be turned off, and the parameters its wording may use, each with the
shape its value must have (pure: no database, no framework).

A notice's parameters are an allow-list: names, dates, states, links, counts and ids, never a
free-text field. `allowed_context` refuses anything else, so confidential text (a note, a
report, a request's description, a reason) cannot reach a mail or a notice by accident.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date, datetime
from enum import StrEnum
from typing import Any


class Category(StrEnum):
    """What a person sets their preferences by (one row of the preferences page)."""

    REQUESTS = "requests"
    CASES = "cases"
    MEETINGS = "meetings"
    NOTES_AND_REPORTS = "notes_and_reports"
    REVIEWS = "reviews"
    TRAINING = "training"
    ACCOUNT = "account"


class Delivery(StrEnum):
    """How a person wants one category's mail: at once, in a daily digest, or not at all."""

    IMMEDIATE = "immediate"
    DIGEST = "digest"
    OFF = "off"


class Shape(StrEnum):
    """What a parameter's value may be: never free text."""

    NAME = "name"  # a person's or a thing's name: one short line
    DATE = "date"  # a date, or an aware date-time
    STATE = "state"  # a state code (open, urgent, …): lower-case letters and underscores
    COUNT = "count"  # a whole number ≥ 0
    ID = "id"  # the id of a row the notice is about


# Categories whose every kind is a security notice: always mailed, at once.
FIXED_CATEGORIES = frozenset({Category.ACCOUNT})


@dataclass(frozen=True)
class Kind:
    """One kind of notice. `always` (the issue's starred events) cannot be turned off and is
    mailed at once whatever the person's preference for its category."""

    name: str
    category: Category
    params: Mapping[str, Shape]
    always: bool = False

    @property
    def optional(self) -> bool:
        """Whether the person may turn this kind's mail off (List-Unsubscribe applies)."""
        return not self.always and self.category not in FIXED_CATEGORIES


KINDS: dict[str, Kind] = {
    kind.name: kind
    for kind in (
        Kind(
            "request_filed.receipt",
            Category.REQUESTS,
            {"employee_name": Shape.NAME, "request_id": Shape.ID, "filed_on": Shape.DATE},
        ),
        Kind(
            "request_filed.coordinator",
            Category.REQUESTS,
            {
                "employee_name": Shape.NAME,
                "request_id": Shape.ID,
                "urgency": Shape.STATE,
                "filed_on": Shape.DATE,
            },
        ),
        # One mail that gathers a person's notices held for the daily digest.
        Kind("digest", Category.ACCOUNT, {"count": Shape.COUNT}, always=True),
    )
}


class ContextRefused(ValueError):
    """A notice was given a parameter its kind does not allow, or a value of the wrong shape."""


_NAME = re.compile(r"^[^\x00-\x1f\x7f]{1,200}$")
_STATE = re.compile(r"^[a-z][a-z0-9_]{0,39}$")
# A link inside the service: a path, optionally a query of plain words; made absolute with
# MENTORSHIP_BASE_URL when mailed.
_LINK = re.compile(r"^/(?!/)[A-Za-z0-9/_.\-]*(\?[A-Za-z0-9_=&.\-]*)?$")


def kind_named(name: str) -> Kind:
    """The kind called `name`; ContextRefused when there is none."""
    kind = KINDS.get(name)
    if kind is None:
        raise ContextRefused(f"no notice kind {name!r}")
    return kind


def allowed_context(kind: Kind, params: Mapping[str, Any]) -> dict[str, str | int]:
    """The parameters as stored (JSON-friendly), after checking every one is allowed for the
    kind and has its shape; ContextRefused names the first that is not (never its value)."""
    unknown = sorted(set(params) - set(kind.params))
    if unknown:
        raise ContextRefused(f"{kind.name} does not allow the parameter {unknown[0]!r}")
    missing = sorted(set(kind.params) - set(params))
    if missing:
        raise ContextRefused(f"{kind.name} needs the parameter {missing[0]!r}")
    return {name: _checked(kind, name, kind.params[name], value) for name, value in params.items()}


def _checked(kind: Kind, name: str, shape: Shape, value: Any) -> str | int:
    if shape in (Shape.COUNT, Shape.ID):
        if isinstance(value, int) and not isinstance(value, bool) and value >= 0:
            return value
    elif shape is Shape.DATE:
        if isinstance(value, datetime) and value.tzinfo is not None:
            return value.isoformat()
        if isinstance(value, date) and not isinstance(value, datetime):
            return value.isoformat()
    elif isinstance(value, str):
        pattern = _NAME if shape is Shape.NAME else _STATE
        if pattern.fullmatch(value):
            return value
    raise ContextRefused(f"{kind.name}: {name!r} must be a {shape.value}")


def checked_link(link: str) -> str:
    """A link to a page of the service (a path); ContextRefused for anything else."""
    if not _LINK.fullmatch(link) or len(link) > 300:
        raise ContextRefused("a notice's link must be a path inside the service")
    return link
