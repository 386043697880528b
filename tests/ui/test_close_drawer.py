"""The cashier closes the drawer through the keys: a blind count, the checks ticked off, the
card batch, then the result; within tolerance it closes, the Z tape prints and the drawer
balancing report opens; over tolerance a recount (the first count kept) or a supervisor's
approval closes it. Logging out with the drawer open asks whether to close it."""

from __future__ import annotations

from collections.abc import Mapping

import pytest
from PySide6.QtCore import QSize, Qt
from PySide6.QtWidgets import QAbstractButton, QApplication, QLabel, QMessageBox, QWidget
from pytestqt.qtbot import QtBot

from counter_app.domain.counts import CountKind
from counter_app.domain.sessions import SessionState
from counter_app.services import closeout, sessions
from counter_app.services.context import Context
from counter_app.ui.close_wizard import CARD, CHECKS, COUNT, RESULT, CloseDrawerWizard
from counter_app.ui.main_window import MainWindow
from counter_app.ui.override_dialog import OverrideDialog
from counter_app.ui.pdf_preview import PdfPreviewDialog
from tests.helpers import (
    FLOAT,
    WAIT,
    Station,
    Town,
    approve,
    cash,
    cashier_window,
    check,
    clipped,
    opened,
    pay,
    printed_jobs,
    screenshot,
    with_settings,
)

CTRL = Qt.KeyboardModifier.ControlModifier
SCREENS = [QSize(1024, 700), QSize(1366, 768)]
# the float ($200.00) and the day's cash ($84.10): $284.10 expected
TAKEN = {"20": FLOAT["20"] + 4, "1": FLOAT["1"] + 4, "0.10": 1}
BALANCED = {**FLOAT, **TAKEN}
SHORT_FIVE = {**BALANCED, "5": FLOAT["5"] - 1}  # one $5 bill not counted
SHORT_HALF = {**BALANCED, "0.25": FLOAT["0.25"] - 2}  # 50 cents short: within $1.00

pytestmark = pytest.mark.usefixtures("styled")


@pytest.fixture
def day(ctx: Context, town: Town) -> Town:
    """Maria's day: $84.10 cash, and checks #1043 ($100.00) and #1044 ($50.00)."""
    pay(ctx, town, [("001234-01", "84.10")], [cash("84.10")])
    pay(ctx, town, [("010002-01", "100.00")], [check("100.00", "1043")])
    pay(ctx, town, [("001234-01", "50.00")], [check("50.00", "1044")])
    return town


def _shown_text(widget: QWidget) -> list[str]:
    """The text of every label and button the cashier can see in ``widget``."""
    return [
        w.text()
        for w in widget.findChildren(QWidget)
        if isinstance(w, QLabel | QAbstractButton) and w.isVisible() and w.text()
    ]


def _count(qtbot: QtBot, wizard: CloseDrawerWizard, counts: Mapping[str, int]) -> None:
    """Type each count into the grid (Tab order), clearing what was there."""
    for code, field in wizard.grid.fields.items():
        field.clear()
        if counts.get(code):
            qtbot.keyClicks(field, str(counts[code]))


def _tick(qtbot: QtBot, wizard: CloseDrawerWizard, numbers: set[str]) -> None:
    """Leave ticked the listed checks whose number is in ``numbers``: Space on those to
    change, ↓ past the others."""
    ticks = wizard.ticks
    ticks.setFocus()
    ticks.setCurrentRow(0)
    for item, on in ticks.rows():
        key = Qt.Key.Key_Space if (item.number in numbers) != on else Qt.Key.Key_Down
        qtbot.keyClick(ticks, key)


def _back_on(qtbot: QtBot, window: MainWindow) -> None:
    window.activateWindow()
    qtbot.waitUntil(window.isActiveWindow, timeout=WAIT)


def _open_wizard(qtbot: QtBot, window: MainWindow) -> CloseDrawerWizard:
    qtbot.keyClick(window, Qt.Key.Key_W, CTRL)
    wizard = opened(qtbot, window, CloseDrawerWizard)
    qtbot.waitExposed(wizard)
    return wizard


