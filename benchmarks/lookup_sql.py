"""The SQL a lookup sends, caught on the engine and replayed on the driver: the "raw" side of
the lookup benchmarks. Whatever plans ``lookup.search`` and ``lookup.count`` choose (and when
they stop), raw runs exactly the statements they ran, with their parameters, and nothing of
the service's Python."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import Any

from sqlalchemy import Engine, event

Raw = tuple[str, Any]  # SQL text for the driver, and its parameters


@contextmanager
def caught(engine: Engine) -> Iterator[list[Raw]]:
    """The statements run on ``engine`` inside the block (not the ``BEGIN`` the SQLite
    engine issues itself: a fresh connection issues its own)."""
    sent: list[Raw] = []

    def catch(_conn: Any, _cursor: Any, statement: str, parameters: Any, *_: Any) -> None:
        if not statement.lstrip().upper().startswith("BEGIN"):
            sent.append((statement, parameters))

    event.listen(engine, "before_cursor_execute", catch)
    try:
        yield sent
    finally:
        event.remove(engine, "before_cursor_execute", catch)


def sql_of(engine: Engine, call: Callable[[], object]) -> list[Raw]:
    """The statements ``call`` runs (it is run once to see them)."""
    with caught(engine) as sent:
        call()
    return sent


def replay(engine: Engine, statements: list[Raw]) -> None:
    """Run ``statements`` on one connection straight on the driver, fetching every row."""
    with engine.connect() as conn:
        for sql, params in statements:
            conn.exec_driver_sql(sql, params).all()
