"""The five end-of-day reports as PDF: the one code path of ``counter-app report …`` and of
the GUI's preview, which runs it in the report worker process (``reports/render.py``).

Each report is asked for by a ``ReportRequest`` (a plain, picklable value) and made as a
``ReportPdf``: the PDF with its title (the preview's), file name and figures (the CLI's).
"""

from __future__ import annotations

import datetime as dt
import enum
import os
import pickle
from dataclasses import dataclass

from counter_app.config import Settings
from counter_app.db.engine import Database
from counter_app.domain.errors import NotFound, ValidationError
from counter_app.domain.money import total
from counter_app.domain.sessions import SessionState
from counter_app.reports.checks import check_register_pdf
from counter_app.reports.common import office_of
from counter_app.reports.daily import daily_report_pdf
from counter_app.reports.deposit import deposit_slips_pdf
from counter_app.reports.drawer import drawer_report_pdf, read_name
from counter_app.reports.payments import payment_register_pdf
from counter_app.reports.render import Drawn, draw_page
from counter_app.services import closeout, deposits, reports_data
from counter_app.services.context import Context


class ReportKind(enum.Enum):
    DRAWER = "drawer"
    DEPOSIT = "deposit"
    DAILY = "daily"
    PAYMENTS = "payments"
    CHECKS = "checks"


@dataclass(frozen=True)
class ReportRequest:
    """Which report, asked by whom: a drawer's needs ``session_id``, the others ``day``."""

    kind: ReportKind
    user_id: int
    day: dt.date | None = None
    session_id: int | None = None

    @property
    def business_date(self) -> dt.date:
        if self.day is None:
            raise ValidationError(f"The {self.kind.value} report needs a business date")
        return self.day


@dataclass(frozen=True)
class ReportPdf:
    """A report made: its PDF, its title, the file it is written to and what it came to."""

    title: str
    filename: str
    said: str
    pdf: bytes


def make_report(ctx: Context, request: ReportRequest, printed_at: dt.datetime) -> ReportPdf:
    """The report ``request`` asks for, "printed at" ``printed_at`` (supervisors only)."""
    office, uid = office_of(ctx.settings), request.user_id
    if request.kind is ReportKind.DRAWER:
        sid = request.session_id
        if sid is None:
            raise ValidationError("The drawer report needs a session")
        try:
            report = closeout.z_read(ctx, sid, uid)
        except ValidationError:  # still open: a supervisor's X read
            report = closeout.x_read(ctx, sid, uid)
        said = f"{read_name(report)} of session #{sid}: collected "
        said += report.activity.collected.format()
        if report.session.state is not SessionState.OPEN:
            said += f", over/short {report.balance.over_short.format()}"
        return ReportPdf(
            f"Drawer balancing ({read_name(report)}) — session #{sid}",
            f"drawer-{sid}.pdf",
            said,
            drawer_report_pdf(report, office, printed_at),
        )
    day = request.business_date
    shown = f"{day:%m/%d/%Y}"
    if request.kind is ReportKind.DEPOSIT:
        made = deposits.deposits_of(ctx, day)
        if not made:
            raise NotFound(
                f"No deposit was made for {shown}: a supervisor builds it from the day's "
                "closed sessions first (tick them on the end-of-day screen, F6)"
            )
        deposited = total(d.total for d in made).format()
        slips = ", ".join(d.slip_number for d in made)
        return ReportPdf(
            f"Deposit slip — {shown} — {deposited}",
            f"deposit-{day}.pdf",
            f"deposit slip {slips}: total {deposited}",
            deposit_slips_pdf(made, day, office, printed_at),
        )
    if request.kind is ReportKind.DAILY:
        daily = reports_data.daily_cash(ctx, day, uid)
        return ReportPdf(
            f"Daily cash report — {shown}",
            f"daily-{day}.pdf",
            f"daily cash report: net collections {daily.net_collections.format()}",
            daily_report_pdf(daily, office, printed_at),
        )
    if request.kind is ReportKind.PAYMENTS:
        register = reports_data.payment_register(ctx, day, uid)
        return ReportPdf(
            f"Payment register — {shown}",
            f"payments-{day}.pdf",
            f"payment register: {len(register.entries)} receipts, net {register.net.format()}",
            payment_register_pdf(register, office, printed_at),
        )
    checks = reports_data.check_register(ctx, day, uid)
    return ReportPdf(
        f"Check register — {shown}",
        f"checks-{day}.pdf",
        f"check register: {len(checks.entries)} items, to deposit {checks.to_deposit.format()}",
        check_register_pdf(checks, office, printed_at),
    )


@dataclass(frozen=True)
class PreviewedReport:
    """A report made for the screen: the PDF, its page count and page 1 drawn."""

    report: ReportPdf
    page_count: int
    first_page: Drawn
    made_by: int  # the id of the process that made it


def _portable(error: Exception) -> Exception:
    """``error``, or the nearest of its classes that survives pickling with its message (the
    worker's errors go back to the GUI's process pickled)."""
    for kind in type(error).__mro__:
        try:
            rebuilt = error if kind is type(error) else kind(str(error))
            pickle.loads(pickle.dumps(rebuilt))
        except Exception:  # not rebuilt from its message (its own arguments): try its base
            continue
        if isinstance(rebuilt, Exception):
            return rebuilt
    return RuntimeError(str(error))


def preview_in_worker(
    settings: Settings, database_url: str, request: ReportRequest, printed_at: dt.datetime
) -> PreviewedReport:
    """Runs in the report worker process: opens the database itself, makes the report as
    ``counter-app report`` does and draws its first page."""
    db = Database.open(database_url)
    try:
        ctx = Context(db=db, settings=settings, clock=lambda: printed_at)
        made = make_report(ctx, request, printed_at)
    except Exception as exc:
        raise _portable(exc) from None
    finally:
        db.dispose()
    count, first = draw_page(made.pdf, 0)
    return PreviewedReport(made, count, first, os.getpid())
