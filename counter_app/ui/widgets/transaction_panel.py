"""The TRANSACTION part of the counter screen: accounts with editable amounts, tenders,
and the totals under them. It shows a ``Cart``; it decides nothing."""

from __future__ import annotations

from PySide6.QtCore import Qt, QTimer, Signal
from PySide6.QtWidgets import (
    QAbstractItemView,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QListWidget,
    QSizePolicy,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from counter_app.domain.cart import Cart
from counter_app.domain.errors import CounterError
from counter_app.domain.money import Money
from counter_app.ui.keymap import KEY_HINTS
from counter_app.ui.widgets.common import ErrorLabel
from counter_app.ui.widgets.totals import Totals

AMOUNT_COLUMN = 3


class TransactionPanel(QWidget):
    """Shows the cart; amount edits are validated on the spot and reported by ``problem``.
    An amount's error stays while the cart is as it was when the error was made, and goes
    (``problem_gone``) once the amount is fixed or the cart changes (Del, Esc, another
    account, a payment posted)."""

    changed = Signal()
    problem = Signal(str)
    problem_gone = Signal(str)  # the message that no longer applies
    amount_entered = Signal()  # an amount was typed into a line and accepted

    def __init__(self, cart: Cart, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.cart = cart
        self.table = QTableWidget(0, 5)
        self.table.setAccessibleName("Transaction accounts")
        self.table.setHorizontalHeaderLabels(["Account", "Customer", "Service address", "Pay", ""])
        self.table.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.Stretch)
        self.table.verticalHeader().setVisible(False)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.itemChanged.connect(self._amount_edited)
        self.error = ErrorLabel(lines=1)
        self.error.setAccessibleName("Amount error")
        self._error_cart: object = None  # the cart's lines when the error was made
        self.tenders = QListWidget()
        self.tenders.setAccessibleName("Tenders")
        self.tenders.setMaximumHeight(72)
        for grows in (self.table, self.tenders):  # they take their share, not their wish
            policy = grows.sizePolicy()
            policy.setVerticalPolicy(QSizePolicy.Policy.Ignored)
            grows.setSizePolicy(policy)
        self.table.setMinimumHeight(96)  # the header and three accounts
        self.tenders.setMinimumHeight(48)
        self.totals = Totals()
        hints = QLabel(KEY_HINTS)
        hints.setObjectName("hints")
        hints.setWordWrap(True)  # two lines on a narrow screen rather than keys cut off
        hints.setAccessibleName("Keys")
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(QLabel("TRANSACTION"))
        layout.addWidget(self.table, 2)
        layout.addWidget(self.error)
        row = QHBoxLayout()
        row.addWidget(QLabel("Tenders:"))
        row.addWidget(self.tenders, 1)
        layout.addLayout(row)
        layout.addWidget(self.totals)
        layout.addWidget(hints)
        self._filling = False
        self._refresh_pending = False

    def refresh(self) -> None:
        """Redraw everything from the cart."""
        self._refresh_pending = False
        self._filling = True
        self.table.setRowCount(len(self.cart.lines))
        for i, line in enumerate(self.cart.lines):
            a = line.account
            cells = [a.number, a.customer_name, a.service_address, str(line.amount), line.note]
            for col, text in enumerate(cells):
                item = QTableWidgetItem(text)
                if col != AMOUNT_COLUMN:
                    item.setFlags(item.flags() & ~Qt.ItemFlag.ItemIsEditable)
                else:
                    item.setTextAlignment(
                        Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter
                    )
                self.table.setItem(i, col, item)
        self._filling = False
        self.tenders.clear()
        for t in self.cart.tenders:
            self.tenders.addItem(f"{t.description:<28} {t.amount.format():>12}")
        self.totals.show_cart(self.cart)
        if self._error_cart is not None and self._error_cart != self._lines():
            self._clear_error()
        self.changed.emit()

    def _lines(self) -> object:
        return tuple((ln.account.number, ln.amount) for ln in self.cart.lines)

    def _clear_error(self) -> None:
        gone = self.error.text()
        self._error_cart = None
        self.error.show_error(None)
        if gone:
            self.problem_gone.emit(gone)

    def _amount_edited(self, item: QTableWidgetItem) -> None:
        if self._filling or item.column() != AMOUNT_COLUMN:
            return
        try:
            self.cart.set_amount(item.row(), Money.parse(item.text()))
        except CounterError as exc:
            message = f"Account {self.cart.lines[item.row()].account.number}: {exc}"
            self.error.show_error(message)
            self._error_cart = self._lines()
            self.problem.emit(message)
            self._refresh_soon()
            return
        self._clear_error()
        self.totals.show_cart(self.cart)  # the figures at once; the table once the editor closed
        self._refresh_soon()
        self.amount_entered.emit()

    def _refresh_soon(self) -> None:
        """Redraw on the next turn of the event loop: not while the cell's editor closes."""
        if not self._refresh_pending:
            self._refresh_pending = True
            QTimer.singleShot(0, self._refresh_if_pending)

    def _refresh_if_pending(self) -> None:
        if self._refresh_pending:
            self.refresh()

    def edit_amount(self, row: int) -> None:
        """Open the amount cell of ``row`` for typing (Tab from Find)."""
        self._refresh_if_pending()  # a redraw still queued would close the editor opened now
        item = self.table.item(row, AMOUNT_COLUMN)
        if item is None:
            return
        self.table.setFocus()
        self.table.setCurrentItem(item)
        self.table.editItem(item)

    def selected_row(self) -> int:
        """The selected account line, else the first (-1 when there is none)."""
        if not self.cart.lines:
            return -1
        row = self.table.currentRow()
        return row if 0 <= row < len(self.cart.lines) else 0

    def remove_selected(self) -> None:
        """Delete the selected account line, or the selected tender."""
        if self.tenders.hasFocus() and self.tenders.currentRow() >= 0:
            self.cart.remove_tender(self.tenders.currentRow())
        elif self.table.currentRow() >= 0:
            self.cart.remove_line(self.table.currentRow())
        self.refresh()
