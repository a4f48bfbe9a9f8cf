from piccolo.apps.migrations.auto.migration_manager import MigrationManager

ID = "2026-12-06T04:57:52:933648"
VERSION = "1.38.0"
DESCRIPTION = "training records move to the development app (no change to the database)"


class TableMoves(MigrationManager):
    """Changes Piccolo's record of the app's tables, never the database: the training_record
    table moves from the pool app to the development app with its rows. The pool app's first
    migration created it; the development app's migration of the same day takes it over.
    Backwards is the same no-op, so undoing the move never drops the table."""

    async def run(self, backwards: bool = False):
        direction = "backwards" if backwards else "forwards"
        print(f"  - {self.migration_id} [{direction}, the database is unchanged]... ", end="")


async def forwards():
    manager = TableMoves(migration_id=ID, app_name="pool", description=DESCRIPTION)

    manager.drop_table(
        class_name="TrainingRecord", tablename="training_record", schema=None
    )

    return manager
