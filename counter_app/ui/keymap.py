"""Every key of the counter screen, in one list: the window's actions and shortcuts, the F12
menu, the hint line under the totals and the F1 key map are all built from ``KEYS``, so they
can never disagree. Each key names a ``Command``; the window binds every command to the
method of the controller that carries it out (and refuses to start if one is missing)."""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum

from counter_app.domain.payments import KEEP_SERVICE


class Command(StrEnum):
    """What a key does, by name; bound to a controller's method in ``main_window``."""

    SHOW_KEYS = "show_keys"
    FIND = "find"
    CASH = "cash"
    CHECK = "check"
    MONEY_ORDER = "money_order"
    CARD = "card"
    COMPLETE = "complete"
    KEEP_SERVICE = "keep_service"
    STUB_AMOUNT = "stub_amount"
    CLEAR = "clear"
    REMOVE = "remove"
    MENU = "menu"
    PAID_IN = "paid_in"
    PAID_OUT = "paid_out"
    DROP = "drop"
    NO_SALE = "no_sale"
    DRAWER_AGAIN = "drawer_again"
    REPRINT = "reprint"
    VOID = "void"
    RETURNED_CHECK = "returned_check"
    REFUND = "refund"
    LAST_RECEIPT = "last_receipt"
    HISTORY = "history"
    STATUS = "status"
    LOCK = "lock"
    LOG_OUT = "log_out"
    CLOSE_DRAWER = "close_drawer"
    END_OF_DAY = "end_of_day"
    # closing the drawer (on the result of a count)
    RECOUNT = "recount"
    SUPERVISOR_APPROVAL = "supervisor_approval"
    # the supervisor's end-of-day screen
    APPROVE_SESSION = "approve_session"
    REOPEN_SESSION = "reopen_session"
    CLOSE_BATCH = "close_batch"
    BUILD_DEPOSIT = "build_deposit"
    DRAWER_REPORT = "drawer_report"
    DAILY_REPORT = "daily_report"
    DEPOSIT_REPORT = "deposit_report"
    PAYMENTS_REPORT = "payments_report"
    CHECKS_REPORT = "checks_report"
    EXPORT_PAYMENTS = "export_payments"
    EARLIER_DAY = "earlier_day"
    LATER_DAY = "later_day"
    # a report's preview
    PRINT_REPORT = "print_report"


class Where(StrEnum):
    COUNTER = "Counter"  # works anywhere on the counter screen
    TRANSACTION = "Transaction"  # works in the transaction table / tender list
    MENU = "Menu (F12)"  # also listed in the F12 menu
    CLOSE = "Closing the drawer (on the result)"  # the close-drawer wizard's own keys
    END_OF_DAY = "End of day (supervisor)"  # the end-of-day screen's own keys
    PREVIEW = "Report preview"  # a report's preview window


@dataclass(frozen=True)
class KeyBinding:
    key: str  # a QKeySequence string: "F5", "Ctrl+N", "Esc"
    text: str  # what it does, in words
    command: Command
    where: Where = Where.COUNTER
    hint: str = ""  # short form for the hint line under the totals ("" = not shown there)


