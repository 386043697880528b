"""Refund of a credit balance (Ctrl+U): the account shown, what may be refunded, the amount
(the whole of it unless changed), cash or a check to be issued, and one reason. It only
collects and checks the input by the refund rules; the supervisor's override and the refund
itself follow (``controllers.back_office``)."""

from __future__ import annotations

from PySide6.QtWidgets import QComboBox, QFormLayout, QLabel, QWidget

from counter_app.domain.accounts import AccountSummary
from counter_app.domain.errors import CounterError
from counter_app.domain.money import Money
from counter_app.domain.refunds import (
    REASON_MAX,
    RefundMethod,
    check_reason,
    refundable,
    split_refund,
)
from counter_app.ui.action_dialogs import FormDialog
from counter_app.ui.widgets.common import MoneyEdit, big_label, text_field


class RefundDialog(FormDialog):
    """Accepted with ``amount_value``, ``method_value`` and ``reason_text`` checked."""

    def __init__(self, account: AccountSummary, parent: QWidget | None = None) -> None:
        super().__init__("Refund credit", parent)
        self.account = account
        self.held = refundable(account)
        self.amount_value = self.held.amount
        self.method_value = RefundMethod.CASH
        self.reason_text = ""
        self.body.addWidget(big_label(f"Refund to {account.number}", 13, "Account"))
        who = QLabel(f"{account.customer_name} · {account.service_address}")
        who.setAccessibleName("Customer")
        who.setWordWrap(True)
        self.body.addWidget(who)
        self.may = QLabel(self.held.sum)
        self.may.setAccessibleName("May be refunded")
        self.may.setWordWrap(True)
        self.body.addWidget(self.may)
        self.amount = MoneyEdit("Amount to refund")
        self.amount.set_money(self.held.amount)
        self.method = QComboBox()
        self.method.setAccessibleName("Refund by")
        for method in RefundMethod:
            self.method.addItem(method.choice, method)
        self.reason = text_field("Reason", "overpaid, account closed …", max_length=REASON_MAX)
        self.reason.returnPressed.connect(self.submit)
        form = QFormLayout()
        form.addRow("&Amount", self.amount)
        form.addRow("Refund &by", self.method)
        form.addRow("&Reason", self.reason)
        self.body.addLayout(form)
        self.button = self.finish("Refund (supervisor approves)")
        self.amount.setFocus()

    def submit(self) -> None:
        number = self.account.number
        try:
            amount: Money = self.amount.money()
            split_refund(self.held, amount)
            reason = check_reason(number, self.reason.text())
        except CounterError as exc:
            self.error.show_error(exc)
            return
        self.amount_value, self.reason_text = amount, reason
        self.method_value = RefundMethod(self.method.currentData())
        self.accept()
