"""Test set-up: a migrated database (SQLite by default, PostgreSQL when configured), an app,
clients, and helpers that build rows through the real services."""

from __future__ import annotations

import os
import shutil
import tempfile
from collections.abc import AsyncIterator, Callable, Iterator
from datetime import datetime, timedelta
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

# The environment must be in place before mentorship or piccolo_conf is imported. The data
# folder (and the SQLite file in it) goes in memory where there is a tmpfs: every commit
# waits for the disk otherwise, and the tests spent more time waiting than computing.
_MEMORY = Path("/dev/shm")  # noqa: S108 (mkdtemp makes a private folder inside)
_DATA_DIR = Path(
    tempfile.mkdtemp(
        prefix="mentorship-tests-",
        dir=_MEMORY if _MEMORY.is_dir() and os.access(_MEMORY, os.W_OK) else None,
    )
)
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
from piccolo.querystring import QueryString  # noqa: E402
from piccolo.table import sort_table_classes  # noqa: E402

from mentorship.access.roles import Role  # noqa: E402
from mentorship.accounts import services as account_services  # noqa: E402
from mentorship.accounts.passwords import PasswordHashing, configure_hashing  # noqa: E402
from mentorship.accounts.schemas import AccountCreate, AccountRead  # noqa: E402
from mentorship.app import create_app  # noqa: E402
from mentorship.config import Settings, get_settings  # noqa: E402
from mentorship.district import sites as district_sites  # noqa: E402
from mentorship.domains import compose  # noqa: E402
from mentorship.lib import clock, db  # noqa: E402
from mentorship.lib.commands import apply_migrations  # noqa: E402

# Every service a test calls directly finds the domains' listeners connected, as in the app.
compose()

BASE_URL = "http://testserver.local"
PASSWORD = "correct horse battery staple"
# Cheap parameters so the suite is fast; test_passwords checks the production ones.
FAST_HASHER = PasswordHasher(time_cost=1, memory_cost=1024, parallelism=1)


def pytest_unconfigure(config: pytest.Config) -> None:
    """Remove the data folder (in memory, when it is on a tmpfs)."""
    shutil.rmtree(_DATA_DIR, ignore_errors=True)


def pytest_report_header(config: pytest.Config) -> str:
    """Say which database this run uses, so the output shows both halves."""
    return f"mentorship database: {get_settings().database.display}"


@pytest.fixture(scope="session")
def settings() -> Settings:
    """The settings the test app runs with."""
    return get_settings()


# Tables whose rows the migrations seed (skills, job roles, the first agreement, …): each test
# gets those rows back exactly as the migrations left them. Every other table starts empty.
SEEDED_TABLES = ("skill", "job_role", "reference_revision", "agreement_version")

# Which tables a test wrote is recorded by the database itself: a trigger on every table (for
# each statement on PostgreSQL, each row on SQLite) adds the table's name here, so writes by
# the app, by raw SQL and by `mentorship` subprocesses are all seen. Only those tables are
# emptied (and re-seeded) before the next database test, instead of every table. (The SQL
# below is built from this constant and from table names in the code: hence the S608 noqa.)
TOUCHED = "test_touched_table"
_TRACKING_DDL = {
    "sqlite": [f"CREATE TABLE {TOUCHED} (name TEXT PRIMARY KEY)"],
    # No key, so no lock: concurrent transactions writing the same table never wait on each
    # other here (a unique name would make the second wait for the first to commit).
    "postgres": [
        f"CREATE UNLOGGED TABLE {TOUCHED} (name TEXT NOT NULL)",
        f"""CREATE FUNCTION {TOUCHED}_note() RETURNS trigger LANGUAGE plpgsql AS $$
        BEGIN INSERT INTO {TOUCHED} VALUES (TG_TABLE_NAME); RETURN NULL; END $$""",  # noqa: S608
    ],
}


def _tracking_triggers(engine: str, table: str) -> list[str]:
    """The DDL that records writes to one table in TOUCHED."""
    if engine == "postgres":
        return [
            f'CREATE TRIGGER {TOUCHED} AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON "{table}"'
            f" FOR EACH STATEMENT EXECUTE FUNCTION {TOUCHED}_note()"
        ]
    return [
        f'CREATE TRIGGER {TOUCHED}_{table}_{event.lower()} AFTER {event} ON "{table}"'  # noqa: S608
        f" BEGIN INSERT OR IGNORE INTO {TOUCHED} VALUES ('{table}'); END"
        for event in ("INSERT", "UPDATE", "DELETE")
    ]


@pytest.fixture(scope="session")
async def migrated_database(
    settings: Settings,
) -> AsyncIterator[dict[str, list[dict[str, Any]]]]:
    """Start from an empty database and apply every migration, as an operator would; then
    install the write tracking `clean_database` relies on. Only database tests ask for it.

    On PostgreSQL a connection pool serves the tests' event loop (the tests' own queries and
    the test clients' requests both run on it); without one every statement outside a
    transaction opened a connection, a new server process, of its own.

    Yields the rows the migrations seeded, by table name.
    """
    engine = db.get_engine()
    if settings.database.engine == "postgres":
        await engine.run_ddl("DROP SCHEMA public CASCADE")
        await engine.run_ddl("CREATE SCHEMA public")
        # A throw-away database need not wait for its log to reach the disk at each commit
        # (the setting applies to the connections opened from now on).
        await engine.run_ddl(
            f'ALTER DATABASE "{urlsplit(settings.database.url).path.strip("/")}"'
            " SET synchronous_commit = off"
        )
    await apply_migrations()
    seeded = {}
    for table in all_tables():
        name = table._meta.tablename
        if name in SEEDED_TABLES:
            seeded[name] = await table.select()
        elif await table.count():
            pytest.fail(f"the migrations put rows in {name}: add it to SEEDED_TABLES")
    for statement in _TRACKING_DDL[settings.database.engine] + [
        ddl
        for table in all_tables()
        for ddl in _tracking_triggers(settings.database.engine, table._meta.tablename)
    ]:
        await engine.run_ddl(statement)
    if settings.database.engine == "postgres":
        # Enough for the tests that run requests side by side while holding a transaction.
        await engine.start_connection_pool(min_size=1, max_size=20)
    yield seeded
    if settings.database.engine == "postgres":
        await engine.close_connection_pool()


