"""The Database light's own question: when nothing has asked the database for a second, it
is asked (``SELECT 1``, off the GUI thread, one question at a time), and a question left
unanswered for 1.5 s turns the light red by itself — red within 2 s of the database going
away, even with a silent network, and green again at its first answer."""

from __future__ import annotations

import time

from PySide6.QtCore import QObject, QTimer
from PySide6.QtWidgets import QWidget

from counter_app.domain.errors import StorageUnavailable
from counter_app.services import health
from counter_app.services.context import Context
from counter_app.ui.operations import OPERATIONS, ReadOp

TICK_MS = 500
QUIET_S = 1.0  # ask when no database op answered for this long
NO_ANSWER_S = 1.5  # a question unanswered this long: the light goes red


class DatabaseWatch(QObject):
    """Runs while ``window`` is on screen."""

    def __init__(self, ctx: Context, window: QWidget) -> None:
        super().__init__(window)
        self.ctx, self.window = ctx, window
        self.asked_at: float | None = None
        self.answered_at = 0.0
        self._said_late = False
        OPERATIONS.db_health.connect(self._heard)
        self.timer = QTimer(self)
        self.timer.setInterval(TICK_MS)
        self.timer.timeout.connect(self.tick)
        self.timer.start()

    def _heard(self, error: Exception | None) -> None:
        if error is None:
            self.answered_at = time.monotonic()

    def tick(self) -> None:
        if not self.window.isVisible():
            return
        now = time.monotonic()
        if self.asked_at is not None:
            if now - self.asked_at > NO_ANSWER_S and not self._said_late:
                self._said_late = True
                OPERATIONS.db_health.emit(StorageUnavailable.no_answer(now - self.asked_at))
            return
        if now - self.answered_at < QUIET_S:
            return
        self.asked_at, self._said_late = now, False
        ReadOp(self, lambda: health.ping(self.ctx)).success(self._done).failure(
            self._done
        ).run_in_background()

    def _done(self, _result: object) -> None:
        self.asked_at = None
