"""Piccolo app registration for professional development (the training records)."""

import os

from piccolo.conf.apps import AppConfig, table_finder

CURRENT_DIRECTORY = os.path.dirname(os.path.abspath(__file__))

APP_CONFIG = AppConfig(
    app_name="development",
    migrations_folder_path=os.path.join(CURRENT_DIRECTORY, "piccolo_migrations"),
    table_classes=table_finder(modules=["mentorship.development.tables"], exclude_imported=True),
    # The training_record table was created by the pool app's first migration and moved here
    # later without being recreated: this app's migrations run after the pool's.
    migration_dependencies=["mentorship.accounts.piccolo_app", "mentorship.pool.piccolo_app"],
    commands=[],
)
