"""Every key of the counter screen, in one list: the window's actions and shortcuts, the F12
menu, the hint line under the totals and the F1 key map are all built from ``KEYS``, so they
can never disagree."""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum


class Where(StrEnum):
    COUNTER = "Counter"  # works anywhere on the counter screen
    TRANSACTION = "Transaction"  # works in the transaction table / tender list
    MENU = "Menu (F12)"  # also listed in the F12 menu


@dataclass(frozen=True)
class KeyBinding:
    key: str  # a QKeySequence string: "F5", "Ctrl+N", "Esc"
    text: str  # what it does, in words
    slot: str  # the MainWindow method it calls
    where: Where = Where.COUNTER
    hint: str = ""  # short form for the hint line under the totals ("" = not shown there)


KEYS: tuple[KeyBinding, ...] = (
    KeyBinding("F1", "Show the keys", "show_keys", hint="F1 Keys"),
    KeyBinding("F2", "Find an account (or scan a bill stub any time)", "focus_search"),
    KeyBinding("F5", "Cash", "tender_cash", hint="F5 Cash"),
    KeyBinding("F6", "Check", "tender_check", hint="F6 Check"),
    KeyBinding("F7", "Money order", "tender_money_order", hint="F7 Money order"),
    KeyBinding("F8", "Card", "tender_card", hint="F8 Card"),
    KeyBinding(
        "F9", "Complete (same as Enter on an empty Find)", "complete", hint="F9/Enter Complete"
    ),
    KeyBinding(
        "F10",
        "Pay only what keeps the service on (selected account)",
        "pay_to_keep_service",
        hint="F10 Past due only",
    ),
    KeyBinding(
        "Esc",
        "Clear what is not posted (with tenders entered: press Esc twice)",
        "clear",
        hint="Esc Clear",
    ),
    KeyBinding(
        "Del",
        "Remove the selected account line or tender",
        "remove_selected",
        Where.TRANSACTION,
        hint="Del Remove",
    ),
    KeyBinding("F12", "Menu", "show_menu", hint="F12 Menu"),
    KeyBinding("Ctrl+I", "Paid-in…", "paid_in", Where.MENU),
    KeyBinding("Ctrl+O", "Paid-out…", "paid_out", Where.MENU),
    KeyBinding("Ctrl+D", "Drop to safe…", "drop", Where.MENU),
    KeyBinding("Ctrl+N", "No sale (open the drawer)…", "no_sale", Where.MENU),
    KeyBinding(
        "Ctrl+K", "Open the drawer again (after it failed to open)", "open_drawer_again", Where.MENU
    ),
    KeyBinding("F3", "Reprint a receipt…", "ask_reprint", Where.MENU),
    KeyBinding("F4", "Void a receipt (supervisor)…", "ask_void", Where.MENU),
    KeyBinding("Ctrl+R", "Returned check (supervisor)…", "ask_returned_check", Where.MENU),
    KeyBinding("Ctrl+P", "Show the last receipt", "toggle_receipt", Where.MENU),
    KeyBinding("Ctrl+S", "Status of the database, printer and drawer", "show_status", Where.MENU),
    KeyBinding("Ctrl+L", "Lock the screen", "lock", Where.MENU),
    KeyBinding("Ctrl+Q", "Log out", "log_out", Where.MENU),
)

MOVES = (
    ("↓", "From Find to the results"),
    ("Enter", "In the results: add the account · in Find: search (empty Find: Complete)"),
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
    left = _rows(Where.COUNTER.value, groups[Where.COUNTER]) + _rows(
        Where.TRANSACTION.value, groups[Where.TRANSACTION]
    )
    right = _rows(Where.MENU.value, groups[Where.MENU]) + _rows("Moving around", list(MOVES))
    column = "<td valign=top><table cellspacing=3>{}</table></td>"
    return (
        "<table cellspacing=8><tr>"
        + column.format("".join(left))
        + column.format("".join(right))
        + "</tr></table>"
    )
