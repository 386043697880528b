"""What goes on paper, printer-neutral: lines of text (alignment, bold, size), a picture, a
scannable code, feeds and the cut.

``counter_app.printing`` lays receipts out in these; a printer backend turns them into its own
bytes (``drivers.printer`` into ESC/POS). Pure data: no I/O, no python-escpos.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Literal

Align = Literal["left", "center", "right"]
CodeKind = Literal["code128", "qr"]


@dataclass(frozen=True)
class Text:
    """One line of text (already fitted to the width at its size)."""

    text: str
    align: Align = "left"
    bold: bool = False
    size: int = 1  # character width and height multiplier, 1..8


@dataclass(frozen=True)
class Logo:
    """A 1-bit picture, centred (the office's logo at the top of a receipt)."""

    path: Path


@dataclass(frozen=True)
class Code:
    """``content`` as a scannable code, centred."""

    content: str
    kind: CodeKind


@dataclass(frozen=True)
class Feed:
    lines: int = 1


@dataclass(frozen=True)
class Cut:
    """Feed past the tear bar and cut; the end of a job."""


Line = Text | Logo | Code | Feed | Cut
