"""The change-due screen: the change in the largest type on screen until Enter."""

from __future__ import annotations

from PySide6.QtWidgets import QDialog, QLabel, QPushButton, QVBoxLayout, QWidget

from counter_app.domain.money import Money
from counter_app.domain.receipt import Receipt
from counter_app.ui.widgets import big_label


class ChangeDueDialog(QDialog):
    def __init__(self, change: Money, receipt: Receipt, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle("Change due")
        self.change = big_label(f"CHANGE {change.format()}", 40, "Change due")
        self.change.setObjectName("change")
        self.change.setProperty("due", bool(change))
        done = QPushButton("Enter — next customer")
        done.setDefault(True)
        done.clicked.connect(self.accept)
        layout = QVBoxLayout(self)
        layout.addWidget(self.change)
        layout.addWidget(
            QLabel(
                f"Receipt {receipt.number} · total {receipt.total.format()} · tendered "
                f"{receipt.tendered.format()}"
            )
        )
        layout.addWidget(done)
        self.resize(640, 260)
