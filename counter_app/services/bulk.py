"""Bulk writes for loads and imports, inside the caller's unit of work.

PostgreSQL takes new rows through a binary ``COPY … FROM STDIN``; SQLite through multi-row
``INSERT`` statements on the driver. Either way each column's SQLAlchemy bind processor is
applied first, so values are stored exactly as the ORM stores them. Indexes and constraints
stay in place: a bad row fails the whole unit of work.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from contextlib import contextmanager
from typing import Any

from sqlalchemy import (
    BigInteger,
    Boolean,
    Date,
    DateTime,
    ForeignKeyConstraint,
    Integer,
    SmallInteger,
    String,
    Table,
    bindparam,
    text,
    update,
)
from sqlalchemy.orm import Session
from sqlalchemy.schema import AddConstraint, DropConstraint
from sqlalchemy.types import TypeEngine

Row = Sequence[Any]
Progress = Callable[[str, int, int], None]  # (stage, done, total): for a progress bar
SQLITE_PARAMS_PER_STATEMENT = 2_000  # or SQLite's own limit, if lower (999 before 3.32)
UPDATE_BATCH = 5_000


def insert_rows(
    session: Session,
    table: Table,
    columns: Sequence[str],
    rows: Iterable[Row],
    constants: Mapping[str, Any] | None = None,
) -> int:
    """Insert ``rows`` (values in ``columns`` order); ``constants`` go into every row.

    Returns the number of rows inserted.
    """
    bulk = BulkInsert(session, table, columns, constants)
    return bulk.write(session, bulk.prepare(rows))


def update_rows(session: Session, table: Table, rows: Sequence[Mapping[str, Any]]) -> int:
    """Update rows by primary key: each mapping holds ``id`` and the new values, all with
    the same keys. Returns the number of rows updated."""
    if not rows:
        return 0
    fields = [k for k in rows[0] if k != "id"]
    statement = (
        update(table)
        .where(table.c.id == bindparam("_id"))
        .values({f: bindparam(f"_{f}") for f in fields})
    )
    for start in range(0, len(rows), UPDATE_BATCH):
        batch = rows[start : start + UPDATE_BATCH]
        session.execute(statement, [{f"_{k}": v for k, v in row.items()} for row in batch])
    return len(rows)


def sync_id_sequence(session: Session, table: Table) -> None:
    """After inserting explicit ids on PostgreSQL, move the id sequence past them."""
    if session.get_bind().dialect.name == "postgresql":
        session.execute(
            text(
                f"SELECT setval(pg_get_serial_sequence('{table.name}', 'id'), "
                f"(SELECT coalesce(max(id), 0) + 1 FROM {table.name}), false)"
            )
        )


class BulkInsert:
    """A bulk insert into one table, in two steps: ``prepare`` turns rows into what the
    driver takes (pure Python: any thread may do it), ``write`` sends them."""

    def __init__(
        self,
        session: Session,
        table: Table,
        columns: Sequence[str],
        constants: Mapping[str, Any] | None = None,
    ) -> None:
        conn = session.connection()
        dialect = conn.dialect
        constants = constants or {}
        self.table = table
        self.postgres = dialect.name == "postgresql"
        self.names = [*columns, *constants]
        self.types = [table.c[n].type.dialect_impl(dialect) for n in self.names]
        processors = [t.bind_processor(dialect) for t in self.types]
        self._steps = [(i, _memo(p)) for i, p in enumerate(processors[: len(columns)]) if p]
        self._tail = [
            p(v) if p else v
            for p, v in zip(processors[len(columns) :], constants.values(), strict=True)
        ]
        self._per_statement = 1
        if not self.postgres:
            driver = conn.connection.driver_connection
            assert driver is not None  # a live connection
            limit = driver.getlimit(sqlite3.SQLITE_LIMIT_VARIABLE_NUMBER)
            self._per_statement = max(1, min(SQLITE_PARAMS_PER_STATEMENT, limit) // len(self.names))

    def prepare(self, rows: Iterable[Row]) -> list[list[Any]]:
        """Rows with their values converted and the constants appended; on SQLite, joined
        into the parameters of one multi-row statement per batch."""
        steps, tail, per = self._steps, self._tail, self._per_statement
        out: list[list[Any]] = []
        params: list[Any] = []
        pending = 0
        for row in rows:
            values = [*row, *tail]
            for i, convert in steps:
                values[i] = convert(values[i])
            if self.postgres:
                out.append(values)
                continue
            params += values
            pending += 1
            if pending == per:
                out.append(params)
                params, pending = [], 0
        if params:
            out.append(params)
        return out

    def write(self, session: Session, prepared: list[list[Any]]) -> int:
        """Send prepared rows inside the session's unit of work; the number of rows."""
        driver = session.connection().connection.driver_connection
        if self.postgres:
            return self._copy(driver, prepared)
        return self._insert_many(driver, prepared)

    def _copy(self, driver: Any, rows: list[list[Any]]) -> int:
        sql = f"COPY {self.table.name} ({', '.join(self.names)}) FROM STDIN (FORMAT BINARY)"
        with driver.cursor() as cur, cur.copy(sql) as copy:
            copy.set_types([_pg_type(t) for t in self.types])
            for values in rows:
                copy.write_row(values)
        return len(rows)

    def _insert_many(self, driver: Any, statements: list[list[Any]]) -> int:
        """Multi-row ``INSERT … VALUES (…), (…)``: SQLite then runs per-statement work (such
        as building the lookup table of a ``CHECK (kind IN (…))``) once per batch."""
        width = len(self.names)
        head = f"INSERT INTO {self.table.name} ({', '.join(self.names)}) VALUES "
        one = f"({', '.join('?' * width)})"
        full = head + ", ".join([one] * self._per_statement)
        count = 0
        cur = driver.cursor()
        try:
            for params in statements:
                rows = len(params) // width
                sql = full if rows == self._per_statement else head + ", ".join([one] * rows)
                cur.execute(sql, params)
                count += rows
        finally:
            cur.close()
        return count


