"""The denomination grid: type a count, Tab to the next; line amounts and the running total
update as you type. Used to open a drawer with its float."""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QGridLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from counter_app.domain.denominations import (
    BY_CODE,
    DENOMINATIONS,
    MAX_COUNT_DIGITS,
    count_total,
    line_amount,
    parse_count,
)
from counter_app.domain.errors import CounterError
from counter_app.domain.money import Money
from counter_app.domain.sessions import SessionInfo
from counter_app.domain.users import Role, UserInfo
from counter_app.services import sessions
from counter_app.services.context import Context
from counter_app.ui.operations import Changes
from counter_app.ui.submit_dialog import SubmitDialog
from counter_app.ui.widgets.common import ErrorLabel, big_label, default_button, text_field


class DenominationGrid(QGridLayout):
    """One row per denomination (bills left; coins, then rolls, right): count field, line
    amount. A field that does not hold a
    count is marked (property ``bad``) as soon as it is typed."""

    def __init__(self) -> None:
        super().__init__()
        self.setColumnMinimumWidth(3, 24)  # between the two sides
        self.fields: dict[str, QLineEdit] = {}
        self.amounts: dict[str, QLabel] = {}
        rows = {"currency": 0, "coin": 0, "rolled": 0}
        for d in DENOMINATIONS:
            side = 0 if d.kind == "currency" else 4  # bills on the left, coin on the right
            row = rows[d.kind] + (rows["coin"] if d.kind == "rolled" else 0)
            rows[d.kind] += 1
            edit = text_field(d.label, max_length=MAX_COUNT_DIGITS)
            edit.setAlignment(Qt.AlignmentFlag.AlignRight)
            edit.setMaximumWidth(90)
            amount = QLabel("0.00")
            amount.setAlignment(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
            amount.setMinimumWidth(110)  # the largest line: 100,000 × $100.00
            self.addWidget(QLabel(d.label), row, side)
            self.addWidget(edit, row, side + 1)
            self.addWidget(amount, row, side + 2)
            self.fields[d.code] = edit
            self.amounts[d.code] = amount

    def counts(self) -> dict[str, int]:
        """The counts typed; raises ``ValidationError`` naming the bad line."""
        return {
            code: parse_count(edit.text(), BY_CODE[code].label)
            for code, edit in self.fields.items()
        }

    def refresh(self) -> tuple[Money, list[str]]:
        """Redraw the line amounts and marks; the total of the good lines and every
        problem, in grid order."""
        running, problems = Money(0), []
        for code, edit in self.fields.items():
            try:
                amount = line_amount(code, parse_count(edit.text(), BY_CODE[code].label))
            except CounterError as exc:
                problems.append(str(exc))
                amount = Money(0)
                mark(edit, True)
            else:
                mark(edit, False)
            self.amounts[code].setText(str(amount))
            running += amount
        return running, problems


def mark(field: QWidget, bad: bool) -> None:
    """Show ``field`` as holding something that cannot be used (style: ``[bad="true"]``)."""
    if field.property("bad") != bad:
        field.setProperty("bad", bad)
        field.style().unpolish(field)
        field.style().polish(field)


SHOWN_PROBLEMS = 3


class OpenDrawerDialog(SubmitDialog):
    """Count the starting float; accepted with ``self.session`` opened."""

    def __init__(self, ctx: Context, user: UserInfo) -> None:
        super().__init__()
        self.ctx, self.user = ctx, user
        self.session: SessionInfo | None = None
        self.supervising = False  # accepted with no drawer: a supervisor's end of day
        self.setWindowTitle(f"Open drawer — {user.full_name} — Station {ctx.station}")
        self.grid = DenominationGrid()
        for edit in self.grid.fields.values():
            edit.textChanged.connect(self._update)
        self.total = big_label("Float $0.00", 18, "Float total")
        self.error = ErrorLabel()
        self.button = default_button("Open drawer", self.submit)
        layout = QVBoxLayout(self)
        layout.addWidget(
            big_label(f"Open drawer · {user.full_name} · Station {ctx.station}", 14, "Open drawer")
        )
        layout.addWidget(QLabel("Count the starting cash: type each count, Tab to the next."))
        layout.addLayout(self.grid)
        layout.addWidget(self.total)
        layout.addWidget(self.error)
        layout.addWidget(self.button)
        if user.role in (Role.SUPERVISOR, Role.ADMIN):  # end of day needs no drawer of theirs
            supervise = QPushButton("Supervise without a drawer (end of day, Ctrl+E)")
            supervise.setAccessibleName("Supervise without a drawer")
            supervise.clicked.connect(self.supervise)
            layout.addWidget(supervise)
        lines = self.error.fontMetrics().lineSpacing() * (SHOWN_PROBLEMS + 1)
        self.error.setFixedHeight(lines)  # room for the problems: the dialog never jumps
        self.setFixedSize(self.sizeHint())

    def supervise(self) -> None:
        """Go on to the counter screen with no drawer open: the supervisor's end of day
        (approvals, deposits, reports, export); taking money still needs a drawer."""
        self.supervising = True
        self.accept()

    def _update(self) -> None:
        running, problems = self.grid.refresh()
        self.total.setText(f"Float {running.format()}")
        shown = problems[:SHOWN_PROBLEMS]
        if len(problems) > SHOWN_PROBLEMS:
            shown.append(f"… and {len(problems) - SHOWN_PROBLEMS} more marked in red")
        self.error.show_error("\n".join(shown) if shown else None)

    def submit(self) -> None:
        try:
            counts = self.grid.counts()
        except CounterError as exc:
            self.error.show_error(exc)
            return
        if not count_total(counts):
            self.error.show_error("The float is $0.00: count the cash in the drawer")
            return
        self.submit_op(
            lambda: sessions.open_session(self.ctx, self.user.id, counts), Changes(session=True)
        )

    def succeeded(self, result: Any) -> None:
        assert isinstance(result, SessionInfo)
        self.session = result
