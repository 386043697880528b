"""The last receipt (Ctrl+P): as laid out for the paper, and, once the printer took it, as
the printer simulator decoded and drew it where the station's preview can find that picture
(``printer.preview_dir``, what ``make run`` sets up). The preview comes from ``app.py``."""

from __future__ import annotations

from PySide6.QtCore import Qt, QTimer
from PySide6.QtGui import QFontDatabase, QKeyEvent, QPixmap
from PySide6.QtWidgets import (
    QLabel,
    QPlainTextEdit,
    QScrollArea,
    QStackedWidget,
    QVBoxLayout,
    QWidget,
)

from counter_app.domain.receipt import Receipt
from counter_app.printing.interfaces import ReceiptPreview

LOOK_EVERY_MS = 100
LOOKS = 50  # the simulator writes the picture a moment after the last byte: wait up to 5 s
PICTURE_MARGIN = 48  # room for the frame and the vertical scroll bar beside the paper


class ReceiptWindow(QWidget):
    """The last receipt through ``preview`` (None: the station has no preview)."""

    def __init__(self, preview: ReceiptPreview | None) -> None:
        super().__init__()
        self.preview = preview
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

    def show_over(self, anchor: QWidget) -> None:
        """Show it centred over ``anchor`` (the counter screen), in front."""
        frame = self.frameGeometry()
        frame.moveCenter(anchor.frameGeometry().center())
        self.move(frame.topLeft())
        self.show()
        self.raise_()
        self.activateWindow()

    def keyPressEvent(self, event: QKeyEvent) -> None:
        """Esc puts it away again (Ctrl+P brings it back)."""
        if event.key() == Qt.Key.Key_Escape:
            self.hide()
            return
        super().keyPressEvent(event)

    def show_receipt(self, receipt: Receipt) -> None:
        """A posted receipt, as laid out for the paper (until its printed picture comes)."""
        if self.preview is None:
            self.text.setPlainText(f"Receipt {receipt.number}")
        else:
            self.text.setPlainText(self.preview.text(receipt))
        self.stack.setCurrentWidget(self.text)

    def show_printed(self, number: str) -> None:
        """The printer accepted receipt ``number``: show the simulator's picture of it."""
        if self.preview is None or not self.preview.shows_pictures:
            return
        self._waiting_for, self._looks = number, 0
        self._look()

    @property
    def shows_printed(self) -> bool:
        """True while the window shows the printed picture (not the layout)."""
        return self.stack.currentIndex() == 1

    def _look(self) -> None:
        if not self._waiting_for or self.preview is None:
            return
        png = self.preview.picture(self._waiting_for)
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
