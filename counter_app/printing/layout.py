"""The receipt on paper: ``layout_receipt`` turns a ``Receipt`` into printer-neutral lines
(``drivers.paper``), ``layout_test_page`` the printer test page. Pure.

The layout is fixed-pitch text ``width`` characters wide (32 on 58 mm paper, 42 or 48 on
80 mm): amounts right-aligned in a column, long names and labels wrapped (never cut), VOID /
RETURNED CHECK and REPRINT banners in triple size (a reprinted VOID slip shows both), the
receipt number as a CODE128 barcode or a QR code, a cut. A REFUND slip says what goes back
to the customer and how ("Cash refunded", "Check to be issued by the office"), with a line
to sign. ``ReceiptLayout`` holds one station's choices (width, office zone, code, logo).
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import textwrap
from dataclasses import dataclass
from importlib.resources import files
from pathlib import Path
from typing import Literal
from zoneinfo import ZoneInfo

from counter_app.domain.money import Money
from counter_app.domain.receipt import Receipt, ReceiptLine, ReceiptVariant
from counter_app.domain.refunds import RefundMethod
from counter_app.domain.sessions import Movement, MovementKind
from counter_app.domain.text import printable
from drivers.paper import Code, Cut, Feed, Line, Logo, Text

BarcodeKind = Literal["code128", "qr", "none"]


def receipt_logo() -> Path | None:
    """The office logo shipped in ``resources/`` (``counter_app.resources``), if present."""
    logo = files("counter_app.resources") / "receipt_logo.png"
    return Path(str(logo)) if logo.is_file() else None


@dataclass(frozen=True)
class ReceiptLayout:
    """How one station's paper looks: ``width`` characters a line, dates in ``tz`` (None:
    the receipt's own zone), the receipt number as ``barcode``, ``logo`` on top, and the
    office named on the test page."""

    width: int = 42
    tz: ZoneInfo | None = None
    barcode: BarcodeKind = "code128"
    logo: Path | None = None
    office_name: str = ""

    def receipt(self, receipt: Receipt) -> list[Line]:
        """Everything to print for ``receipt``, ending with a cut."""
        return layout_receipt(
            receipt, width=self.width, tz=self.tz, barcode=self.barcode, logo=self.logo
        )

    def movement(self, movement: Movement) -> list[Line]:
        """The slip a paid-in, paid-out, drop or no-sale leaves in the drawer."""
        return layout_movement(movement, width=self.width, tz=self.tz, office=self.office_name)

    def test_page(self, moment: dt.datetime) -> list[Line]:
        """The printer test page, dated ``moment``."""
        return layout_test_page(self.office_name or "Counter", self.width, moment, self.tz)


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


def _banner(receipt: Receipt, width: int) -> list[Line]:
    if not receipt.banners:
        return []
    ops: list[Line] = [Text("*" * width, "center", bold=True)]
    for word in receipt.banners:  # VOID / RETURNED CHECK, then REPRINT
        ops += [Text(part, "center", bold=True, size=3) for part in wrapped(word, width // 3)]
    if receipt.variant in (ReceiptVariant.VOID, ReceiptVariant.NSF) and receipt.original_number:
        reverses = f"Reverses receipt {receipt.original_number}"
        ops += [Text(part, "center", bold=True) for part in wrapped(reverses, width)]
    said = [f"Reason: {receipt.reason}"] if receipt.reason else []
    if receipt.approved_by:
        said.append(f"Approved by {receipt.approved_by}")
    for text in said:
        ops += [Text(line, "center") for line in wrapped(text, width)]
    return [*ops, Text("*" * width, "center", bold=True), Feed()]


def _header(receipt: Receipt, width: int, tz: ZoneInfo | None) -> list[Line]:
    ops: list[Line] = [
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


def _account(line: ReceiptLine, width: int, refund: bool = False) -> list[Line]:
    ops: list[Line] = [*row("Account", line.account_number, width, bold=True)]
    ops += [Text(part) for part in wrapped(line.customer_name, width)]
    ops += [Text(part) for part in wrapped(line.service_address, width)]
    if refund:  # what goes back to the customer, as a positive amount
        ops += row("Amount refunded", (-line.amount).format(), width)
    else:
        ops += row("Amount applied", line.amount.format(), width)
    if line.balance_after.is_negative:  # an overpayment, or credit on file: said in words
        ops += row("Credit on account", (-line.balance_after).format(), width)
    else:
        ops += row("Balance after", line.balance_after.format(), width)
    ops += [Text(part) for part in wrapped(line.status_note, width, indent="  ")]
    if line.service_order:  # the crew's turn-on order, its number whole
        ops += row(f"{line.service_order_label}:", line.service_order, width, bold=True)
    return ops


def _totals(receipt: Receipt, width: int) -> list[Line]:
    rule = Text("-" * width)
    ops: list[Line] = [rule, *row("TOTAL", receipt.total.format(), width, bold=True)]
    if receipt.tenders:
        for tender in receipt.tenders:
            ops += row(tender.description, tender.amount.format(), width)
        ops += row("Tendered", receipt.tendered.format(), width)
    if receipt.change or receipt.tenders:
        ops += row("Change", receipt.change.format(), width, bold=True)
    return [*ops, rule]


def _refund_totals(receipt: Receipt, width: int) -> list[Line]:
    """How a refund goes back ("Cash refunded" / "Check to be issued by the office") and a
    line for the customer to sign for it."""
    rule = Text("-" * width)
    ops: list[Line] = [rule, *row("REFUND", (-receipt.total).format(), width, bold=True)]
    for tender in receipt.tenders:
        ops += row(RefundMethod.of(tender.kind).label, (-tender.amount).format(), width)
    return [*ops, rule, Feed(), Text("Customer " + "_" * (width - 9)), Feed()]


def layout_receipt(
    receipt: Receipt,
    *,
    width: int,
    tz: ZoneInfo | None,
    barcode: BarcodeKind = "code128",
    logo: Path | None = None,
) -> list[Line]:
    """Everything to print for ``receipt``, top to bottom, ending with a cut."""
    ops: list[Line] = [Logo(logo), Feed()] if logo is not None else []
    ops += _header(receipt, width, tz)
    rule = Text("-" * width)
    refund = receipt.variant is ReceiptVariant.REFUND
    for line in receipt.lines:
        ops += [rule, *_account(line, width, refund)]
    ops += _refund_totals(receipt, width) if refund else _totals(receipt, width)
    ops += [Text(part, "center") for part in wrapped(receipt.footer, width)]
    if barcode != "none":
        ops += [Feed(), Code(receipt.number, barcode)]
    if receipt.heading:
        ops.append(Feed())
        ops += [Text(p, "center", bold=True, size=2) for p in wrapped(receipt.heading, width // 2)]
    return safe([*ops, Cut()])


def layout_test_page(
    office_name: str, width: int, moment: dt.datetime, tz: ZoneInfo | None
) -> list[Line]:
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


def layout_movement(
    movement: Movement, *, width: int, tz: ZoneInfo | None, office: str = ""
) -> list[Line]:
    """A cash movement's slip: what, how much, why, who, approved by whom, a line to sign."""
    word = movement.kind.label.upper()
    ops: list[Line] = [Text(part, "center") for part in wrapped(office, width)]
    ops += [Text("*" * width, "center", bold=True)]
    ops += [Text(part, "center", bold=True, size=2) for part in wrapped(word, width // 2)]
    ops += [Text("*" * width, "center", bold=True), Feed()]
    if movement.kind is not MovementKind.NO_SALE:
        ops += row("Amount", movement.amount.format(), width, bold=True)
    ops += [Text(line) for line in wrapped(f"Reason: {movement.reason}", width)]
    ops += row("Date", local_time(movement.at, tz), width)
    ops += row("Station", movement.station, width)
    ops += row("Drawer session", f"#{movement.session_id}", width)
    ops += row("Cashier", movement.cashier, width)
    if movement.approved_by:
        ops += row("Approved by", movement.approved_by, width)
    ops += [Feed(), Feed(), Text("Signature " + "_" * (width - 10)), Feed(), Cut()]
    return safe(ops)


def safe(ops: list[Line]) -> list[Line]:
    """The last line of defence: every text shown as text, whatever reached the receipt
    (a control character in a name becomes ``\x1b``, never a printer command)."""
    return [
        dataclasses.replace(op, text=printable(op.text)) if isinstance(op, Text) else op
        for op in ops
    ]
