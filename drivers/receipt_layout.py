"""The receipt on paper: ``layout_receipt`` turns a ``Receipt`` into layout ops (pure), and
``render_ops`` drives a python-escpos ``Escpos`` object with them (thin).

The layout is fixed-pitch text ``width`` characters wide (32 on 58 mm paper, 42 or 48 on
80 mm): amounts right-aligned in a column, long names and labels wrapped (never cut), VOID /
RETURNED CHECK and REPRINT banners in triple size (a reprinted VOID slip shows both), the
receipt number as a CODE128 barcode or a QR code, a cut.
"""

from __future__ import annotations

import datetime as dt
import textwrap
from dataclasses import dataclass
from pathlib import Path
from typing import Literal
from zoneinfo import ZoneInfo

from escpos.escpos import Escpos
from escpos.magicencode import MagicEncode

from counter_app.domain.money import Money
from counter_app.domain.receipt import Receipt, ReceiptLine, ReceiptVariant

LOGO_PATH = Path(__file__).resolve().parent.parent / "resources" / "receipt_logo.png"
BarcodeKind = Literal["code128", "qr", "none"]
Align = Literal["left", "center", "right"]


# --- layout ops -----------------------------------------------------------------------------
@dataclass(frozen=True)
class Text:
    """One line of text (already fitted to the width at its size)."""

    text: str
    align: Align = "left"
    bold: bool = False
    size: int = 1  # character width and height multiplier, 1..8


@dataclass(frozen=True)
class Logo:
    path: Path


@dataclass(frozen=True)
class Code:
    """The receipt number as a scannable code."""

    content: str
    kind: Literal["code128", "qr"]


@dataclass(frozen=True)
class Feed:
    lines: int = 1


@dataclass(frozen=True)
class Cut:
    """Feed past the tear bar and cut; the end of a job."""


@dataclass(frozen=True)
class Kick:
    """A drawer pulse: pin 2 or 5, on and off times in milliseconds."""

    pin: int
    on_ms: int
    off_ms: int


Op = Text | Logo | Code | Feed | Cut | Kick


# --- pure layout ----------------------------------------------------------------------------
def columns(left: str, right: str, width: int) -> list[str]:
    """``left`` and ``right`` on one line, ``right`` flush with the right edge; when they do
    not fit, ``left`` wraps and ``right`` ends its last line or, if there is no room, follows
    on a line of its own. No character is ever dropped."""
    lines = wrapped(left, width, breaking=True)
    room = width - len(right) - 1
    if lines and len(lines[-1]) <= room:
        return [*lines[:-1], f"{lines[-1]:<{room}} {right}"]
    return [*lines, *(part.rjust(width) for part in wrapped(right, width, breaking=True))]


def row(left: str, right: str, width: int, bold: bool = False) -> list[Text]:
    """``columns`` as text ops."""
    return [Text(line, bold=bold) for line in columns(left, right, width)]


def wrapped(text: str, width: int, indent: str = "", breaking: bool = False) -> list[str]:
    """``text`` wrapped to ``width``; an empty string gives no lines. ``breaking``: split at
    any character rather than at spaces and hyphens only (for codes like ``W02-2026…``)."""
    return (
        textwrap.wrap(
            text,
            width,
            initial_indent=indent,
            subsequent_indent=indent,
            break_on_hyphens=not breaking,
        )
        or []
    )


def local_time(moment: dt.datetime, tz: ZoneInfo | None) -> str:
    """``11/23/2026 02:05 PM CST`` in the office's zone (``None``: the zone ``moment`` has)."""
    shown = moment.astimezone(tz) if tz is not None else moment
    return shown.strftime("%m/%d/%Y %I:%M %p %Z").rstrip()


