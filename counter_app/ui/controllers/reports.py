"""The end-of-day reports on screen: each report is made and its first page drawn in the
report worker process (``reports/render.py``: the GUI's interpreter never runs the services
or reportlab for it), waited on by a pool thread, then shown in one preview at a time, with
Print (Ctrl+P)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable

from PySide6.QtCore import QCoreApplication, QObject
from PySide6.QtGui import QAction
from PySide6.QtWidgets import QWidget

from counter_app.reports.render import REPORTS, ReportWorker
from counter_app.services.context import Context
from counter_app.services.report_pdfs import (
    PreviewedReport,
    ReportKind,
    ReportRequest,
    preview_in_worker,
)
from counter_app.ui.controllers.common import DialogSlot
from counter_app.ui.operations import ReadOp
from counter_app.ui.pdf_preview import PdfPreviewDialog, RenderedReport, image_of

_ENDED_AT_QUIT: set[int] = set()  # the workers ended when the application quits (by id)


class ReportPreviews(QObject):
    """Makes a report in the worker process and shows it; ``keys`` (Ctrl+P) go on each
    preview. The worker ends when the application quits."""

    def __init__(
        self,
        ctx: Context,
        on_done: Callable[[], None],
        parent: QObject,
        worker: ReportWorker = REPORTS,
    ) -> None:
        super().__init__(parent)
        self.ctx = ctx
        self.worker = worker
        self.keys: list[QAction] = []
        self.slot = DialogSlot(on_done, self)
        app = QCoreApplication.instance()
        if app is not None and id(worker) not in _ENDED_AT_QUIT:
            _ENDED_AT_QUIT.add(id(worker))
            app.aboutToQuit.connect(worker.shutdown)

    @property
    def current(self) -> PdfPreviewDialog | None:
        shown = self.slot.current
        return shown if isinstance(shown, PdfPreviewDialog) else None

    def warm(self) -> None:
        """Start the worker process now (the end-of-day screen opening), not on the first
        report."""
        self.worker.warm()

    def show(
        self,
        request: ReportRequest,
        over: QWidget,
        failed: Callable[[Exception], None],
        closed: Callable[[], None] | None = None,
    ) -> None:
        """Make the report, then preview it over ``over``; ``closed`` runs when it closes."""
        settings, url, printed_at = self.ctx.settings, self.ctx.db.url, self.ctx.now()

        def rendered() -> RenderedReport:
            made: PreviewedReport = self.worker.run(
                preview_in_worker, settings, url, request, printed_at
            )
            image = image_of(made.first_page)
            report = made.report
            return RenderedReport(report.title, report.pdf, made.page_count, image, made.made_by)

        def shown(report: RenderedReport) -> None:
            dialog = PdfPreviewDialog(report, over)
            dialog.addActions(self.keys)
            dialog.fit_to(over.window())
            self.slot.open(dialog, closed, closed)

        ReadOp(self, rendered).success(shown).failure(failed).run_in_background()

    def print_current(self) -> None:
        """Ctrl+P on a preview: Qt's print dialog."""
        if (preview := self.current) is not None:
            preview.ask_print()

    # --- the reports ----------------------------------------------------------------------
    def drawer(self, session_id: int, user_id: int) -> ReportRequest:
        """A session's drawer balancing: its Z once counted, else a supervisor's X read."""
        return ReportRequest(ReportKind.DRAWER, user_id, session_id=session_id)

    def daily(self, day: dt.date, user_id: int) -> ReportRequest:
        return ReportRequest(ReportKind.DAILY, user_id, day)

    def deposit(self, day: dt.date) -> ReportRequest:
        """The day's deposit slip(s) (their read names no user: ``user_id`` 0)."""
        return ReportRequest(ReportKind.DEPOSIT, 0, day)

    def payments(self, day: dt.date, user_id: int) -> ReportRequest:
        return ReportRequest(ReportKind.PAYMENTS, user_id, day)

    def checks(self, day: dt.date, user_id: int) -> ReportRequest:
        return ReportRequest(ReportKind.CHECKS, user_id, day)
