"""The supervisor's end-of-day screen and its forms: the business date's sessions (state as
a word and a colour), the deposit of the ticked ones (currency, coin, checks, slip number),
the payments export with the earlier exports, and the reason for an approval or reopening.
They collect and show; ``controllers.end_of_day`` calls the services."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Sequence
from typing import Any

from PySide6.QtCore import Qt
from PySide6.QtGui import QAction, QBrush, QColor, QKeyEvent
from PySide6.QtWidgets import (
    QAbstractItemView,
    QFormLayout,
    QGridLayout,
    QHeaderView,
    QLabel,
    QListWidget,
    QPushButton,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from counter_app.domain.deposits import Deposit, DepositLine, DepositLineKind
from counter_app.domain.end_of_day import SessionSummary
from counter_app.domain.money import Money
from counter_app.domain.payment_export import ExportRecord
from counter_app.domain.sessions import SessionState
from counter_app.ui.action_dialogs import FormDialog
from counter_app.ui.submit_dialog import SubmitDialog
from counter_app.ui.widgets.common import (
    Dialog,
    ErrorLabel,
    big_label,
    default_button,
    text_field,
)

# text, background: each state also has its word in the cell
STATE_COLOURS: dict[SessionState, tuple[str, str]] = {
    SessionState.OPEN: ("#ffffff", "#1f5fa8"),
    SessionState.COUNTED: ("#000000", "#ffd54f"),
    SessionState.CLOSED: ("#ffffff", "#0b6b2e"),
    SessionState.DEPOSITED: ("#ffffff", "#555555"),
}
STATE_WORDS: dict[SessionState, str] = {
    SessionState.OPEN: "OPEN",
    SessionState.COUNTED: "COUNTED — to approve",
    SessionState.CLOSED: "CLOSED — to deposit",
    SessionState.DEPOSITED: "DEPOSITED",
}
COLUMNS = ("Deposit", "#", "Cashier", "Station", "State", "Collected", "Over / short", "Slip")
TICK, NUMBER, CASHIER, STATION, STATE, COLLECTED, OVER_SHORT, SLIP = range(len(COLUMNS))


def over_short_text(amount: Money | None) -> str:
    if amount is None:
        return "not counted"
    if not amount:
        return "balanced"
    return f"{'over' if amount.is_positive else 'short'} {abs(amount).format()}"


def _cell(text: str, right: bool = False) -> QTableWidgetItem:
    item = QTableWidgetItem(text)
    item.setFlags(Qt.ItemFlag.ItemIsEnabled | Qt.ItemFlag.ItemIsSelectable)
    if right:
        item.setTextAlignment(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
    return item


class SessionTable(QTableWidget):
    """One row per session of the day; Space ticks the current row for the deposit."""

    def __init__(self) -> None:
        super().__init__(0, len(COLUMNS))
        self.setHorizontalHeaderLabels(COLUMNS)
        self.setAccessibleName("The day's sessions")
        self.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.verticalHeader().hide()
        header = self.horizontalHeader()
        header.setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        header.setSectionResizeMode(CASHIER, QHeaderView.ResizeMode.Stretch)
        self.summaries: list[SessionSummary] = []

    def show_sessions(self, summaries: Sequence[SessionSummary]) -> None:
        keep = self.currentRow()
        ticked = {s.id for s in self.ticked()}
        self.summaries = list(summaries)
        self.setRowCount(len(summaries))
        for row, s in enumerate(summaries):
            tick = QTableWidgetItem("")
            tick.setFlags(Qt.ItemFlag.ItemIsEnabled | Qt.ItemFlag.ItemIsUserCheckable)
            on = s.id in ticked and s.state is SessionState.CLOSED
            tick.setCheckState(Qt.CheckState.Checked if on else Qt.CheckState.Unchecked)
            self.setItem(row, TICK, tick)
            kind = "" if s.kind.value == "drawer" else " (batch)"
            self.setItem(row, NUMBER, _cell(f"{s.id}{kind}"))
            self.setItem(row, CASHIER, _cell(s.cashier))
            self.setItem(row, STATION, _cell(s.station))
            state = _cell(STATE_WORDS[s.state])
            fg, bg = STATE_COLOURS[s.state]
            state.setForeground(QBrush(QColor(fg)))
            state.setBackground(QBrush(QColor(bg)))
            self.setItem(row, STATE, state)
            self.setItem(row, COLLECTED, _cell(s.collected.format(), right=True))
            self.setItem(row, OVER_SHORT, _cell(over_short_text(s.over_short), right=True))
            self.setItem(row, SLIP, _cell(s.deposit_slip))
        if summaries:
            self.selectRow(min(max(keep, 0), len(summaries) - 1))

    def keyPressEvent(self, event: QKeyEvent) -> None:
        row = self.currentRow()
        if event.key() == Qt.Key.Key_Space and 0 <= row < self.rowCount():
            self.toggle(row)
            return
        super().keyPressEvent(event)

    def toggle(self, row: int) -> None:
        tick = self.item(row, TICK)
        if tick is None:
            return
        on = tick.checkState() is Qt.CheckState.Checked
        tick.setCheckState(Qt.CheckState.Unchecked if on else Qt.CheckState.Checked)

    def selected(self) -> SessionSummary | None:
        row = self.currentRow()
        return self.summaries[row] if 0 <= row < len(self.summaries) else None

    def ticked(self) -> list[SessionSummary]:
        return [
            s
            for row, s in enumerate(self.summaries)
            if (item := self.item(row, TICK)) is not None
            and item.checkState() is Qt.CheckState.Checked
        ]


class EndOfDayDialog(Dialog):
    """The day's sessions and a button per key (each runs that key's action)."""

    def __init__(self, day: dt.date, keys: Sequence[QAction], parent: QWidget | None = None):
        super().__init__(parent)
        self.day = day
        self.setWindowTitle("End of day")
        self.heading = big_label("", 14, "End of day")
        self.table = SessionTable()
        self.totals = QLabel()
        self.totals.setAccessibleName("The day's totals")
        self.message = ErrorLabel(lines=2)
        self.message.setObjectName("message")
        self.message.setAccessibleName("Message")
        self.addActions(list(keys))
        buttons = QGridLayout()
        per_row = 6
        self.buttons: dict[str, QPushButton] = {}
        for n, action in enumerate(keys):
            key = action.shortcut().toString()
            button = QPushButton(f"{key} {action.text().rstrip('…')}")
            button.setAutoDefault(False)
            button.clicked.connect(lambda _c=False, a=action: a.trigger())
            buttons.addWidget(button, n // per_row, n % per_row)
            self.buttons[key] = button
        hint = QLabel("↑↓ a session · Space ticks it for the deposit · Esc back to the counter")
        hint.setObjectName("hints")
        layout = QVBoxLayout(self)
        layout.addWidget(self.heading)
        layout.addWidget(self.table, 1)
        layout.addWidget(self.totals)
        layout.addWidget(self.message)
        layout.addLayout(buttons)
        layout.addWidget(hint)
        self.show_day(day, [])

    def show_day(self, day: dt.date, summaries: Sequence[SessionSummary]) -> None:
        self.day = day
        self.heading.setText(f"End of day · Business date {day:%m/%d/%Y}")
        self.table.show_sessions(summaries)
        waiting = {
            state: sum(1 for s in summaries if s.state is state)
            for state in (SessionState.OPEN, SessionState.COUNTED, SessionState.CLOSED)
        }
        collected = Money(sum(s.collected.cents for s in summaries))
        self.totals.setText(
            f"{len(summaries)} session(s) · collected {collected.format()} · "
            f"{waiting[SessionState.OPEN]} open · {waiting[SessionState.COUNTED]} to approve · "
            f"{waiting[SessionState.CLOSED]} to deposit"
        )
        self.table.setFocus()

    def say(self, text: str | Exception | None) -> None:
        self.message.show_error(text)


class ReasonDialog(FormDialog):
    """The signed-in supervisor's reason for approving or reopening a session."""

    def __init__(self, title: str, description: str, parent: QWidget | None = None) -> None:
        super().__init__(title, parent)
        self.reason_text = ""
        said = QLabel(description)
        said.setWordWrap(True)
        said.setAccessibleName("Action")
        self.reason = text_field("Reason")
        self.reason.returnPressed.connect(self.submit)
        form = QFormLayout()
        form.addRow("&Reason", self.reason)
        self.body.addWidget(said)
        self.body.addLayout(form)
        self.button = self.finish(title)

    def submit(self) -> None:
        if not self.reason.text().strip():
            self.error.show_error("Enter the reason")
            return
        self.reason_text = self.reason.text().strip()
        self.accept()


