"""TOTAL, TENDERED and CHANGE in big type, CHANGE highlighted while change is due."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QHBoxLayout, QWidget

from counter_app.domain.cart import Cart
from counter_app.ui.widgets.common import big_label


class Totals(QWidget):
    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.total = big_label("TOTAL 0.00", 22, "Total")
        self.tendered = big_label("TENDERED 0.00", 22, "Tendered")
        self.change = big_label("CHANGE 0.00", 22, "Change")
        self.change.setObjectName("change")
        layout = QHBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        for w in (self.total, self.tendered, self.change):
            w.setAlignment(Qt.AlignmentFlag.AlignCenter)
            layout.addWidget(w, 1)

    def show_cart(self, cart: Cart) -> None:
        self.total.setText(f"TOTAL {cart.total}")
        self.tendered.setText(f"TENDERED {cart.tendered}")
        change = cart.change
        self.change.setText(f"CHANGE {change}")
        self.change.setProperty("due", bool(change))
        self.change.style().unpolish(self.change)
        self.change.style().polish(self.change)
