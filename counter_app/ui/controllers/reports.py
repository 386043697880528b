"""The end-of-day reports on screen: each PDF is made (services + reportlab) and its pages
drawn on a pool thread, then shown in one preview at a time, with Print (Ctrl+P)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable

from PySide6.QtCore import QObject
from PySide6.QtGui import QAction
from PySide6.QtWidgets import QWidget

from counter_app.domain.errors import NotFound, ValidationError
from counter_app.domain.money import total
from counter_app.reports.checks import check_register_pdf
from counter_app.reports.common import Office
from counter_app.reports.daily import daily_report_pdf
from counter_app.reports.deposit import deposit_slips_pdf
from counter_app.reports.drawer import drawer_report_pdf, read_name
from counter_app.reports.payments import payment_register_pdf
from counter_app.services import closeout, deposits, reports_data
from counter_app.services.context import Context
from counter_app.ui.controllers.common import DialogSlot
from counter_app.ui.operations import ReadOp
from counter_app.ui.pdf_preview import PdfPreviewDialog, RenderedReport, render_report

MakePdf = Callable[[], tuple[str, bytes]]  # (title, PDF), run on a pool thread


def office_of(ctx: Context) -> Office:
    """The reports' header, from the office settings (as ``counter-app report`` prints it)."""
    o = ctx.settings.office
    return Office(o.name, o.address, o.phone, ctx.settings.zone)


class ReportPreviews(QObject):
    """Makes a report off the GUI thread and shows it; ``keys`` (Ctrl+P) go on each preview."""

    def __init__(self, ctx: Context, on_done: Callable[[], None], parent: QObject) -> None:
        super().__init__(parent)
        self.ctx = ctx
        self.keys: list[QAction] = []
        self.slot = DialogSlot(on_done, self)

    @property
    def current(self) -> PdfPreviewDialog | None:
        shown = self.slot.current
        return shown if isinstance(shown, PdfPreviewDialog) else None

    def show(
        self,
        make: MakePdf,
        over: QWidget,
        failed: Callable[[Exception], None],
        closed: Callable[[], None] | None = None,
    ) -> None:
        """Make the report, then preview it over ``over``; ``closed`` runs when it closes."""

        def rendered() -> RenderedReport:
            title, pdf = make()
            return render_report(title, pdf)

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
    def drawer(self, session_id: int, user_id: int) -> MakePdf:
        """A session's drawer balancing: its Z once counted, else a supervisor's X read."""

        def make() -> tuple[str, bytes]:
            try:
                report = closeout.z_read(self.ctx, session_id, user_id)
            except ValidationError:  # still open: a supervisor's X read
                report = closeout.x_read(self.ctx, session_id, user_id)
            pdf = drawer_report_pdf(report, office_of(self.ctx), self.ctx.now())
            return f"Drawer balancing ({read_name(report)}) — session #{session_id}", pdf

        return make

    def daily(self, day: dt.date, user_id: int) -> MakePdf:
        def make() -> tuple[str, bytes]:
            report = reports_data.daily_cash(self.ctx, day, user_id)
            pdf = daily_report_pdf(report, office_of(self.ctx), self.ctx.now())
            return f"Daily cash report — {day:%m/%d/%Y}", pdf

        return make

    def deposit(self, day: dt.date) -> MakePdf:
        def make() -> tuple[str, bytes]:
            made = deposits.deposits_of(self.ctx, day)
            if not made:
                raise NotFound(
                    f"No deposit was made for {day:%m/%d/%Y}: tick the closed sessions and "
                    "build it (F6) first"
                )
            pdf = deposit_slips_pdf(made, day, office_of(self.ctx), self.ctx.now())
            deposited = total(d.total for d in made).format()
            return f"Deposit slip — {day:%m/%d/%Y} — {deposited}", pdf

        return make

    def payments(self, day: dt.date, user_id: int) -> MakePdf:
        def make() -> tuple[str, bytes]:
            register = reports_data.payment_register(self.ctx, day, user_id)
            pdf = payment_register_pdf(register, office_of(self.ctx), self.ctx.now())
            return f"Payment register — {day:%m/%d/%Y}", pdf

        return make

    def checks(self, day: dt.date, user_id: int) -> MakePdf:
        def make() -> tuple[str, bytes]:
            register = reports_data.check_register(self.ctx, day, user_id)
            pdf = check_register_pdf(register, office_of(self.ctx), self.ctx.now())
            return f"Check register — {day:%m/%d/%Y}", pdf

        return make
