from piccolo.apps.migrations.auto.migration_manager import MigrationManager
from piccolo.columns.column_types import Serial
from piccolo.table import Table

ID = "2026-12-06T02:20:04:180794"
VERSION = "1.38.0"
DESCRIPTION = "the events of a case in order, from one index"


class AuditEvent(Table, tablename="audit_event", schema=None):
    id = Serial(null=False, primary_key=True)


async def forwards():
    manager = MigrationManager(
        migration_id=ID, app_name="audit", description=DESCRIPTION
    )

    # A case's history is read newest first ("who accessed my case"): with (case, sequence)
    # the database walks the index instead of sorting the case's whole history. Piccolo has
    # no composite index, so it is created in SQL both SQLite and PostgreSQL accept.
    async def case_history_index():
        await AuditEvent.raw(
            "CREATE INDEX audit_event_case_sequence ON audit_event (case_id, sequence)"
        )

    async def drop_case_history_index():
        await AuditEvent.raw("DROP INDEX IF EXISTS audit_event_case_sequence")

    manager.add_raw(case_history_index)
    manager.add_raw_backwards(drop_case_history_index)

    return manager
