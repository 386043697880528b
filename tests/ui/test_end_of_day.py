"""The supervisor's end-of-day screen: the day's sessions with their state as a word and a
colour, approving an over/short, reopening, building the deposit of the ticked sessions,
each report in preview and through the print dialog, and the payments export. A cashier's
Ctrl+E is refused with the services' message."""

from __future__ import annotations

import dataclasses
from pathlib import Path

import pypdfium2 as pdfium
import pytest
from PySide6.QtCore import QSize, Qt
from PySide6.QtGui import QColor
from pytestqt.qtbot import QtBot

from counter_app.domain.counts import DrawerCount
from counter_app.domain.sessions import SessionState
from counter_app.domain.users import Role
from counter_app.services import closeout, export, sessions, users
from counter_app.services.context import Context
from counter_app.ui.end_of_day_dialog import (
    COLLECTED,
    OVER_SHORT,
    SLIP,
    STATE,
    STATE_COLOURS,
    DepositDialog,
    EndOfDayDialog,
    ExportDialog,
    ReasonDialog,
)
from counter_app.ui.main_window import MainWindow
from counter_app.ui.pdf_preview import PdfPreviewDialog
from tests.helpers import (
    FLOAT,
    WAIT,
    Town,
    cash,
    cashier_window,
    check,
    clipped,
    opened,
    pay,
    screenshot,
    show_window,
    with_settings,
)

CTRL = Qt.KeyboardModifier.ControlModifier
SCREENS = [QSize(1024, 700), QSize(1366, 768)]
BALANCED = {**FLOAT, "20": FLOAT["20"] + 4, "1": FLOAT["1"] + 4, "0.10": 1}  # $284.10

pytestmark = pytest.mark.usefixtures("styled")


@dataclasses.dataclass
class Day:
    town: Town
    lee_session: int


@pytest.fixture
def day(ctx: Context, town: Town) -> Day:
    """Maria's drawer (W02) closed balanced; Lee's (W03) counted $5.00 short, waiting."""
    pay(ctx, town, [("001234-01", "84.10")], [cash("84.10")])
    pay(ctx, town, [("010002-01", "100.00")], [check("100.00", "1043")])
    sheet = closeout.count_sheet(ctx, town.session_id, town.cashier.id)
    ticked = frozenset(i.tender_id for i in sheet.items)
    closeout.submit_count(
        ctx, town.session_id, town.cashier.id, DrawerCount(cash=BALANCED, ticked=ticked)
    )
    w03 = with_settings(ctx, station="W03")
    lee = users.add_user(w03, "lee", "cashier456", Role.CASHIER, "Lee Park")
    lees = sessions.open_session(w03, lee.id, FLOAT)
    short = {**FLOAT, "5": FLOAT["5"] - 1}
    closeout.submit_count(w03, lees.id, lee.id, DrawerCount(cash=short))
    return Day(town, lees.id)


def _supervisor_window(qtbot: QtBot, ctx: Context, day: Day, size: QSize | None = None):
    window = MainWindow(ctx, day.town.supervisor, None)
    if size is not None:
        window.resize(size)
    return show_window(qtbot, window)


def _open_screen(qtbot: QtBot, window: MainWindow) -> EndOfDayDialog:
    qtbot.keyClick(window, Qt.Key.Key_E, CTRL)
    screen = opened(qtbot, window, EndOfDayDialog)
    qtbot.waitUntil(lambda: screen.table.rowCount() > 0, timeout=WAIT)
    qtbot.waitExposed(screen)
    return screen


def _row_of(screen: EndOfDayDialog, session_id: int) -> int:
    return next(r for r, s in enumerate(screen.table.summaries) if s.id == session_id)


def _cell(screen: EndOfDayDialog, session_id: int, column: int) -> str:
    item = screen.table.item(_row_of(screen, session_id), column)
    assert item is not None
    return item.text()


def _select(qtbot: QtBot, screen: EndOfDayDialog, session_id: int) -> None:
    screen.table.setFocus()
    screen.table.selectRow(_row_of(screen, session_id))


def _back_on(qtbot: QtBot, screen: EndOfDayDialog) -> None:
    screen.activateWindow()
    qtbot.waitUntil(screen.isActiveWindow, timeout=WAIT)


def _turn_to_next_page(qtbot: QtBot, preview: PdfPreviewDialog) -> None:
    """PgDn: the next page, drawn when it is turned to."""
    shown = preview.index
    qtbot.keyClick(preview, Qt.Key.Key_PageDown)
    qtbot.waitUntil(lambda: preview.index == shown + 1, timeout=WAIT)


def _print_to(qtbot: QtBot, preview: PdfPreviewDialog, out: Path) -> int:
    """Ctrl+P, OK in Qt's print dialog (printing to ``out``); the pages printed."""
    preview.printer.setOutputFileName(str(out))
    qtbot.keyClick(preview, Qt.Key.Key_P, CTRL)
    qtbot.waitUntil(lambda: preview.print_dialog is not None, timeout=WAIT)
    assert preview.print_dialog is not None
    preview.print_dialog.accept()  # the OK of Qt's own dialog
    qtbot.waitUntil(lambda: preview.printed > 0, timeout=WAIT)
    printed = pdfium.PdfDocument(out.read_bytes())
    try:
        return len(printed)
    finally:
        printed.close()


