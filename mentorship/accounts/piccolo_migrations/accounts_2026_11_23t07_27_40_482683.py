from piccolo.apps.migrations.auto.migration_manager import MigrationManager
from piccolo.columns.column_types import Serial
from piccolo.table import Table

ID = "2026-11-23T07:27:40:482683"
VERSION = "1.38.0"
DESCRIPTION = "each role at most once per account"


class AccountRole(Table, tablename="account_role", schema=None):
    id = Serial(null=False, primary_key=True)


async def forwards():
    manager = MigrationManager(
        migration_id=ID, app_name="accounts", description=DESCRIPTION
    )

    # Piccolo has no composite unique constraint, so the index is created in SQL that both
    # SQLite and PostgreSQL accept.
    async def role_once_per_account():
        await AccountRole.raw(
            "CREATE UNIQUE INDEX account_role_account_role_unique"
            " ON account_role (account, role)"
        )

    async def drop_role_once_per_account():
        await AccountRole.raw("DROP INDEX IF EXISTS account_role_account_role_unique")

    manager.add_raw(role_once_per_account)
    manager.add_raw_backwards(drop_role_once_per_account)

    return manager
