"""The denomination grid: type a count, Tab to the next; line amounts and the running total
update as you type. Used to open a drawer with its float."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QDialog,
    QGridLayout,
    QLabel,
    QLineEdit,
    QVBoxLayout,
)

from counter_app.domain.denominations import (
    BY_CODE,
    DENOMINATIONS,
    count_total,
    line_amount,
    parse_count,
)
from counter_app.domain.errors import CounterError
from counter_app.domain.money import Money
from counter_app.domain.sessions import SessionInfo
from counter_app.domain.users import UserInfo
from counter_app.services import sessions
from counter_app.services.context import Context
from counter_app.ui.operations import Changes, WriteOp
from counter_app.ui.widgets.common import ErrorLabel, big_label, default_button


class DenominationGrid(QGridLayout):
    """One row per denomination: count field, line amount."""

    def __init__(self) -> None:
        super().__init__()
        self.fields: dict[str, QLineEdit] = {}
        self.amounts: dict[str, QLabel] = {}
        for row, d in enumerate(DENOMINATIONS):
            edit = QLineEdit()
            edit.setAccessibleName(d.label)
            edit.setAlignment(Qt.AlignmentFlag.AlignRight)
            edit.setMaximumWidth(90)
            amount = QLabel("0.00")
            amount.setAlignment(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
            amount.setMinimumWidth(90)
            self.addWidget(QLabel(d.label), row, 0)
            self.addWidget(edit, row, 1)
            self.addWidget(amount, row, 2)
            self.fields[d.code] = edit
            self.amounts[d.code] = amount

    def counts(self) -> dict[str, int]:
        """The counts typed; raises ``ValidationError`` naming the bad line."""
        return {
            code: parse_count(edit.text(), BY_CODE[code].label)
            for code, edit in self.fields.items()
        }


class OpenDrawerDialog(QDialog):
    """Count the starting float; accepted with ``self.session`` opened."""

    def __init__(self, ctx: Context, user: UserInfo) -> None:
        super().__init__()
        self.ctx, self.user = ctx, user
        self.session: SessionInfo | None = None
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

    def _update(self) -> None:
        running = Money(0)
        problem = None
        for code, edit in self.grid.fields.items():
            try:
                amount = line_amount(code, parse_count(edit.text(), BY_CODE[code].label))
            except CounterError as exc:
                problem = exc
                amount = Money(0)
            self.grid.amounts[code].setText(str(amount))
            running += amount
        self.total.setText(f"Float {running.format()}")
        self.error.show_error(problem)

    def submit(self) -> None:
        try:
            counts = self.grid.counts()
        except CounterError as exc:
            self.error.show_error(exc)
            return
        if not count_total(counts):
            self.error.show_error("The float is $0.00: count the cash in the drawer")
            return
        self.button.setEnabled(False)
        WriteOp(
            self,
            lambda: sessions.open_session(self.ctx, self.user.id, counts),
            Changes(session=True),
        ).success(self._opened).failure(self._failed).run_in_background()

    def _opened(self, session: SessionInfo) -> None:
        self.session = session
        self.accept()

    def _failed(self, error: Exception) -> None:
        self.button.setEnabled(True)
        self.error.show_error(error)
