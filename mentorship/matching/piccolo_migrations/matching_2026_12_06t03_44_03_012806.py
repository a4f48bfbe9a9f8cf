from piccolo.apps.migrations.auto.migration_manager import MigrationManager
from piccolo.columns.column_types import JSON
from piccolo.columns.indexes import IndexMethod

# The next migration reads the system's English into this column; rolling this one back
# words the codes into English again before the column is dropped.
from mentorship.matching.piccolo_migrations.matching_2026_12_06t03_44_18_167225 import (
    english_system_reasons,
)

ID = "2026-12-06T03:44:03:012806"
VERSION = "1.38.0"
DESCRIPTION = "Why the system withdrew a proposal, as a coded message: a new JSON column"


async def forwards():
    manager = MigrationManager(
        migration_id=ID, app_name="matching", description=DESCRIPTION
    )

    manager.add_column(
        table_class_name="MatchProposal",
        tablename="match_proposal",
        column_name="decision_coded",
        db_column_name="decision_coded",
        column_class_name="JSON",
        column_class=JSON,
        params={
            "default": "{}",
            "null": False,
            "primary_key": False,
            "unique": False,
            "index": False,
            "index_method": IndexMethod.btree,
            "choices": None,
            "db_column_name": None,
            "secret": False,
        },
        schema=None,
    )

    manager.add_raw_backwards(english_system_reasons)

    return manager
