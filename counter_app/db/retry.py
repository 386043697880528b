"""Running a unit of work again when it lost a race for a lock.

PostgreSQL ends one of two transactions that wait on each other with a deadlock (SQLSTATE
40P01) or, at stricter isolation, a serialisation failure (40001); SQLite answers "database
is locked" (SQLITE_BUSY, SQLITE_LOCKED) when another writer kept the file past the busy
timeout or took it between a read and a write. Nothing of the losing unit of work was
committed, so running it again from the start is safe — every money-moving one is also
idempotent by its key. ``retried`` does so a bounded number of times with jittered backoff;
the caller (a cashier) only ever sees the error if the race is lost every time.
"""

from __future__ import annotations

import functools
import random
import sqlite3
import time
from collections.abc import Callable, Iterator
from typing import ParamSpec, TypeVar

ATTEMPTS = 6
FIRST_PAUSE = 0.01  # seconds; doubled each attempt, times a random 0.5–1.5
LONGEST_PAUSE = 0.5
# PostgreSQL: serialization_failure, deadlock_detected
RACE_SQLSTATES = frozenset({"40001", "40P01"})
SQLITE_BUSY, SQLITE_LOCKED = 5, 6

P = ParamSpec("P")
T = TypeVar("T")


def _causes(exc: BaseException) -> Iterator[BaseException]:
    """``exc``, what it was raised from, and the driver errors SQLAlchemy wrapped in them."""
    seen: set[int] = set()
    todo: list[BaseException | None] = [exc]
    while todo:
        found = todo.pop()
        if found is None or id(found) in seen:
            continue
        seen.add(id(found))
        yield found
        orig = getattr(found, "orig", None)
        todo += [found.__cause__, found.__context__]
        if isinstance(orig, BaseException):
            todo.append(orig)


def lost_a_race(exc: BaseException) -> bool:
    """Whether ``exc`` (or what caused it) is a deadlock, a serialisation failure or a busy
    SQLite file: the unit of work changed nothing and may simply be run again."""
    for cause in _causes(exc):
        if getattr(cause, "sqlstate", None) in RACE_SQLSTATES:
            return True
        if isinstance(cause, sqlite3.OperationalError):
            code = getattr(cause, "sqlite_errorcode", None)
            if code is not None and code & 0xFF in (SQLITE_BUSY, SQLITE_LOCKED):
                return True
            if "database is locked" in str(cause) or "database table is locked" in str(cause):
                return True
    return False


def pause(attempt: int) -> float:
    """Seconds to wait before attempt ``attempt + 1``: doubling, jittered, capped."""
    longest = min(LONGEST_PAUSE, FIRST_PAUSE * 2.0 ** (attempt - 1))
    return longest * random.uniform(0.5, 1.5)


def retried(work: Callable[P, T]) -> Callable[P, T]:
    """``work`` — a whole unit of work, opened and committed inside it — run again (up to
    ``ATTEMPTS`` times in all) whenever it ``lost_a_race``; any other error, or the last
    attempt's, goes to the caller unchanged. Never wrap a function that is called inside
    another unit of work: only the outermost one can be run again."""

    @functools.wraps(work)
    def run(*args: P.args, **kwargs: P.kwargs) -> T:
        for attempt in range(1, ATTEMPTS):
            try:
                return work(*args, **kwargs)
            except Exception as exc:  # classified just below; anything else re-raised
                if not lost_a_race(exc):
                    raise
            time.sleep(pause(attempt))
        return work(*args, **kwargs)

    return run
