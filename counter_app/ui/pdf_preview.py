"""A report's PDF on screen and through Qt's print dialog.

The report is made and its first page drawn in the report worker process
(``reports/render.py``); later pages are drawn by PDFium (pypdfium2, a 4 MB wheel) on a pool
thread as they are turned to, and the preview only shows them. (QtPdf would need
PySide6-Addons: a 59 MB wheel, 161 MB installed, for one widget.)"""

from __future__ import annotations

from dataclasses import dataclass

from PySide6.QtCore import QRectF, Qt
from PySide6.QtGui import QImage, QKeyEvent, QPainter, QPixmap
from PySide6.QtPrintSupport import QPrintDialog, QPrinter
from PySide6.QtWidgets import (
    QDialog,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QScrollArea,
    QVBoxLayout,
    QWidget,
)

from counter_app.reports.render import SCREEN_DPI, Drawn, draw_page, draw_pages, pdf_text
from counter_app.ui.operations import BackgroundOp
from counter_app.ui.widgets.common import ErrorLabel

PRINT_DPI = 200  # the pages as sent to a printer


@dataclass(frozen=True)
class RenderedReport:
    """A report's PDF, how many pages it has and its first page drawn for the screen (made
    off the GUI thread; the other pages are drawn when they are turned to)."""

    title: str
    pdf: bytes
    page_count: int
    first_page: QImage
    made_by: int  # the id of the process that made it (the report worker's)

    @property
    def text(self) -> str:
        """What the pages say, as PDFium reads it (what a screen reader would get)."""
        return pdf_text(self.pdf)


def image_of(drawn: Drawn) -> QImage:
    """A drawn page as a QImage (a copy: it owns its pixels)."""
    width, height = drawn.width, drawn.height
    return QImage(drawn.rgb, width, height, 3 * width, QImage.Format.Format_RGB888).copy()


def page_image(pdf: bytes, index: int, dpi: int) -> tuple[int, QImage]:
    """The page count of ``pdf`` and its page ``index`` at ``dpi`` (off the GUI thread)."""
    count, drawn = draw_page(pdf, index, dpi)
    return count, image_of(drawn)


def print_pdf(pdf: bytes, printer: QPrinter) -> int:
    """Every page of ``pdf`` at ``PRINT_DPI`` onto ``printer``, scaled to its page, one page
    drawn at a time (Qt paints on a printer from any thread); the pages printed."""
    painter = QPainter()
    if not painter.begin(printer):
        raise RuntimeError("the printer could not be started: check it and try again")
    area = printer.pageRect(QPrinter.Unit.DevicePixel)

    def paint(number: int, drawn: Drawn) -> None:
        image = image_of(drawn)
        if number:
            printer.newPage()
        scale = min(area.width() / image.width(), area.height() / image.height())
        painter.drawImage(QRectF(0, 0, image.width() * scale, image.height() * scale), image)

    try:
        return draw_pages(pdf, PRINT_DPI, paint)
    finally:
        painter.end()


class PdfPreviewDialog(QDialog):
    """One page at a time (PgDn / PgUp turn it; scroll within it); Print (Ctrl+P) asks Qt's
    print dialog and prints what it chose; Esc closes. A page is drawn on a pool thread when
    it is turned to, so a 120-page register opens as fast as a one-page report."""

    def __init__(self, report: RenderedReport, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.report = report
        self.index = 0
        self.setWindowTitle(f"Preview — {report.title}")
        self.printer = QPrinter(QPrinter.PrinterMode.HighResolution)
        self.printer.setDocName(report.title)
        self.print_dialog: QPrintDialog | None = None
        self.page = QLabel()
        self.page.setAlignment(Qt.AlignmentFlag.AlignHCenter | Qt.AlignmentFlag.AlignTop)
        self.pages_area = QScrollArea()
        self.pages_area.setWidget(self.page)
        self.pages_area.setWidgetResizable(True)
        self.pages_area.setAccessibleName(report.title)
        self.summary = QLabel()
        self.summary.setAccessibleName("About this report")
        self.error = ErrorLabel()
        self.print_button = QPushButton("&Print… (Ctrl+P)")
        self.print_button.setAutoDefault(False)
        self.print_button.clicked.connect(self.ask_print)
        close = QPushButton("Close (Esc)")
        close.setAutoDefault(False)
        close.clicked.connect(self.reject)
        buttons = QHBoxLayout()
        buttons.addWidget(self.summary, 1)
        buttons.addWidget(self.print_button)
        buttons.addWidget(close)
        layout = QVBoxLayout(self)
        layout.addWidget(self.pages_area, 1)
        layout.addWidget(self.error)
        layout.addLayout(buttons)
        self.printed = 0  # pages sent to the printer by the last print
        self._show(0, report.first_page)

    @property
    def page_count(self) -> int:
        return self.report.page_count

    def _show(self, index: int, image: QImage) -> None:
        self.index = index
        self.page.setPixmap(QPixmap.fromImage(image))
        self.page.setAccessibleName(f"Page {index + 1} of {self.page_count}")
        self.summary.setText(
            f"{self.report.title} · page {index + 1} of {self.page_count}"
            " · PgDn / PgUp turn · Ctrl+P Print · Esc Close"
        )
        self.pages_area.verticalScrollBar().setValue(0)

    def turn(self, step: int) -> None:
        """To the next (+1) or previous (−1) page, drawn off the GUI thread."""
        wanted = min(max(self.index + step, 0), self.page_count - 1)
        if wanted == self.index:
            return
        pdf = self.report.pdf
        BackgroundOp(self, lambda: page_image(pdf, wanted, SCREEN_DPI)).success(
            lambda drawn: self._show(wanted, drawn[1])
        ).failure(self.error.show_error).run_in_background()

    def keyPressEvent(self, event: QKeyEvent) -> None:
        step = {Qt.Key.Key_PageDown: 1, Qt.Key.Key_PageUp: -1}.get(Qt.Key(event.key()), 0)
        if step:
            self.turn(step)
            return
        super().keyPressEvent(event)

    def fit_to(self, screen: QWidget) -> None:
        """As big as the window it opens over (a page's width where there is room)."""
        width = min(screen.width() - 40, self.report.first_page.width() + 60)
        self.resize(max(width, 480), max(screen.height() - 60, 360))

    def ask_print(self) -> None:
        """Qt's print dialog (window-modal: nothing waits); accepted, the pages print."""
        dialog = QPrintDialog(self.printer, self)
        dialog.accepted.connect(self.print_pages)
        self.print_dialog = dialog
        QDialog.open(dialog)

    def print_pages(self) -> None:
        """Draw and paint the pages onto the chosen printer on a pool thread."""
        self.print_button.setEnabled(False)
        self.summary.setText(f"{self.report.title} · printing {self.page_count} page(s)…")
        pdf, printer = self.report.pdf, self.printer
        BackgroundOp(self, lambda: print_pdf(pdf, printer)).success(self._printed).failure(
            self._not_printed
        ).run_in_background()

    def _not_printed(self, error: Exception) -> None:
        self.print_button.setEnabled(True)
        self.error.show_error(f"The report could not be printed: {error}")

    def _printed(self, pages: int) -> None:
        self.print_button.setEnabled(True)
        self.printed = pages
        self.summary.setText(f"{self.report.title} · sent {pages} page(s) to the printer")
