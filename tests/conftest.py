"""Test set-up: a migrated database (SQLite by default, PostgreSQL when configured), an app,
clients, and helpers that build rows through the real services."""

from __future__ import annotations

import os
import tempfile
from collections.abc import AsyncIterator, Callable, Iterator
from datetime import datetime, timedelta
from pathlib import Path
from typing import Any

# The environment must be in place before mentorship or piccolo_conf is imported.
_DATA_DIR = Path(tempfile.mkdtemp(prefix="mentorship-tests-"))
os.environ["MENTORSHIP_DATA_DIR"] = str(_DATA_DIR)
os.environ.setdefault("MENTORSHIP_DATABASE_URL", f"sqlite:///{_DATA_DIR / 'test.sqlite'}")
os.environ["MENTORSHIP_SECRET_KEY"] = "test-secret-key-" + "x" * 32
os.environ["MENTORSHIP_AUDIT_KEY"] = "test-audit-key-" + "y" * 32
os.environ["MENTORSHIP_NOTES_KEY"] = "test-notes-key-" + "z" * 32
os.environ["MENTORSHIP_ALLOWED_HOSTS"] = "testserver.local,localhost,127.0.0.1"
os.environ["MENTORSHIP_ENV"] = "development"

import pytest  # noqa: E402
from argon2 import PasswordHasher  # noqa: E402
from litestar import Litestar  # noqa: E402
from litestar.testing import AsyncTestClient  # noqa: E402
from piccolo.table import sort_table_classes  # noqa: E402

from mentorship.access.roles import Role  # noqa: E402
from mentorship.accounts import services as account_services  # noqa: E402
from mentorship.accounts.passwords import PasswordHashing, configure_hashing  # noqa: E402
from mentorship.accounts.schemas import AccountCreate, AccountRead  # noqa: E402
from mentorship.app import create_app  # noqa: E402
from mentorship.config import Settings, get_settings  # noqa: E402
from mentorship.district import services as district_services  # noqa: E402
from mentorship.domains import compose  # noqa: E402
from mentorship.lib import clock, db  # noqa: E402
from mentorship.lib.commands import apply_migrations  # noqa: E402

# Every service a test calls directly finds the domains' listeners connected, as in the app.
compose()

BASE_URL = "http://testserver.local"
PASSWORD = "correct horse battery staple"
# Cheap parameters so the suite is fast; test_passwords checks the production ones.
FAST_HASHER = PasswordHasher(time_cost=1, memory_cost=1024, parallelism=1)


def pytest_report_header(config: pytest.Config) -> str:
    """Say which database this run uses, so the output shows both halves."""
    return f"mentorship database: {get_settings().database.display}"


@pytest.fixture(scope="session")
def settings() -> Settings:
    """The settings the test app runs with."""
    return get_settings()


# Tables whose rows the migrations seed (skills, job roles, the first agreement, …): each test
# gets those rows back exactly as the migrations left them.
SEEDED_TABLES = ("skill", "job_role", "reference_revision", "agreement_version")


@pytest.fixture(scope="session", autouse=True)
async def migrated_database(settings: Settings) -> dict[str, list[dict[str, Any]]]:
    """Start from an empty database and apply every migration, as an operator would.

    Returns the rows the migrations seeded, by table name.
    """
    engine = db.get_engine()
    if settings.database.engine == "postgres":
        await engine.run_ddl("DROP SCHEMA public CASCADE")
        await engine.run_ddl("CREATE SCHEMA public")
    await apply_migrations()
    return {
        table._meta.tablename: await table.select()
        for table in all_tables()
        if table._meta.tablename in SEEDED_TABLES
    }


def all_tables() -> list[Any]:
    """Every table of every registered Piccolo app, parents before children."""
    from piccolo.conf.apps import Finder

    return sort_table_classes(Finder().get_table_classes())


@pytest.fixture(autouse=True)
async def clean_database(
    migrated_database: dict[str, list[dict[str, Any]]],
) -> AsyncIterator[None]:
    """Each test starts with the freshly migrated data and the fast password hasher."""
    configure_hashing(PasswordHashing(hasher=FAST_HASHER, concurrency=2))
    # Emptying the tables resets the revision counters the process-wide caches are keyed
    # on, so those caches must be forgotten too.
    district_services._travel_cache = None
    tables = all_tables()
    # One transaction, so one connection: on PostgreSQL (no pool in tests) every statement
    # outside a transaction would otherwise open a connection of its own.
    async with db.transaction():
        # DELETE, not TRUNCATE: on tables this small TRUNCATE's file work is far slower.
        for table in reversed(tables):
            await table.delete(force=True)
        for table in tables:
            rows = migrated_database.get(table._meta.tablename)
            if rows:
                await table.insert(*(table(**row) for row in rows))
    yield


@pytest.fixture(scope="session")
def app(settings: Settings) -> Litestar:
    """The application as `mentorship serve` builds it, once for the session: building one
    takes over half a second, more than most tests. Each client still runs its start-up and
    shut-down; a test that needs a differently built app builds its own."""
    return create_app(settings)


@pytest.fixture
async def client(app: Litestar) -> AsyncIterator[AsyncTestClient[Litestar]]:
    """An anonymous client on the app's event loop."""
    async with AsyncTestClient(app=app, base_url=BASE_URL) as test_client:
        yield test_client


@pytest.fixture
def make_client(app: Litestar) -> Callable[[], AsyncTestClient[Litestar]]:
    """A factory for extra clients (one per person in a test)."""
    return lambda: AsyncTestClient(app=app, base_url=BASE_URL)


async def create_account(
    email: str, *roles: Role, password: str | None = PASSWORD, name: str | None = None
) -> AccountRead:
    """An account created through the real service."""
    return await account_services.create_account(
        AccountCreate(
            email=email,
            display_name=name or email.partition("@")[0].title(),
            roles=list(roles) or [Role.EMPLOYEE],
            password=password,
        )
    )


async def sign_in(
    client: AsyncTestClient[Litestar], email: str, password: str = PASSWORD
) -> dict[str, Any]:
    """Sign in over the API; afterwards the client sends the CSRF header on every request."""
    response = await client.post("/api/v1/auth/login", json={"email": email, "password": password})
    assert response.status_code == 200, response.text
    body: dict[str, Any] = response.json()
    client.headers["x-csrftoken"] = body["csrf_token"]
    return body


@pytest.fixture
async def admin_client(client: AsyncTestClient[Litestar]) -> AsyncTestClient[Litestar]:
    """A client signed in as an admin."""
    await create_account("admin@example.org", Role.ADMIN)
    await sign_in(client, "admin@example.org")
    return client


class FrozenClock:
    """A clock tests move by hand."""

    def __init__(self, start: datetime) -> None:
        self.current = start

    def __call__(self) -> datetime:
        return self.current

    def advance(self, **delta: float) -> None:
        """Move forward by a timedelta's keyword arguments."""
        self.current += timedelta(**delta)


@pytest.fixture
def frozen_clock(monkeypatch: pytest.MonkeyPatch) -> Iterator[FrozenClock]:
    """Replace the service clock with one the test controls."""
    fake = FrozenClock(clock.now())
    monkeypatch.setattr(clock, "now", fake)
    yield fake
