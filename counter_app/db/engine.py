"""Engine and unit-of-work factory for SQLite and PostgreSQL.

``Database.write()`` is one unit of work that will write: on SQLite it starts with
``BEGIN IMMEDIATE`` (the write lock is taken up front, so two workstations never deadlock
upgrading a read lock); on PostgreSQL the services lock the rows they change with
``SELECT … FOR UPDATE``. ``Database.read()`` is a read-only unit of work.

A database that cannot be reached or opened is reported as ``DatabaseUnavailable`` (a
``CounterError``) whose message names the ``database_url`` setting, never as a driver error.
That says "nothing was changed", which is true only up to the COMMIT: a connection that
fails once COMMIT was sent (lost while committing, or its answer never came) is
``OutcomeUnknown`` instead — the change may have been made (``Database.write``).
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from sqlalchemy import Connection, Engine, create_engine, event, text
from sqlalchemy.engine import make_url
from sqlalchemy.exc import ArgumentError, DBAPIError, InterfaceError, OperationalError
from sqlalchemy.orm import Session, sessionmaker

from counter_app.db.driver_logs import quiet_secondary_driver_errors
from counter_app.domain.errors import OutcomeUnknown, StorageUnavailable

SQLITE_BUSY_TIMEOUT_MS = 10_000
# What a driver raises when the database cannot be reached, opened or used at all.
UNAVAILABLE = (OperationalError, InterfaceError)
# ... of which these mean "busy", not "unreachable": SQLite's lock, PostgreSQL's deadlocks
BUSY_WORDS = ("locked", "busy", "deadlock", "could not serialize", "lock timeout")
# PostgreSQL error classes that do not say the COMMIT failed: the connection's (08), an
# operator's shutdown or pg_terminate_backend (57, may come after the commit), the system's
# (58) and internal ones (XX). Any other SQLSTATE answering a COMMIT means it rolled back.
NO_VERDICT_CLASSES = ("08", "57", "58", "XX")
SQLITE_BUSY, SQLITE_LOCKED = 5, 6  # a COMMIT refused by these left the transaction undone


class DatabaseUnavailable(StorageUnavailable):
    """The database at ``database_url`` cannot be reached or opened; nothing was changed."""

    def __init__(self, url: str, reason: BaseException | str) -> None:
        try:
            shown = make_url(url).render_as_string(hide_password=True)
        except (ArgumentError, ValueError):
            shown = "the configured URL"
        detail = str(getattr(reason, "orig", None) or reason).strip().splitlines()
        self.reason = detail[0] if detail else type(reason).__name__
        if any(word in self.reason.lower() for word in BUSY_WORDS):  # not a setting's fault
            super().__init__(
                f"The database at {shown} is busy ({self.reason}). Another station kept it "
                "busy: try again; nothing was changed"
            )
            return
        super().__init__(
            f"Setting database_url (COUNTER_DATABASE_URL): cannot use the database at {shown}"
            f" ({self.reason}). Check that the server is running and the host, port, user, "
            "password and database name are right, or unset COUNTER_DATABASE_URL to use the "
            "embedded SQLite file; nothing was changed"
        )


@contextmanager
def reported_as_unavailable(url: str) -> Iterator[None]:
    """Turn a driver's connection failure inside the block into ``DatabaseUnavailable``."""
    try:
        yield
    except UNAVAILABLE as exc:
        raise DatabaseUnavailable(url, exc) from exc


def refused_by_database(exc: BaseException) -> bool:
    """True when the database itself answered a COMMIT with an error that means it rolled
    back (a serialization failure, a lock): nothing was changed. False when the connection
    failed (closed, reset, no answer): the COMMIT may have been carried out."""
    orig = getattr(exc, "orig", None)
    sqlstate = getattr(orig, "sqlstate", None)  # psycopg: set only by a server's answer
    if sqlstate:
        return str(sqlstate)[:2] not in NO_VERDICT_CLASSES
    code = getattr(orig, "sqlite_errorcode", None)  # sqlite3: SQLITE_BUSY and the like
    return code is not None and code & 0xFF in (SQLITE_BUSY, SQLITE_LOCKED)


class _Commit:
    """Where a unit of work is: ``sent`` once every statement ran and the COMMIT goes."""

    sent = False


@contextmanager
def _outcome_reported(commit: _Commit) -> Iterator[None]:
    """A connection failure after the COMMIT was sent as ``OutcomeUnknown``; before it (or a
    COMMIT the database refused) it stays a driver error, for ``reported_as_unavailable``."""
    try:
        yield
    except UNAVAILABLE as exc:
        if not commit.sent or refused_by_database(exc):
            raise
        detail = str(getattr(exc, "orig", None) or exc).strip().splitlines()
        reason = detail[0] if detail else type(exc).__name__
        raise OutcomeUnknown(f"connection lost while committing: {reason}") from exc