def _said(qtbot: QtBot, screen: EndOfDayDialog, fragment: str) -> None:
    qtbot.waitUntil(lambda: fragment in screen.message.text(), timeout=WAIT)


def test_the_screen_lists_the_days_sessions_with_their_state_in_a_word_and_a_colour(
    qtbot: QtBot, ctx: Context, day: Day
) -> None:
    window = _supervisor_window(qtbot, ctx, day)
    screen = _open_screen(qtbot, window)
    maria, lee = day.town.session_id, day.lee_session
    assert screen.heading.text() == "End of day · Business date 11/23/2026"
    assert [(s.cashier, s.station) for s in screen.table.summaries] == [
        ("Maria Lopez", "W02"),
        ("Lee Park", "W03"),
    ]
    assert _cell(screen, maria, STATE) == "CLOSED — to deposit"
    assert _cell(screen, lee, STATE) == "COUNTED — to approve"
    state = screen.table.item(_row_of(screen, lee), STATE)
    assert state is not None
    assert state.background().color() == QColor(STATE_COLOURS[SessionState.COUNTED][1])
    assert _cell(screen, maria, COLLECTED) == "$184.10"
    assert _cell(screen, maria, OVER_SHORT) == "balanced"
    assert _cell(screen, lee, OVER_SHORT) == "short $5.00"
    assert "2 session(s) · collected $184.10 · 0 open · 1 to approve" in screen.totals.text()


def test_a_cashier_is_told_the_end_of_day_screen_is_a_supervisors(
    qtbot: QtBot, ctx: Context, town: Town
) -> None:
    window = cashier_window(qtbot, ctx, town)
    qtbot.keyClick(window, Qt.Key.Key_E, CTRL)
    qtbot.waitUntil(lambda: "a supervisor must do this" in window.message.text(), timeout=WAIT)
    assert window.dialog is None


def test_the_supervisor_approves_the_short_drawer_with_a_reason_and_it_closes(
    qtbot: QtBot, ctx: Context, day: Day
) -> None:
    window = _supervisor_window(qtbot, ctx, day)
    screen = _open_screen(qtbot, window)
    _select(qtbot, screen, day.town.session_id)
    qtbot.keyClick(screen.table, Qt.Key.Key_F3)  # a closed session waits for no approval
    _said(qtbot, screen, "is closed: this is for a counted one")

    _select(qtbot, screen, day.lee_session)
    qtbot.keyClick(screen.table, Qt.Key.Key_F3)
    reason = opened(qtbot, window, ReasonDialog)
    qtbot.keyClicks(reason.reason, "recounted with Lee: $5 given as change twice")
    qtbot.keyClick(reason.reason, Qt.Key.Key_Return)
    _said(qtbot, screen, f"Session #{day.lee_session} approved: closed")
    assert _cell(screen, day.lee_session, STATE) == "CLOSED — to deposit"
    summary = closeout.day_summary(ctx, ctx.today(), day.town.supervisor.id)
    assert {s.id: s.state for s in summary}[day.lee_session] is SessionState.CLOSED


def test_the_supervisor_reopens_a_closed_session_with_a_reason(
    qtbot: QtBot, ctx: Context, day: Day
) -> None:
    window = _supervisor_window(qtbot, ctx, day)
    screen = _open_screen(qtbot, window)
    _select(qtbot, screen, day.town.session_id)
    qtbot.keyClick(screen.table, Qt.Key.Key_F4)
    reason = opened(qtbot, window, ReasonDialog)
    qtbot.keyClicks(reason.reason, "a mailed payment belongs to this drawer")
    qtbot.keyClick(reason.reason, Qt.Key.Key_Return)
    _said(qtbot, screen, f"Session #{day.town.session_id} reopened")
    assert _cell(screen, day.town.session_id, STATE) == "OPEN"
    assert sessions.current_session(ctx, day.town.cashier.id) is not None


def test_the_deposit_of_the_ticked_sessions_shows_cash_coin_and_checks_and_is_made_once(
    qtbot: QtBot, ctx: Context, day: Day, tmp_path: Path
) -> None:
    window = _supervisor_window(qtbot, ctx, day)
    screen = _open_screen(qtbot, window)
    screenshot(screen, "eod-supervisor", ctx.db.dialect)
    qtbot.keyClick(screen.table, Qt.Key.Key_F6)
    _said(qtbot, screen, "Tick the closed sessions to deposit")
    _select(qtbot, screen, day.town.session_id)
    qtbot.keyClick(screen.table, Qt.Key.Key_Space)
    assert [s.id for s in screen.table.ticked()] == [day.town.session_id]
    qtbot.keyClick(screen.table, Qt.Key.Key_F6)
    deposit = opened(qtbot, window, DepositDialog)
    qtbot.waitExposed(deposit)
    # the float ($200.00, the session's own) stays; $84.10 goes to the bank with the check
    assert deposit.figures.text() == (
        "Currency $84.00 · Coin $0.10 · Checks $100.00 (1) · <b>Total $184.10</b> · "
        "float kept $200.00"
    )
    screenshot(deposit, "eod-deposit", ctx.db.dialect)
    assert clipped(deposit) == []
    qtbot.keyClicks(deposit.slip, "A-1001")
    qtbot.keyClick(deposit.slip, Qt.Key.Key_Return)
    _said(qtbot, screen, "Deposit slip A-1001 made: $184.10")
    qtbot.waitUntil(lambda: _cell(screen, day.town.session_id, SLIP) == "A-1001", timeout=WAIT)
    assert _cell(screen, day.town.session_id, STATE) == "DEPOSITED"

    _back_on(qtbot, screen)
    qtbot.keyClick(screen.table, Qt.Key.Key_Space)  # ticked again: it was deposited
    qtbot.keyClick(screen.table, Qt.Key.Key_F6)
    _said(qtbot, screen, "is already on deposit slip A-1001: a session is deposited once")


