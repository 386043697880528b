"""A window showing the last receipt as it was laid out for the paper (Ctrl+P)."""

from __future__ import annotations

from PySide6.QtGui import QFontDatabase
from PySide6.QtWidgets import QPlainTextEdit, QVBoxLayout, QWidget

from counter_app.domain.receipt import Receipt
from counter_app.services.context import Context
from drivers.receipt_layout import layout_receipt, preview_text


class ReceiptWindow(QWidget):
    def __init__(self, ctx: Context) -> None:
        super().__init__()
        self.ctx = ctx
        self.setWindowTitle("Last receipt")
        self.text = QPlainTextEdit()
        self.text.setReadOnly(True)
        self.text.setAccessibleName("Receipt text")
        font = QFontDatabase.systemFont(QFontDatabase.SystemFont.FixedFont)
        font.setPointSize(10)
        self.text.setFont(font)
        self.text.setPlainText("No receipt yet")
        QVBoxLayout(self).addWidget(self.text)
        self.resize(460, 640)

    def show_receipt(self, receipt: Receipt) -> None:
        width = self.ctx.settings.printer.line_width
        ops = layout_receipt(
            receipt,
            width=width,
            tz=self.ctx.settings.zone,
            barcode=self.ctx.settings.printer.barcode,
        )
        self.text.setPlainText(preview_text(ops, width))
