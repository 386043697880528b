"""Bulk writes for loads and imports, inside the caller's unit of work.

PostgreSQL takes new rows through a binary ``COPY … FROM STDIN``; SQLite through multi-row
``INSERT`` statements on the driver. Either way each column's SQLAlchemy bind processor is
applied first, so values are stored exactly as the ORM stores them. Indexes and constraints
stay in place: a bad row fails the whole unit of work.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from typing import Any

from sqlalchemy import (
    BigInteger,
    Boolean,
    Date,
    DateTime,
    Integer,
    SmallInteger,
    String,
    Table,
    bindparam,
    text,
    update,
)
from sqlalchemy.engine import Dialect
from sqlalchemy.orm import Session
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
    conn = session.connection()
    driver = conn.connection.driver_connection
    prepared = _Prepared(table, conn.dialect, columns, constants or {})
    if conn.dialect.name == "postgresql":
        return _copy(driver, prepared, rows)
    return _insert_many(driver, prepared, rows)


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


class _Prepared:
    """Columns of one bulk insert, and how a row's values become the driver's."""

    def __init__(
        self, table: Table, dialect: Dialect, columns: Sequence[str], constants: Mapping[str, Any]
    ) -> None:
        self.table = table
        self.names = [*columns, *constants]
        self.types = [table.c[n].type.dialect_impl(dialect) for n in self.names]
        processors = [t.bind_processor(dialect) for t in self.types]
        self._steps = [(i, _memo(p)) for i, p in enumerate(processors[: len(columns)]) if p]
        self._tail = [
            p(v) if p else v
            for p, v in zip(processors[len(columns) :], constants.values(), strict=True)
        ]

    def values(self, rows: Iterable[Row]) -> Iterator[list[Any]]:
        """Each row with its values converted and the constants appended."""
        steps, tail = self._steps, self._tail
        for row in rows:
            out = [*row, *tail]
            for i, convert in steps:
                out[i] = convert(out[i])
            yield out


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


def _copy(driver: Any, prepared: _Prepared, rows: Iterable[Row]) -> int:
    count = 0
    sql = f"COPY {prepared.table.name} ({', '.join(prepared.names)}) FROM STDIN (FORMAT BINARY)"
    with driver.cursor() as cur, cur.copy(sql) as copy:
        copy.set_types([_pg_type(t) for t in prepared.types])
        write = copy.write_row
        for values in prepared.values(rows):
            write(values)
            count += 1
    return count


def _insert_many(driver: Any, prepared: _Prepared, rows: Iterable[Row]) -> int:
    """Multi-row ``INSERT … VALUES (…), (…)``: SQLite then runs per-statement work (such
    as building the lookup table of a ``CHECK (kind IN (…))``) once per batch, not per row."""
    width = len(prepared.names)
    limit = driver.getlimit(sqlite3.SQLITE_LIMIT_VARIABLE_NUMBER)
    per = max(1, min(SQLITE_PARAMS_PER_STATEMENT, limit) // width)
    head = f"INSERT INTO {prepared.table.name} ({', '.join(prepared.names)}) VALUES "
    one = f"({', '.join('?' * width)})"
    full = head + ", ".join([one] * per)
    cur = driver.cursor()
    count = pending = 0
    params: list[Any] = []
    try:
        for values in prepared.values(rows):
            params += values
            pending += 1
            if pending == per:
                cur.execute(full, params)
                count, pending, params = count + pending, 0, []
        if pending:
            cur.execute(head + ", ".join([one] * pending), params)
        return count + pending
    finally:
        cur.close()
