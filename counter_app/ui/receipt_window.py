"""The last receipt (Ctrl+P): as laid out for the paper, and, once the printer took it, as
the printer simulator decoded and drew it when ``printer.preview_dir`` names its job folder
(what ``make run`` sets up)."""

from __future__ import annotations

from PySide6.QtCore import QTimer
from PySide6.QtGui import QFontDatabase, QPixmap
from PySide6.QtWidgets import (
    QLabel,
    QPlainTextEdit,
    QScrollArea,
    QStackedWidget,
    QVBoxLayout,
    QWidget,
)

from counter_app.domain.receipt import Receipt
from counter_app.services.context import Context
from drivers.receipt_layout import layout_receipt, preview_text
from drivers.sim.render import find_job_picture

LOOK_EVERY_MS = 100
LOOKS = 50  # the simulator writes the picture a moment after the last byte: wait up to 5 s
PICTURE_MARGIN = 48  # room for the frame and the vertical scroll bar beside the paper


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
        self.picture = QLabel()
        self.picture.setAccessibleName("Receipt as printed")
        scroll = QScrollArea()
        scroll.setWidget(self.picture)
        scroll.setWidgetResizable(True)
        self.stack = QStackedWidget()
        self.stack.addWidget(self.text)
        self.stack.addWidget(scroll)
        QVBoxLayout(self).addWidget(self.stack)
        self.resize(460, 640)
        self._waiting_for = ""  # the receipt number whose picture is awaited
        self._looks = 0

    def show_receipt(self, receipt: Receipt) -> None:
        """A posted receipt, as laid out for the paper (until its printed picture comes)."""
        width = self.ctx.settings.printer.line_width
        ops = layout_receipt(
            receipt,
            width=width,
            tz=self.ctx.settings.zone,
            barcode=self.ctx.settings.printer.barcode,
        )
        self.text.setPlainText(preview_text(ops, width))
        self.stack.setCurrentWidget(self.text)

    def show_printed(self, number: str) -> None:
        """The printer accepted receipt ``number``: show the simulator's picture of it."""
        if self.ctx.settings.printer.preview_dir is None:
            return
        self._waiting_for, self._looks = number, 0
        self._look()

    @property
    def shows_printed(self) -> bool:
        """True while the window shows the printed picture (not the layout)."""
        return self.stack.currentIndex() == 1

    def _look(self) -> None:
        folder = self.ctx.settings.printer.preview_dir
        if not self._waiting_for or folder is None:
            return
        png = find_job_picture(folder, self._waiting_for)
        pixmap = QPixmap(str(png)) if png is not None else QPixmap()
        if not pixmap.isNull():
            self.picture.setPixmap(pixmap)
            self.stack.setCurrentIndex(1)
            self.resize(pixmap.width() + PICTURE_MARGIN, self.height())  # the paper's width
            self._waiting_for = ""
            return
        self._looks += 1
        if self._looks < LOOKS:
            QTimer.singleShot(LOOK_EVERY_MS, self, self._look)  # dropped if the window goes
