"""The F12 menu's work: paid-in, paid-out, drop, no-sale, void, reprint (this session's
receipts or any by number), returned check and the refund of a credit balance, each behind
a supervisor's override where the rules want one."""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import QObject, Signal
from PySide6.QtWidgets import QDialog, QWidget

from counter_app.domain.accounts import AccountSummary
from counter_app.domain.money import total
from counter_app.domain.overrides import OverrideAction
from counter_app.domain.receipt import Receipt, TenderKind
from counter_app.domain.refunds import refund_description, refund_subject, refundable
from counter_app.domain.refusals import NoCreditBalance
from counter_app.domain.sessions import Movement, MovementKind, SessionInfo
from counter_app.domain.transactions import TransactionKind
from counter_app.domain.users import UserInfo
from counter_app.services import lookup, posting, receipts, refunds, sessions, voids
from counter_app.services.context import Context
from counter_app.services.receipts import ReceiptRow
from counter_app.ui.action_dialogs import MovementDialog, ReceiptPickDialog, ReturnedCheckDialog
from counter_app.ui.change_due import ChangeDueDialog
from counter_app.ui.controllers.common import NO_SESSION, DialogSlot, Staff
from counter_app.ui.controllers.devices import DeviceController, DrawerOpening
from counter_app.ui.operations import Changes, ReadOp, WriteOp
from counter_app.ui.override_dialog import OverrideDialog
from counter_app.ui.refund_dialog import RefundDialog
from counter_app.ui.widgets.search_pane import SearchPane


