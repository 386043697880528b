"""Finding an account: search (or a scanned stub), the results, the selected account's view,
and handing the chosen account to the checkout."""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import QObject, QTimer, Signal

from counter_app.domain.accounts import AccountSummary
from counter_app.domain.money import Money
from counter_app.domain.search_keys import MAX_QUERY_WORDS
from counter_app.services import history, lookup
from counter_app.services.context import Context
from counter_app.services.lookup import MAX_RESULTS, MatchCount, SearchResult
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
        self._query = ""  # the search the results are a page of
        self._page = 0
        self._count: MatchCount | None = None  # how many it matches, when more than a page
        self._typing = QTimer(self)
        self._typing.setSingleShot(True)
        self._typing.setInterval(TYPING_PAUSE_MS)
        self._typing.timeout.connect(self._typed)
        pane.search.textEdited.connect(lambda _text: self._typing.start())
        pane.entered.connect(self._entered)
        pane.selected.connect(self._load)
        pane.add_requested.connect(self.add_selected)
        pane.page_requested.connect(self.turn_page)
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

    def search(self, query: str, *, as_typed: bool = False, page: int = 0) -> None:
        """Look up ``query`` (one page of results: ``page`` 0 first); until its answer
        nothing is selected and no account is shown (a failed search never leaves the
        previous account up to take money on). An answer that comes after a newer search was
        asked for is dropped. A first page that is full comes with how many match."""
        self._asked += 1
        asked = self._asked
        self.pane.show_hits(())  # never act on (or page through) the previous results
        self.pane.detail.clear_account()
        if not as_typed:
            self.pane.say("Searching…")

        def found(answer: tuple[SearchResult, MatchCount | None]) -> None:
            if asked == self._asked:
                self._found(query, *answer, as_typed=as_typed)

        def refused(error: Exception) -> None:
            if asked == self._asked and not as_typed:
                self.pane.say(error)

        def look_up() -> tuple[SearchResult, MatchCount | None]:
            result = lookup.search(self.ctx, query, page)
            counted = lookup.count(self.ctx, query) if result.more and not page else None
            return result, counted

        ReadOp(self, look_up).success(found).failure(refused).run_in_background()

    def turn_page(self, step: int) -> None:
        """PgDn / PgUp in the results: the next (``step`` 1) or previous page of the search
        the results show."""
        page = self._page + step
        if self._query and page >= 0:
            self.search(self._query, page=page)

    def _found(
        self, query: str, result: SearchResult, counted: MatchCount | None, *, as_typed: bool
    ) -> None:
        pane = self.pane
        self._query, self._page = query, result.page
        if result.page == 0:
            self._count = counted
        pane.show_hits(result.hits, earlier=result.page > 0, later=result.more)
        if result.page:  # turned to: the cashier is in the results
            pane.say(_how_many(result, self._count))
            pane.results.setFocus()
            return
        if as_typed:
            self.scan_amount = None
            pane.say(_how_many(result, self._count))
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
            pane.say(_how_many(result, self._count))

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


def _how_many(result: SearchResult, counted: MatchCount | None) -> str:
    """The message over the results: "3 found — ↓ and Enter adds" when that is all; else
    which of how many are shown ("50 of 217 — type more to narrow · PgDn next 50") and the
    keys to the other pages."""
    shown = len(result.hits)
    cut = f" (searched the first {MAX_QUERY_WORDS} words)" if result.cut else ""
    if not result.page and not result.more:
        return (f"{shown} found — ↓ and Enter adds" if shown else "Nothing found") + cut
    of = f" of {counted}" if counted is not None else ""
    places = f"{result.first}–{result.first + shown - 1}" if result.page else f"{shown}"
    if not shown:
        return f"No more found{of} — PgUp back"
    keys = [f"PgDn next {MAX_RESULTS}"] if result.more else []
    if result.page:
        keys.append("PgUp back")
    narrow = " — type more to narrow" if not result.page else ""
    return f"{places}{of}{narrow}{cut} · {' · '.join(keys)}"
