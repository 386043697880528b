"""Dialogs behind the F12 menu: cash movements, picking a receipt to void or reprint, and a
returned check. Each only collects and checks input; the counter screen calls the services."""

from __future__ import annotations

import datetime as dt

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QComboBox,
    QFormLayout,
    QLabel,
    QListWidget,
    QListWidgetItem,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from counter_app.domain.errors import CounterError
from counter_app.domain.money import Money
from counter_app.domain.sessions import MovementKind, check_movement
from counter_app.services.receipts import ReceiptRow
from counter_app.ui.widgets.common import Dialog, ErrorLabel, MoneyEdit, default_button, text_field


class FormDialog(Dialog):
    """A dialog with an error line and one default button that calls ``submit``."""

    def __init__(self, title: str, parent: QWidget | None) -> None:
        super().__init__(parent)
        self.setWindowTitle(title)
        self.error = ErrorLabel()
        self.body = QVBoxLayout(self)
        self.setMinimumWidth(440)  # room for the fields and a one-line reason

    def finish(self, label: str) -> QPushButton:
        """Add the error line and the default button (call last)."""
        button = default_button(label, self.submit)
        self.body.addWidget(self.error)
        self.body.addWidget(button)
        return button

    def submit(self) -> None:
        raise NotImplementedError


class MovementDialog(FormDialog):
    """Paid-in, paid-out, drop or no-sale: amount (not for no-sale) and the reason."""

    def __init__(self, kind: MovementKind, parent: QWidget | None = None) -> None:
        super().__init__(kind.label, parent)
        self.kind = kind
        self.amount_value = Money(0)
        self.reason_text = ""
        self.amount = MoneyEdit(f"{kind.label} amount")
        self.reason = text_field("Reason")
        form = QFormLayout()
        if kind is not MovementKind.NO_SALE:
            form.addRow("&Amount", self.amount)
        form.addRow("&Reason", self.reason)
        self.body.addLayout(form)
        self.button = self.finish(kind.label)

    def submit(self) -> None:
        try:
            typed = Money(0) if self.kind is MovementKind.NO_SALE else self.amount.money()
            self.amount_value, self.reason_text = check_movement(
                self.kind, typed, self.reason.text()
            )
        except CounterError as exc:
            self.error.show_error(exc)
            return
        self.accept()


class ReceiptPickDialog(FormDialog):
    """Pick one of this session's receipts (↑↓, Enter; times in the office's ``zone``); for
    a void also a reason. With ``any_number`` (reprint) a receipt number of any day can be
    typed instead."""

    def __init__(
        self,
        title: str,
        rows: list[ReceiptRow],
        reasons: list[str] | None = None,
        parent: QWidget | None = None,
        *,
        zone: dt.tzinfo = dt.UTC,
        any_number: bool = False,
    ) -> None:
        super().__init__(title, parent)
        self.chosen: ReceiptRow | None = None
        self.chosen_number = ""
        self.reason_code = ""
        self.note_text = ""
        self.list = QListWidget()
        self.list.setAccessibleName("Receipts")
        for row in rows:
            flags = (" VOID" if row.voided else "") + ("" if row.printed else "  NOT PRINTED")
            item = QListWidgetItem(
                f"{row.number}  {row.created_at.astimezone(zone):%H:%M}  "
                f"{row.total.format():>11}  "
                f"{row.accounts}{flags}"
            )
            item.setData(Qt.ItemDataRole.UserRole, row)
            self.list.addItem(item)
        if rows:
            self.list.setCurrentRow(0)
        self.body.addWidget(QLabel("This session's receipts (↑↓, Enter):"))
        self.body.addWidget(self.list)
        self.number = text_field("Receipt number", "W02-20261123-0042 — any day")
        self.reason = QComboBox()
        self.reason.setAccessibleName("Reason")
        self.note = text_field("Note")
        form = QFormLayout()
        if any_number:
            form.addRow("or receipt &number", self.number)
        if reasons is not None:
            self.reason.addItems(reasons)
            form.addRow("&Reason", self.reason)
            form.addRow("&Note", self.note)
        self.body.addLayout(form)
        self.button = self.finish(title)
        self.resize(640, 360)

    def submit(self) -> None:
        typed = self.number.text().strip().upper()
        item = self.list.currentItem()
        if typed:
            self.chosen_number = typed
        elif item is None:
            self.error.show_error("There is no receipt in this session yet: type its number")
            return
        else:
            self.chosen = item.data(Qt.ItemDataRole.UserRole)
            self.chosen_number = self.chosen.number
        self.reason_code, self.note_text = self.reason.currentText(), self.note.text().strip()
        self.accept()


class ReturnedCheckDialog(FormDialog):
    """A check the bank returned: its receipt number and check number."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__("Returned check", parent)
        self.receipt = text_field("Receipt number", "W02-20261123-0042")
        self.check = text_field("Check number")
        self.note = text_field("Note")
        form = QFormLayout()
        form.addRow("&Receipt", self.receipt)
        form.addRow("&Check #", self.check)
        form.addRow("&Note", self.note)
        self.body.addLayout(form)
        self.button = self.finish("Reverse returned check")

    def submit(self) -> None:
        if not self.receipt.text().strip() or not self.check.text().strip():
            self.error.show_error("Enter the receipt number and the check number")
            return
        self.accept()
