from piccolo.apps.migrations.auto.migration_manager import MigrationManager
from piccolo.columns.column_types import Serial
from piccolo.table import Table

ID = "2026-11-23T11:08:54:837888"
VERSION = "1.38.0"
DESCRIPTION = "one active request per person"


class AssistanceRequest(Table, tablename="assistance_request", schema=None):
    id = Serial(null=False, primary_key=True)


async def forwards():
    manager = MigrationManager(migration_id=ID, app_name="assistance", description=DESCRIPTION)

    # A partial unique index (SQLite and PostgreSQL both have them) backs the service's check,
    # so two requests filed at the same moment cannot both be pending.
    async def one_active_request():
        await AssistanceRequest.raw(
            "CREATE UNIQUE INDEX assistance_request_one_active ON assistance_request (employee)"
            " WHERE state IN ('open', 'proposed')"
        )
        await AssistanceRequest.raw(
            "CREATE UNIQUE INDEX request_skill_once ON request_skill (request, skill)"
        )

    async def drop_one_active_request():
        await AssistanceRequest.raw("DROP INDEX IF EXISTS assistance_request_one_active")
        await AssistanceRequest.raw("DROP INDEX IF EXISTS request_skill_once")

    manager.add_raw(one_active_request)
    manager.add_raw_backwards(drop_one_active_request)
    return manager
