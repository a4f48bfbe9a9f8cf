"""Database engines for SQLite and PostgreSQL, transactions and a reachability probe."""

from __future__ import annotations

import asyncio
import functools
import json
import sqlite3
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import aiosqlite
from piccolo.engine.base import Engine
from piccolo.engine.finder import engine_finder
from piccolo.engine.postgres import PostgresEngine, PostgresTransaction
from piccolo.engine.sqlite import SQLiteEngine, SQLiteTransaction, TransactionType, dict_factory

from mentorship.config import Settings

HEALTH_PROBE_TIMEOUT_SECONDS = 5.0
# Kept open for reuse per event loop: enough for every request of a busy worker to hold one
# (each is a sleeping thread and a page cache that fills only as it is used).
IDLE_SQLITE_CONNECTIONS = 64


class HardenedSQLiteEngine(SQLiteEngine):
    """SQLite tuned for a small web service: writes wait for each other instead of failing.

    Every connection gets a busy timeout (sqlite3's `timeout`), foreign keys are on (Piccolo
    sets that per connection), the file runs in WAL mode (set by `prepare_database`), and a
    transaction starts as IMMEDIATE so it takes the write lock up front: a DEFERRED
    transaction that reads and then writes can fail with "database is locked" when another
    writer got in between, busy timeout or not.
    """

    def transaction(
        self,
        transaction_type: TransactionType = TransactionType.immediate,
        allow_nested: bool = True,
    ) -> SQLiteTransaction:
        """Open a transaction, IMMEDIATE unless the caller asks otherwise."""
        return PooledSQLiteTransaction(
            engine=self, transaction_type=transaction_type, allow_nested=allow_nested
        )

    # Piccolo opens a new connection (a thread of its own, and PRAGMAs) for every transaction
    # and every statement outside one: several per request. Idle connections are kept for
    # reuse instead, per event loop (an aiosqlite connection belongs to the loop that made it).

    def _idle(self) -> list[Any]:
        pools: dict[Any, list[Any]] = self.__dict__.setdefault("_idle_connections", {})
        for loop in [loop for loop in pools if loop.is_closed()]:
            for connection in pools.pop(loop):
                connection.stop()  # the loop that could await its closing is gone
        return pools.setdefault(asyncio.get_running_loop(), [])

    async def close_idle(self) -> None:
        """Close this event loop's kept connections (at shutdown)."""
        idle = self._idle()
        while idle:
            await idle.pop().close()

    async def get_connection(self) -> Any:
        """An idle connection of this event loop, or a new one."""
        idle = self._idle()
        if idle:
            return idle.pop()
        pending = aiosqlite.connect(**self.connection_kwargs)
        # A kept connection must not hold the process open at exit (its worker thread
        # would wait forever for work): the thread, started by the await, is a daemon.
        pending._thread.daemon = True
        connection = await pending
        connection.row_factory = dict_factory  # type: ignore[assignment]
        await connection.execute("PRAGMA foreign_keys = 1")
        return connection

    async def release(self, connection: Any) -> None:
        """Keep a connection for reuse, unless it is still inside a transaction or enough
        are kept already (then it is closed)."""
        idle = self._idle()
        if connection.in_transaction or len(idle) >= IDLE_SQLITE_CONNECTIONS:
            await connection.close()
        else:
            idle.append(connection)

    # Piccolo sends each statement as four or five trips to the connection's thread (a
    # `PRAGMA foreign_keys`, the statement, the fetch, the commit, closing the cursor), each
    # a thread switch and a wake-up of the event loop. One trip does it all here; foreign
    # keys are switched on once, when the connection is made.

    async def _run_in_new_connection(
        self,
        query: str,
        args: list[Any] | None = None,
        query_type: str = "generic",
        table: Any = None,
    ) -> Any:
        connection = await self.get_connection()
        try:
            return await connection._execute(_fetch_all, connection._conn, "", query, args or [])
        finally:
            await self.release(connection)

    async def _run_in_existing_connection(
        self,
        connection: Any,
        query: str,
        args: list[Any] | None = None,
        query_type: str = "generic",
        table: Any = None,
    ) -> Any:
        transaction = self.current_transaction.get()
        begin = transaction.take_begin() if isinstance(transaction, PooledSQLiteTransaction) else ""
        return await connection._execute(_fetch_all, connection._conn, begin, query, args or [])

    async def run_sql(self, query: str, args: list[Any]) -> list[dict[str, Any]]:
        """Run one compiled statement (see `fetch`): in the current transaction, if any."""
        transaction = self.current_transaction.get()
        if transaction is not None:
            return await self._run_in_existing_connection(transaction.connection, query, args)
        return await self._run_in_new_connection(query, args)


