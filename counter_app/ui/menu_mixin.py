"""The F12 menu's work on the counter screen (a part of ``MainWindow``): cash movements,
void, reprint (this session's receipts or any by number), returned check, each behind a
supervisor's override where the rules want one."""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import QPoint, QRect, SignalInstance
from PySide6.QtWidgets import QDialog, QMenu, QWidget

from counter_app.domain.overrides import OverrideAction
from counter_app.domain.receipt import Receipt
from counter_app.domain.sessions import Movement, MovementKind, SessionInfo
from counter_app.domain.users import UserInfo
from counter_app.services import posting, receipts, sessions, voids
from counter_app.services.context import Context
from counter_app.services.receipts import ReceiptRow
from counter_app.ui.action_dialogs import MovementDialog, ReceiptPickDialog, ReturnedCheckDialog
from counter_app.ui.ops import DbOp
from counter_app.ui.override_dialog import OverrideDialog
from counter_app.ui.receipt_window import ReceiptWindow


class MenuActionsMixin:
    """The F12 menu's actions; mixed into ``MainWindow`` (a ``QWidget``)."""

    ctx: Context
    user: UserInfo | None
    session: SessionInfo | None
    dialog: QWidget | None
    menu: QMenu
    receipt_window: ReceiptWindow
    last_receipt: Receipt | None
    posted: SignalInstance
    say: Callable[[str | Exception], None]
    focus_search: Callable[[], None]
    open_drawer: Callable[..., None]
    print_receipt: Callable[[Receipt], None]
    refresh_status: Callable[[], None]
    mapToGlobal: Callable[[QPoint], QPoint]
    rect: Callable[[], QRect]

    # --- the F12 menu -------------------------------------------------------------------
    def toggle_receipt(self) -> None:
        self.receipt_window.setVisible(not self.receipt_window.isVisible())

    def show_menu(self) -> None:
        self.menu.popup(self.mapToGlobal(self.rect().center()))

    def _open(self, dialog: QDialog, then: Callable[[], None]) -> None:
        dialog.accepted.connect(then)
        dialog.rejected.connect(self.focus_search)
        self.dialog = dialog
        dialog.open()

    def _with_override(
        self,
        action: OverrideAction,
        subject: str,
        description: str,
        then: Callable[[int], None],
    ) -> None:
        """Ask for a supervisor's approval of one named action, then run ``then(grant)``."""
        assert self.user is not None
        dialog = OverrideDialog(self.ctx, self.user.id, action, subject, description, self)
        self._open(dialog, lambda: then(dialog.grant.id) if dialog.grant else None)

    def _require_session(self) -> tuple[UserInfo, SessionInfo] | None:
        if self.user is None or self.session is None:
            self.say("Log in and open a drawer first")
            return None
        return self.user, self.session

    def paid_in(self) -> None:
        self.ask_movement(MovementKind.PAID_IN)

    def paid_out(self) -> None:
        self.ask_movement(MovementKind.PAID_OUT)

    def drop(self) -> None:
        self.ask_movement(MovementKind.DROP)

    def no_sale(self) -> None:
        self.ask_movement(MovementKind.NO_SALE)

    def ask_movement(self, kind: MovementKind) -> None:
        if (who := self._require_session()) is None:
            return
        user, session = who
        dialog = MovementDialog(kind, self)

        def record(grant: int | None = None) -> None:
            amount, reason = dialog.amount_value, dialog.reason_text
            DbOp(
                self,
                lambda: sessions.record_movement(
                    self.ctx, session.id, user.id, kind, amount, reason, override_id=grant
                ),
            ).success(self._movement_done).failure(self.say).run_in_background()

        def entered() -> None:
            amount = dialog.amount_value
            if kind is MovementKind.PAID_OUT and sessions.paid_out_needs_override(self.ctx, amount):
                subject = sessions.override_subject(kind, amount)
                self._with_override(OverrideAction.PAID_OUT, subject, subject, record)
            else:
                record()

        self._open(dialog, entered)

    def _movement_done(self, movement: Movement) -> None:
        self.say(f"{movement.kind.label} {movement.amount.format()} recorded: {movement.reason}")
        self.open_drawer(f"{movement.kind.label.lower()} {movement.amount.format()}")
        self.focus_search()

    def _pick_receipt(
        self,
        title: str,
        reasons: list[str] | None,
        then: Callable[[ReceiptPickDialog], None],
    ) -> None:
        if (who := self._require_session()) is None:
            return
        sid = who[1].id

        def show(rows: list[ReceiptRow]) -> None:
            payments = (
                [r for r in rows if r.kind == "payment" and not r.voided] if reasons else rows
            )
            dialog = ReceiptPickDialog(title, payments, reasons, self, any_number=not reasons)
            self._open(dialog, lambda: then(dialog))

        DbOp(self, lambda: receipts.session_receipts(self.ctx, sid)).success(show).failure(
            self.say
        ).run_in_background()

    def ask_void(self) -> None:
        def picked(dialog: ReceiptPickDialog) -> None:
            assert dialog.chosen is not None and self.user is not None
            row, user = dialog.chosen, self.user
            code, note = dialog.reason_code, dialog.note_text

            def void(grant: int) -> None:
                DbOp(
                    self,
                    lambda: voids.void_receipt(
                        self.ctx,
                        receipt_number=row.number,
                        user_id=user.id,
                        grant_id=grant,
                        reason_code=code,
                        note=note,
                    ),
                ).success(self._reversed).failure(self.say).run_in_background()

            self._with_override(
                OverrideAction.VOID,
                voids.void_subject(row.number),
                f"Void receipt {row.number}, {row.total.format()}",
                void,
            )

        self._pick_receipt("Void receipt", list(self.ctx.settings.policy.void_reasons), picked)

    def ask_reprint(self) -> None:
        """F3: one of this session's receipts, or any receipt by its number."""

        def picked(dialog: ReceiptPickDialog) -> None:
            assert self.user is not None
            number, uid = dialog.chosen_number, self.user.id
            DbOp(self, lambda: receipts.reprint(self.ctx, number, uid)).success(
                self._reprinted
            ).failure(self.say).run_in_background()

        self._pick_receipt("Reprint", None, picked)

    def _reprinted(self, receipt: Receipt) -> None:
        self.say(f"Printing {receipt.number} again")
        self.print_receipt(receipt)
        self.focus_search()

    def ask_returned_check(self) -> None:
        """Ctrl+R: a supervisor's override; no drawer session is needed."""
        if self.user is None:
            self.say("Log in first")
            return
        user = self.user
        dialog = ReturnedCheckDialog(self)

        def entered() -> None:
            number, check = dialog.receipt.text().strip(), dialog.check.text().strip()
            note = dialog.note.text().strip()

            def reverse(grant: int) -> None:
                DbOp(
                    self,
                    lambda: voids.reverse_returned_check(
                        self.ctx,
                        receipt_number=number,
                        check_number=check,
                        user_id=user.id,
                        grant_id=grant,
                        note=note,
                    ),
                ).success(self._reversed).failure(self.say).run_in_background()

            self._with_override(
                OverrideAction.NSF_REVERSAL,
                voids.nsf_subject(number, check),
                f"Returned check #{check} on receipt {number.upper()}",
                reverse,
            )

        self._open(dialog, entered)

    def _reversed(self, result: posting.Posted) -> None:
        slip = result.receipt
        self.last_receipt = slip
        self.say(f"{slip.heading} {slip.original_number} recorded as {slip.number}")
        self.posted.emit(slip)
        self.print_receipt(slip)
        self.refresh_status()
        self.focus_search()
