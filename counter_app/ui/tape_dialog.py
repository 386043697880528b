"""Closing a mail or lockbox batch with its 10-key tape ("47 items, $6,212.40"): the item
count and the total typed from the tape, then, once the tape is stored, what the batch
posted beside it and the difference. A tape that matches closes the batch; one that does
not leaves it counted, as a drawer beyond tolerance is: run the tape again (the earlier one
is kept) or a supervisor approves the difference with a reason. It collects and shows;
``controllers.end_of_day`` calls the services."""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QAction
from PySide6.QtWidgets import (
    QFormLayout,
    QGridLayout,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from counter_app.domain.closeout import Tape, TapeCheck
from counter_app.domain.denominations import MAX_COUNT_DIGITS, parse_count
from counter_app.domain.end_of_day import CloseResult, SessionSummary
from counter_app.domain.errors import CounterError, ValidationError
from counter_app.ui.end_of_day_dialog import over_short_text
from counter_app.ui.operations import Changes, WriteOp
from counter_app.ui.widgets.common import (
    Dialog,
    ErrorLabel,
    MoneyEdit,
    big_label,
    default_button,
    text_field,
)

FIGURE_COLUMNS = ("", "Tape", "Posted", "Difference")


def items_difference(check: TapeCheck) -> str:
    """Items on the tape less items posted, in words: "none", "1 more", "2 fewer"."""
    more = check.tape.items - check.posted.items
    if not more:
        return "none"
    return f"{abs(more)} {'more' if more > 0 else 'fewer'}"


class TapeDialog(Dialog):
    """The tape of one batch session: typed, submitted, its result; ``stored`` is emitted
    with each result (a tape is stored whether it matches or not)."""

    stored = Signal(object)  # CloseResult

    def __init__(
        self,
        summary: SessionSummary,
        submit: Callable[[Tape], CloseResult],
        rerun_key: QAction,
        approve_key: QAction,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.summary, self._submit = summary, submit
        self.close_result: CloseResult | None = None  # the tape shown
        self.last: CloseResult | None = None  # the last tape stored (kept on a rerun)
        self.setWindowTitle(f"Close batch #{summary.id} with its tape")
        self.addActions([rerun_key, approve_key])
        self.items = text_field("Items on the tape", "0", max_length=MAX_COUNT_DIGITS)
        self.items.setAlignment(Qt.AlignmentFlag.AlignRight)
        self.total = MoneyEdit("Tape total")
        form = QFormLayout()
        form.addRow("&Items on the tape", self.items)
        form.addRow("Tape &total", self.total)
        self.figures = QWidget()
        self.figures.setAccessibleName("Tape against posted")
        self.grid = QGridLayout(self.figures)
        self.cells: dict[tuple[str, str], QLabel] = {}
        for column, title in enumerate(FIGURE_COLUMNS):
            header = QLabel(f"<b>{title}</b>")
            header.setAlignment(Qt.AlignmentFlag.AlignRight)
            self.grid.addWidget(header, 0, column)
        for row, name in enumerate(("Items", "Total"), start=1):
            self.grid.addWidget(QLabel(name), row, 0)
            for column, title in enumerate(FIGURE_COLUMNS[1:], start=1):
                cell = QLabel()
                cell.setAlignment(Qt.AlignmentFlag.AlignRight)
                self.grid.addWidget(cell, row, column)
                self.cells[(name, title)] = cell
        self.figures.hide()
        self.words = QLabel()
        self.words.setWordWrap(True)
        self.words.setAccessibleName("Tape result")
        self.error = ErrorLabel()
        self.button = default_button("Submit the tape (Enter)", self.submit)
        self.rerun_button = self._key_button(rerun_key, "Run the tape again")
        self.approve_button = self._key_button(approve_key, "Supervisor approves")
        choices = QHBoxLayout()
        choices.addWidget(self.rerun_button)
        choices.addWidget(self.approve_button)
        layout = QVBoxLayout(self)
        layout.addWidget(
            big_label(
                f"Batch #{summary.id} · {summary.cashier} · {summary.business_date:%m/%d/%Y}",
                13,
                "Batch",
            )
        )
        intro = QLabel(
            "Type the item count and the total from the 10-key tape of the batch's checks, "
            "money orders and cash; what was posted shows after Submit."
        )
        intro.setWordWrap(True)
        layout.addWidget(intro)
        layout.addLayout(form)
        layout.addWidget(self.figures)
        layout.addWidget(self.words)
        layout.addWidget(self.error)
        layout.addLayout(choices)
        layout.addWidget(self.button)
        self._show_choices(False)
        self.setMinimumWidth(520)
        self.items.setFocus()

    def _key_button(self, action: QAction, text: str) -> QPushButton:
        button = QPushButton(f"{action.shortcut().toString()} {text}")
        button.setAutoDefault(False)
        button.clicked.connect(lambda _c=False: action.trigger())
        return button

    def _show_choices(self, shown: bool) -> None:
        self.rerun_button.setVisible(shown)
        self.approve_button.setVisible(shown)

    @property
    def waiting_for_approval(self) -> bool:
        """The tape is stored and did not match: the batch waits, counted."""
        return self.close_result is not None and not self.close_result.closed

    @property
    def check(self) -> TapeCheck | None:
        return self.close_result.count.tape if self.close_result is not None else None

    def tape(self) -> Tape:
        """The tape as typed; raises ``ValidationError`` naming the field."""
        if not self.items.text().strip():
            raise ValidationError("Type how many items the tape lists (0 or more)")
        items = parse_count(self.items.text(), "Items on the tape")
        if not self.total.text().strip():
            raise ValidationError("Type the tape's total")
        return Tape(items, self.total.money())  # Money refuses a negative amount

    def submit(self) -> None:
        """Enter: from the item count on to the total; from the total store the tape; on
        its result, done."""
        if self.close_result is not None:
            self.accept()
            return
        if self.items.hasFocus():
            self.total.setFocus()
            self.total.selectAll()
            return
        try:
            tape = self.tape()
        except CounterError as exc:
            self.error.show_error(exc)
            return
        self.button.setEnabled(False)
        WriteOp(self, lambda: self._submit(tape), Changes(session=True)).success(
            self.show_result
        ).failure(self._refused).run_in_background()

    def _refused(self, error: Exception) -> None:
        self.button.setEnabled(True)
        self.error.show_error(error)

    def show_result(self, result: CloseResult) -> None:
        """The stored tape beside what was posted, and what happens next."""
        self.close_result = self.last = result
        check = result.count.tape
        assert check is not None
        self.error.show_error(None)
        for field in (self.items, self.total):
            field.setReadOnly(True)
        figures = {
            "Items": (str(check.tape.items), str(check.posted.items), items_difference(check)),
            "Total": (
                check.tape.total.format(),
                check.posted.total.format(),
                over_short_text(check.over_short),
            ),
        }
        for name, values in figures.items():
            for title, value in zip(FIGURE_COLUMNS[1:], values, strict=True):
                self.cells[(name, title)].setText(value)
        self.figures.show()
        if result.closed:
            self.words.setText(f"Batch #{result.session_id} closed: {check.words}.")
        else:
            self.words.setText(
                f"Batch #{result.session_id} is counted, not closed: the tape does not match "
                "what was posted. Run the tape again (this tape is kept with the batch), or a "
                "supervisor approves the difference with a reason."
            )
        self._show_choices(not result.closed)
        self.button.setText("Done (Enter)")
        self.button.setEnabled(True)
        self.button.setFocus()
        self.stored.emit(result)
        self.fit()

    def rerun(self) -> bool:
        """Back to the fields after a tape that did not match (it stays stored)."""
        if not self.waiting_for_approval:
            return False
        self.close_result = None
        for field in (self.items, self.total):
            field.setReadOnly(False)
        self.figures.hide()
        self.words.clear()
        self._show_choices(False)
        self.button.setText("Submit the tape (Enter)")
        self.items.setFocus()
        self.items.selectAll()
        return True

    @property
    def outcome(self) -> str:
        """What the screen says when the dialog closes ("" when no tape was stored)."""
        last = self.last
        if last is None or last.count.tape is None:
            return ""
        state = "closed" if last.closed else "counted"
        return f"Batch #{last.session_id} {state}: {last.count.tape.words}"