def _money_row(grid: QGridLayout, row: int, cells: Sequence[str], bold: bool = False) -> None:
    for column, text in enumerate(cells):
        label = QLabel(f"<b>{text}</b>" if bold else text)
        if column == len(cells) - 1:
            label.setAlignment(Qt.AlignmentFlag.AlignRight)
        grid.addWidget(label, row, column)


class DepositDialog(SubmitDialog):
    """The deposit of the ticked sessions as it would be made: currency by denomination,
    coin, checks and money orders itemised, the totals; the slip number (empty: the next
    of the day); Enter makes it."""

    def __init__(
        self, draft: Deposit, make: Callable[[str], Deposit], parent: QWidget | None = None
    ) -> None:
        super().__init__(parent)
        self.draft, self.make = draft, make
        self.deposit: Deposit | None = None
        ids = ", ".join(f"#{i}" for i in draft.session_ids)
        self.setWindowTitle("Build the deposit")
        cash = QGridLayout()
        _money_row(cash, 0, ("Currency and coin", "", ""), bold=True)
        cash_lines = draft.of(DepositLineKind.CURRENCY, DepositLineKind.COIN)
        for row, line in enumerate(cash_lines, start=1):
            quantity = f"× {line.quantity}" if line.quantity else ""
            _money_row(cash, row, (line.label, quantity, line.amount.format()))
        checks = QGridLayout()
        _money_row(checks, 0, ("Checks and money orders", "", ""), bold=True)
        for row, line in enumerate(draft.items, start=1):
            _money_row(checks, row, (_item_words(line), line.bank, line.amount.format()))
        if not draft.items:
            checks.addWidget(QLabel("none"), 1, 0)
        self.figures = QLabel(
            f"Currency {draft.currency.format()} · Coin {draft.coin.format()} · "
            f"Checks {draft.checks.format()} ({len(draft.items)}) · "
            f"<b>Total {draft.total.format()}</b> · float kept {draft.float_kept.format()}"
        )
        self.figures.setAccessibleName("Deposit totals")
        self.slip = text_field("Slip number", "empty: the next number of the day")
        self.slip.returnPressed.connect(self.submit)
        form = QFormLayout()
        form.addRow("&Slip number", self.slip)
        self.error = ErrorLabel()
        self.button = default_button("Make the deposit (Enter)", self.submit)
        layout = QVBoxLayout(self)
        layout.addWidget(
            big_label(f"Deposit of {draft.business_date:%m/%d/%Y} · sessions {ids}", 13, "Deposit")
        )
        layout.addWidget(
            QLabel(f"{draft.bank_name} · {draft.account_name} · account {draft.account_number}")
        )
        columns = QGridLayout()
        cash_box, checks_box = QWidget(), QWidget()
        cash_box.setLayout(cash)
        checks_box.setLayout(checks)
        columns.addWidget(cash_box, 0, 0, Qt.AlignmentFlag.AlignTop)
        columns.addWidget(checks_box, 0, 1, Qt.AlignmentFlag.AlignTop)
        layout.addLayout(columns)
        layout.addWidget(self.figures)
        layout.addLayout(form)
        layout.addWidget(self.error)
        layout.addWidget(self.button)
        self.slip.setFocus()

    def submit(self) -> None:
        slip = self.slip.text()
        self.submit_op(lambda: self.make(slip))

    def succeeded(self, result: Any) -> None:
        assert isinstance(result, Deposit)
        self.deposit = result