def make_engine(url: str, **kwargs: Any) -> Engine:
    """An engine for ``url`` with the pragmas and timeouts Counter relies on."""
    parsed = make_url(url)
    if parsed.get_backend_name() == "sqlite":
        if parsed.database and parsed.database != ":memory:":
            Path(parsed.database).parent.mkdir(parents=True, exist_ok=True)
        engine = create_engine(url, **kwargs)
        _configure_sqlite(engine)
        return engine
    quiet_secondary_driver_errors()
    connect_args = kwargs.pop("connect_args", {})
    connect_args.setdefault("connect_timeout", 5)
    # JIT compiles for a second on estimates over jit_above_cost; a counter's statements are
    # short index scans, so it only ever adds latency.
    connect_args.setdefault("options", "-c jit=off")
    return create_engine(url, pool_pre_ping=True, connect_args=connect_args, **kwargs)


def _configure_sqlite(engine: Engine) -> None:
    @event.listens_for(engine, "connect")
    def _on_connect(dbapi_conn: Any, _record: Any) -> None:
        dbapi_conn.isolation_level = None  # we issue BEGIN ourselves
        cur = dbapi_conn.cursor()
        cur.execute("PRAGMA foreign_keys=ON")
        cur.execute(f"PRAGMA busy_timeout={SQLITE_BUSY_TIMEOUT_MS}")
        cur.execute("PRAGMA journal_mode=WAL")
        cur.execute("PRAGMA synchronous=NORMAL")
        cur.close()

    @event.listens_for(engine, "begin")
    def _on_begin(conn: Any) -> None:
        mode = conn.get_execution_options().get("sqlite_begin", "DEFERRED")
        conn.exec_driver_sql(f"BEGIN {mode}")


class Database:
    """Owns the engine; hands out units of work. Built once, in ``app.py`` or a test."""

    def __init__(self, engine: Engine) -> None:
        self.engine = engine
        self.dialect = engine.dialect.name
        writer = engine.execution_options(sqlite_begin="IMMEDIATE")
        self._read = sessionmaker(engine, expire_on_commit=False)
        self._write = sessionmaker(writer, expire_on_commit=False)

    @classmethod
    def from_url(cls, url: str, **kwargs: Any) -> Database:
        return cls(make_engine(url, **kwargs))

    @classmethod
    def open(cls, url: str, **kwargs: Any) -> Database:
        """A database that answered: ``DatabaseUnavailable`` if it cannot be opened."""
        try:
            db = cls.from_url(url, **kwargs)
        except (ArgumentError, ValueError, OSError, ImportError) as exc:  # bad URL, folder, driver
            raise DatabaseUnavailable(url, exc) from exc
        try:
            with db.engine.connect() as conn:
                conn.execute(text("SELECT 1"))
        except DBAPIError as exc:  # also "file is not a database"
            db.dispose()
            raise DatabaseUnavailable(url, exc) from exc
        return db

    @property
    def url(self) -> str:
        return self.engine.url.render_as_string(hide_password=False)

    @property
    def is_postgres(self) -> bool:
        return self.dialect == "postgresql"

    @contextmanager
    def write(self) -> Iterator[Session]:
        """One unit of work that commits on success and rolls back on any error. A failure
        before the COMMIT is ``DatabaseUnavailable`` (nothing was changed); once every
        statement ran and the COMMIT was sent, a lost connection is ``OutcomeUnknown``."""
        commit = _Commit()
        with (
            reported_as_unavailable(self.url),
            self._write() as session,
            _outcome_reported(commit),
            session.begin(),  # its exit sends the COMMIT
        ):
            yield session
            session.flush()  # the last statements, so that nothing but COMMIT follows
            commit.sent = True

    @contextmanager
    def read(self) -> Iterator[Session]:
        """A unit of work that only reads; it is rolled back at the end."""
        with reported_as_unavailable(self.url), self._read() as session:
            try:
                yield session
            finally:
                session.rollback()

    @contextmanager
    def connect(self) -> Iterator[Connection]:
        """A plain connection for one read-only statement or two (no ORM)."""
        with reported_as_unavailable(self.url), self.engine.connect() as conn:
            try:
                yield conn
            finally:
                conn.rollback()

    def refresh_statistics(self, *tables: str) -> None:
        """After a bulk load: ANALYZE ``tables``, so the planner sees their new size
        (without it, PostgreSQL scans a million freshly loaded accounts instead of using the
        index); on PostgreSQL as ``VACUUM (ANALYZE)``, which also marks the loaded pages
        all-visible, so an index-only scan (a word lookup's 2,000 index entries) reads no
        table pages: 3.8 ms instead of 10.8 at 1 M accounts."""
        if self.is_postgres:
            with self.engine.connect().execution_options(isolation_level="AUTOCOMMIT") as conn:
                for table in tables:
                    conn.exec_driver_sql(f'VACUUM (ANALYZE) "{table}"')
            return
        with self.engine.connect() as conn:
            for table in tables:
                conn.exec_driver_sql(f'ANALYZE "{table}"')
            conn.commit()

    def dispose(self) -> None:
        self.engine.dispose()