def _memo(process: Callable[[Any], Any]) -> Callable[[Any], Any]:
    """Bulk rows repeat their dates and flags; convert each distinct value once."""
    seen: dict[Any, Any] = {}

    def convert(value: Any) -> Any:
        try:
            return seen[value]
        except KeyError:
            seen[value] = out = process(value)
            return out

    return convert


# Binary COPY needs each column's exact PostgreSQL type; most specific first.
_PG_TYPES: tuple[tuple[type[TypeEngine[Any]], str], ...] = (
    (BigInteger, "int8"),
    (SmallInteger, "int2"),
    (Integer, "int4"),
    (String, "text"),
    (Boolean, "bool"),
    (DateTime, "timestamptz"),
    (Date, "date"),
)


def _pg_type(column_type: TypeEngine[Any]) -> str:
    impl = getattr(column_type, "impl", column_type)
    for kind, name in _PG_TYPES:
        if isinstance(impl, kind):
            if kind is DateTime and not impl.timezone:  # type: ignore[attr-defined]
                return "timestamp"
            return name
    raise TypeError(f"bulk insert cannot COPY a {column_type!r} column")


@contextmanager
def foreign_keys_checked_at_end(session: Session, table: Table) -> Iterator[None]:
    """Load ``table`` with its foreign keys checked once at the end, not row by row.

    PostgreSQL checks a foreign key per row during COPY (over half the time of a big demo
    load); dropping the constraints for the load and adding them back in the same
    transaction validates every row in one join instead. Nothing outside the transaction
    ever sees the table without them. Other databases: unchanged.
    """
    if session.get_bind().dialect.name != "postgresql":
        yield
        return
    keys = [c for c in table.constraints if isinstance(c, ForeignKeyConstraint)]
    for key in keys:
        session.execute(DropConstraint(key))
    yield
    for key in keys:
        session.execute(AddConstraint(key))