def _fetch_all(
    connection: sqlite3.Connection, begin: str, query: str, args: list[Any]
) -> list[dict[str, Any]]:
    """On the connection's own thread: begin the transaction if it is still to begin, run
    the statement and fetch its rows; outside a transaction SQLite commits by itself."""
    if begin:
        connection.execute(begin)
    cursor = connection.execute(query, args)
    try:
        return cursor.fetchall()
    finally:
        cursor.close()


class PooledSQLiteTransaction(SQLiteTransaction):
    """A transaction that begins with its first statement (in the same trip to the
    connection's thread) and hands its connection back to the engine's idle connections."""

    engine: HardenedSQLiteEngine

    async def begin(self) -> None:
        """Begin with the first statement: nothing reaches the database before it, so the
        transaction (and an IMMEDIATE one's write lock) starts exactly as it would here."""
        self.__dict__["_begin"] = f"BEGIN {self.transaction_type.value}"

    def take_begin(self) -> str:
        """The BEGIN still to send before the next statement, once ("" when sent)."""
        return str(self.__dict__.pop("_begin", ""))

    async def _send_begin(self) -> None:
        begin = self.take_begin()
        if begin:
            await self.connection.execute(begin)

    async def commit(self) -> None:
        """Commit, unless no statement ever began the transaction."""
        self.take_begin()
        if self.connection.in_transaction:
            await self.connection.execute("COMMIT")
        self._committed = True

    async def rollback(self) -> None:
        """Roll back, unless no statement ever began the transaction (or its BEGIN failed)."""
        self.take_begin()
        if self.connection.in_transaction:
            await self.connection.execute("ROLLBACK")
        self._rolled_back = True

    async def savepoint(self, name: str | None = None) -> Any:
        """A savepoint, the transaction begun first."""
        await self._send_begin()
        return await super().savepoint(name)

    async def __aexit__(self, exception_type: Any, exception: Any, traceback: Any) -> bool:
        """Commit or roll back as Piccolo does, then release the connection."""
        if self._parent:
            return exception is None
        try:
            if exception:
                if not self._rolled_back:
                    await self.rollback()
            elif not self._committed and not self._rolled_back:
                await self.commit()
        finally:
            await self.engine.release(self.connection)
            self.engine.current_transaction.reset(self.context)
        return exception is None


class LoopAwarePostgresEngine(PostgresEngine):
    """PostgreSQL with one connection pool per event loop.

    An asyncpg pool only works on the event loop that created it, and Piccolo's engine keeps
    one `pool` for every caller. A server has a single loop per process, so nothing changes
    there; but when several loops share the engine (the test client runs the app on a loop of
    its own while the tests run on theirs) each loop now sees only its own pool, and a loop
    without one opens connections as it needs them instead of hanging on a foreign pool.
    """

    @property
    def pool(self) -> Any:
        """The pool started on the running event loop, if any."""
        try:
            loop = asyncio.get_running_loop()
        except RuntimeError:
            return None
        return self.__dict__.setdefault("_pools", {}).get(loop)

    @pool.setter
    def pool(self, value: Any) -> None:
        pools = self.__dict__.setdefault("_pools", {})
        try:
            loop = asyncio.get_running_loop()
        except RuntimeError:
            return  # PostgresEngine.__init__ sets None before any loop runs
        if value is None:
            pools.pop(loop, None)
        else:
            pools[loop] = value

    def transaction(self, allow_nested: bool = True) -> Any:
        """A transaction; inside a read (`reading`), the read's own, begun from here on."""
        current = self.current_transaction.get()
        if isinstance(current, PostgresReadTransaction):
            return _BegunFromHere(current)
        return PostgresTransaction(engine=self, allow_nested=allow_nested)

    async def run_sql(self, query: str, args: list[Any]) -> list[dict[str, Any]]:
        """Run one compiled statement (see `fetch`): in the current transaction, if any."""
        transaction = self.current_transaction.get()
        if transaction is not None:
            rows = await transaction.connection.fetch(query, *args)
        elif self.pool is not None:
            async with self.pool.acquire() as connection:
                rows = await connection.fetch(query, *args)
        else:
            rows = await self._run_in_new_connection(query, args)
        return [dict(row) for row in rows]


