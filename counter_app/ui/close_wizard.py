"""The cashier's close-drawer wizard, four pages: the cash by denomination, the session's
checks and money orders to tick, the card batch total (and a verifier under dual control),
then — only once the count is stored — expected against counted per tender.

The first three pages never show an expected figure (the count is blind). The wizard only
collects and shows; ``controllers.closeout`` submits the count and approves a variance."""

from __future__ import annotations

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QKeyEvent
from PySide6.QtWidgets import (
    QFormLayout,
    QGridLayout,
    QHBoxLayout,
    QLabel,
    QListWidget,
    QListWidgetItem,
    QPushButton,
    QStackedWidget,
    QVBoxLayout,
    QWidget,
)

from counter_app.domain.closeout import TenderBalance
from counter_app.domain.counts import CountItem, DrawerCount
from counter_app.domain.end_of_day import CloseResult, CountSheet
from counter_app.domain.errors import CounterError, ValidationError
from counter_app.domain.money import Money, total
from counter_app.domain.sessions import SessionState
from counter_app.ui.count_dialog import DenominationGrid, mark
from counter_app.ui.widgets.common import (
    Dialog,
    ErrorLabel,
    MoneyEdit,
    big_label,
    reserve_lines,
    text_field,
)

COUNT, CHECKS, CARD, RESULT = range(4)
STEP_TITLES = (
    "1 of 3 · Count the cash",
    "2 of 3 · Tick the checks and money orders",
    "3 of 3 · Card batch total",
    "Result",
)
NEXT_LABELS = ("Next (Enter)", "Next (Enter)", "Submit count (Enter)", "Done (Enter)")
OVER_TOLERANCE_NEXT = "Over tolerance: recount (F5) or supervisor (F9)"


def line_state(line: TenderBalance) -> str:
    """The colour of a tender's result (style ``state``): balanced, within, over tolerance."""
    if not line.over_short:
        return "ok"
    return "warn" if line.within_tolerance else "bad"


class TickList(QListWidget):
    """The checks and money orders to tick: Space ticks the current one."""

    def __init__(self, items: tuple[CountItem, ...]) -> None:
        super().__init__()
        self.setAccessibleName("Checks and money orders to tick")
        for item in items:
            row = QListWidgetItem(item.words)
            row.setData(Qt.ItemDataRole.UserRole, item)
            row.setFlags(Qt.ItemFlag.ItemIsEnabled | Qt.ItemFlag.ItemIsSelectable)
            row.setCheckState(Qt.CheckState.Unchecked)
            self.addItem(row)
        if items:
            self.setCurrentRow(0)

    def keyPressEvent(self, event: QKeyEvent) -> None:
        row = self.currentItem()
        if event.key() == Qt.Key.Key_Space and row is not None:
            ticked = row.checkState() is Qt.CheckState.Checked
            row.setCheckState(Qt.CheckState.Unchecked if ticked else Qt.CheckState.Checked)
            self.setCurrentRow(min(self.currentRow() + 1, self.count() - 1))
            return
        super().keyPressEvent(event)

    def rows(self) -> list[tuple[CountItem, bool]]:
        return [
            (row.data(Qt.ItemDataRole.UserRole), row.checkState() is Qt.CheckState.Checked)
            for row in (self.item(i) for i in range(self.count()))
        ]

    def ticked(self) -> list[CountItem]:
        return [item for item, on in self.rows() if on]

    def unticked(self) -> list[CountItem]:
        return [item for item, on in self.rows() if not on]


def foot_text(ticked: list[CountItem], unticked: list[CountItem]) -> str:
    """``Ticked 2 of 3 · $300.00 — not ticked: Check #1044 (First Bank) $50.00``."""
    said = (
        f"Ticked {len(ticked)} of {len(ticked) + len(unticked)} · "
        + total(i.amount for i in ticked).format()
    )
    if unticked:
        said += " — not ticked: " + "; ".join(i.words for i in unticked)
    return said