class BackOfficeController(QObject):
    """Owns the F12 forms and the override dialog."""

    posted = Signal(object)  # a VOID, RETURNED CHECK or REFUND slip, after the commit

    def __init__(
        self,
        ctx: Context,
        staff: Staff,
        pane: SearchPane,
        devices: DeviceController,
        parent: QWidget,
    ) -> None:
        super().__init__(parent)
        self.ctx, self.staff, self.pane, self.devices = ctx, staff, pane, devices
        self.window = parent
        self.form = DialogSlot(pane.focus, self)
        self.override = DialogSlot(pane.focus, self)
        self.refund = DialogSlot(pane.focus, self)  # the cash a void gives back

    def _with_override(
        self,
        action: OverrideAction,
        subject: str,
        description: str,
        then: Callable[[int], None],
        *,
        cause: str,
        reason: str = "",
    ) -> None:
        """Ask for a supervisor's approval of one named action (saying why it needs one,
        with the reason the cashier gave), then run ``then(grant)``."""
        assert self.staff.user is not None
        dialog = OverrideDialog(
            self.ctx,
            self.staff.user.id,
            action,
            subject,
            description,
            self.window,
            cause=cause,
            reason=reason,
        )
        self.override.open(dialog, lambda: then(dialog.grant.id) if dialog.grant else None)

    # --- cash movements -----------------------------------------------------------------
    def ask_movement(self, kind: MovementKind) -> None:
        if (who := self.staff.at_drawer()) is None:
            self.pane.say(NO_SESSION)
            return
        user, session = who
        dialog = MovementDialog(kind, self.window)

        def record(grant: int | None = None) -> None:
            amount, reason = dialog.amount_value, dialog.reason_text
            WriteOp(
                self,
                lambda: sessions.record_movement(
                    self.ctx, session.id, user.id, kind, amount, reason, override_id=grant
                ),
                Changes(session=True),
            ).success(self._movement_done).failure(self.pane.say).run_in_background()

        def entered() -> None:
            amount = dialog.amount_value
            if kind is not MovementKind.PAID_OUT:
                record()
                return

            def decide(cause: str | None) -> None:
                if cause is None:
                    record()
                    return
                subject = sessions.override_subject(kind, amount)
                self._with_override(
                    OverrideAction.PAID_OUT,
                    subject,
                    subject,
                    record,
                    cause=cause,
                    reason=dialog.reason_text,
                )

            ReadOp(
                self, lambda: sessions.paid_out_override_cause(self.ctx, session.id, amount)
            ).success(decide).failure(self.pane.say).run_in_background()

        self.form.open(dialog, entered)

    def _movement_done(self, movement: Movement) -> None:
        self.pane.say(
            f"{movement.kind.label} {movement.amount.format()} recorded: {movement.reason}"
        )
        self.devices.print_movement(movement)
        self.devices.open_drawer(
            DrawerOpening(f"{movement.kind.label.lower()} {movement.amount.format()}")
        )
        self.pane.focus()

    # --- receipts -----------------------------------------------------------------------
    def _pick_receipt(
        self,
        title: str,
        reasons: list[str] | None,
        then: Callable[[ReceiptPickDialog], None],
    ) -> None:
        if (who := self.staff.at_drawer()) is None:
            self.pane.say(NO_SESSION)
            return
        sid = who[1].id

        def show(rows: list[ReceiptRow]) -> None:
            payments = (
                [r for r in rows if r.kind is TransactionKind.PAYMENT and not r.voided]
                if reasons
                else rows
            )
            dialog = ReceiptPickDialog(
                title,
                payments if reasons else rows,
                reasons,
                self.window,
                zone=self.ctx.settings.zone,
                any_number=not reasons,
            )
            self.form.open(dialog, lambda: then(dialog))

        ReadOp(self, lambda: receipts.session_receipts(self.ctx, sid)).success(show).failure(
            self.pane.say
        ).run_in_background()

    def ask_void(self) -> None:
        def picked(dialog: ReceiptPickDialog) -> None:
            assert dialog.chosen is not None and self.staff.user is not None
            row, user = dialog.chosen, self.staff.user
            code, note = dialog.reason_code, dialog.note_text

            def void(grant: int) -> None:
                self._reverse(
                    lambda: voids.void_receipt(
                        self.ctx,
                        receipt_number=row.number,
                        user_id=user.id,
                        grant_id=grant,
                        reason_code=code,
                        note=note,
                    )
                )

            self._with_override(
                OverrideAction.VOID,
                voids.void_subject(row.number),
                f"Void receipt {row.number}, {row.total.format()}",
                void,
                cause="Taking back a posted payment needs a supervisor",
                reason=f"{code}: {note}" if note else code,
            )

        self._pick_receipt("Void receipt", list(self.ctx.settings.policy.void_reasons), picked)

    def ask_reprint(self) -> None:
        """F3: one of this session's receipts, or any receipt by its number."""

        def picked(dialog: ReceiptPickDialog) -> None:
            assert self.staff.user is not None
            number, uid = dialog.chosen_number, self.staff.user.id
            WriteOp(
                self, lambda: receipts.reprint(self.ctx, number, uid), Changes(receipts=True)
            ).success(self._reprinted).failure(self.pane.say).run_in_background()

        self._pick_receipt("Reprint", None, picked)

    def _reprinted(self, receipt: Receipt) -> None:
        self.pane.say(f"Printing {receipt.number} again")
        self.devices.print_receipt(receipt)
        self.pane.focus()

    def ask_returned_check(self) -> None:
        """Ctrl+R: a supervisor's override; no drawer session is needed."""
        if self.staff.user is None:
            self.pane.say("Log in first")
            return
        user = self.staff.user
        dialog = ReturnedCheckDialog(self.window)

        def entered() -> None:
            number, check = dialog.receipt.text().strip(), dialog.check.text().strip()
            note = dialog.note.text().strip()

            def reverse(grant: int) -> None:
                self._reverse(
                    lambda: voids.reverse_returned_check(
                        self.ctx,
                        receipt_number=number,
                        check_number=check,
                        user_id=user.id,
                        grant_id=grant,
                        note=note,
                    )
                )

            self._with_override(
                OverrideAction.NSF_REVERSAL,
                voids.nsf_subject(number, check),
                f"Returned check #{check} on receipt {number.upper()}",
                reverse,
                cause="Reversing a payment and billing the returned-check fee needs a supervisor",
                reason=note,
            )

        self.form.open(dialog, entered)

    def _reverse(self, fn: Callable[[], posting.Posted]) -> None:
        """Post a void or a returned check; its slip prints and the balances refresh."""
        WriteOp(self, fn, _reversal_changes).success(
            lambda done: self._slip_posted(
                done, f"{done.receipt.heading} {done.receipt.original_number} recorded as "
            )
        ).failure(self.pane.say).run_in_background()

    def _slip_posted(self, result: posting.Posted, said: str) -> None:
        """A VOID, RETURNED CHECK or REFUND slip was committed: say ``said`` and the slip's
        number, print it, and hand back any cash it pays out on the refund screen, the
        drawer open for it."""
        slip = result.receipt
        self.pane.say(f"{said}{slip.number}")
        self.posted.emit(slip)
        self.devices.print_receipt(slip)
        refund = -total(t.amount for t in slip.tenders if t.kind is TenderKind.CASH)
        if refund.is_positive:
            self.devices.hand_over(
                self.refund,
                ChangeDueDialog(refund, slip, self.window, refund=True),
                f"the refund on {slip.number}",
            )
            return
        self.pane.focus()

    # --- refund of a credit balance -----------------------------------------------------
    def ask_refund(self) -> None:
        """Ctrl+U: refund the credit balance of the account shown (or selected) — the
        amount, cash or a check to be issued, a reason; then a supervisor's override."""
        if (who := self.staff.at_drawer()) is None:
            self.pane.say(NO_SESSION)
            return
        number = self.pane.detail.number or self.pane.current_number()
        if number is None:
            self.pane.say("Find the account first: the refund is for the account shown")
            return

        def ask(account: AccountSummary) -> None:
            held = refundable(account)
            if not held.amount.is_positive:
                self.pane.say(NoCreditBalance(account.number, held.owing))
                return
            dialog = RefundDialog(account, self.window)
            self.form.open(dialog, lambda: self._approve_refund(who, account.number, dialog))

        ReadOp(self, lambda: lookup.get_account(self.ctx, number)).success(ask).failure(
            self.pane.say
        ).run_in_background()

    def _approve_refund(
        self, who: tuple[UserInfo, SessionInfo], number: str, dialog: RefundDialog
    ) -> None:
        user, session = who
        amount, method, reason = dialog.amount_value, dialog.method_value, dialog.reason_text
        key = posting.new_idempotency_key()  # one per refund asked for

        def refund(grant: int) -> None:
            WriteOp(
                self,
                lambda: refunds.refund_credit(
                    self.ctx,
                    session_id=session.id,
                    user_id=user.id,
                    account_number=number,
                    amount=amount,
                    method=method,
                    reason=reason,
                    grant_id=grant,
                    idempotency_key=key,
                ),
                _reversal_changes,
            ).success(
                lambda done: self._slip_posted(
                    done, f"Refund {amount.format()} to {number} recorded as "
                )
            ).failure(self.pane.say).run_in_background()

        self._with_override(
            OverrideAction.REFUND,
            refund_subject(number, amount),
            refund_description(number, amount, method),
            refund,
            cause=method.override_cause,
            reason=reason,
        )

    @property
    def dialogs(self) -> tuple[QDialog | None, ...]:
        return self.refund.current, self.override.current, self.form.current


def _reversal_changes(result: posting.Posted) -> Changes:
    """A VOID, RETURNED CHECK or REFUND slip moved the balances of the accounts on it."""
    return Changes.posting([line.account_number for line in result.receipt.lines])
