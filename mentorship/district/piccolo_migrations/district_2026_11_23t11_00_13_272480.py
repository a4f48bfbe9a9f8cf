from piccolo.apps.migrations.auto.migration_manager import MigrationManager
from piccolo.columns.column_types import Serial
from piccolo.table import Table

ID = "2026-11-23T11:00:13:272480"
VERSION = "1.38.0"
DESCRIPTION = "seed skills and job roles; one travel link per pair"

# The handbook's suggested training topics (PRODUCT §3); admins edit the list afterwards.
SKILLS = [
    "Child development",
    "Ethical, medical and technical issues",
    "Behavior management and discipline",
    "Developmentally appropriate practices",
    "Instructional strategies",
    "Team building",
    "Confidentiality and ethics",
    "Stress management",
    "Basic computer skills",
    "Data collection",
    "Conflict resolution",
    "Reporting child abuse",
    "First aid",
    "Characteristics of specific disabilities",
    "Suctioning",
    "Intermittent catheterization",
    "Blood-borne pathogens",
    "Specialty care (lifting, back care)",
    "CPR",
    "IEP accommodations vs. modifications",
    "De-escalation",
    "Fostering student independence",
]

JOB_ROLES = [
    ("para", "Paraeducator (instructional)"),
    ("sped_para", "Special-education paraeducator"),
    ("health_para", "Health/specialty care paraeducator"),
    ("bilingual_para", "Bilingual paraeducator"),
    ("office", "Secretarial/office"),
    ("library", "Library/media"),
]


class Skill(Table, tablename="skill", schema=None):
    id = Serial(null=False, primary_key=True)


async def forwards():
    manager = MigrationManager(
        migration_id=ID, app_name="district", description=DESCRIPTION
    )

    async def seed():
        for name in SKILLS:
            await Skill.raw(
                "INSERT INTO skill (name, description, active) VALUES ({}, '', {})", name, True
            )
        for code, name in JOB_ROLES:
            await Skill.raw(
                "INSERT INTO job_role (code, name, active) VALUES ({}, {}, {})", code, name, True
            )
        # Piccolo has no composite unique constraint; this SQL works on SQLite and PostgreSQL.
        await Skill.raw(
            "CREATE UNIQUE INDEX travel_link_pair_unique ON travel_link (site_a, site_b)"
        )
        for name in ("travel_graph", "supervision", "agreement"):
            await Skill.raw(
                "INSERT INTO reference_revision (name, revision) VALUES ({}, 0)", name
            )

    async def unseed():
        await Skill.raw("DROP INDEX IF EXISTS travel_link_pair_unique")
        await Skill.raw("DELETE FROM reference_revision")
        await Skill.raw("DELETE FROM job_role")
        await Skill.raw("DELETE FROM skill")

    manager.add_raw(seed)
    manager.add_raw_backwards(unseed)

    return manager