def _enter(qtbot: QtBot, wizard: CloseDrawerWizard) -> None:
    focused = QApplication.focusWidget()
    qtbot.keyClick(focused if focused is not None else wizard, Qt.Key.Key_Return)


def _submit_count(
    qtbot: QtBot,
    wizard: CloseDrawerWizard,
    counts: Mapping[str, int],
    ticked: set[str],
    card: str = "",
    seen: list[str] | None = None,
    shots: str = "",
    cut: list[str] | None = None,
) -> None:
    """Count, tick, card batch, each page left with Enter; ``seen`` collects what showed,
    ``cut`` what did not fit; with ``shots`` each page is pictured (close-count…)."""
    seen = seen if seen is not None else []
    cut = cut if cut is not None else []

    def look(name: str) -> None:
        seen.extend(_shown_text(wizard))
        cut.extend(f"{name}: {c}" for c in clipped(wizard))
        if shots:
            screenshot(wizard, f"close-{name}{shots}", "sqlite")

    _count(qtbot, wizard, counts)
    look("count")
    _enter(qtbot, wizard)
    assert wizard.page == CHECKS, wizard.error.text()
    _tick(qtbot, wizard, ticked)
    look("checks")
    _enter(qtbot, wizard)
    assert wizard.page == CARD
    if card:
        qtbot.keyClicks(wizard.card, card)
    look("card")
    _enter(qtbot, wizard)
    qtbot.waitUntil(lambda: wizard.page == RESULT, timeout=WAIT)


def _result_lines(wizard: CloseDrawerWizard) -> dict[str, str]:
    """Each tender's over/short as the result page says it, by the tender's word."""
    words = [w for w in wizard.findChildren(QLabel) if w.accessibleName().endswith("over / short")]
    return {w.accessibleName().split()[0]: w.text() for w in words if w.isVisible()}


def test_a_count_within_tolerance_closes_the_drawer_prints_the_z_and_shows_the_report(
    qtbot: QtBot, station: Station, day: Town
) -> None:
    ctx = station.ctx
    window = cashier_window(qtbot, ctx, day, station.devices)
    logged_out: list[bool] = []
    window.logged_out.connect(lambda: logged_out.append(True))
    wizard = _open_wizard(qtbot, window)
    assert wizard.page == COUNT and wizard.grid.fields["100"].hasFocus()
    seen: list[str] = []
    _submit_count(qtbot, wizard, SHORT_HALF, {"1043", "1044"}, seen=seen)

    # blind: before Submit nothing showed an expected figure
    assert not [t for t in seen if "284.10" in t or t.startswith("Expected")]
    assert "Ticked 2 of 2 · $150.00" in seen
    assert _result_lines(wizard) == {
        "Cash": "Cash short $0.50 — within tolerance",
        "Check": "Check balanced",
        "Money": "Money order balanced",
        "Card": "Card balanced",
    }
    shown = _shown_text(wizard)
    assert "$284.10" in shown and "$283.60" in shown  # expected, counted: only now
    assert wizard.outcome.text() == "Drawer closed · count 1"
    assert sessions.current_session(ctx, day.cashier.id) is None

    _enter(qtbot, wizard)  # Done: the Z tape prints, the report opens
    preview = opened(qtbot, window, PdfPreviewDialog)
    assert preview.report.title == f"Drawer balancing (Z) — session #{day.session_id}"
    assert "$283.60" in preview.report.text and "Sam" not in preview.report.text
    [z] = printed_jobs(qtbot, station.printer, 1)
    assert "Z TAPE" in z.text and "$0.50" in z.text and z.cut
    qtbot.keyClick(preview, Qt.Key.Key_Escape)  # the report looked at: back to the login
    qtbot.waitUntil(lambda: logged_out == [True], timeout=WAIT)


def test_esc_on_a_closed_result_still_prints_the_z_and_shows_the_report(
    qtbot: QtBot, station: Station, day: Town
) -> None:
    window = cashier_window(qtbot, station.ctx, day, station.devices)
    wizard = _open_wizard(qtbot, window)
    _submit_count(qtbot, wizard, BALANCED, {"1043", "1044"})
    assert wizard.outcome.text() == "Drawer closed · count 1"
    qtbot.keyClick(wizard, Qt.Key.Key_Escape)
    opened(qtbot, window, PdfPreviewDialog)
    [z] = printed_jobs(qtbot, station.printer, 1)
    assert "Z TAPE" in z.text


