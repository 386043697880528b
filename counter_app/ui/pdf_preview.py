"""A report's PDF on screen and through Qt's print dialog.

The pages are drawn by PDFium (pypdfium2, a 4 MB wheel) into images on a pool thread; the
preview only shows them. (QtPdf would need PySide6-Addons: a 59 MB wheel, 161 MB installed,
for one widget.) PDFium is not thread-safe, so one lock keeps its calls one at a time."""

from __future__ import annotations

import threading
from dataclasses import dataclass

import pypdfium2 as pdfium
from PySide6.QtCore import QRectF, Qt
from PySide6.QtGui import QImage, QPainter, QPixmap
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

from counter_app.ui.operations import BackgroundOp
from counter_app.ui.widgets.common import ErrorLabel

SCREEN_DPI = 96  # the pages as shown: Letter is 816 pixels wide
PRINT_DPI = 200  # the pages as sent to a printer
_PDFIUM = threading.Lock()


@dataclass(frozen=True)
class RenderedReport:
    """A report's PDF and its pages drawn for the screen (made on a pool thread)."""

    title: str
    pdf: bytes
    pages: tuple[QImage, ...]

    @property
    def text(self) -> str:
        """What the pages say, as PDFium reads it (what a screen reader would get)."""
        return pdf_text(self.pdf)


def page_images(pdf: bytes, dpi: int) -> tuple[QImage, ...]:
    """Every page of ``pdf`` as an image at ``dpi`` (call off the GUI thread)."""
    with _PDFIUM:
        document = pdfium.PdfDocument(pdf)
        try:
            images = []
            for page in document:
                picture = page.render(scale=dpi / 72).to_pil().convert("RGB")
                width, height = picture.size
                data = picture.tobytes()
                images.append(
                    QImage(data, width, height, 3 * width, QImage.Format.Format_RGB888).copy()
                )
                page.close()
            return tuple(images)
        finally:
            document.close()


def pdf_text(pdf: bytes) -> str:
    """The text of every page of ``pdf``, page after page."""
    with _PDFIUM:
        document = pdfium.PdfDocument(pdf)
        try:
            said = []
            for page in document:
                text = page.get_textpage()
                said.append(text.get_text_range())
                text.close()
                page.close()
            return "\n".join(said)
        finally:
            document.close()


def render_report(title: str, pdf: bytes) -> RenderedReport:
    return RenderedReport(title, pdf, page_images(pdf, SCREEN_DPI))


class PdfPreviewDialog(QDialog):
    """The pages one under the other (scroll, PgDn / PgUp); Print (Ctrl+P) asks Qt's print
    dialog and prints what it chose; Esc closes."""

    def __init__(self, report: RenderedReport, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.report = report
        self.setWindowTitle(f"Preview — {report.title}")
        self.printer = QPrinter(QPrinter.PrinterMode.HighResolution)
        self.printer.setDocName(report.title)
        self.print_dialog: QPrintDialog | None = None
        pages = QWidget()
        column = QVBoxLayout(pages)
        self.page_labels: list[QLabel] = []
        for number, image in enumerate(report.pages, start=1):
            label = QLabel()
            label.setPixmap(QPixmap.fromImage(image))
            label.setAccessibleName(f"Page {number} of {len(report.pages)}")
            column.addWidget(label, alignment=Qt.AlignmentFlag.AlignHCenter)
            self.page_labels.append(label)
        self.pages_area = QScrollArea()
        self.pages_area.setWidget(pages)
        self.pages_area.setWidgetResizable(True)
        self.pages_area.setAccessibleName(report.title)
        self.summary = QLabel(
            f"{report.title} · {len(report.pages)} page{'s' if len(report.pages) != 1 else ''}"
            " · PgDn / PgUp scroll · Ctrl+P Print · Esc Close"
        )
        self.summary.setAccessibleName("About this report")
        self.error = ErrorLabel()
        self.print_button = QPushButton("&Print… (Ctrl+P)")
        self.print_button.clicked.connect(self.ask_print)
        close = QPushButton("Close (Esc)")
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

    def fit_to(self, screen: QWidget) -> None:
        """As big as the window it opens over (a page's width where there is room)."""
        page = self.report.pages[0].width() if self.report.pages else 816
        width = min(screen.width() - 40, page + 60)
        self.resize(max(width, 480), max(screen.height() - 60, 360))

    def ask_print(self) -> None:
        """Qt's print dialog (window-modal: nothing waits); accepted, the pages print."""
        dialog = QPrintDialog(self.printer, self)
        dialog.accepted.connect(self.print_pages)
        self.print_dialog = dialog
        QDialog.open(dialog)

    def print_pages(self) -> None:
        """Draw the pages at ``PRINT_DPI`` on a pool thread, then onto the chosen printer."""
        self.print_button.setEnabled(False)
        self.summary.setText(f"{self.report.title} · preparing the pages for the printer…")
        pdf = self.report.pdf
        BackgroundOp(self, lambda: page_images(pdf, PRINT_DPI)).success(self._paint).failure(
            self._not_printed
        ).run_in_background()

    def _not_printed(self, error: Exception) -> None:
        self.print_button.setEnabled(True)
        self.error.show_error(f"The report could not be printed: {error}")

    def _paint(self, images: tuple[QImage, ...]) -> None:
        """Each page scaled to the printer's page (the printer's driver spools it)."""
        self.print_button.setEnabled(True)
        painter = QPainter()
        if not painter.begin(self.printer):
            self.error.show_error("The printer could not be started: check it and try again")
            return
        try:
            area = self.printer.pageRect(QPrinter.Unit.DevicePixel)
            for number, image in enumerate(images):
                if number:
                    self.printer.newPage()
                scale = min(area.width() / image.width(), area.height() / image.height())
                target = QRectF(0, 0, image.width() * scale, image.height() * scale)
                painter.drawImage(target, image)
        finally:
            painter.end()
        self.printed = len(images)
        self.summary.setText(f"{self.report.title} · sent {len(images)} page(s) to the printer")
