"""Reading HTML forms: the submitted values, conversion into the API's own request schemas,
and msgspec's validation errors turned into plain words tied to each field."""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any, TypeVar

import msgspec
from litestar import Request

from mentorship.lib.errors import ValidationFailed
from mentorship.lib.messages import Message, as_sentence
from mentorship.web.messages import WEB

T = TypeVar("T")

_AT_PATH = re.compile(r" - at `\$\.([A-Za-z_][A-Za-z0-9_]*)")
_MISSING = re.compile(r"Object missing required field `([^`]+)`")


@dataclass
class Form:
    """A submitted form: single values stripped of surrounding spaces, lists kept whole, and
    each single value as sent (`raw`: a password is taken exactly as typed)."""

    values: dict[str, str] = field(default_factory=dict)
    lists: dict[str, list[str]] = field(default_factory=dict)
    raw: dict[str, str] = field(default_factory=dict)

    def get(self, name: str, default: str = "") -> str:
        """The field's value, stripped; `default` when it was not sent."""
        return self.values.get(name, default)

    def getall(self, name: str) -> list[str]:
        """Every value sent under `name` (checkbox groups, multi-selects), blanks dropped."""
        return [value for value in self.lists.get(name, []) if value]

    def optional(self, name: str) -> str | None:
        """The value, or None when left blank."""
        return self.values.get(name) or None

    def integer(self, name: str, errors: dict[str, Message], label: str) -> int | None:
        """The field as a whole number; records a message in `errors` when it is not one."""
        raw = self.get(name)
        if not raw:
            return None
        try:
            return int(raw)
        except ValueError:
            errors[name] = WEB("whole_number", label=label)
            return None

    def checked(self, name: str) -> bool:
        """True when a checkbox named `name` was ticked."""
        return name in self.values


async def read_form(request: Request[Any, Any, Any]) -> Form:
    """The request's url-encoded or multipart form (the CSRF token is left out)."""
    data = await request.form()
    form = Form()
    for name in data:
        if name == "_csrf_token":
            continue
        raw = [value for value in data.getall(name) if isinstance(value, str)]
        form.lists[name] = [value.strip() for value in raw]
        if raw:
            form.values[name] = raw[-1].strip()
            form.raw[name] = raw[-1]
    return form


def convert(schema: type[T], data: Mapping[str, Any], labels: Mapping[str, str] | None = None) -> T:
    """Build an API request schema from form data, or raise ValidationFailed in plain words.

    `labels` names the fields as the form shows them ("description" → "What you need help
    with"), so a message reads like the page rather than like the schema.
    """
    try:
        return msgspec.convert(dict(data), schema, strict=False)
    except msgspec.ValidationError as exc:
        first = dict([explain(str(exc), labels or {})])
        raise ValidationFailed(field_errors(schema, data, labels or {}) or first) from None


def field_errors(
    schema: type[Any], data: Mapping[str, Any], labels: Mapping[str, str]
) -> dict[str, Message]:
    """Every field's message at once: msgspec stops at the first bad field, so each field of
    the schema is checked on its own (an empty result when only the whole was wrong)."""
    if not (isinstance(schema, type) and issubclass(schema, msgspec.Struct)):
        return {}
    errors = {}
    for info in msgspec.structs.fields(schema):
        if info.encode_name not in data and not info.required:
            continue
        one_field = msgspec.defstruct("OneField", [(info.encode_name, info.type)])
        try:
            msgspec.convert(
                {k: v for k, v in data.items() if k == info.encode_name}, one_field, strict=False
            )
        except msgspec.ValidationError as exc:
            name, message = explain(str(exc), labels)
            errors[name] = message
    return errors


def explain(error: str, labels: Mapping[str, str]) -> tuple[str, Message]:
    """The field and a coded message for one msgspec validation error text."""
    missing = _MISSING.search(error)
    at = _AT_PATH.search(error)
    name = missing.group(1) if missing else (at.group(1) if at else "form")
    label = labels.get(name, name.replace("_", " ").capitalize())
    text = error.split(" - at ")[0]
    many = "`array`" in text or "`list`" in text
    if many and (match := re.search(r"length >= (\d+)", text)):
        count = int(match.group(1))
        return name, WEB("choose_at_least_one") if count == 1 else WEB(
            "choose_at_least", count=count
        )
    if many and (match := re.search(r"length <= (\d+)", text)):
        return name, WEB("choose_at_most", count=int(match.group(1)))
    if missing or "length >= 1" in text or "Expected `str` matching regex" in text:
        return name, WEB("required", label=label)
    if match := re.search(r"length <= (\d+)", text):
        return name, WEB("too_long", label=label, count=int(match.group(1)))
    if match := re.search(r"length >= (\d+)", text):
        return name, WEB("too_short", label=label, count=int(match.group(1)))
    if match := re.search(r">= (-?\d+)", text):
        return name, WEB("at_least", label=label, bound=int(match.group(1)))
    if match := re.search(r"<= (-?\d+)", text):
        return name, WEB("at_most", label=label, bound=int(match.group(1)))
    if "Invalid enum value" in text:
        return name, WEB("choose_option", option=label.lower())
    if "Expected `int`" in text:
        return name, WEB("whole_number", label=label)
    if "Expected `date`" in text or "Invalid RFC3339" in text or "Invalid ISO" in text:
        return name, WEB("date", label=label)
    return name, WEB("not_valid", label=label)


def sentence(message: str) -> str:
    """A service's message as a sentence on a page: capital first letter, closing stop."""
    return as_sentence(message)


def field_sentence(name: str, message: str, labels: Mapping[str, str]) -> str:
    """A service's message about one field as a sentence that names the field when the
    message does not ('must be 5 or more' → 'Length in minutes must be 5 or more.')."""
    text = message.strip()
    if text[:1].islower():
        text = f"{labels.get(name, name.replace('_', ' ').capitalize())} {text}"
    return sentence(text)


def field_sentences(
    fields: Mapping[str, str],
    labels: Mapping[str, str],
    names: Mapping[str, str] | None = None,
) -> dict[str, str]:
    """Every field's message as a sentence, under the form's input names (`names` maps a
    service's field name to the input's where they differ)."""
    errors = {}
    for field_name, message in fields.items():
        name = (names or {}).get(field_name, field_name)
        errors[name] = field_sentence(name, message, labels)
    return errors
