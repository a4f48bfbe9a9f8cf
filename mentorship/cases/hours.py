"""What the professional-development record asks the cases: the time a person spent in
mentoring meetings, by topic, without any case detail."""

from __future__ import annotations

from mentorship.cases import meetings
from mentorship.cases.tables import Meeting
from mentorship.development.signals import MeetingTime


async def meeting_time(account_id: int) -> list[MeetingTime]:
    """Every meeting the person took part in, as mentee or mentor: minutes and topic names."""
    rows = await Meeting.select(
        Meeting.id, Meeting.minutes, Meeting.mentor, Meeting.employee
    ).where((Meeting.employee == account_id) | (Meeting.mentor == account_id))
    topics = await meetings.topic_names([row["id"] for row in rows])
    return [
        MeetingTime(
            minutes=row["minutes"],
            topics=tuple(name for _, name in topics.get(row["id"], [])),
            as_mentee=row["employee"] == account_id,
            as_mentor=row["mentor"] == account_id,
        )
        for row in rows
    ]