def test_over_tolerance_a_recount_keeps_the_first_count_and_closes_when_it_balances(
    qtbot: QtBot, ctx: Context, day: Town
) -> None:
    window = cashier_window(qtbot, ctx, day)
    wizard = _open_wizard(qtbot, window)
    _submit_count(qtbot, wizard, SHORT_FIVE, {"1043", "1044"})
    assert _result_lines(wizard)["Cash"] == "Cash short $5.00 — over tolerance"
    assert wizard.outcome.text() == "Over tolerance: recount (F5) or supervisor (F9)"
    assert wizard.outcome.property("state") == "bad"
    assert wizard.recount_button.isVisible() and not wizard.next.isVisible()

    qtbot.keyClick(wizard, Qt.Key.Key_F5)
    assert wizard.page == COUNT and wizard.step.text().startswith("Recount 2")
    assert wizard.grid.fields["5"].text() == str(FLOAT["5"] - 1)  # the figures typed stay
    _submit_count(qtbot, wizard, BALANCED, {"1043", "1044"})
    assert wizard.outcome.text() == "Drawer closed · count 2"
    assert "Count 1 (kept): Cash short $5.00 — over tolerance" in wizard.history.text()
    report = closeout.z_read(ctx, day.session_id, day.cashier.id)
    assert [(c.kind, c.attempt) for c in report.close_counts] == [
        (CountKind.CLOSE, 1),
        (CountKind.CLOSE, 2),
    ]
    assert report.session.state is SessionState.CLOSED


def test_over_tolerance_a_supervisor_approves_with_one_reason_and_the_drawer_closes(
    qtbot: QtBot, ctx: Context, day: Town
) -> None:
    window = cashier_window(qtbot, ctx, day)
    wizard = _open_wizard(qtbot, window)
    _submit_count(qtbot, wizard, SHORT_FIVE, {"1043", "1044"})
    screenshot(wizard, "close-result-short", ctx.db.dialect)
    qtbot.keyClick(wizard, Qt.Key.Key_F9)
    override = opened(qtbot, window, OverrideDialog)
    qtbot.waitExposed(override)
    texts = _shown_text(override)
    assert f"Approve the over/short of session #{day.session_id}" in texts
    assert any(t.startswith("Cash short $5.00 — over tolerance") for t in texts)  # the cause
    assert override.reason.isVisible()  # one reason, asked here
    screenshot(override, "close-approve", ctx.db.dialect)
    approve(qtbot, override, "sam", "supervisor123")
    qtbot.waitUntil(lambda: wizard.outcome.text().startswith("Drawer closed"), timeout=WAIT)
    report = closeout.z_read(ctx, day.session_id, day.cashier.id)
    [step] = [s for s in report.steps if s.to_state is SessionState.CLOSED]
    assert step.approved_by == "Sam Ortega" and step.reason == "wrong account"


def test_a_check_not_ticked_is_named_at_the_foot_and_on_the_result(
    qtbot: QtBot, ctx: Context, day: Town
) -> None:
    window = cashier_window(qtbot, ctx, day)
    wizard = _open_wizard(qtbot, window)
    _count(qtbot, wizard, BALANCED)
    _enter(qtbot, wizard)
    _tick(qtbot, wizard, {"1043"})
    assert wizard.foot.text() == (
        "Ticked 1 of 2 · $100.00 — not ticked: Check #1044 $50.00, 001234-01"
    )
    _enter(qtbot, wizard)
    _enter(qtbot, wizard)
    qtbot.waitUntil(lambda: wizard.page == RESULT, timeout=WAIT)
    assert _result_lines(wizard)["Check"] == "Check short $50.00 — over tolerance"
    assert "Not in the drawer: Check #1044 $50.00, 001234-01" in wizard.said.text()