class PostgresReadTransaction(PostgresTransaction):
    """A read on PostgreSQL: one pooled connection for all its statements, and no BEGIN or
    COMMIT (two round trips) unless something inside writes.

    At READ COMMITTED, PostgreSQL's default, every statement sees the data committed when it
    starts, inside a transaction or not: for statements that only read, the transaction
    adds nothing but its round trips. A `transaction()` opened inside (a write) begins it
    there, on the same connection, and it then commits or rolls back as any other.
    """

    async def begin(self) -> None:
        """Nothing yet: see `begin_now`."""
        self.__dict__["begun"] = False

    async def begin_now(self) -> None:
        """Begin the transaction now, if it has not begun."""
        if not self.__dict__.get("begun"):
            await self.transaction.start()
            self.__dict__["begun"] = True

    async def commit(self) -> None:
        """Commit what was written, if anything began the transaction."""
        if self.__dict__.get("begun"):
            await self.transaction.commit()
        self._committed = True

    async def rollback(self) -> None:
        """Roll back, if anything began the transaction."""
        if self.__dict__.get("begun"):
            await self.transaction.rollback()
        self._rolled_back = True


class _BegunFromHere:
    """A transaction opened inside a read: the read's own, begun on entry."""

    def __init__(self, read: PostgresReadTransaction) -> None:
        self.read = read

    async def __aenter__(self) -> PostgresReadTransaction:
        await self.read.begin_now()
        return self.read

    async def __aexit__(self, exception_type: Any, exception: Any, traceback: Any) -> bool:
        return False  # the read ends it, as it ends any nested transaction


def build_engine(settings: Settings) -> Engine[Any]:
    """The Piccolo engine for the configured database."""
    location = settings.database
    if location.engine == "sqlite":
        assert location.sqlite_path is not None
        return HardenedSQLiteEngine(
            path=str(location.sqlite_path), timeout=settings.sqlite_busy_timeout_seconds
        )
    # No extensions: Piccolo would otherwise try to CREATE EXTENSION "uuid-ossp", which needs
    # superuser rights a production database role should not have.
    return LoopAwarePostgresEngine(config={"dsn": location.url}, extensions=())


@functools.cache
def get_engine() -> Engine[Any]:
    """The engine configured in piccolo_conf.py (looked up once: Piccolo's tables hold on to
    the engine they found at import, and finding it again costs more than a query)."""
    engine = engine_finder()
    if engine is None:
        raise RuntimeError("piccolo_conf.py defines no DB engine")
    return engine


async def prepare_database(engine: Engine[Any]) -> None:
    """Make the storage ready before first use: folder and WAL mode for SQLite."""
    if isinstance(engine, SQLiteEngine):
        Path(engine.path).parent.mkdir(parents=True, exist_ok=True)
        # WAL lets readers carry on while one writer commits; it is a property of the file,
        # so setting it once per start is enough.
        await engine.run_ddl("PRAGMA journal_mode=WAL")


async def _keep_session(connection: Any) -> None:
    """Nothing to reset when a connection goes back to the pool (asyncpg has already rolled
    back any open transaction): the application changes no session setting, listens to
    nothing and takes advisory locks only for a transaction. asyncpg's default reset is one
    more round trip each time a connection is handed back."""


async def start_pool(engine: Engine[Any]) -> None:
    """Open a connection pool where the engine supports one (PostgreSQL)."""
    if isinstance(engine, PostgresEngine):
        # Connections open as they are needed (asyncpg's default opens ten at start-up).
        await engine.start_connection_pool(min_size=1, max_size=10, reset=_keep_session)


async def close_pool(engine: Engine[Any]) -> None:
    """Close the connection pool opened by `start_pool` (SQLite: the kept connections)."""
    if isinstance(engine, PostgresEngine):
        await engine.close_connection_pool()
    elif isinstance(engine, HardenedSQLiteEngine):
        await engine.close_idle()


async def is_reachable(engine: Engine[Any]) -> bool:
    """True when a trivial query succeeds within a few seconds."""
    try:
        async with asyncio.timeout(HEALTH_PROBE_TIMEOUT_SECONDS):
            await engine.run_ddl("SELECT 1")
    except Exception:  # the probe's whole job is to turn any failure into "unreachable"
        return False
    return True


def transaction() -> Any:
    """A write transaction on the configured engine (IMMEDIATE on SQLite)."""
    return get_engine().transaction()


def in_transaction() -> bool:
    """Whether the current task is inside a transaction on the configured engine."""
    return get_engine().current_transaction.get() is not None


