"""Untrusted text (imports, typed references) never carries control characters: a name
holding ESC p or GS V would drive the printer (pop the drawer, cut mid-receipt)."""

from __future__ import annotations

import unicodedata

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