def test_each_report_opens_in_preview_and_prints_through_the_print_dialog(
    qtbot: QtBot, ctx: Context, day: Day, tmp_path: Path
) -> None:
    window = _supervisor_window(qtbot, ctx, day)
    screen = _open_screen(qtbot, window)
    titles = {}
    for key, title in (
        (Qt.Key.Key_F7, "Drawer balancing (Z) — session #1"),
        (Qt.Key.Key_F8, "Daily cash report — 11/23/2026"),
        (Qt.Key.Key_F11, "Payment register — 11/23/2026"),
        (Qt.Key.Key_F12, "Check register — 11/23/2026"),
    ):
        _select(qtbot, screen, day.town.session_id)
        qtbot.keyClick(screen.table, key)
        preview = opened(qtbot, window, PdfPreviewDialog)
        titles[key] = preview.report.title
        assert preview.report.title == title
        assert preview.page.pixmap().width() == 816  # Letter at 96 dpi
        assert preview.page.accessibleName() == f"Page 1 of {preview.page_count}"
        if key == Qt.Key.Key_F8:
            assert "184.10" in preview.report.text
            qtbot.waitExposed(preview)
            screenshot(preview, "report-preview", ctx.db.dialect)
            assert clipped(preview) == []
            assert preview.page_count == 2
            _turn_to_next_page(qtbot, preview)
            assert preview.page.accessibleName() == "Page 2 of 2"
            assert _print_to(qtbot, preview, tmp_path / "daily.pdf") == 2
        qtbot.keyClick(preview, Qt.Key.Key_Escape)
        qtbot.waitUntil(lambda: isinstance(window.dialog, EndOfDayDialog), timeout=WAIT)
        _back_on(qtbot, screen)

    qtbot.keyClick(screen.table, Qt.Key.Key_F9)  # no deposit yet: said so
    _said(qtbot, screen, "No deposit was made for 11/23/2026")


def test_the_export_writes_the_days_payments_and_lists_the_earlier_exports(
    qtbot: QtBot, ctx: Context, day: Day, tmp_path: Path
) -> None:
    window = _supervisor_window(qtbot, ctx, day)
    screen = _open_screen(qtbot, window)
    qtbot.keyClick(screen.table, Qt.Key.Key_F10)
    dialog = opened(qtbot, window, ExportDialog)
    assert dialog.earlier.item(0).text() == "No export yet"
    out = tmp_path / "payments.csv"
    dialog.path.setText(str(out))
    qtbot.keyClick(dialog.path, Qt.Key.Key_Return)
    _said(qtbot, screen, f"Exported 2 payment rows to {out}")
    assert out.read_text(encoding="utf-8").count("\n") == 3  # the header and two payments
    [made] = export.list_exports(ctx)
    _back_on(qtbot, screen)
    qtbot.keyClick(screen.table, Qt.Key.Key_F10)
    again = opened(qtbot, window, ExportDialog)
    assert again.earlier.item(0).text().startswith(f"#{made.id}  11/23/2026  2 rows")


@pytest.mark.parametrize("size", SCREENS, ids=lambda s: f"{s.width()}x{s.height()}")
def test_the_end_of_day_screen_fits_and_cuts_nothing(
    qtbot: QtBot, ctx: Context, day: Day, size: QSize
) -> None:
    window = _supervisor_window(qtbot, ctx, day, size)
    screen = _open_screen(qtbot, window)
    qtbot.wait(20)
    screenshot(screen, f"eod-supervisor-{size.width()}x{size.height()}", ctx.db.dialect)
    frame = screen.frameSize()
    assert frame.width() <= size.width() and frame.height() <= size.height(), frame
    assert clipped(screen) == []
    qtbot.keyClick(screen.table, Qt.Key.Key_F8)
    preview = opened(qtbot, window, PdfPreviewDialog)
    qtbot.waitExposed(preview)
    screenshot(preview, f"report-preview-{size.width()}x{size.height()}", ctx.db.dialect)
    frame = preview.frameSize()
    assert frame.width() <= size.width() and frame.height() <= size.height(), frame
    assert clipped(preview) == []