def _item_words(line: DepositLine) -> str:
    accounts = f" · {', '.join(line.accounts)}" if line.accounts else ""
    return f"{line.label}{accounts}"


class ExportDialog(SubmitDialog):
    """The payments export of the business date to a file, and the exports made before."""

    def __init__(
        self,
        day: dt.date,
        earlier: Sequence[ExportRecord],
        default_path: str,
        run: Callable[[str], ExportRecord],
        zone: dt.tzinfo,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.run = run
        self.record: ExportRecord | None = None
        self.setWindowTitle("Export payments to billing")
        self.path = text_field("Export file")
        self.path.setText(default_path)
        self.path.returnPressed.connect(self.submit)
        self.earlier = QListWidget()
        self.earlier.setAccessibleName("Earlier exports")
        for e in earlier:
            at = e.created_at.astimezone(zone)
            self.earlier.addItem(
                f"#{e.id}  {e.business_date:%m/%d/%Y}  {e.rows:,} rows  {at:%m/%d %H:%M}  "
                f"{e.username}  {e.file_name}  sha256 {e.sha256[:12]}…"
            )
        if not earlier:
            self.earlier.addItem("No export yet")
        form = QFormLayout()
        form.addRow("&File", self.path)
        self.error = ErrorLabel()
        self.button = default_button("Export (Enter)", self.submit)
        layout = QVBoxLayout(self)
        layout.addWidget(big_label(f"Export the payments of {day:%m/%d/%Y}", 13, "Export"))
        layout.addLayout(form)
        layout.addWidget(QLabel("Earlier exports, newest first:"))
        layout.addWidget(self.earlier, 1)
        layout.addWidget(self.error)
        layout.addWidget(self.button)
        self.resize(760, 420)

    def submit(self) -> None:
        path = self.path.text().strip()
        if not path:
            self.error.show_error("Type the file to write the export to")
            return
        self.submit_op(lambda: self.run(path))

    def succeeded(self, result: Any) -> None:
        assert isinstance(result, ExportRecord)
        self.record = result