def _banner(receipt: Receipt, width: int) -> list[Op]:
    if not receipt.banners:
        return []
    ops: list[Op] = [Text("*" * width, "center", bold=True)]
    for word in receipt.banners:  # VOID / RETURNED CHECK, then REPRINT
        ops += [Text(part, "center", bold=True, size=3) for part in wrapped(word, width // 3)]
    if receipt.variant in (ReceiptVariant.VOID, ReceiptVariant.NSF) and receipt.original_number:
        reverses = f"Reverses receipt {receipt.original_number}"
        ops += [Text(part, "center", bold=True) for part in wrapped(reverses, width)]
    if receipt.reason:
        ops += [Text(line, "center") for line in wrapped(f"Reason: {receipt.reason}", width)]
    return [*ops, Text("*" * width, "center", bold=True), Feed()]


def _header(receipt: Receipt, width: int, tz: ZoneInfo | None) -> list[Op]:
    ops: list[Op] = [
        Text(part, "center", bold=True) for part in wrapped(receipt.office_name, width)
    ]
    for detail in (receipt.office_address, receipt.office_phone):
        ops += [Text(part, "center") for part in wrapped(detail, width)]
    ops.append(Feed())
    ops += _banner(receipt, width)
    ops += row("Receipt", receipt.number, width, bold=True)
    ops += row("Date", local_time(receipt.posted_at, tz), width)
    ops += row("Station", receipt.station, width)
    ops += row("Cashier", receipt.cashier, width)
    return ops


def _account(line: ReceiptLine, width: int) -> list[Op]:
    ops: list[Op] = [*row("Account", line.account_number, width, bold=True)]
    ops += [Text(part) for part in wrapped(line.customer_name, width)]
    ops += [Text(part) for part in wrapped(line.service_address, width)]
    ops += row("Amount applied", line.amount.format(), width)
    ops += row("Balance after", line.balance_after.format(), width)
    ops += [Text(part) for part in wrapped(line.status_note, width, indent="  ")]
    return ops


def _totals(receipt: Receipt, width: int) -> list[Op]:
    rule = Text("-" * width)
    ops: list[Op] = [rule, *row("TOTAL", receipt.total.format(), width, bold=True)]
    if receipt.tenders:
        for tender in receipt.tenders:
            ops += row(tender.description, tender.amount.format(), width)
        ops += row("Tendered", receipt.tendered.format(), width)
    if receipt.change or receipt.tenders:
        ops += row("Change", receipt.change.format(), width, bold=True)
    return [*ops, rule]


def layout_receipt(
    receipt: Receipt,
    *,
    width: int,
    tz: ZoneInfo | None,
    barcode: BarcodeKind = "code128",
    logo: Path | None = None,
) -> list[Op]:
    """Everything to print for ``receipt``, top to bottom, ending with a cut."""
    ops: list[Op] = [Logo(logo), Feed()] if logo is not None else []
    ops += _header(receipt, width, tz)
    rule = Text("-" * width)
    for line in receipt.lines:
        ops += [rule, *_account(line, width)]
    ops += _totals(receipt, width)
    ops += [Text(part, "center") for part in wrapped(receipt.footer, width)]
    if barcode != "none":
        ops += [Feed(), Code(receipt.number, barcode)]
    if receipt.heading:
        ops.append(Feed())
        ops += [Text(p, "center", bold=True, size=2) for p in wrapped(receipt.heading, width // 2)]
    return [*ops, Cut()]


def layout_test_page(
    office_name: str, width: int, moment: dt.datetime, tz: ZoneInfo | None
) -> list[Op]:
    """A short page that shows the printer, code page and cutter work."""
    ruler = ("1234567890" * (width // 10 + 1))[:width]
    return [
        Text("PRINTER TEST", "center", bold=True, size=2),
        Text(office_name, "center"),
        Text(local_time(moment, tz), "center"),
        Text(ruler),
        *row("Accents: José Peña Müller", Money(123456).format(), width),
        Feed(),
        Cut(),
    ]


# --- the thin part: drive an Escpos object --------------------------------------------------
def render_ops(ops: list[Op], printer: Escpos, font: str = "a", init: bool = True) -> None:
    """Send ``ops`` to ``printer``; ``init`` first resets the printer (ESC @) and font."""
    if init:
        printer.hw("INIT")  # ESC @: the printer is back on code page 0 with plain text
        printer.magic = MagicEncode(printer, encoder=printer.magic.encoder)
        printer.set(font=font, align="left", bold=False, normal_textsize=True)
    for op in ops:
        if isinstance(op, Text):
            if op.size > 1:
                printer.set(custom_size=True, width=op.size, height=op.size)
            else:
                printer.set(normal_textsize=True)  # ESC ! 0, which also selects font A
            printer.set(align=op.align, bold=op.bold, font=font)
            printer.textln(op.text)
        elif isinstance(op, Logo):
            printer.set(align="center")
            printer.image(str(op.path), impl="bitImageRaster", center=False)
        elif isinstance(op, Code):
            printer.set(align="center", normal_textsize=True, bold=False, font=font)
            if op.kind == "qr":
                printer.qr(op.content, native=True, size=6)
            else:
                # _hw_barcode: barcode() in 3.1 prints "Using hardware barcode renderer" to stdout
                printer._hw_barcode(
                    "{B" + op.content, "CODE128", height=60, width=2, function_type="B"
                )
        elif isinstance(op, Feed):
            printer.ln(op.lines)
        elif isinstance(op, Kick):
            printer.cashdraw((27, ord("p"), 0 if op.pin == 2 else 1, op.on_ms // 2, op.off_ms // 2))
        else:
            printer.cut()


def preview_text(ops: list[Op], width: int) -> str:
    """The receipt as plain text, for a screen preview of what goes to paper."""
    out: list[str] = []
    for op in ops:
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