def all_tables() -> list[Any]:
    """Every table of every registered Piccolo app, parents before children."""
    from piccolo.conf.apps import Finder

    return sort_table_classes(Finder().get_table_classes())


def _tables_to_reset(touched: set[str], tables: list[Any]) -> set[str]:
    """The tables written since the last reset, plus any seeded table referring to one of
    them (its rows must go before its parent's and come back after)."""
    reset = set(touched)
    grew = True
    while grew:
        grew = False
        for table in tables:
            name = table._meta.tablename
            if name in reset or name not in SEEDED_TABLES:
                continue  # an untouched table that is not seeded is empty already
            parents = {
                fk._foreign_key_meta.resolved_references._meta.tablename
                for fk in table._meta.foreign_key_columns
            }
            if parents & reset:
                reset.add(name)
                grew = True
    return reset


@pytest.fixture
async def clean_database(
    migrated_database: dict[str, list[dict[str, Any]]],
) -> None:
    """The database as the migrations left it: the tables written since the last reset (by
    an earlier test, or a module's shared set-up) are emptied and re-seeded, no others."""
    engine = db.get_engine()
    rows = await engine.run_querystring(QueryString(f"SELECT DISTINCT name FROM {TOUCHED}"))  # noqa: S608
    touched = {row["name"] for row in rows}
    if not touched:
        return
    tables = all_tables()
    reset = _tables_to_reset(touched, tables)
    # One transaction, so one connection: on PostgreSQL (no pool in tests) every statement
    # outside a transaction would otherwise open a connection of its own.
    async with db.transaction():
        # DELETE, not TRUNCATE: on tables this small TRUNCATE's file work is far slower.
        for table in reversed(tables):
            if table._meta.tablename in reset:
                await table.delete(force=True)
        for table in tables:
            seeded = migrated_database.get(table._meta.tablename)
            if seeded and table._meta.tablename in reset:
                await table.insert(*(table(**row) for row in seeded))
        await engine.run_querystring(QueryString(f"DELETE FROM {TOUCHED}"))  # noqa: S608


class DatabaseUsedByAPureTest(AssertionError):
    """A test without the database (no `db` marker, no fixture needing it) ran a query."""


def _refuse_queries(engine: Any, monkeypatch: pytest.MonkeyPatch, test: str) -> None:
    """Make every way into the engine fail loudly for the rest of this test."""

    def refuse(*args: Any, **kwargs: Any) -> Any:
        raise DatabaseUsedByAPureTest(
            f"{test} used the database without asking for it: mark it `db`"
            " (pytest.mark.db) or use a fixture that needs the database (client, …)"
        )

    for name in (
        "run_querystring",
        "run_ddl",
        "transaction",
        "atomic",
        "batch",
        "get_connection",
        "get_new_connection",
        "start_connection_pool",
    ):
        if hasattr(engine, name):
            monkeypatch.setattr(engine, name, refuse)


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    """Mark `db` every test whose fixtures need the database (so `-m db` / `-m "not db"`
    split the suite: database tests run on both databases, the others once)."""
    for item in items:
        if "clean_database" in getattr(item, "fixturenames", ()):
            item.add_marker(pytest.mark.db)


@pytest.fixture(autouse=True)
def database_or_none(request: pytest.FixtureRequest, monkeypatch: pytest.MonkeyPatch) -> None:
    """A `db` test gets the clean database before any other fixture runs; any other test
    gets no database at all: a query from it fails (instead of passing by luck).

    Every test gets the fast password hasher and forgets the process-wide travel cache
    (keyed on revision counters that start again when tables are emptied).
    """
    configure_hashing(PasswordHashing(hasher=FAST_HASHER, concurrency=2))
    district_sites._travel_cache = None
    if request.node.get_closest_marker("db") is not None:
        request.getfixturevalue("clean_database")
    else:
        _refuse_queries(db.get_engine(), monkeypatch, request.node.nodeid)


@pytest.fixture(scope="session")
def app(settings: Settings) -> Litestar:
    """The application as `mentorship serve` builds it, once for the session: building one
    takes over half a second, more than most tests. Each client still runs its start-up and
    shut-down; a test that needs a differently built app builds its own."""
    return create_app(settings)


@pytest.fixture
async def client(app: Litestar, clean_database: None) -> AsyncIterator[AsyncTestClient[Litestar]]:
    """An anonymous client on the app's event loop."""
    async with AsyncTestClient(app=app, base_url=BASE_URL) as test_client:
        yield test_client


@pytest.fixture
def make_client(app: Litestar, clean_database: None) -> Callable[[], AsyncTestClient[Litestar]]:
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
