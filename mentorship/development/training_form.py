"""The training form, as the mentor's own training page and the coordinator's mentor page both
show it: its labels, its words for refused fields, and recording a training from it."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from mentorship.access.principal import Principal
from mentorship.access.roles import Role
from mentorship.development import training_records
from mentorship.development.messages import DEVELOPMENT
from mentorship.development.schemas import TrainingCreate
from mentorship.lib.errors import ValidationFailed
from mentorship.lib.messages import word
from mentorship.web.forms import Form, convert

TRAINING_LABELS = {
    "topic": "Topic",
    "hours": "Hours",
    "completed_on": "Date you finished",
    "provider": "Who gave the training",
}
HOURS_MESSAGE = word(DEVELOPMENT("enter_hours"))


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
                message = word(DEVELOPMENT("finished_in_future"))
            elif "required" in message or "date" not in message.lower():
                message = word(DEVELOPMENT("enter_finished"))
        elif name == "topic" and "required" in message:
            message = word(DEVELOPMENT("enter_topic"))
        errors[name] = message
    return errors


def _training(form: Form, account_id: int | None) -> TrainingCreate:
    """The training form as TrainingCreate; every blank field named at once."""
    blank = {
        "topic": DEVELOPMENT("enter_topic"),
        "hours": DEVELOPMENT("enter_hours"),
        "completed_on": DEVELOPMENT("enter_finished"),
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
