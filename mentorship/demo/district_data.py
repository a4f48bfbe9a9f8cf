"""The demo district's data tables: regions, place and people's names, roles, needs, requests."""

from __future__ import annotations

from mentorship.district.settings import SettingType

SEED = 2026
DOMAIN = "demo-district.org"

REGIONS = ("Northgate", "Riverside", "Eastfield", "Westhill")

# (code suffix, name pattern, setting) per region: about ten sites each.
SITE_PLAN = (
    ("HS", "{r} High School", SettingType.GENERAL_EDUCATION),
    ("MS", "{r} Middle School", SettingType.GENERAL_EDUCATION),
    ("E1", "{a} Elementary", SettingType.GENERAL_EDUCATION),
    ("E2", "{b} Elementary", SettingType.BILINGUAL_EDUCATION),
    ("E3", "{c} Elementary", SettingType.COMPENSATORY_EDUCATION),
    ("EC", "{r} Early Learning Center", SettingType.EARLY_CHILDHOOD),
    ("SE", "{r} Learning Support Center", SettingType.SPECIAL_EDUCATION),
    ("TP", "{r} Transition Program", SettingType.COMMUNITY_JOB_SITE),
    ("CJ", "{d} Community Job Site", SettingType.COMMUNITY_JOB_SITE),
    ("AO", "{r} Area Office", SettingType.OFFICE),
)
PLACE_NAMES = (
    "Alder",
    "Birchwood",
    "Cedar Park",
    "Dogwood",
    "Elm Grove",
    "Fairview",
    "Garfield",
    "Hawthorne",
    "Juniper",
    "Lakeside",
    "Maple Hill",
    "Oak Ridge",
    "Pinecrest",
    "Quarry",
    "Redwood",
    "Sycamore",
)

FIRST_NAMES = (
    "Maria",
    "James",
    "Linh",
    "Fatima",
    "Carlos",
    "Aisha",
    "David",
    "Mei",
    "Jose",
    "Grace",
    "Ahmed",
    "Sofia",
    "Michael",
    "Hawa",
    "Luis",
    "Emily",
    "Nguyen",
    "Amina",
    "Robert",
    "Ana",
    "Tyrone",
    "Priya",
    "Daniel",
    "Rosa",
    "Kevin",
    "Yusuf",
    "Jennifer",
    "Thanh",
    "Marcus",
    "Elena",
    "Samuel",
    "Leila",
    "Patricia",
    "Omar",
    "Keisha",
    "Juan",
    "Hannah",
    "Abdi",
    "Teresa",
    "Minh",
    "Gloria",
    "Hector",
    "Naomi",
    "Ibrahim",
    "Claire",
    "Diego",
    "Farah",
    "Brian",
    "Lucia",
    "Tomas",
)
LAST_NAMES = (
    "Garcia",
    "Johnson",
    "Tran",
    "Hassan",
    "Martinez",
    "Williams",
    "Nguyen",
    "Brown",
    "Lopez",
    "Chen",
    "Mohamed",
    "Davis",
    "Hernandez",
    "Ali",
    "Wilson",
    "Pham",
    "Gonzalez",
    "Okafor",
    "Anderson",
    "Rodriguez",
    "Le",
    "Jackson",
    "Ahmed",
    "Thompson",
    "Ramirez",
    "Kim",
    "Warsame",
    "Moore",
    "Flores",
    "Taylor",
    "Patel",
    "Rivera",
    "Yusuf",
    "Clark",
    "Vargas",
    "Osman",
    "Lewis",
    "Torres",
    "Hoang",
    "Walker",
)

# Which job roles work in which setting, most common first.
ROLES_BY_SETTING = {
    SettingType.GENERAL_EDUCATION: ("para", "para", "sped_para", "office", "library"),
    SettingType.BILINGUAL_EDUCATION: ("bilingual_para", "bilingual_para", "para", "office"),
    SettingType.COMPENSATORY_EDUCATION: ("para", "para", "sped_para", "office"),
    SettingType.EARLY_CHILDHOOD: ("para", "sped_para", "health_para", "office"),
    SettingType.SPECIAL_EDUCATION: ("sped_para", "sped_para", "health_para", "para"),
    SettingType.COMMUNITY_JOB_SITE: ("sped_para", "para", "sped_para"),
    SettingType.OFFICE: ("office", "office", "library"),
}
SECOND_LANGUAGES = ("Spanish", "Spanish", "Spanish", "Vietnamese", "Somali", "Arabic", "Tagalog")

# The handbook themes each job role most often asks help with (PRODUCT §3 skills).
NEEDS_BY_ROLE = {
    "para": (
        "Instructional strategies",
        "Behavior management and discipline",
        "Fostering student independence",
        "Team building",
        "Conflict resolution",
    ),
    "sped_para": (
        "Characteristics of specific disabilities",
        "De-escalation",
        "IEP accommodations vs. modifications",
        "Data collection",
        "Behavior management and discipline",
    ),
    "health_para": (
        "Suctioning",
        "Intermittent catheterization",
        "Blood-borne pathogens",
        "Specialty care (lifting, back care)",
        "First aid",
        "CPR",
    ),
    "bilingual_para": (
        "Instructional strategies",
        "Developmentally appropriate practices",
        "Team building",
        "Confidentiality and ethics",
    ),
    "office": (
        "Basic computer skills",
        "Conflict resolution",
        "Stress management",
        "Confidentiality and ethics",
        "Team building",
    ),
    "library": ("Basic computer skills", "Instructional strategies", "Team building"),
}

DESCRIPTIONS = (
    "I would like help planning how to support two students who shut down during math.",
    "Looking for ideas to build a better working routine with my classroom teacher.",
    "New to this building; I want someone to talk through de-escalation with me.",
    "A student on my caseload has a new health plan and I want to feel confident with it.",
    "I keep getting pulled between classrooms and it is wearing me down.",
    "I want to get better at collecting behavior data that the team can actually use.",
    "Our front office changed systems and I am struggling to keep up with the new tools.",
    "Help me understand the difference between accommodations and modifications in practice.",
)

# The demo mentor's own skills, so her proposals read well.
DEMO_MENTOR_SKILLS = (
    ("De-escalation", 3),
    ("Characteristics of specific disabilities", 3),
    ("IEP accommodations vs. modifications", 2),
    ("Data collection", 2),
)
TRAINING_PROVIDERS = ("Union ESP Training Institute", "District Professional Learning")
