"""The change-due screen: the change in the largest type on screen until the drawer closes
(where it has a sensor) or Enter. If the drawer did not open, it says so and offers
"Open drawer again" (Ctrl+K); the payment is posted either way."""

from __future__ import annotations

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QKeySequence
from PySide6.QtWidgets import QLabel, QPushButton, QVBoxLayout, QWidget

from counter_app.domain.money import Money
from counter_app.domain.receipt import Receipt, ReceiptVariant
from counter_app.ui.widgets.common import Dialog, ErrorLabel, big_label, default_button


class ChangeDueDialog(Dialog):
    retry_drawer = Signal()  # the cashier asks to open the drawer again

    def __init__(
        self,
        change: Money,
        receipt: Receipt,
        parent: QWidget | None = None,
        *,
        refund: bool = False,
    ) -> None:
        """The change to give for ``receipt``; with ``refund``, the cash a void or a refund
        gives back."""
        super().__init__(parent)
        self.setWindowTitle("Refund cash" if refund else "Change due")
        words = f"REFUND {change.format()} CASH" if refund else f"CHANGE {change.format()}"
        self.change = big_label(words, 40, "Refund" if refund else "Change due")
        self.change.setObjectName("change")
        self.change.setProperty("due", bool(change))
        self.change.setAlignment(Qt.AlignmentFlag.AlignCenter)
        give = f"Give back {change.format()} cash" if refund else "Give the change"
        self.posted = (
            "the payment is posted"
            if not refund
            else "the refund is posted"
            if receipt.variant is ReceiptVariant.REFUND
            else "the void is posted"
        )
        self.next_step = QLabel(
            f"{give} and close the drawer — or press Enter — for the next customer"
        )
        self.next_step.setAccessibleName("Next step")
        self.drawer_error = ErrorLabel()
        self.drawer_error.setAccessibleName("Drawer problem")
        self.retry = QPushButton("Open drawer again (Ctrl+K)")
        self.retry.setShortcut(QKeySequence("Ctrl+K"))
        self.retry.setAutoDefault(False)
        self.retry.clicked.connect(self.retry_drawer.emit)
        self.retry.hide()
        done = default_button("Enter — next customer", self.accept)
        layout = QVBoxLayout(self)
        layout.addWidget(self.change)
        layout.addWidget(
            QLabel(
                f"Receipt {receipt.number} · total {receipt.total.format()} · tendered "
                f"{receipt.tendered.format()}"
            )
        )
        layout.addWidget(self.next_step)
        layout.addWidget(self.drawer_error)
        layout.addWidget(self.retry)
        layout.addWidget(done)
        self.resize(640, 260)

    def drawer_failed(self, error: Exception | str) -> None:
        """Say why the drawer did not open and offer the retry."""
        self.drawer_error.show_error(f"{error} — {self.posted}; press Ctrl+K to retry")
        self.retry.show()

    def drawer_opened(self) -> None:
        self.drawer_error.show_error(None)
        self.retry.hide()
