"""A person's professional-development record: verified training hours (training_records) and
meeting hours received and given (the cases answer `signals.meeting_time`), by topic, and the
transcript that prints it. Meeting hours carry no case detail: topic and minutes only."""

from __future__ import annotations

import csv
import io
from collections import defaultdict

from mentorship.audit import services as audit
from mentorship.development import training_records
from mentorship.development.schemas import HoursRecord, TopicHours
from mentorship.development.signals import meeting_time

GENERAL_TOPIC = "General mentoring"  # a meeting logged without topics


def _split(minutes: int, topics: tuple[str, ...]) -> list[tuple[str, float]]:
    """A meeting's minutes shared evenly across its topics (all to "General" without any)."""
    if not topics:
        return [(GENERAL_TOPIC, float(minutes))]
    share = minutes / len(topics)
    return [(name, share) for name in topics]


def _by_topic(minutes_by_topic: dict[str, float]) -> list[TopicHours]:
    return [
        TopicHours(topic=topic, hours=round(minutes / 60, 2))
        for topic, minutes in sorted(minutes_by_topic.items())
    ]


async def _meeting_minutes(account_id: int) -> tuple[dict[str, float], dict[str, float]]:
    """Minutes by topic as mentee and as mentor."""
    as_mentee: dict[str, float] = defaultdict(float)
    as_mentor: dict[str, float] = defaultdict(float)
    for meeting in await meeting_time(account_id):
        for topic, minutes in _split(meeting.minutes, meeting.topics):
            if meeting.as_mentee:
                as_mentee[topic] += minutes
            if meeting.as_mentor:
                as_mentor[topic] += minutes
    return as_mentee, as_mentor


async def hours_record(account_id: int) -> HoursRecord:
    """A person's PD record: verified training hours and meeting hours, by topic.

    Meeting hours carry no case detail: topic and minutes only, so the record can be shown
    to the person, their coordinator or printed for a transcript.
    """
    training = await training_records.development_record(account_id)
    as_mentee, as_mentor = await _meeting_minutes(account_id)
    return HoursRecord(
        account_id=account_id,
        display_name=training.display_name,
        training=[TopicHours(topic=t.topic, hours=t.hours) for t in training.training],
        mentored=_by_topic(as_mentee),
        mentoring=_by_topic(as_mentor),
        training_hours=training.training_total_hours,
        mentored_hours=round(sum(as_mentee.values()) / 60, 2),
        mentoring_hours=round(sum(as_mentor.values()) / 60, 2),
    )


TRANSCRIPT_HEADER = ["person", "kind", "topic", "hours"]


def transcript_csv(record: HoursRecord) -> str:
    """The PD record as CSV: one row per kind of hours and topic, then the totals."""
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(TRANSCRIPT_HEADER)
    sections = (
        ("training", record.training, record.training_hours),
        ("mentoring received", record.mentored, record.mentored_hours),
        ("mentoring given", record.mentoring, record.mentoring_hours),
    )
    for kind, topics, total in sections:
        for topic in topics:
            writer.writerow([record.display_name, kind, topic.topic, f"{topic.hours:.2f}"])
        writer.writerow([record.display_name, kind, "total", f"{total:.2f}"])
    return out.getvalue()


async def export_transcript(
    account_id: int, actor_id: int | None, actor_role: str, purpose: str
) -> str:
    """A person's transcript as CSV, recorded in the audit log as an export."""
    text = transcript_csv(await hours_record(account_id))
    await audit.record(
        action="export",
        object_type="pd_record",
        object_id=account_id,
        actor_id=actor_id,
        actor_role=actor_role,
        purpose=purpose,
    )
    return text
