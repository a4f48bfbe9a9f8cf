"""What the mentor's and the coordinator's pool pages share: status words and the training form."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from litestar import Request

from mentorship.access.principal import Principal
from mentorship.access.roles import Role
from mentorship.lib.errors import ValidationFailed
from mentorship.lib.messages import word
from mentorship.pool import training_records
from mentorship.pool.messages import POOL
from mentorship.pool.schemas import TrainingCreate
from mentorship.pool.tables import MentorStatus
from mentorship.web.forms import Form, convert

Me = Request[Principal, Any, Any]

# How each pool status reads to people, with the badge tone that goes with it.
STATUS_WORDS: dict[MentorStatus, tuple[str, str]] = {
    MentorStatus.APPLIED: ("Waiting for a decision", "info"),
    MentorStatus.APPROVED: ("Active mentor", "ok"),
    MentorStatus.DECLINED: ("Application declined", "neutral"),
    MentorStatus.SUSPENDED: ("Suspended", "alert"),
    MentorStatus.RETIRED: ("Left the pool", "neutral"),
}
LEVELS: list[tuple[int, str]] = [(1, "Some experience"), (2, "Solid experience"), (3, "Expert")]

TRAINING_LABELS = {
    "topic": "Topic",
    "hours": "Hours",
    "completed_on": "Date you finished",
    "provider": "Who gave the training",
}
HOURS_MESSAGE = word(POOL("enter_hours"))


def template_globals() -> dict[str, Any]:
    """The status words and skill levels every pool template reads."""
    return {"status_words": STATUS_WORDS, "levels": dict(LEVELS)}


def _training_input(form: Form) -> dict[str, Any]:
    """The training form's fields as TrainingCreate wants them."""
    return {
        "topic": form.get("topic"),
        "hours": form.get("hours") or None,
        "completed_on": form.get("completed_on") or None,
        "provider": form.get("provider"),
    }


def training_errors(fields: Mapping[str, str]) -> dict[str, str]:
    """Plain words for the training form, keyed by the form's own field names."""
    errors: dict[str, str] = {}
    for name, message in fields.items():
        if name == "hours":
            message = HOURS_MESSAGE
        elif name == "completed_on":
            if "future" in message:
                message = "The date you finished cannot be in the future."
            elif "required" in message or "date" not in message.lower():
                message = "Enter the date you finished the training."
        elif name == "topic" and "required" in message:
            message = "Enter the topic of the training."
        errors[name] = message
    return errors


def _training(form: Form, account_id: int | None) -> TrainingCreate:
    """The training form as TrainingCreate; every blank field named at once."""
    blank = {
        "topic": POOL("enter_topic"),
        "hours": POOL("enter_hours"),
        "completed_on": POOL("enter_finished"),
    }
    missing = {name: text for name, text in blank.items() if not form.get(name)}
    if missing:
        raise ValidationFailed(missing)
    data = convert(TrainingCreate, _training_input(form), labels=TRAINING_LABELS)
    if account_id is not None:
        data.account_id = account_id
    return data


async def record_training(form: Form, actor: Principal, account_id: int | None) -> str:
    """Record a training from the form (the service decides whether it counts at once)."""
    data = _training(form, account_id)
    record = await training_records.add_training(
        data, actor.account_id, Role.COORDINATOR in actor.roles
    )
    return record.topic