def reading() -> Any:
    """A read transaction that takes no write lock: DEFERRED on SQLite, so readers never wait
    for the single write lock (WAL gives them a snapshot), and all its statements share one
    connection instead of opening one each; on PostgreSQL one connection for all its
    statements, begun as a transaction only if something inside writes."""
    engine = get_engine()
    if isinstance(engine, SQLiteEngine):
        return engine.transaction(transaction_type=TransactionType.deferred)
    if isinstance(engine, LoopAwarePostgresEngine) and engine.current_transaction.get() is None:
        return PostgresReadTransaction(engine=engine)
    return engine.transaction()


_PLACEHOLDERS: dict[tuple[str, str], str] = {}


def compiled(sql: str, engine_type: str) -> str:
    """`sql` with each `{}` turned into the engine's placeholder (`?` or `$1`, `$2`, …)."""
    found = _PLACEHOLDERS.get((sql, engine_type))
    if found is None:
        count = sql.count("{}")
        marks = ["?"] * count if engine_type == "sqlite" else [f"${n + 1}" for n in range(count)]
        found = _PLACEHOLDERS[(sql, engine_type)] = sql.format(*marks)
    return found


async def fetch(sql: str, *args: Any) -> list[dict[str, Any]]:
    """The rows of one fixed SQL statement with `{}` placeholders for `args`, as dicts.

    For the reads every request makes (the session, a case's authorisation, its notes):
    Piccolo builds a query again each time it runs, which costs more than running it. Here
    the text is written once and sent as it is, in the current transaction if there is one.
    Only plain column values come back converted (timestamps, flags), as from Piccolo.
    """
    engine = get_engine()
    return await engine.run_sql(compiled(sql, engine.engine_type), list(args))  # type: ignore[attr-defined]


@dataclass(frozen=True)
class Param:
    """Where a `Prepared` query takes a value: the position of that value when it runs."""

    index: int


class Prepared:
    """A Piccolo query built once, its values `Param`s, and sent again and again with
    different values: the SQL text is made on first use (per engine type) and kept, so a
    hot read pays for running its query but not for building it each time."""

    def __init__(self, build: Callable[[], Any]) -> None:
        self._build = build
        self._compiled: dict[str, tuple[str, list[Any]]] = {}

    def _compile(self, engine_type: str) -> tuple[str, list[Any]]:
        found = self._compiled.get(engine_type)
        if found is None:
            (querystring,) = self._build().querystrings
            sql, values = querystring.compile_string(engine_type=engine_type)
            found = self._compiled[engine_type] = (sql, list(values))
        return found

    async def rows(self, *args: Any) -> list[dict[str, Any]]:
        """The query's rows with these values in place of its `Param`s."""
        engine = get_engine()
        sql, values = self._compile(engine.engine_type)
        bound = [args[value.index] if isinstance(value, Param) else value for value in values]
        return await engine.run_sql(sql, bound)  # type: ignore[attr-defined]


def json_text(column: Any, key: str) -> str:
    """SQL for a JSON column's top-level `key` as text (the key must be a plain name)."""
    if not key.isidentifier():
        raise ValueError(f"not a plain JSON key: {key!r}")
    name = column._meta.db_column_name
    if column._meta.table._meta.db.engine_type == "sqlite":
        return f"json_extract({name}, '$.{key}')"
    return f"({name}::json ->> '{key}')"


def for_update(query: Any) -> Any:
    """Lock the selected rows until the transaction ends.

    PostgreSQL locks the rows (SELECT … FOR UPDATE); SQLite has no row locks, but there the
    enclosing IMMEDIATE transaction already holds the database's single write lock.
    """
    if query.table._meta.db.engine_type == "sqlite":
        return query
    return query.lock_rows()


def json_value(stored: Any) -> Any:
    """A JSON column's value: PostgreSQL and SQLite hand it back as text, decoded here."""
    return json.loads(stored) if isinstance(stored, str) else stored


def contains_text(column: Any, text: str) -> Any:
    """A condition: the column contains the text, ignoring case (ASCII case on SQLite)."""
    # A % or _ typed into a search box acts as a wildcard: harmless, and escaping would need
    # an ESCAPE clause that Piccolo does not emit (SQLite has no default escape character).
    pattern = f"%{text}%"
    if column._meta.table._meta.db.engine_type == "sqlite":
        return column.like(pattern)  # SQLite's LIKE already ignores ASCII case
    return column.ilike(pattern)
