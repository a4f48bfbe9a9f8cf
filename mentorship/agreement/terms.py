"""The agreement's terms: their shape, defaults and validation (pure; no database or web)."""

from __future__ import annotations

import re
import typing
from typing import Annotated, Any, Literal

import msgspec

from mentorship.agreement.messages import AGREEMENT
from mentorship.lib.messages import Message, word

Days = Annotated[int, msgspec.Meta(ge=1, le=3650)]
Hours = Annotated[float, msgspec.Meta(ge=0, le=1000)]


class Tracks(msgspec.Struct, forbid_unknown_fields=True):
    """Which ways into the program are open."""

    voluntary: bool
    referred: bool
    referred_requires_consent: bool


class TrainingTopic(msgspec.Struct, forbid_unknown_fields=True):
    """A mentor-training topic and the hours it needs."""

    topic: Annotated[str, msgspec.Meta(min_length=1, max_length=200)]
    min_hours: Hours


class RequiredTraining(msgspec.Struct, forbid_unknown_fields=True):
    """Training a mentor must hold, current, before admission and while matched."""

    topics: Annotated[list[TrainingTopic], msgspec.Meta(max_length=50)]
    total_min_hours: Hours


class AgreementTerms(msgspec.Struct, forbid_unknown_fields=True):
    """Everything the agreement decides. Every key is required when publishing."""

    tracks: Tracks
    supervisor_visibility: Literal["status", "status_and_activity"]
    coordinator_reads_notes: bool
    mentor_site_rule: Literal["forbidden", "allowed", "preferred"]
    max_travel_minutes: Annotated[int, msgspec.Meta(ge=0, le=600)]
    caseload_cap: Annotated[int, msgspec.Meta(ge=1, le=50)]
    referred_case_weight: Annotated[int, msgspec.Meta(ge=1, le=50)]
    required_training: RequiredTraining
    training_valid_days: Days
    max_case_days: Days
    report_every_days: Days
    report_response_days: Days
    note_retention_days: Days
    referral_consent_text: Annotated[str, msgspec.Meta(min_length=20, max_length=5000)]


DEFAULT_CONSENT_TEXT = (
    "Your supervisor has referred you to the peer-assistance program. Taking part is your "
    "choice. If you agree, a trained peer mentor from the mentor pool will work with you. What "
    "you tell your mentor stays between the two of you: it is never placed in an evaluation or "
    "discipline file. Your supervisor will see only the status of the referral (and, where the "
    "agreement allows, how many meetings took place), never what was said. You may decline "
    "now, and declining has no consequence; your supervisor will only see that you declined."
)

DEFAULT_TERMS = AgreementTerms(
    tracks=Tracks(voluntary=True, referred=True, referred_requires_consent=True),
    supervisor_visibility="status",
    coordinator_reads_notes=False,
    mentor_site_rule="forbidden",
    max_travel_minutes=45,
    caseload_cap=3,
    referred_case_weight=2,
    required_training=RequiredTraining(
        topics=[
            TrainingTopic(topic="Peer mentor responsibilities", min_hours=2),
            TrainingTopic(topic="Coaching techniques and strategies", min_hours=2),
            TrainingTopic(topic="Confidentiality", min_hours=2),
            TrainingTopic(topic="Communication and feedback skills", min_hours=2),
            TrainingTopic(
                topic="Appropriate roles of secretarial and paraeducator positions", min_hours=2
            ),
        ],
        total_min_hours=12,
    ),
    training_valid_days=730,
    max_case_days=180,
    report_every_days=42,
    report_response_days=10,
    note_retention_days=730,
    referral_consent_text=DEFAULT_CONSENT_TEXT,
)

_PATH = re.compile(r" - at `\$\.?(?P<path>[^`]*)`$")


def field_path(path: str) -> str:
    """`required_training.topics[0].min_hours` → `terms.required_training.topics.0.min_hours`."""
    dotted = re.sub(r"\[(\d+)\]", r".\1", path)
    return "terms" + (f".{dotted}" if dotted else "")


