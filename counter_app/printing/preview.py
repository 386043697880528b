"""The receipt on screen: the same layout as on paper, as text, and the picture a printer
simulator drew of it where the station has one (``make run``)."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import replace
from pathlib import Path

from counter_app.domain.receipt import Receipt
from counter_app.printing.layout import ReceiptLayout
from drivers.paper import Code, Cut, Feed, Line, Logo, Text

PictureFinder = Callable[[str], Path | None]


class LayoutPreview:
    """A ``ReceiptPreview``: ``layout``'s lines as text (without the logo), and the
    printed picture ``pictures(number)`` finds, if the station has such a source."""

    def __init__(self, layout: ReceiptLayout, pictures: PictureFinder | None = None) -> None:
        self.layout = replace(layout, logo=None)
        self._pictures = pictures

    def text(self, receipt: Receipt) -> str:
        return preview_text(self.layout.receipt(receipt), self.layout.width)

    @property
    def shows_pictures(self) -> bool:
        return self._pictures is not None

    def picture(self, number: str) -> Path | None:
        return self._pictures(number) if self._pictures is not None else None


def preview_text(lines: Sequence[Line], width: int) -> str:
    """The receipt as plain text, for a screen preview of what goes to paper."""
    out: list[str] = []
    for op in lines:
        if isinstance(op, Text):
            text = op.text if op.size == 1 else " ".join(op.text)
            out.append(
                text.center(width).rstrip()
                if op.align == "center"
                else text.rjust(width)
                if op.align == "right"
                else text
            )
        elif isinstance(op, Code):
            out.append(f"[{op.kind.upper()} {op.content}]".center(width).rstrip())
        elif isinstance(op, Logo):
            out.append("[logo]".center(width).rstrip())
        elif isinstance(op, Feed):
            out.extend([""] * op.lines)
        elif isinstance(op, Cut):
            out.append("- " * (width // 2))
    return "\n".join(out)
