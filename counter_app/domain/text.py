"""Untrusted text (imports, typed references, reasons) never carries control characters — a
name holding ESC p or GS V would drive the printer (pop the drawer, cut mid-receipt) — nor a
payment card's number."""

from __future__ import annotations

import re
import unicodedata

from counter_app.domain.account_number import luhn_digit

LINE_ENDS = frozenset("\r\n")


def first_control(text: str) -> str | None:
    """The first C0 or C1 control character in ``text`` (line ends aside), if any."""
    return next(
        (ch for ch in text if ch not in LINE_ENDS and unicodedata.category(ch) == "Cc"), None
    )


def control_refusal(label: str, text: str) -> str | None:
    """Why ``text`` cannot be taken, naming the character; None when it is all printable."""
    ch = first_control(text)
    if ch is None:
        return None
    return f"{label}: holds the control character U+{ord(ch):04X}; only printable text is taken"


def printable(text: str) -> str:
    """``text`` with every control character (line ends too) shown as ``\\xNN``: what
    reaches paper is always text, never a printer command."""
    return "".join(f"\\x{ord(ch):02x}" if unicodedata.category(ch) == "Cc" else ch for ch in text)


_DIGIT_RUN = re.compile(r"\d(?:[ -]?\d)*")


def looks_like_card_number(text: str) -> bool:
    """True when ``text`` holds a run of 13 to 19 digits (spaces or dashes between them
    allowed) that passes the Luhn check: it could be a payment card's number."""
    for match in _DIGIT_RUN.finditer(text):
        digits = re.sub(r"[ -]", "", match.group())
        if 13 <= len(digits) <= 19 and luhn_digit(digits[:-1]) == int(digits[-1]):
            return True
    return False


def card_number_refusal(label: str, text: str) -> str | None:
    """Why ``text`` cannot be stored (PCI DSS 3.3/3.4: no full card number is ever kept);
    None when it holds none."""
    if not looks_like_card_number(text):
        return None
    return (
        f"{label}: looks like a card number, which is never stored; for a card keep only "
        "its last four digits and the authorisation code"
    )


def untrusted_text_refusal(label: str, text: str) -> str | None:
    """The one check for text from outside (imports, typed references, reasons): no
    control character and no card number."""
    return control_refusal(label, text) or card_number_refusal(label, text)
