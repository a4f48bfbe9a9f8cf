from piccolo.apps.migrations.auto.migration_manager import MigrationManager
from piccolo.columns.column_types import JSON
from piccolo.columns.indexes import IndexMethod

# The next migration reads the English into these columns; rolling this one back words the
# codes into English again first, once that migration's rollback has brought back the English
# columns (this one's data step runs before its columns are dropped).
from mentorship.matching.piccolo_migrations.matching_2026_12_06t02_17_46_956246 import (
    english_proposals,
    english_unmatched,
)

ID = "2026-12-06T02:17:37:730236"
VERSION = "1.38.0"
DESCRIPTION = "Explanations and unmatched reasons as coded messages: new JSON columns"


async def forwards():
    manager = MigrationManager(
        migration_id=ID, app_name="matching", description=DESCRIPTION
    )

    manager.add_column(
        table_class_name="MatchProposal",
        tablename="match_proposal",
        column_name="explanation",
        db_column_name="explanation",
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

    manager.add_column(
        table_class_name="UnmatchedRequest",
        tablename="unmatched_request",
        column_name="reason",
        db_column_name="reason",
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

    manager.add_raw_backwards(english_proposals)
    manager.add_raw_backwards(english_unmatched)

    return manager
