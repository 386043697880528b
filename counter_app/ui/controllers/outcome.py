"""A submission whose outcome the database did not say (``OutcomeUnknown``): held on screen
and in the station's pending file, re-checked by its idempotency key every 2 s off the GUI
thread until the database answers — posted (the checkout prints it and opens the drawer) or
not posted (Enter completes it again with the same key, Esc twice drops it). While it is in
question the cart cannot change (``refusal``). A pending file found when the counter opens
(a crash or a restart) is re-checked before any new work."""

from __future__ import annotations

import time

from PySide6.QtCore import QObject, QTimer, Signal
from PySide6.QtWidgets import QWidget

from counter_app.domain.submission import Submission
from counter_app.services import outcomes
from counter_app.services.context import Context
from counter_app.services.posting import Posted
from counter_app.ui.operations import NO_CHANGES, Changes, WriteOp
from counter_app.ui.widgets.outcome_banner import OutcomeBanner

RECHECK_MS = 2000


class OutcomeController(QObject):
    """Holds at most one submission in question at a time (the cart cannot change)."""

    found_posted = Signal(object)  # Posted: the submission had posted
    found_not_posted = Signal(object)  # Submission: it had not; the cart keeps it (or gets it)
    held_changed = Signal(bool)

    def __init__(self, ctx: Context, banner: OutcomeBanner, parent: QWidget) -> None:
        super().__init__(parent)
        self.ctx, self.banner = ctx, banner
        self.submission: Submission | None = None
        self.known_not_posted = False
        self._asking = False
        self._tries = 0
        self._since = 0.0
        self.timer = QTimer(self)
        self.timer.setInterval(RECHECK_MS)
        self.timer.timeout.connect(self.recheck)

    # --- what the checkout asks -----------------------------------------------------------
    @property
    def checking(self) -> bool:
        return self.submission is not None and not self.known_not_posted

    def refusal(self, *, completing: bool = False, clearing: bool = False) -> str:
        """Why the cart may not change now ("" when it may)."""
        sub = self.submission
        if sub is None:
            return ""
        if not self.known_not_posted:
            return (
                f"Wait: the database has not said yet whether {sub.what} was posted. Nothing "
                "can be changed, cleared or completed until it does (checking every 2 s)"
            )
        if completing or clearing:
            return ""
        return (
            f"Not posted: press Enter to complete {sub.what} again as it is, or Esc twice to "
            "clear it — it cannot be changed first"
        )

    # --- holding and letting go ------------------------------------------------------------
    def hold(self, submission: Submission) -> None:
        """``submission``'s COMMIT went unanswered: keep it (file first), then ask."""
        outcomes.keep_pending(self.ctx, submission)
        self._start(submission)

    def resume(self, session_id: int) -> None:
        """At the counter's start: the oldest pending file of this drawer, re-checked now."""
        try:
            found = outcomes.pending(self.ctx, session_id)
        except Exception as exc:  # an unreadable file is kept, and said
            self.banner.setText(str(exc))
            self.banner.show()
            return
        if found:
            self._start(found[0])
            self.recheck()

    def posted(self, result: Posted) -> None:
        """The held submission posted when completed again: it is settled."""
        if self.submission is not None:
            outcomes.forget_pending(self.ctx, self.submission.key)
            self._let_go()
        self.banner.posted(result.receipt.number)

    def drop(self, user_id: int) -> None:
        """Esc twice on a submission that did not post: recorded, then forgotten."""
        sub = self.submission
        assert sub is not None and self.known_not_posted
        self._let_go()
        self.banner.clear()
        WriteOp(self, lambda: outcomes.drop(self.ctx, sub, user_id), NO_CHANGES).success(
            lambda _r: outcomes.forget_pending(self.ctx, sub.key)
        ).run_in_background()

    def _start(self, submission: Submission) -> None:
        self.submission, self.known_not_posted = submission, False
        self._tries, self._since = 0, time.monotonic()
        self.banner.checking(submission, 0, 0)
        self.timer.start()
        self.held_changed.emit(True)

    def _let_go(self) -> None:
        self.timer.stop()
        self.submission, self.known_not_posted = None, False
        self.held_changed.emit(False)

    # --- asking the database ------------------------------------------------------------
    def recheck(self) -> None:
        """Ask once (never two questions at a time)."""
        sub = self.submission
        if sub is None or self.known_not_posted or self._asking:
            return
        self._asking = True
        self._tries += 1
        self.banner.checking(sub, self._tries, time.monotonic() - self._since)
        accounts = [number for number, _amount in sub.payments]
        WriteOp(
            self,
            lambda: outcomes.recheck(self.ctx, sub),
            lambda posted: Changes.posting(accounts) if posted is not None else NO_CHANGES,
        ).success(lambda posted: self._answered(sub, posted)).failure(
            self._no_answer
        ).run_in_background()

    def _no_answer(self, _error: Exception) -> None:
        self._asking = False  # the light says why; the timer asks again

    def _answered(self, sub: Submission, posted: Posted | None) -> None:
        self._asking = False
        if sub is not self.submission:
            return
        if posted is not None:
            outcomes.forget_pending(self.ctx, sub.key)
            self._let_go()
            self.banner.posted(posted.receipt.number)
            self.found_posted.emit(posted)
            return
        self.timer.stop()
        self.known_not_posted = True
        self.banner.not_posted(sub)
        self.found_not_posted.emit(sub)