class TermsInvalid(ValueError):
    """The proposed terms break the shape or a rule; `fields` maps each field to the reason."""

    def __init__(self, fields: dict[str, Message]) -> None:
        super().__init__("; ".join(f"{k}: {word(v)}" for k, v in fields.items()))
        self.fields = fields


def parse_terms(raw: Any) -> AgreementTerms:
    """Validate a terms object: shape and types first, then the rules across fields."""
    try:
        terms = msgspec.convert(raw, AgreementTerms)
    except msgspec.ValidationError as exc:
        message = str(exc)
        match = _PATH.search(message)
        path = match.group("path") if match else ""
        reason = _PATH.sub("", message)
        unknown = re.match(r"Object contains unknown field `(?P<name>[^`]+)`", reason)
        if unknown:
            name = unknown.group("name")
            prefix = f"{path}." if path else ""
            raise TermsInvalid({field_path(prefix + name): AGREEMENT("not_a_term")}) from exc
        missing = re.match(r"Object missing required field `(?P<name>[^`]+)`", reason)
        if missing:
            name = missing.group("name")
            prefix = f"{path}." if path else ""
            raise TermsInvalid({field_path(prefix + name): AGREEMENT("required")}) from exc
        choices = _choices(path) if reason.startswith("Invalid enum value") else None
        if choices:
            one_of = AGREEMENT("one_of", choices=", ".join(choices))
            raise TermsInvalid({field_path(path): one_of}) from exc
        detail = reason[:1].lower() + reason[1:]
        raise TermsInvalid({field_path(path): AGREEMENT("invalid_value", detail=detail)}) from exc
    problems = rule_problems(terms)
    if problems:
        raise TermsInvalid(problems)
    return terms


def _choices(path: str) -> list[str] | None:
    """The allowed values of a top-level Literal term, for a friendlier message."""
    hint = typing.get_type_hints(AgreementTerms).get(path)
    if hint is not None and typing.get_origin(hint) is Literal:
        return [str(value) for value in typing.get_args(hint)]
    return None


def rule_problems(terms: AgreementTerms) -> dict[str, Message]:
    """Values that are well-typed but impossible together."""
    problems: dict[str, Message] = {}
    if not (terms.tracks.voluntary or terms.tracks.referred):
        problems["terms.tracks"] = AGREEMENT("no_track")
    if terms.referred_case_weight > terms.caseload_cap:
        problems["terms.referred_case_weight"] = AGREEMENT(
            "weight_over_cap", weight=terms.referred_case_weight, cap=terms.caseload_cap
        )
    seen: set[str] = set()
    for index, topic in enumerate(terms.required_training.topics):
        key = " ".join(topic.topic.split()).casefold()
        if key in seen:
            problems[f"terms.required_training.topics.{index}.topic"] = AGREEMENT(
                "topic_twice", topic=topic.topic
            )
        seen.add(key)
    topic_hours = sum(t.min_hours for t in terms.required_training.topics)
    if terms.required_training.total_min_hours > 0 and not terms.required_training.topics:
        problems["terms.required_training.topics"] = AGREEMENT("total_needs_topic")
    elif topic_hours == 0 and terms.required_training.total_min_hours > 0:
        problems["terms.required_training.topics"] = AGREEMENT("topic_hours")
    if terms.max_travel_minutes == 0 and terms.mentor_site_rule == "forbidden":
        problems["terms.max_travel_minutes"] = AGREEMENT("travel_zero")
    if terms.report_response_days >= terms.report_every_days:
        problems["terms.report_response_days"] = AGREEMENT("response_days")
    return problems


def terms_to_dict(terms: AgreementTerms) -> dict[str, Any]:
    """Plain JSON-ready data."""
    result: dict[str, Any] = msgspec.to_builtins(terms)
    return result
