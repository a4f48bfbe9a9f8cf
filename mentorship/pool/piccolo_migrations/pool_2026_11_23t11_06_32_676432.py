from piccolo.apps.migrations.auto.migration_manager import MigrationManager
from piccolo.columns.column_types import Serial
from piccolo.table import Table

ID = "2026-11-23T11:06:32:676432"
VERSION = "1.38.0"
DESCRIPTION = "one row per mentor and skill"


class MentorSkill(Table, tablename="mentor_skill", schema=None):
    id = Serial(null=False, primary_key=True)


async def forwards():
    manager = MigrationManager(migration_id=ID, app_name="pool", description=DESCRIPTION)

    # Piccolo has no composite unique constraint; this SQL works on SQLite and PostgreSQL.
    async def skill_once_per_mentor():
        await MentorSkill.raw(
            "CREATE UNIQUE INDEX mentor_skill_mentor_skill_unique ON mentor_skill (mentor, skill)"
        )

    async def drop_skill_once_per_mentor():
        await MentorSkill.raw("DROP INDEX IF EXISTS mentor_skill_mentor_skill_unique")

    manager.add_raw(skill_once_per_mentor)
    manager.add_raw_backwards(drop_skill_once_per_mentor)
    return manager
