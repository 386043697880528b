"""Database work off the GUI thread: ``DbOp(parent, fn).success(cb).failure(cb).run()``.

``fn`` runs on Qt's thread pool and opens its own unit of work (so a database session never
crosses threads); the callbacks run back on the GUI thread.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import shiboken6
from PySide6.QtCore import QObject, QRunnable, QThreadPool, Signal, Slot

from counter_app.domain.errors import StorageUnavailable

_PENDING: set[DbOp] = set()  # ops under way, kept alive until their callback has run
_DRIVER_MODULES = ("sqlalchemy", "psycopg", "sqlite3")


def is_database_error(error: BaseException) -> bool:
    """True for a failure of the database itself (connection lost, server down, locked),
    as opposed to a refusal with a message (``CounterError``) or a device's error."""
    return (
        isinstance(error, StorageUnavailable)
        or type(error).__module__.split(".")[0] in _DRIVER_MODULES
    )


class DbHealth(QObject):
    """The outcome of the last database operation, for the status bar's Database light:
    ``changed(None)`` after a success, ``changed(error)`` after a database failure."""

    changed = Signal(object)


DB_HEALTH = DbHealth()


class _Relay(QObject):
    """Lives on the GUI thread (no Qt parent, owned by its op); queued signals bring
    results home. Callbacks are skipped if the widget that asked has been destroyed."""

    done = Signal(object)
    failed = Signal(object)

    def __init__(self, owner: QObject, op: DbOp) -> None:
        super().__init__()
        self.owner = owner
        self.op = op
        self.database = True  # False for device work (its own pool)
        self.on_success: Callable[[Any], None] = lambda _r: None
        self.on_failure: Callable[[Exception], None] = lambda _e: None
        self.done.connect(self._deliver_done)
        self.failed.connect(self._deliver_failed)

    @Slot(object)
    def _deliver_done(self, result: object) -> None:
        _PENDING.discard(self.op)
        if self.database:
            DB_HEALTH.changed.emit(None)
        if shiboken6.isValid(self.owner):
            self.on_success(result)

    @Slot(object)
    def _deliver_failed(self, error: object) -> None:
        _PENDING.discard(self.op)
        assert isinstance(error, Exception)
        if self.database:
            DB_HEALTH.changed.emit(error if is_database_error(error) else None)
        if shiboken6.isValid(self.owner):
            self.on_failure(error)


class DbOp(QRunnable):
    """One service call on the thread pool, with GUI-thread callbacks."""

    def __init__(self, owner: QObject, fn: Callable[[], Any]) -> None:
        super().__init__()
        self.setAutoDelete(False)  # Python owns it (``_PENDING``), not the pool
        self._fn = fn
        self._relay = _Relay(owner, self)

    def success(self, callback: Callable[[Any], None]) -> DbOp:
        self._relay.on_success = callback
        return self

    def failure(self, callback: Callable[[Exception], None]) -> DbOp:
        self._relay.on_failure = callback
        return self

    def run_in_background(self, pool: QThreadPool | None = None) -> None:
        """Start on ``pool`` (default: Qt's global pool, used for database work; only that
        work reports to ``DB_HEALTH``)."""
        self._relay.database = pool is None
        _PENDING.add(self)
        (pool or QThreadPool.globalInstance()).start(self)

    def run(self) -> None:  # called on a pool thread by Qt
        try:
            result = self._fn()
        except Exception as exc:  # every failure goes to the GUI callback
            self._relay.failed.emit(exc)
        else:
            self._relay.done.emit(result)
