"""The demo cases' data tables: meetings, topics, notes, reports and reasons the stories use."""

from __future__ import annotations

from mentorship.cases.states import MeetingMode, ReportStatus

SEED = 2027
CASE_COUNT = 34  # proposals approved, the demo sign-ins' own included
REFERRED_SHARE = 12  # of them referred (the run proposes about a third referred)
REFERENCE_LAG_DAYS = 6  # the most the demo's "today" lags the real one (on a Sunday)

# How meetings go: minutes and mode, the common ones repeated.
MEETING_KINDS = (
    (45, MeetingMode.IN_PERSON),
    (45, MeetingMode.IN_PERSON),
    (60, MeetingMode.IN_PERSON),
    (60, MeetingMode.IN_PERSON),
    (30, MeetingMode.IN_PERSON),
    (30, MeetingMode.VIRTUAL),
    (45, MeetingMode.VIRTUAL),
    (20, MeetingMode.PHONE),
)

# For each skill a request may need: what a meeting on it worked on, and a next step.
TOPICS = {
    "Instructional strategies": (
        "checking for understanding during small-group work",
        "ask one quick check-for-understanding question before moving on",
    ),
    "Behavior management and discipline": (
        "setting clear expectations before an activity starts",
        "name the expected behavior at the start of each activity",
    ),
    "Fostering student independence": (
        "stepping back so students try first",
        "wait a slow count of five before stepping in to help",
    ),
    "Team building": (
        "working with your classroom teacher as a team",
        "suggest a five-minute check-in with your teacher at the start of each week",
    ),
    "Conflict resolution": (
        "handling disagreements calmly",
        "use the listen, restate, suggest steps the next time a disagreement starts",
    ),
    "Characteristics of specific disabilities": (
        "understanding your students' learning profiles",
        "read one student's profile with the case manager and note a strength to build on",
    ),
    "De-escalation": (
        "staying calm and steady when a student is upset",
        "keep your voice low and offer two choices when a student starts to get upset",
    ),
    "IEP accommodations vs. modifications": (
        "the difference between accommodations and modifications",
        "list the supports in your room and sort them into accommodations and modifications",
    ),
    "Data collection": (
        "collecting behavior data the team can use",
        "try the simple tally sheet for one behavior during one period a day",
    ),
    "Suctioning": (
        "the suctioning procedure in the student's care plan",
        "walk through the procedure checklist with the school nurse",
    ),
    "Intermittent catheterization": (
        "the care-plan routine and the student's privacy",
        "review the care-plan steps with the nurse and agree on the privacy routine",
    ),
    "Blood-borne pathogens": (
        "safe handling and the exposure kit",
        "check that each room you work in has a stocked kit and that you know where it is",
    ),
    "Specialty care (lifting, back care)": (
        "safe lifting and looking after your back",
        "use the two-person lift and ask for help early",
    ),
    "First aid": (
        "first-aid routines for the classroom",
        "keep the quick-reference card on your lanyard",
    ),
    "CPR": (
        "keeping CPR skills current",
        "sign up for the refresher session next month",
    ),
    "Developmentally appropriate practices": (
        "matching activities to where each child is",
        "offer each child a choice that fits their stage rather than one task for all",
    ),
    "Confidentiality and ethics": (
        "what to share about students, and with whom",
        "ask yourself whether the person really needs to know before sharing",
    ),
    "Basic computer skills": (
        "the new office system",
        "keep the shortcuts sheet by your keyboard and try two new ones this week",
    ),
    "Stress management": (
        "keeping the busiest part of the day manageable",
        "plan one short break into the busiest part of your day",
    ),
}
GENERAL_TOPIC = ("what has been working and what has not", "pick one small change to try")

SHARED_NOTES = (
    "Thanks for meeting on {day}, {name}. We worked on {focus}. Your next step: {step}. Jot"
    " down what you notice and we will look at it together next time.",
    "Summary of {day}: we talked through {focus}, and you named two things that are already"
    " working. Keep those going. Before we meet again, one thing to try: {step}. I will bring"
    " a short handout next time.",
    "Good to see you on {day}! You have clearly been practising: {focus} came up naturally in"
    " the examples you shared. For the coming weeks: {step}.",
)
PRIVATE_NOTES = (
    "{day}: {name} came with clear questions about {focus}. Practical examples land better"
    " than reading; bring two or three next time.",
    "{day}: {name} had already tried last time's idea and is building on it. Ask next time"
    " how the week went overall; the workload sounded heavy.",
    "{day}: good conversation about {focus}. {name} is thoughtful and too modest about what"
    " is already working; keep naming the progress.",
    "{day}: reminder to self: ask professional learning for their material on {focus} before"
    " we meet again.",
)
WELCOME_NOTE = (
    "Welcome, {name}! I am looking forward to working with you. At our first meeting we will"
    " agree on one or two goals around {focus}. Anything you share with me stays between us."
)
HANDOVER_NOTE = (
    "Hello {name}, I am your new mentor from today. I have read the notes your previous"
    " mentor shared with you, and I am glad to pick up where you left off on {focus}."
)
EDIT_ADDITION = " Update: we moved our next meeting to Thursday after school."
SHARED_ON_REFLECTION = "Shared with {name} after we talked it over: "

REPORTS = {
    ReportStatus.PROGRESSING: (
        "{name} and I have met {count} times since {opened}, mostly about {topics}. {name}"
        " tries new ideas between our meetings and reflects on them thoughtfully. We plan to"
        " keep meeting every week or two."
    ),
    ReportStatus.NEEDS_MORE_TIME: (
        "{name} and I have met {count} times since {opened} and have a good working"
        " relationship. We have made a solid start on {topics}; a few more weeks of regular"
        " meetings will help the new routines settle."
    ),
}
FOLLOW_UP_REPORT = (
    "An update since the last report: {name} is putting {topics} into practice with growing"
    " confidence, and we have agreed on the next goal together."
)
RESPONSES = (
    "Thank you, this is a fair summary. Meeting regularly has helped me a lot.",
    "I agree. I would add that my teacher and I now plan together on Mondays, which has made"
    " a real difference.",
)
CLOSURE_SUMMARY = (
    "Met {count} times over {weeks} weeks, mainly on {topics}. The goals agreed at the start"
    " were met and {name} is confident carrying on independently."
)
PAUSE_REASON = (
    "The employee asked to pause for a few weeks while covering a long-term vacancy; meetings"
    " resume when they are back in their usual room."
)
REASSIGN_REASON = (
    "The first mentor's schedule changed this term; the employee agreed to continue with a new"
    " mentor."
)
