"""The account's history (Ctrl+H): charges and counter payments of the last months, newest
first, reversed payments marked with the slip that reversed them, and what is still open,
bill by bill and service by service."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtGui import QFontDatabase
from PySide6.QtWidgets import (
    QAbstractItemView,
    QHeaderView,
    QLabel,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from counter_app.domain.history import AccountHistory
from counter_app.ui.widgets.common import Dialog, big_label, default_button

COLUMNS = ("Date", "What", "Amount", "Receipt", "Reversed by")
RIGHT = Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter


class HistoryDialog(Dialog):
    def __init__(self, history: AccountHistory, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.history = history
        self.setWindowTitle(f"History — {history.number}")
        self.table = QTableWidget(len(history.entries), len(COLUMNS))
        self.table.setAccessibleName("History")
        self.table.setHorizontalHeaderLabels(COLUMNS)
        self.table.verticalHeader().setVisible(False)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        header = self.table.horizontalHeader()
        header.setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        header.setSectionResizeMode(1, QHeaderView.ResizeMode.Stretch)
        fixed = QFontDatabase.systemFont(QFontDatabase.SystemFont.FixedFont)
        for row, entry in enumerate(history.entries):
            reversed_by = (
                f"{entry.reversed_by} ({entry.reversal_reason})".replace(" ()", "")
                if entry.reversed_by
                else ""
            )
            cells = (
                f"{entry.on:%m/%d/%Y}",
                entry.what,
                entry.amount.format(),
                entry.receipt_number,
                reversed_by,
            )
            for col, text in enumerate(cells):
                item = QTableWidgetItem(text)
                if col == 2:
                    item.setTextAlignment(RIGHT)
                    item.setFont(fixed)
                if entry.reversed_by:  # a payment taken back: struck through
                    font = item.font()
                    font.setStrikeOut(True)
                    item.setFont(font)
                self.table.setItem(row, col, item)
        self.open_now = QLabel(open_text(history))
        self.open_now.setAccessibleName("Open balance by bill")
        self.open_now.setTextFormat(Qt.TextFormat.RichText)
        self.open_now.setWordWrap(True)
        layout = QVBoxLayout(self)
        layout.addWidget(big_label(f"{history.number} · {history.customer_name}", 14, "Account"))
        layout.addWidget(QLabel(f"Charges and counter payments since {history.since:%m/%d/%Y}"))
        layout.addWidget(self.table, 1)
        layout.addWidget(self.open_now)
        layout.addWidget(default_button("Close (Esc)", self.accept))
        self.resize(900, 600)


def open_text(history: AccountHistory) -> str:
    """The open balance as the bills it is made of, then the credit and the total."""
    lines = [
        f"Bill {bill.bill_date:%m/%d/%Y} (due {bill.due_date:%m/%d/%Y}): "
        + " · ".join(f"{name} {amount.format()}" for name, amount in bill.by_service)
        + f" = <b>{bill.open.format()}</b>"
        for bill in history.open
    ]
    if history.credit.is_positive:
        lines.append(f"Credit on account −{history.credit.format()}")
    lines.append(f"<b>Balance {history.balance.format()}</b>")
    return "<b>Open now</b><br>" + "<br>".join(lines)