def test_under_dual_control_a_wrong_verifier_password_stores_nothing_and_a_right_one_does(
    qtbot: QtBot, ctx: Context, day: Town
) -> None:
    ctx = with_settings(
        ctx, closeout=ctx.settings.closeout.model_copy(update={"dual_control": True})
    )
    window = cashier_window(qtbot, ctx, day)
    wizard = _open_wizard(qtbot, window)
    _count(qtbot, wizard, BALANCED)
    _enter(qtbot, wizard)
    _tick(qtbot, wizard, {"1043", "1044"})
    _enter(qtbot, wizard)
    assert wizard.verifier.isVisible()
    qtbot.keyClicks(wizard.verifier, "sam")
    qtbot.keyClicks(wizard.verifier_password, "wrong-password")
    _enter(qtbot, wizard)
    qtbot.waitUntil(lambda: bool(wizard.error.text()), timeout=WAIT)
    assert wizard.page == CARD and wizard.verifier_password.text() == ""
    assert closeout.x_read(ctx, day.session_id, day.supervisor.id).close_counts == ()
    qtbot.keyClicks(wizard.verifier_password, "supervisor123")
    _enter(qtbot, wizard)
    qtbot.waitUntil(lambda: wizard.page == RESULT, timeout=WAIT)
    report = closeout.z_read(ctx, day.session_id, day.cashier.id)
    assert [c.verified_by for c in report.close_counts] == ["Sam Ortega"]


def test_log_out_with_the_drawer_open_asks_whether_to_close_it(
    qtbot: QtBot, ctx: Context, day: Town
) -> None:
    window = cashier_window(qtbot, ctx, day)
    logged_out: list[bool] = []
    window.logged_out.connect(lambda: logged_out.append(True))
    qtbot.keyClick(window, Qt.Key.Key_Q, CTRL)
    box = opened(qtbot, window, QMessageBox)
    assert f"Your drawer (session #{day.session_id}) is still open" in box.text()
    qtbot.keyClick(box, Qt.Key.Key_Escape)  # stay
    qtbot.waitUntil(lambda: window.dialog is None, timeout=WAIT)
    assert window.isVisible() and logged_out == []
    _back_on(qtbot, window)

    qtbot.keyClick(window, Qt.Key.Key_Q, CTRL)
    box = opened(qtbot, window, QMessageBox)
    qtbot.mouseClick(box.button(QMessageBox.StandardButton.Yes), Qt.MouseButton.LeftButton)
    wizard = opened(qtbot, window, CloseDrawerWizard)
    qtbot.keyClick(wizard, Qt.Key.Key_Escape)  # not now: the drawer stays open
    assert logged_out == [] and sessions.current_session(ctx, day.cashier.id) is not None
    _back_on(qtbot, window)

    qtbot.keyClick(window, Qt.Key.Key_Q, CTRL)
    box = opened(qtbot, window, QMessageBox)
    qtbot.mouseClick(box.button(QMessageBox.StandardButton.No), Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: logged_out == [True], timeout=WAIT)
    assert sessions.current_session(ctx, day.cashier.id) is not None  # still open


@pytest.mark.parametrize("screen", SCREENS, ids=lambda s: f"{s.width()}x{s.height()}")
def test_each_step_of_the_close_fits_the_screen_and_cuts_nothing(
    qtbot: QtBot, ctx: Context, day: Town, screen: QSize
) -> None:
    window = MainWindow(ctx, day.cashier, sessions.current_session(ctx, day.cashier.id))
    window.resize(screen)
    qtbot.addWidget(window)
    window.show()
    window.activateWindow()
    qtbot.waitUntil(window.isActiveWindow, timeout=WAIT)
    wizard = _open_wizard(qtbot, window)
    size = f"-{screen.width()}x{screen.height()}"
    cut: list[str] = []
    shots = size if ctx.db.dialect == "sqlite" else ""
    _submit_count(qtbot, wizard, SHORT_FIVE, {"1043"}, shots=shots, cut=cut)
    screenshot(wizard, f"close-result-short{size}", ctx.db.dialect)
    frame = wizard.frameSize()
    assert frame.width() <= screen.width() and frame.height() <= screen.height(), frame
    assert clipped(wizard) == [] and cut == []
