"""The top of the counter screen: Find, the message line, the results and the account view.

It owns the keys that move between them: ↓ in Find goes to the results, Tab to the amount
of the last account (when ``on_tab`` takes it), Enter in the results asks to add the
account, PgDn / PgUp (in Find or the results) ask for the next / previous page of results
when there is one, and digits typed in the results go to Find (a stub scanned while the
results have focus)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Sequence

from PySide6.QtCore import QEvent, QObject, Qt, Signal
from PySide6.QtGui import QFont, QFontDatabase, QKeyEvent
from PySide6.QtWidgets import (
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QListWidget,
    QListWidgetItem,
    QSplitter,
    QVBoxLayout,
    QWidget,
)

from counter_app.domain.errors import CounterError
from counter_app.domain.search_keys import MAX_QUERY_CHARS
from counter_app.services.lookup import AccountHit
from counter_app.ui.widgets.account_view import AccountView
from counter_app.ui.widgets.common import reserve_lines

BALANCE_WIDTH = 11  # "$123,456.78"
MIN_TEXT = 8


def _flag(hit: AccountHit) -> str:
    return "" if hit.status.value == "active" else hit.status.label.split()[0]


def _fit(text: str, width: int) -> str:
    """``text`` in ``width`` characters: padded, or cut with "…" as its last one."""
    return f"{text:<{width}}" if len(text) <= width else text[: width - 1] + "…"


class SearchPane(QWidget):
    """Find box, message line, results list and account view."""

    entered = Signal(str)  # Enter in Find, with what is typed
    add_requested = Signal()  # Enter or a double click in the results
    selected = Signal(str)  # the account number now current in the results
    page_requested = Signal(int)  # PgDn (1) / PgUp (-1): the next / previous page

    def __init__(
        self,
        zone: dt.tzinfo,
        on_tab: Callable[[], bool],
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self._on_tab = on_tab
        self.search = QLineEdit()
        self.search.setPlaceholderText(
            "Account number, name, address, meter, phone — or scan a bill stub any time"
        )
        self.search.setAccessibleName("Find account")
        self.search.setMaxLength(MAX_QUERY_CHARS)  # a search reads no more (bounded_query)
        self.search.returnPressed.connect(lambda: self.entered.emit(self.search.text()))
        self.search.installEventFilter(self)
        self.message = QLabel("")
        self.message.setObjectName("message")
        self.message.setAccessibleName("Message")
        self.message.setWordWrap(True)
        reserve_lines(self.message, 2)  # a message never pushes the results down
        self.results = QListWidget()
        self.results.setAccessibleName("Results")
        self.results.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.results.currentItemChanged.connect(self._current_changed)
        self.results.itemDoubleClicked.connect(lambda _item: self.add_requested.emit())
        self.results.installEventFilter(self)
        self._hits: tuple[AccountHit, ...] = ()
        self._earlier = self._later = False  # pages before / after the one shown
        self.detail = AccountView(zone)
        big = QFont(self.font())
        big.setPointSize(12)
        self.search.setFont(big)
        fixed = QFontDatabase.systemFont(QFontDatabase.SystemFont.FixedFont)
        fixed.setPointSize(11)
        self.results.setFont(fixed)  # columns of numbers and amounts line up

        find_row = QHBoxLayout()
        label = QLabel("[F2] Find:")
        label.setBuddy(self.search)
        find_row.addWidget(label)
        find_row.addWidget(self.search, 1)
        results_box = QVBoxLayout()
        results_box.setContentsMargins(0, 0, 0, 0)
        results_box.addWidget(QLabel("RESULTS (↑↓, Enter adds)"))
        results_box.addWidget(self.results, 1)
        results_pane = QWidget()
        results_pane.setLayout(results_box)
        split = QSplitter()
        split.addWidget(results_pane)
        split.addWidget(self.detail)
        split.setSizes([700, 660])
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addLayout(find_row)
        layout.addWidget(self.message)
        layout.addWidget(split, 1)

    # --- what it shows ------------------------------------------------------------------
    def say(self, text: str | Exception) -> None:
        """Show a message (or an error's message) above the results."""
        if isinstance(text, Exception) and not isinstance(text, CounterError):
            text = f"Something went wrong: {text}"
        self.message.setText(str(text))

    def withdraw(self, text: str) -> None:
        """Take ``text`` off the message line if it is still what the line says."""
        if self.message.text() == text:
            self.message.clear()

    def focus(self) -> None:
        """Back to Find with its text selected (a scan or new query replaces it)."""
        self.window().activateWindow()  # back from a dialog: the keys work here again
        self.search.setFocus()
        self.search.selectAll()

    def show_hits(
        self, hits: Sequence[AccountHit], *, earlier: bool = False, later: bool = False
    ) -> None:
        """One page of results; ``earlier`` / ``later``: PgUp / PgDn have a page to show."""
        self._hits = tuple(hits)
        self._earlier, self._later = earlier, later
        self.results.clear()
        for line, hit in zip(self._lines(), hits, strict=True):
            item = QListWidgetItem(line)
            item.setToolTip(f"{hit.customer_name} · {hit.service_address} · {hit.status.label}")
            item.setData(Qt.ItemDataRole.UserRole, hit.number)
            self.results.addItem(item)
        if hits:
            self.results.setCurrentRow(0)

    def _lines(self) -> list[str]:
        """One line per hit in columns that fit the list's width: number, balance and
        status whole, then name and address sharing the rest, a long one ending in "…"."""
        hits = self._hits
        flags = [_flag(h) for h in hits]
        flag_width = max((len(f) for f in flags), default=0)
        char = max(self.results.fontMetrics().horizontalAdvance("M"), 1)
        chars = (self.results.viewport().width() - 8) // char
        free = max(chars - (9 + 2 + BALANCE_WIDTH + 2 + flag_width + 4), 2 * MIN_TEXT)
        name_width = max(free * 11 // 20, MIN_TEXT)
        address_width = max(free - name_width, MIN_TEXT)
        return [  # the status before the name: a narrow list cuts the address, not the flag
            (
                f"{h.number}  {h.balance.format():>{BALANCE_WIDTH}}  {flag:<{flag_width}}  "
                f"{_fit(h.customer_name, name_width)}  {_fit(h.service_address, address_width)}"
            ).rstrip()
            for h, flag in zip(hits, flags, strict=True)
        ]

    def _relayout_results(self) -> None:
        for row, line in enumerate(self._lines()):
            item = self.results.item(row)
            if item is not None:
                item.setText(line)

    def current_number(self) -> str | None:
        """The account number selected in the results, if any."""
        item = self.results.currentItem()
        return None if item is None else str(item.data(Qt.ItemDataRole.UserRole))

    def reset(self) -> None:
        """Empty Find, results and account view (after a payment, or Esc)."""
        self.search.clear()
        self.results.clear()
        self._earlier = self._later = False
        self.detail.clear_account()

    # --- keys ---------------------------------------------------------------------------
    def _current_changed(self, item: QListWidgetItem | None, _prev: object = None) -> None:
        if item is not None:
            self.selected.emit(str(item.data(Qt.ItemDataRole.UserRole)))

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if event.type() == QEvent.Type.Resize and watched is self.results:
            self._relayout_results()
        if event.type() != QEvent.Type.KeyPress:
            return super().eventFilter(watched, event)
        assert isinstance(event, QKeyEvent)
        key = event.key()
        if watched in (self.search, self.results):
            step = {Qt.Key.Key_PageDown: 1, Qt.Key.Key_PageUp: -1}.get(Qt.Key(key), 0)
            if (step == 1 and self._later) or (step == -1 and self._earlier):
                self.page_requested.emit(step)
                return True
        if watched is self.search:
            if key == Qt.Key.Key_Down and self.results.count():
                self.results.setFocus()
                return True
            if key == Qt.Key.Key_Tab and self._on_tab():
                return True
        if watched is self.results:
            if key in (Qt.Key.Key_Return, Qt.Key.Key_Enter):
                self.add_requested.emit()
                return True
            if event.text().isdigit():
                self.search.clear()
                self.search.setFocus()
                self.search.insert(event.text())
                return True
        return super().eventFilter(watched, event)
