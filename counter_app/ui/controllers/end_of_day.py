"""The supervisor's end of day: the business date's sessions, approving an over/short and
reopening a session (the signed-in supervisor with a reason, or another supervisor's
override when the session is their own), closing a mail batch with its tape, building the
deposit, previewing and printing each report, and the payments export. Who may do what is
decided by the services: a cashier's Ctrl+E is refused with their message."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from pathlib import Path
from typing import Any

from PySide6.QtCore import QObject
from PySide6.QtGui import QAction, QKeySequence
from PySide6.QtWidgets import QDialog, QWidget

from counter_app.domain.deposits import Deposit
from counter_app.domain.end_of_day import SessionSummary
from counter_app.domain.errors import PermissionDenied
from counter_app.domain.overrides import OverrideAction
from counter_app.domain.payment_export import ExportRecord
from counter_app.domain.sessions import SessionKind, SessionState
from counter_app.services import closeout, deposits, export
from counter_app.services.context import Context
from counter_app.services.report_pdfs import ReportRequest
from counter_app.ui.controllers.common import DialogSlot, Staff
from counter_app.ui.controllers.reports import ReportPreviews
from counter_app.ui.end_of_day_dialog import (
    DepositDialog,
    EndOfDayDialog,
    ExportDialog,
    ReasonDialog,
    over_short_text,
)
from counter_app.ui.keymap import KEYS, Command
from counter_app.ui.operations import Changes, ReadOp, WriteOp
from counter_app.ui.override_dialog import OverrideDialog
from counter_app.ui.tape_dialog import TapeDialog
from counter_app.ui.widgets.search_pane import SearchPane

# (action, what it is called, the service call: (session id, grant id, reason) → result)
Step = Callable[[int, int | None, str], Any]


class EndOfDayController(QObject):
    """Owns the end-of-day screen and the forms over it."""

    def __init__(
        self,
        ctx: Context,
        staff: Staff,
        pane: SearchPane,
        previews: ReportPreviews,
        parent: QWidget,
    ) -> None:
        super().__init__(parent)
        self.ctx, self.staff, self.pane, self.previews = ctx, staff, pane, previews
        self.window = parent
        self.screen = DialogSlot(pane.focus, self)
        self.form = DialogSlot(self._back_to_table, self)  # over the screen
        self.keys: list[QAction] = []  # F3 … F12, Alt+←/→: on each screen

    @property
    def current(self) -> EndOfDayDialog | None:
        shown = self.screen.current
        return shown if isinstance(shown, EndOfDayDialog) else None

    @property
    def dialogs(self) -> tuple[QDialog | None, ...]:
        return self.previews.slot.current, self.form.current, self.screen.current

    def _back_to_table(self) -> None:
        if (screen := self.current) is not None:
            screen.table.setFocus()

    # --- the screen -------------------------------------------------------------------------
    def start(self) -> None:
        """Ctrl+E: the sessions of the station's business date (a supervisor's only)."""
        if self.staff.user is None:
            self.pane.say("Log in first")
            return
        day = self.staff.session.business_date if self.staff.session else self.ctx.today()
        uid = self.staff.user.id
        ReadOp(self, lambda: closeout.day_summary(self.ctx, day, uid)).success(
            lambda rows: self._show(day, rows)
        ).failure(self.pane.say).run_in_background()

    def _show(self, day: dt.date, rows: tuple[SessionSummary, ...]) -> None:
        screen = EndOfDayDialog(day, self.keys, self.window)
        screen.show_day(day, rows)
        screen.resize(self.window.width() - 24, self.window.height() - 40)  # over it, framed
        self.screen.open(screen)
        screen.table.setFocus()
        self.previews.warm()  # the report worker starts now, not on the first report

    def refresh(self, day: dt.date | None = None, said: str | None = None) -> None:
        """Read the day's sessions again (``day``: another business date)."""
        screen, user = self.current, self.staff.user
        if screen is None or user is None:
            return
        shown = day or screen.day

        def show(rows: tuple[SessionSummary, ...]) -> None:
            screen.show_day(shown, rows)
            screen.say(said)

        ReadOp(screen, lambda: closeout.day_summary(self.ctx, shown, user.id)).success(
            show
        ).failure(screen.say).run_in_background()

    def earlier_day(self) -> None:
        if (screen := self.current) is not None:
            self.refresh(screen.day - dt.timedelta(days=1))

    def later_day(self) -> None:
        if (screen := self.current) is not None:
            self.refresh(screen.day + dt.timedelta(days=1))

    def _selected(self, *states: SessionState) -> tuple[EndOfDayDialog, SessionSummary] | None:
        """The screen and its selected session, if it is in one of ``states``."""
        screen = self.current
        if screen is None:
            return None
        chosen = screen.table.selected()
        if chosen is None:
            screen.say("There is no session on this business date")
            return None
        if states and chosen.state not in states:
            wanted = " or ".join(s.label for s in states)
            screen.say(f"Session #{chosen.id} is {chosen.state.label}: this is for a {wanted} one")
            return None
        return screen, chosen

    # --- approve and reopen -------------------------------------------------------------------
    def approve(self) -> None:
        """F3: approve a counted session's over/short (on a batch's tape that did not
        match, its difference)."""
        tape = self._tape
        if tape is not None and tape.waiting_for_approval and tape.check is not None:
            s = tape.summary
            description = f"Approve the tape of batch #{s.id} ({s.cashier}): {tape.check.words}"
        elif (picked := self._selected(SessionState.COUNTED)) is not None:
            s = picked[1]
            description = (
                f"Approve the over/short of session #{s.id} ({s.cashier}): "
                f"{over_short_text(s.over_short)}"
            )
        else:
            return
        self._step(
            OverrideAction.VARIANCE,
            closeout.variance_subject(s.id),
            description,
            lambda sid, grant, why: closeout.approve_variance(
                self.ctx, sid, self._uid, grant_id=grant, reason=why
            ),
            s,
            "approved: closed",
        )

    def reopen(self) -> None:
        """F4: reopen a counted or closed session (never a deposited one)."""
        if (picked := self._selected(SessionState.COUNTED, SessionState.CLOSED)) is None:
            return
        s = picked[1]
        self._step(
            OverrideAction.REOPEN,
            closeout.reopen_subject(s.id),
            f"Reopen session #{s.id} ({s.cashier}, {s.state.label})",
            lambda sid, grant, why: closeout.reopen(
                self.ctx, sid, self._uid, grant_id=grant, reason=why
            ),
            s,
            "reopened",
        )

    # --- a batch's tape ---------------------------------------------------------------------
    @property
    def _tape(self) -> TapeDialog | None:
        shown = self.form.current
        return shown if isinstance(shown, TapeDialog) else None

    def _key(self, command: Command) -> QAction:
        [key] = [k.key for k in KEYS if k.command is command]
        return next(a for a in self.keys if a.shortcut() == QKeySequence(key))

    def close_batch(self) -> None:
        """F5: close the selected batch session with its tape; on a tape that did not
        match, run the tape again (the stored one is kept)."""
        if (shown := self._tape) is not None:
            shown.rerun()
            return
        if (picked := self._selected(SessionState.OPEN, SessionState.COUNTED)) is None:
            return
        screen, s = picked
        if s.kind is not SessionKind.BATCH:
            screen.say(
                f"Session #{s.id} is a drawer: its cashier counts it by denomination (Ctrl+W)"
            )
            return
        uid = self._uid
        dialog = TapeDialog(
            s,
            lambda tape: closeout.submit_tape(self.ctx, s.id, uid, tape),
            self._key(Command.CLOSE_BATCH),
            self._key(Command.APPROVE_SESSION),
            screen,
        )
        dialog.stored.connect(lambda _r: self.refresh())

        def left() -> None:
            if dialog.outcome:
                self.refresh(said=dialog.outcome)
            self._back_to_table()

        self.form.open(dialog, left, left)

    @property
    def _uid(self) -> int:
        assert self.staff.user is not None
        return self.staff.user.id

    def _step(
        self,
        action: OverrideAction,
        subject: str,
        description: str,
        step: Step,
        s: SessionSummary,
        done: str,
    ) -> None:
        """The signed-in supervisor gives the reason; where the service wants another
        supervisor (their own session), the override dialog asks for one."""
        screen = self.current
        assert screen is not None
        dialog = ReasonDialog(action.label, description, screen)

        def run(grant: int | None, why: str) -> None:
            WriteOp(screen, lambda: step(s.id, grant, why), Changes(session=True)).success(
                lambda _r: self.refresh(said=f"Session #{s.id} {done}")
            ).failure(lambda e: refused(e, why)).run_in_background()

        def refused(error: Exception, why: str) -> None:
            if not isinstance(error, PermissionDenied):
                screen.say(error)
                return
            override = OverrideDialog(
                self.ctx,
                self._uid,
                action,
                subject,
                description,
                screen,
                cause=str(error),
                reason=why,
            )
            self.form.open(
                override, lambda: run(override.grant.id, why) if override.grant else None
            )

        self.form.open(dialog, lambda: run(None, dialog.reason_text))

    # --- the deposit ----------------------------------------------------------------------
    def build_deposit(self) -> None:
        """F6: the deposit of the ticked sessions, to check and make."""
        screen = self.current
        if screen is None:
            return
        ids = [s.id for s in screen.table.ticked()]
        if not ids:
            screen.say("Tick the closed sessions to deposit (Space), then F6")
            return
        day, uid = screen.day, self._uid
        ReadOp(screen, lambda: deposits.deposit_draft(self.ctx, day, ids, uid)).success(
            lambda draft: self._show_deposit(screen, draft)
        ).failure(screen.say).run_in_background()

    def _show_deposit(self, screen: EndOfDayDialog, draft: Deposit) -> None:
        day, ids, uid = draft.business_date, list(draft.session_ids), self._uid
        dialog = DepositDialog(
            draft,
            lambda slip: deposits.make_deposit(self.ctx, day, ids, uid, slip_number=slip),
            screen,
        )

        def made() -> None:
            d = dialog.deposit
            assert d is not None
            self.refresh(
                said=f"Deposit slip {d.slip_number} made: {d.total.format()} "
                f"(currency {d.currency.format()}, coin {d.coin.format()}, checks "
                f"{d.checks.format()}) · F9 shows the slip"
            )

        self.form.open(dialog, made)

    # --- reports ----------------------------------------------------------------------------
    def _preview(self, make: Callable[[dt.date, int], ReportRequest]) -> None:
        if (screen := self.current) is not None:
            screen.say(None)
            self.previews.show(make(screen.day, self._uid), screen, screen.say)

    def drawer_report(self) -> None:
        """F7: the selected session's drawer balancing (an X read while it is open)."""
        if (picked := self._selected()) is not None:
            screen, s = picked
            self.previews.show(self.previews.drawer(s.id, self._uid), screen, screen.say)

    def daily_report(self) -> None:
        self._preview(self.previews.daily)

    def deposit_report(self) -> None:
        self._preview(lambda day, _uid: self.previews.deposit(day))

    def payments_report(self) -> None:
        self._preview(self.previews.payments)

    def checks_report(self) -> None:
        self._preview(self.previews.checks)

    # --- the export -------------------------------------------------------------------------
    def export_payments(self) -> None:
        """F10: the day's payments to a file for billing, with the exports made before."""
        screen, user = self.current, self.staff.user
        if screen is None or user is None:
            return
        day = screen.day
        folder = self.ctx.settings.data_dir / "exports"
        default = str(folder / f"payments-{day.isoformat()}.csv")

        def run(path: str) -> ExportRecord:
            if Path(path).parent == folder:
                folder.mkdir(parents=True, exist_ok=True)
            return export.export_payments(self.ctx, day, path, user)

        def show(earlier: list[ExportRecord]) -> None:
            dialog = ExportDialog(day, earlier, default, run, self.ctx.settings.zone, screen)

            def done() -> None:
                e = dialog.record
                assert e is not None
                still_open = (
                    f" · {e.open_sessions} session(s) still open: export again after the close"
                    if e.open_sessions
                    else ""
                )
                screen.say(f"Exported {e.rows:,} payment rows to {dialog.path.text()}{still_open}")

            self.form.open(dialog, done)

        ReadOp(screen, lambda: export.list_exports(self.ctx)).success(show).failure(
            screen.say
        ).run_in_background()