class CloseDrawerWizard(Dialog):
    """Count → checks → card → (Submit) → result. ``submit_requested`` asks the controller
    to store the count; it answers with ``show_result`` or ``show_refusal``."""

    submit_requested = Signal()

    def __init__(self, sheet: CountSheet, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.sheet = sheet
        self.close_result: CloseResult | None = None
        self.earlier: list[CloseResult] = []  # the counts before this one, oldest first
        session = sheet.session
        self.setWindowTitle(f"Close drawer — session #{session.id} — {session.cashier}")
        self.heading = big_label(
            f"Close drawer · {session.cashier} · Station {session.station} · session #{session.id}",
            14,
            "Close drawer",
        )
        self.step = QLabel(STEP_TITLES[COUNT])
        self.step.setAccessibleName("Step")
        self.pages = QStackedWidget()
        self.pages.addWidget(self._count_page())
        self.pages.addWidget(self._checks_page())
        self.pages.addWidget(self._card_page())
        self.pages.addWidget(self._result_page())
        self.error = ErrorLabel(lines=3)
        self.back = QPushButton("&Back")
        self.back.clicked.connect(self.go_back)
        self.next = QPushButton("Next (Enter)")
        self.next.setDefault(True)
        self.next.setAutoDefault(True)
        self.next.clicked.connect(self.go_next)
        widest = max(self.next.fontMetrics().horizontalAdvance(t) for t in NEXT_LABELS)
        self.next.setMinimumWidth(widest + 32)  # its words change by page: it never jumps
        self.recount_button = QPushButton("F5 Recount")
        self.approval_button = QPushButton("F9 Supervisor")
        self.keys_hint = QLabel("")
        self.keys_hint.setObjectName("hints")
        buttons = QHBoxLayout()
        buttons.addWidget(self.keys_hint, 1)
        for button in (self.back, self.recount_button, self.approval_button, self.next):
            buttons.addWidget(button)
        layout = QVBoxLayout(self)
        layout.addWidget(self.heading)
        layout.addWidget(self.step)
        layout.addWidget(self.pages, 1)
        layout.addWidget(self.error)
        layout.addLayout(buttons)
        self._show_page(COUNT)

    # --- the pages ------------------------------------------------------------------------
    def _count_page(self) -> QWidget:
        page = QWidget()
        self.grid = DenominationGrid()
        for edit in self.grid.fields.values():
            edit.textChanged.connect(self._cash_changed)
        self.cash_total = big_label("Cash counted $0.00", 16, "Cash counted")
        column = QVBoxLayout(page)
        column.addWidget(QLabel("Count the drawer: type each count, Tab to the next."))
        column.addLayout(self.grid)
        column.addWidget(self.cash_total)
        column.addStretch(1)
        return page

    def _checks_page(self) -> QWidget:
        page = QWidget()
        self.ticks = TickList(self.sheet.items)
        self.ticks.itemChanged.connect(self._ticks_changed)
        self.foot = QLabel()
        self.foot.setAccessibleName("Ticked")
        self.foot.setWordWrap(True)
        reserve_lines(self.foot, 3)
        column = QVBoxLayout(page)
        said = (
            "Tick each one in the drawer (Space), ↑↓ to move; Enter when done."
            if self.sheet.items
            else "This session took no checks or money orders: Enter to go on."
        )
        column.addWidget(QLabel(said))
        column.addWidget(self.ticks, 1)
        column.addWidget(self.foot)
        self._ticks_changed()
        return page

    def _card_page(self) -> QWidget:
        page = QWidget()
        self.card = MoneyEdit("Card batch total")
        self.verifier = text_field("Verifier username")
        self.verifier_password = text_field("Verifier password", secret=True)
        form = QFormLayout()
        form.addRow("Card &batch total (from the terminal)", self.card)
        if self.sheet.dual_control:
            form.addRow(QLabel("Dual control: a second person verifies this count."))
            form.addRow("&Verified by", self.verifier)
            form.addRow("Their &password", self.verifier_password)
        column = QVBoxLayout(page)
        column.addLayout(form)
        column.addWidget(QLabel("Submit stores the count; only then the expected figures show."))
        column.addStretch(1)
        return page

    def _result_page(self) -> QWidget:
        page = QWidget()
        self.outcome = big_label("", 16, "Outcome")
        self.outcome.setWordWrap(True)
        self.lines = QGridLayout()
        self.lines.setHorizontalSpacing(24)
        for place, title in enumerate(("Tender", "Expected", "Counted", "Over / short")):
            header = QLabel(f"<b>{title}</b>")
            if place in (1, 2):
                header.setAlignment(Qt.AlignmentFlag.AlignRight)
            self.lines.addWidget(header, 0, place)
        self.said = QLabel()
        self.said.setWordWrap(True)
        self.said.setAccessibleName("What the count found")
        self.history = QLabel()
        self.history.setWordWrap(True)
        self.history.setAccessibleName("Earlier counts")
        column = QVBoxLayout(page)
        column.addWidget(self.outcome)
        column.addLayout(self.lines)
        column.addWidget(self.said)
        column.addWidget(self.history)
        column.addStretch(1)
        return page

    # --- moving between the pages ---------------------------------------------------------
    @property
    def page(self) -> int:
        return self.pages.currentIndex()

    def _show_page(self, index: int) -> None:
        self.pages.setCurrentIndex(index)
        self.step.setText(self._step_title(index))
        counted = self.close_result is not None and not self.close_result.closed
        self.back.setVisible(index in (CHECKS, CARD))
        self.recount_button.setVisible(index == RESULT and counted)
        self.approval_button.setVisible(index == RESULT and counted)
        self.next.setText(NEXT_LABELS[index])
        self.next.setVisible(index != RESULT or not counted)
        self.keys_hint.setText(
            "Esc: the drawer stays counted until a recount or a supervisor closes it"
            if index == RESULT and counted
            else "Esc cancels: nothing is stored until Submit"
            if index != RESULT
            else ""
        )
        focus = {COUNT: self.grid.fields["100"], CHECKS: self.ticks, CARD: self.card}
        if index in focus:
            focus[index].setFocus()
        else:
            self.next.setFocus() if self.next.isVisible() else self.recount_button.setFocus()

    def _step_title(self, index: int) -> str:
        attempt = len(self.earlier) + (1 if self.close_result is not None else 0)
        if index == RESULT or not attempt:
            return STEP_TITLES[index]
        return f"Recount {attempt + 1} · {STEP_TITLES[index]}"

    def go_next(self) -> None:
        if self.page == COUNT:
            try:
                self.grid.counts()
            except CounterError as exc:
                self.error.show_error(exc)
                return
        if self.page == CARD:
            self.submit()
            return
        if self.page == RESULT:
            self.accept()
            return
        self.error.show_error(None)
        self._show_page(self.page + 1)

    def go_back(self) -> None:
        if self.page in (CHECKS, CARD):
            self.error.show_error(None)
            self._show_page(self.page - 1)

    def keyPressEvent(self, event: QKeyEvent) -> None:
        """Enter anywhere on a page goes on (the list and the fields do not take it)."""
        if event.key() in (Qt.Key.Key_Return, Qt.Key.Key_Enter) and self.next.isVisible():
            self.go_next()
            return
        super().keyPressEvent(event)

    # --- the count ------------------------------------------------------------------------
    def _cash_changed(self) -> None:
        running, problems = self.grid.refresh()
        self.cash_total.setText(f"Cash counted {running.format()}")
        self.error.show_error(problems[0] if problems else None)

    def _ticks_changed(self) -> None:
        self.foot.setText(foot_text(self.ticks.ticked(), self.ticks.unticked()))

    def count(self) -> DrawerCount:
        """What the cashier counted; raises ``ValidationError`` naming what cannot be read."""
        cash = self.grid.counts()
        text = self.card.text().strip()
        try:
            card = Money.parse(text) if text else Money(0)
        except CounterError as exc:
            raise ValidationError(f"Card batch total: {exc}") from exc
        ticked = self.ticks.ticked()
        return DrawerCount(
            cash=cash,
            ticked=frozenset(i.tender_id for i in ticked),
            card_batch=card,
            ticked_count=len(ticked),
            ticked_total=total(i.amount for i in ticked),
        )

    def submit(self) -> None:
        try:
            self.count()
        except CounterError as exc:
            self.error.show_error(exc)
            mark(self.card, "Card" in str(exc))
            return
        mark(self.card, False)
        self.error.show_error(None)
        self.next.setEnabled(False)
        self.submit_requested.emit()

    def show_refusal(self, error: Exception) -> None:
        """The count was not stored (a wrong verifier password, a closed session…)."""
        self.next.setEnabled(True)
        self.verifier_password.clear()
        self.error.show_error(error)

    # --- the result -----------------------------------------------------------------------
    def show_result(self, result: CloseResult) -> None:
        """Expected against counted per tender, in words and colour, and what comes next."""
        self.next.setEnabled(True)
        self.error.show_error(None)
        self.close_result = result
        while self.lines.count() > 4:  # the headers stay
            item = self.lines.takeAt(4)
            if item is not None and (widget := item.widget()) is not None:
                widget.deleteLater()
        balance = result.balance
        if balance is not None:
            for row, line in enumerate(balance.lines, start=1):
                cells = (
                    line.kind.label,
                    line.expected.format(),
                    (line.counted or Money(0)).format(),
                    line.words,
                )
                for column, text in enumerate(cells):
                    label = QLabel(text)
                    if column in (1, 2):
                        label.setAlignment(Qt.AlignmentFlag.AlignRight)
                    if column == 3:
                        label.setProperty("state", line_state(line))
                        label.setAccessibleName(f"{line.kind.label} over / short")
                    self.lines.addWidget(label, row, column)
        # each tender's words are on its line: below, what is missing and what comes next
        words = [f"Not in the drawer: {item.words}" for item in result.missing]
        if result.closed:
            self.outcome.setText(f"Drawer closed · count {result.count.attempt}")
            self.outcome.setProperty("state", "ok")
            words.append("Enter: the Z tape prints and the drawer balancing report opens")
        elif result.state is SessionState.COUNTED:
            self.outcome.setText(OVER_TOLERANCE_NEXT)
            self.outcome.setProperty("state", "bad")
        for widget in (self.outcome,):
            widget.style().unpolish(widget)
            widget.style().polish(widget)
        self.said.setText("\n".join(words))
        self.history.setText(
            "\n".join(
                f"Count {r.count.attempt} (kept): "
                + "; ".join(w for w in r.words if not w.startswith("Over tolerance:"))
                for r in self.earlier
            )
        )
        self._show_page(RESULT)
        self.fit()

    def recount(self) -> bool:
        """F5 on an over-tolerance result: count again (the stored count is kept; the
        figures typed stay, to correct). False when there is nothing to recount."""
        if self.close_result is None or self.close_result.closed or self.page != RESULT:
            return False
        self.earlier.append(self.close_result)
        self.close_result = None
        self._show_page(COUNT)
        return True

    @property
    def waiting_for_approval(self) -> bool:
        result = self.close_result
        return self.page == RESULT and result is not None and not result.closed
