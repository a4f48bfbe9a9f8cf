from piccolo.apps.migrations.auto.migration_manager import MigrationManager
from piccolo.columns.column_types import Serial
from piccolo.table import Table

ID = "2026-12-06T05:00:10:000000"
VERSION = "1.38.0"
DESCRIPTION = "one notice preference per person and category"


class NoticePreference(Table, tablename="notice_preference", schema=None):
    id = Serial(null=False, primary_key=True)


async def forwards():
    manager = MigrationManager(
        migration_id=ID, app_name="notices", description=DESCRIPTION
    )

    # Piccolo has no composite unique constraint, so the index is created in SQL that both
    # SQLite and PostgreSQL accept.
    async def one_preference_per_category():
        await NoticePreference.raw(
            "CREATE UNIQUE INDEX notice_preference_account_category_unique"
            " ON notice_preference (account, category)"
        )

    async def drop_one_preference_per_category():
        await NoticePreference.raw(
            "DROP INDEX IF EXISTS notice_preference_account_category_unique"
        )

    manager.add_raw(one_preference_per_category)
    manager.add_raw_backwards(drop_one_preference_per_category)

    return manager