KEYS: tuple[KeyBinding, ...] = (
    KeyBinding("F1", "Show the keys", Command.SHOW_KEYS, hint="F1 Keys"),
    KeyBinding("F2", "Find an account (or scan a bill stub any time)", Command.FIND),
    KeyBinding("F5", "Cash", Command.CASH, hint="F5 Cash"),
    KeyBinding("F6", "Check", Command.CHECK, hint="F6 Check"),
    KeyBinding("F7", "Money order", Command.MONEY_ORDER, hint="F7 Money order"),
    KeyBinding("F8", "Card", Command.CARD, hint="F8 Card"),
    KeyBinding(
        "F9",
        "Complete (same as Enter on an empty Find)",
        Command.COMPLETE,
        hint="F9/Enter Complete",
    ),
    KeyBinding(
        "F10",
        f"{KEEP_SERVICE}: pay only what keeps the service on (selected account)",
        Command.KEEP_SERVICE,
        hint=f"F10 {KEEP_SERVICE}",
    ),
    KeyBinding(
        "F11",
        "Pay a stale stub's amount instead of the balance now",
        Command.STUB_AMOUNT,
    ),
    KeyBinding(
        "Esc",
        "Clear what is not posted (with tenders entered: press Esc twice)",
        Command.CLEAR,
        hint="Esc Clear",
    ),
    KeyBinding(
        "Del",
        "Remove the selected account line or tender",
        Command.REMOVE,
        Where.TRANSACTION,
        hint="Del Remove",
    ),
    KeyBinding("F12", "Menu", Command.MENU, hint="F12 Menu"),
    KeyBinding("Ctrl+I", "Paid-in…", Command.PAID_IN, Where.MENU),
    KeyBinding("Ctrl+O", "Paid-out…", Command.PAID_OUT, Where.MENU),
    KeyBinding("Ctrl+D", "Drop to safe…", Command.DROP, Where.MENU),
    KeyBinding("Ctrl+N", "No sale (open the drawer)…", Command.NO_SALE, Where.MENU),
    KeyBinding(
        "Ctrl+K",
        "Open the drawer again (after it failed to open)",
        Command.DRAWER_AGAIN,
        Where.MENU,
    ),
    KeyBinding("F3", "Reprint a receipt…", Command.REPRINT, Where.MENU),
    KeyBinding("F4", "Void a receipt (supervisor)…", Command.VOID, Where.MENU),
    KeyBinding("Ctrl+R", "Returned check (supervisor)…", Command.RETURNED_CHECK, Where.MENU),
    KeyBinding("Ctrl+U", "Refund credit (supervisor)…", Command.REFUND, Where.MENU),
    KeyBinding("Ctrl+P", "Show the last receipt", Command.LAST_RECEIPT, Where.MENU),
    KeyBinding("Ctrl+H", "History of the account shown", Command.HISTORY, Where.MENU),
    KeyBinding("Ctrl+S", "Status of the database, printer and drawer", Command.STATUS, Where.MENU),
    KeyBinding("Ctrl+L", "Lock the screen", Command.LOCK, Where.MENU),
    KeyBinding("Ctrl+W", "Close the drawer…", Command.CLOSE_DRAWER, Where.MENU),
    KeyBinding("Ctrl+E", "End of day (supervisor)…", Command.END_OF_DAY, Where.MENU),
    KeyBinding("Ctrl+Q", "Log out", Command.LOG_OUT, Where.MENU),
    KeyBinding("F5", "Recount (the earlier count is kept)", Command.RECOUNT, Where.CLOSE),
    KeyBinding(
        "F9", "A supervisor approves the over/short", Command.SUPERVISOR_APPROVAL, Where.CLOSE
    ),
    KeyBinding("F3", "Approve over/short", Command.APPROVE_SESSION, Where.END_OF_DAY),
    KeyBinding("F4", "Reopen session", Command.REOPEN_SESSION, Where.END_OF_DAY),
    KeyBinding("F6", "Deposit ticked…", Command.BUILD_DEPOSIT, Where.END_OF_DAY),
    KeyBinding("F7", "Drawer report", Command.DRAWER_REPORT, Where.END_OF_DAY),
    KeyBinding("F8", "Daily cash", Command.DAILY_REPORT, Where.END_OF_DAY),
    KeyBinding("F9", "Deposit slip", Command.DEPOSIT_REPORT, Where.END_OF_DAY),
    KeyBinding("F11", "Payment register", Command.PAYMENTS_REPORT, Where.END_OF_DAY),
    KeyBinding("F12", "Check register", Command.CHECKS_REPORT, Where.END_OF_DAY),
    KeyBinding("F10", "Export to billing…", Command.EXPORT_PAYMENTS, Where.END_OF_DAY),
    KeyBinding("Alt+Left", "Day before", Command.EARLIER_DAY, Where.END_OF_DAY),
    KeyBinding("Alt+Right", "Day after", Command.LATER_DAY, Where.END_OF_DAY),
    KeyBinding("F5", "Batch tape…", Command.CLOSE_BATCH, Where.END_OF_DAY),
    KeyBinding("Ctrl+P", "Print (the print dialog)", Command.PRINT_REPORT, Where.PREVIEW),
)

# Keys handled by the widgets themselves, listed in the key map.
CLOSE_MOVES = (
    ("Tab", "The next count"),
    ("Enter", "The next page; on the card page: Submit"),
    ("Space", "Tick a check or money order"),
    ("Alt+B", "Back a page"),
)
END_OF_DAY_MOVES = (("Space", "Tick the session for the deposit"),)

# The keys a window other than the counter's own (where they are attached).
DIALOG_KEYS: frozenset[Where] = frozenset({Where.CLOSE, Where.END_OF_DAY, Where.PREVIEW})

CASH_KEYS = (
    ("Alt+E", "Exactly what is due"),
    ("Alt+2, 5, 1", "A $20, $50 or $100 bill"),
)

MOVES = (
    ("↓", "From Find to the results"),
    ("Enter", "In the results: add the account · in Find: search (empty Find: Complete)"),
    ("PgDn / PgUp", "In Find or the results: the next / previous 50 results"),
    ("Tab", "To the amount to pay; type the amount, Enter"),
    ("0–9", "In the results: back to Find (a second stub scan goes to Find)"),
)

KEY_MAP_WIDTH = 1000  # pixels: three columns, so the map fits a 700-pixel-high screen
KEY_HINTS = "  ·  ".join(k.hint for k in KEYS if k.hint)


def _rows(title: str, pairs: list[tuple[str, str]]) -> list[str]:
    return [f"<tr><td colspan=2><b><u>{title}</u></b></td></tr>"] + [
        f"<tr><td><b>{key}</b></td><td>{text}</td></tr>" for key, text in pairs
    ]


def key_map_html() -> str:
    """The F1 key map: every binding of ``KEYS`` grouped by where it works, then the moves,
    in three columns (so it fits a 700-pixel-high screen): the counter's, the menu's, and
    those of the close-drawer and end-of-day windows."""
    groups = {where: [(k.key, k.text) for k in KEYS if k.where is where] for where in Where}
    left = (
        _rows(Where.COUNTER.value, groups[Where.COUNTER])
        + _rows(Where.TRANSACTION.value, groups[Where.TRANSACTION])
        + _rows("In the cash tender", list(CASH_KEYS))
    )
    middle = _rows(Where.MENU.value, groups[Where.MENU]) + _rows("Moving around", list(MOVES))
    right = (
        _rows(Where.CLOSE.value, groups[Where.CLOSE] + list(CLOSE_MOVES))
        + _rows(Where.END_OF_DAY.value, groups[Where.END_OF_DAY] + list(END_OF_DAY_MOVES))
        + _rows(Where.PREVIEW.value, groups[Where.PREVIEW])
    )
    column = "<td valign=top><table cellspacing=1>{}</table></td>"
    return (
        "<table cellspacing=6><tr>"
        + "".join(column.format("".join(rows)) for rows in (left, middle, right))
        + "</tr></table>"
    )
