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


class Where(StrEnum):
    COUNTER = "Counter"  # works anywhere on the counter screen
    TRANSACTION = "Transaction"  # works in the transaction table / tender list
    MENU = "Menu (F12)"  # also listed in the F12 menu


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
    KeyBinding("Ctrl+Q", "Log out", Command.LOG_OUT, Where.MENU),
)

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

KEY_HINTS = "  ·  ".join(k.hint for k in KEYS if k.hint)


def _rows(title: str, pairs: list[tuple[str, str]]) -> list[str]:
    return [f"<tr><td colspan=2><b><u>{title}</u></b></td></tr>"] + [
        f"<tr><td><b>{key}</b></td><td>{text}</td></tr>" for key, text in pairs
    ]


def key_map_html() -> str:
    """The F1 key map: every binding of ``KEYS`` grouped by where it works, then the moves,
    in two columns (so it fits a 768-pixel-high screen)."""
    groups = {where: [(k.key, k.text) for k in KEYS if k.where is where] for where in Where}
    left = (
        _rows(Where.COUNTER.value, groups[Where.COUNTER])
        + _rows(Where.TRANSACTION.value, groups[Where.TRANSACTION])
        + _rows("In the cash tender", list(CASH_KEYS))
    )
    right = _rows(Where.MENU.value, groups[Where.MENU]) + _rows("Moving around", list(MOVES))
    column = "<td valign=top><table cellspacing=3>{}</table></td>"
    return (
        "<table cellspacing=8><tr>"
        + column.format("".join(left))
        + column.format("".join(right))
        + "</tr></table>"
    )
