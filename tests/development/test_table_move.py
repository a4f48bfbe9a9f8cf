"""The training records moved from the pool's Piccolo app to the development app without the
table being dropped or recreated: the migrations move Piccolo's record of it, never the
database, and the committed migrations describe every app's tables exactly."""

from __future__ import annotations

import contextlib
import io
from datetime import date

import pytest
from piccolo.apps.migrations.commands.backwards import run_backwards
from piccolo.apps.migrations.commands.new import AutoMigrationManager
from piccolo.conf.apps import Finder

from mentorship.access.roles import Role
from mentorship.development import training_records
from mentorship.development.piccolo_migrations.development_2026_12_06t04_57_50_478487 import (
    ID as MOVED_IN,
)
from mentorship.development.schemas import TrainingCreate
from mentorship.development.tables import TrainingRecord
from mentorship.domains import PICCOLO_APPS
from mentorship.lib.commands import apply_migrations, pending_migrations
from mentorship.pool.piccolo_migrations.pool_2026_12_06t04_57_52_933648 import ID as MOVED_OUT
from tests.conftest import create_account


def _app_name(module: str) -> str:
    return module.split(".")[1]


@pytest.mark.parametrize("app", [_app_name(m) for m in PICCOLO_APPS])
async def test_the_committed_migrations_describe_the_tables_exactly(app: str) -> None:
    # What `piccolo migrations new <app> --auto` would write: nothing, for every app.
    config = Finder().get_app_config(app)
    with contextlib.redirect_stdout(io.StringIO()):
        statements = await AutoMigrationManager().get_alter_statements(app_config=config)
    assert [s.statements for s in statements if s.statements] == []


def test_the_training_records_table_belongs_to_the_development_app() -> None:
    finder = Finder()
    assert TrainingRecord in finder.get_app_config("development").table_classes
    assert TrainingRecord not in finder.get_app_config("pool").table_classes
    assert TrainingRecord._meta.tablename == "training_record"


async def _rows() -> list[dict[str, object]]:
    return await TrainingRecord.select().order_by(TrainingRecord.id)


async def test_undoing_and_redoing_the_move_keeps_every_row(clean_database: None) -> None:
    coordinator = await create_account("coord@example.org", Role.COORDINATOR)
    ana = await create_account("ana@example.org")
    for topic in ("Confidentiality", "Coaching"):
        training = TrainingCreate(
            topic=topic, hours=2, completed_on=date(2026, 1, 5), account_id=ana.id
        )
        await training_records.add_training(training, coordinator.id, actor_is_coordinator=True)
    before = await _rows()
    assert len(before) == 2

    with contextlib.redirect_stdout(io.StringIO()):
        await run_backwards("development", migration_id=MOVED_IN, auto_agree=True)
        await run_backwards("pool", migration_id=MOVED_OUT, auto_agree=True)
    assert await pending_migrations() == 2
    assert await _rows() == before  # as the previous release left it, rows and all

    assert await apply_migrations() == 2
    assert await _rows() == before
    record = await training_records.development_record(ana.id)
    assert record.training_total_hours == 4
