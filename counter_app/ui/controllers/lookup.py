"""Finding an account: search (or a scanned stub), the results, the selected account's view,
and handing the chosen account to the checkout."""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import QObject, QTimer, Signal

from counter_app.domain.accounts import AccountSummary
from counter_app.domain.money import Money
from counter_app.services import history, lookup
from counter_app.services.context import Context
from counter_app.services.lookup import SearchResult
from counter_app.ui.controllers.common import DialogSlot
from counter_app.ui.history_dialog import HistoryDialog
from counter_app.ui.operations import OPERATIONS, Changes, ReadOp
from counter_app.ui.widgets.search_pane import SearchPane

AddAccount = Callable[[AccountSummary, Money | None], bool]
TYPING_PAUSE_MS = 250  # search as you type once the cashier pauses this long


class LookupController(QObject):
    """Drives the ``SearchPane``; ``add(summary, stub_amount)`` puts an account in the
    cart and says whether it did."""

    blank_enter = Signal()  # Enter on an empty Find

    def __init__(
        self, ctx: Context, pane: SearchPane, add: AddAccount, parent: QObject | None = None
    ) -> None:
        super().__init__(parent)
        self.ctx, self.pane, self._add = ctx, pane, add
        self.scan_amount: Money | None = None  # the amount on the stub just scanned
        self.history_box = DialogSlot(pane.focus, self)
        self._asked = 0  # searches asked for; only the newest one's answer is shown
        self._typing = QTimer(self)
        self._typing.setSingleShot(True)
        self._typing.setInterval(TYPING_PAUSE_MS)
        self._typing.timeout.connect(self._typed)
        pane.search.textEdited.connect(lambda _text: self._typing.start())
        pane.entered.connect(self._entered)
        pane.selected.connect(self._load)
        pane.add_requested.connect(self.add_selected)
        OPERATIONS.changed.connect(self._changed)

    def _entered(self, text: str) -> None:
        self._typing.stop()
        if not text.strip():
            self.blank_enter.emit()
            return
        self.search(text)

    def _typed(self) -> None:
        """The cashier paused while typing: show what matches so far, quietly (no focus
        moves, and a query still too short to search just waits for more)."""
        text = self.pane.search.text()
        if text.strip():
            self.search(text, as_typed=True)

    def search(self, query: str, *, as_typed: bool = False) -> None:
        """Look up ``query``; until its answer nothing is selected and no account is shown
        (a failed search never leaves the previous account up to take money on). An answer
        that comes after a newer search was asked for is dropped."""
        self._asked += 1
        asked = self._asked
        self.pane.results.clear()  # never act on the previous search's results
        self.pane.detail.clear_account()
        if not as_typed:
            self.pane.say("Searching…")

        def found(result: SearchResult) -> None:
            if asked == self._asked:
                self._found(query, result, as_typed=as_typed)

        def refused(error: Exception) -> None:
            if asked == self._asked and not as_typed:
                self.pane.say(error)

        ReadOp(self, lambda: lookup.search(self.ctx, query)).success(found).failure(
            refused
        ).run_in_background()

    def _found(self, query: str, result: SearchResult, *, as_typed: bool) -> None:
        pane = self.pane
        pane.show_hits(result.hits)
        if as_typed:
            self.scan_amount = None
            pane.say(_how_many(result))
            return
        scan = result.scan
        self.scan_amount = scan.amount_due if scan else None
        if scan:
            stub = scan.amount_due.format()
            now = next((h.balance for h in result.hits if h.number == scan.account_number), None)
            if now is not None and now.max(Money(0)) != scan.amount_due:  # a stale stub
                due = now.max(Money(0))  # what Enter adds: the balance due now
                pane.say(
                    f"Stub scanned: account {scan.account_number}, stub {stub} / balance now "
                    f"{now.format()} — press Enter to add it at {due.format()}, the balance "
                    f"now (F11 then pays the stub's {stub})"
                )
            else:
                pane.say(
                    f"Stub scanned: account {scan.account_number}, amount due {stub} — press "
                    f"Enter to add it at {stub} (Tab then edits the amount)"
                )
            if result.hits:
                pane.results.setFocus()
        elif _one_exact_number(query, result):
            pane.say(f"Account {result.hits[0].number} — press Enter to add it")
            pane.results.setFocus()  # the next Enter adds it instead of searching again
        else:
            pane.say(_how_many(result))

    def _load(self, number: str) -> None:
        """Show the selected account; a late answer never paints over a newer selection."""

        def show(summary: AccountSummary) -> None:
            if self.pane.current_number() == number:
                self.pane.detail.show_account(summary)

        ReadOp(self, lambda: lookup.get_account(self.ctx, number)).success(show).failure(
            self.pane.say
        ).run_in_background()

    def _changed(self, changes: Changes) -> None:
        shown = self.pane.detail.number
        if shown is not None and shown in changes.accounts:
            self._load(shown)

    def show_history(self) -> None:
        """Ctrl+H: the history of the account shown (or selected)."""
        number = self.pane.detail.number or self.pane.current_number()
        if number is None:
            self.pane.say("Find an account first: its history shows for the one selected")
            return
        ReadOp(self, lambda: history.account_history(self.ctx, number)).success(
            lambda found: self.history_box.open(HistoryDialog(found, self.pane.window()))
        ).failure(self.pane.say).run_in_background()

    def add_selected(self) -> None:
        """Enter in the results: the selected account goes into the cart (read fresh)."""
        number = self.pane.current_number()
        if number is None:
            return
        scan_amount = self.scan_amount

        def add(summary: AccountSummary) -> None:
            if self._add(summary, scan_amount):
                self.scan_amount = None

        ReadOp(self, lambda: lookup.get_account(self.ctx, number)).success(add).failure(
            self.pane.say
        ).run_in_background()


def _one_exact_number(query: str, result: SearchResult) -> bool:
    """Exactly one account, and ``query`` is its account number (with or without the dash)."""
    if len(result.hits) != 1:
        return False
    typed = query.strip().replace("-", "").replace(" ", "")
    return typed == result.hits[0].number.replace("-", "")


def _how_many(result: SearchResult) -> str:
    return f"{len(result.hits)} found — ↓ and Enter adds" if result.hits else "Nothing found"
