"""Work off the GUI thread, as Anki's ``aqt.operations`` does it.

``ReadOp(owner, fn)`` runs a service call that changes nothing; ``WriteOp(owner, fn,
changes)`` runs one that does and, after it succeeded, announces ``changes`` on
``OPERATIONS.changed``: the header totals, the account view and the lights refresh from that
signal, never from the caller. ``DeviceOp`` runs device work on a device's own pool. Each
``fn`` runs on a pool thread and opens its own unit of work (a database session never
crosses threads); ``success`` / ``failure`` callbacks run back on the GUI thread, and only
while the widget that asked still exists.
"""

from __future__ import annotations

import functools
import itertools
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any, Generic, TypeVar

import shiboken6
from PySide6.QtCore import QObject, QThreadPool, Signal, Slot

from counter_app.domain.errors import OutcomeUnknown, StorageUnavailable

T = TypeVar("T")
_PENDING: dict[int, BackgroundOp[Any]] = {}  # ops under way, alive until their task finished
_KEYS = itertools.count(1)
_DRIVER_MODULES = ("sqlalchemy", "psycopg", "sqlite3")


def is_database_error(error: BaseException) -> bool:
    """True for a failure of the database itself (connection lost, server down, locked,
    a COMMIT unanswered), as opposed to a refusal with a message (``CounterError``) or a
    device's error."""
    return (
        isinstance(error, StorageUnavailable | OutcomeUnknown)
        or type(error).__module__.split(".")[0] in _DRIVER_MODULES
    )


@dataclass(frozen=True)
class Changes:
    """What a write op changed, for the views that show it."""

    accounts: frozenset[str] = frozenset()  # account numbers whose balances moved
    session: bool = False  # the drawer session's totals or movements
    receipts: bool = False  # a receipt was posted, reversed or printed

    @classmethod
    def posting(cls, accounts: tuple[str, ...] | list[str]) -> Changes:
        """A payment or a reversal on ``accounts``: balances, session totals, receipts."""
        return cls(frozenset(accounts), session=True, receipts=True)


NO_CHANGES = Changes()  # a write that no view shows (a login, an override granted)


class Operations(QObject):
    """The one place views listen to: ``changed(Changes)`` after every write op that
    succeeded; ``db_health(None | error)`` after every database op (for the light)."""

    changed = Signal(object)
    db_health = Signal(object)


OPERATIONS = Operations()


class _Relay(QObject):
    """The one object results come home through: it lives on the GUI thread for the life of
    the program, so a pool thread only ever emits into it and never destroys a Qt object."""

    done = Signal(object, object)  # key, result
    failed = Signal(object, object)  # key, error
    finished = Signal(object)  # key: the pool thread holds nothing of the op any more

    def __init__(self) -> None:
        super().__init__()
        self.done.connect(self._deliver_done)
        self.failed.connect(self._deliver_failed)
        self.finished.connect(self._let_go)

    @Slot(object, object)
    def _deliver_done(self, key: int, result: object) -> None:
        _PENDING[key].delivered(result)

    @Slot(object, object)
    def _deliver_failed(self, key: int, error: object) -> None:
        assert isinstance(error, Exception)
        _PENDING[key].refused(error)

    @Slot(object)
    def _let_go(self, key: int) -> None:
        del _PENDING[key]


_RELAY = _Relay()


def _work(key: int) -> None:
    """Runs on a pool thread, knowing the op only by its key. It lets go of the call, its
    result and its error before saying it has finished, and the op leaves ``_PENDING`` only
    then: what the op held (its callbacks, the widgets in its closures, an error's frames) is
    let go on the GUI thread. A widget, or a device's own pool, freed on a pool thread
    crashes or waits on itself."""
    fn = _PENDING[key]._fn
    try:
        result = fn()
    except Exception as exc:  # every failure goes to the GUI callback
        del fn
        _RELAY.failed.emit(key, exc)
    else:
        del fn
        _RELAY.done.emit(key, result)
        del result
    _RELAY.finished.emit(key)


class BackgroundOp(Generic[T]):
    """One call on a thread pool, with GUI-thread callbacks (device work: ``DeviceOp``).

    A plain Python object: the pool runs a Qt-owned task that knows it only by a key, and
    the op stays in ``_PENDING`` until that task has finished with it."""

    def __init__(self, owner: QObject, fn: Callable[[], T]) -> None:
        self._owner = owner
        self._fn = fn
        self._on_success: Callable[[T], None] = lambda _r: None
        self._on_failure: Callable[[Exception], None] = lambda _e: None

    def success(self, callback: Callable[[T], None]) -> BackgroundOp[T]:
        self._on_success = callback
        return self

    def failure(self, callback: Callable[[Exception], None]) -> BackgroundOp[T]:
        self._on_failure = callback
        return self

    def run_in_background(self, pool: QThreadPool | None = None) -> None:
        """Start on ``pool`` (default: Qt's global pool, the database's)."""
        key = next(_KEYS)
        _PENDING[key] = self
        (pool or QThreadPool.globalInstance()).start(functools.partial(_work, key))

    def _owner_alive(self) -> bool:
        return shiboken6.isValid(self._owner)

    def delivered(self, result: T) -> None:
        if self._owner_alive():
            self._on_success(result)

    def refused(self, error: Exception) -> None:
        if self._owner_alive():
            self._on_failure(error)


class DeviceOp(BackgroundOp[T]):
    """Printer or drawer work, run on that device's single-thread pool."""


class ReadOp(BackgroundOp[T]):
    """A service call that reads; its outcome feeds the Database light."""

    def delivered(self, result: T) -> None:
        OPERATIONS.db_health.emit(None)
        super().delivered(result)

    def refused(self, error: Exception) -> None:
        OPERATIONS.db_health.emit(error if is_database_error(error) else None)
        super().refused(error)


class WriteOp(ReadOp[T]):
    """A service call that writes; after it succeeded (and its own callback ran) it
    announces what changed — ``changes``, or ``changes(result)`` when that depends on the
    result — on ``OPERATIONS.changed``, whether or not its widget still exists."""

    def __init__(
        self,
        owner: QObject,
        fn: Callable[[], T],
        changes: Changes | Callable[[T], Changes],
    ) -> None:
        super().__init__(owner, fn)
        self._changes = changes

    def delivered(self, result: T) -> None:
        super().delivered(result)
        changes = self._changes(result) if callable(self._changes) else self._changes
        OPERATIONS.changed.emit(changes)
