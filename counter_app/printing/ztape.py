"""A session's X read (open) or Z tape (counted) on the receipt printer: the same figures as
the drawer balancing report, from the same ``DrawerReport``, as printer-neutral lines.

Collections by tender, the expected cash worked out line by line, expected against counted
with over/short per tender, every voided receipt and no-sale opening listed, the counts and
recounts, and on the Z the audit chain's head. Pure."""

from __future__ import annotations

import datetime as dt
from zoneinfo import ZoneInfo

from counter_app.domain.counts import CountKind
from counter_app.domain.end_of_day import DrawerReport
from counter_app.domain.receipt import TenderKind
from counter_app.domain.report_figures import ChainHead
from counter_app.domain.sessions import SessionState
from counter_app.printing.layout import local_time, row, safe, wrapped
from drivers.paper import Cut, Feed, Line, Text


def _title(report: DrawerReport, width: int, office: str) -> list[Line]:
    word = "X READ" if report.session.state is SessionState.OPEN else "Z TAPE"
    ops: list[Line] = [Text(part, "center", bold=True) for part in wrapped(office, width)]
    ops += [Text("*" * width, "center", bold=True)]
    ops += [Text(part, "center", bold=True, size=2) for part in wrapped(word, width // 2)]
    return [*ops, Text("*" * width, "center", bold=True), Feed()]


def _session(report: DrawerReport, width: int, tz: ZoneInfo | None) -> list[Line]:
    s = report.session
    ops = row("Session", f"#{s.id} {s.kind.value} at {s.station}", width, bold=True)
    ops += row("Cashier", s.cashier, width)
    ops += row("Business date", f"{s.business_date:%m/%d/%Y}", width)
    ops += row("Opened", local_time(s.opened_at, tz), width)
    ops += row("Read at", local_time(report.at, tz), width)
    ops += row("State", s.state.label, width)
    ops += row("Receipts posted", str(report.receipts), width)
    return list(ops)


def _clock(moment: dt.datetime, tz: ZoneInfo | None) -> str:
    """``04:15 PM``: the time of day, for what happened within the session."""
    return (moment.astimezone(tz) if tz is not None else moment).strftime("%I:%M %p")


def _section(title: str, width: int) -> list[Line]:
    return [Text("-" * width), Text(title, bold=True)]


def _figures(report: DrawerReport, width: int) -> list[Line]:
    a = report.activity
    ops: list[Line] = _section("COLLECTIONS BY TENDER", width)
    for kind in report.expected:
        ops += row(kind.label, a.tendered_of(kind).format(), width)
    ops += row("Change given", (-a.change_given).format(), width)
    ops += row("Collected", a.collected.format(), width, bold=True)
    if a.returned_checks:
        ops += row("Returned checks", a.returned_checks.format(), width)
    ops += _section("CASH", width)
    for label, amount in (
        ("Opening float", a.opening_float),
        ("Cash tendered", a.tendered_of(TenderKind.CASH)),
        ("Change given", -a.change_given),
        ("Paid-ins", a.paid_in),
        ("Paid-outs", -a.paid_out),
        ("Drops", -a.drops),
    ):
        ops += row(label, amount.format(), width)
    ops += row("EXPECTED CASH", report.expected[TenderKind.CASH].format(), width, bold=True)
    return ops


def _balance(report: DrawerReport, width: int) -> list[Line]:
    ops: list[Line] = _section("EXPECTED / COUNTED", width)
    for line in report.balance.lines:
        ops += row(f"{line.kind.label} expected", line.expected.format(), width)
        if line.counted is not None and line.over_short is not None:
            ops += row("  counted", line.counted.format(), width)
            ops += row("  over/short", line.over_short.format(), width, bold=bool(line.over_short))
    if report.balance.counted:
        for words in report.balance.words:
            ops += [Text(part) for part in wrapped(words, width)]
    return ops


def _lists(report: DrawerReport, width: int, tz: ZoneInfo | None) -> list[Line]:
    ops: list[Line] = _section(f"VOIDED RECEIPTS ({len(report.voids)})", width)
    for v in report.voids:
        ops += row(v.receipt, v.amount.format(), width)
        ops += [Text(p) for p in wrapped(f"void {v.void_receipt} {_clock(v.at, tz)}", width, "  ")]
        said = v.reason + (f"; approved by {v.approved_by}" if v.approved_by else "")
        ops += [Text(p) for p in wrapped(said, width, "  ")]
    ops += _section(f"NO-SALE OPENINGS ({len(report.no_sales)})", width)
    for m in report.no_sales:
        ops += row(_clock(m.at, tz), m.cashier, width)
        ops += [Text(p) for p in wrapped(m.reason, width, "  ")]
    others = [m for m in report.movements if m not in report.no_sales]
    ops += _section(f"PAID-INS, PAID-OUTS, DROPS ({len(others)})", width)
    for m in others:
        ops += row(f"{m.kind.label} {_clock(m.at, tz)}", m.amount.format(), width)
        ops += [Text(p) for p in wrapped(m.reason, width, "  ")]
    ops += _section(f"COUNTS ({len(report.counts)})", width)
    for c in report.counts:
        who = c.counted_by + (f", verified {c.verified_by}" if c.verified_by else "")
        ops += row(f"{c.kind.value} {c.attempt}", _clock(c.counted_at, tz), width)
        ops += [Text(p) for p in wrapped(who, width, "  ")]
        if c.kind is CountKind.CLOSE:
            ops += row("  over/short", c.over_short.format(), width)
    return ops


def layout_ztape(
    report: DrawerReport,
    *,
    width: int,
    tz: ZoneInfo | None,
    office: str = "",
    chain_head: ChainHead | None = None,
) -> list[Line]:
    """Everything to print for the session's X read or Z, ending with a cut."""
    ops = _title(report, width, office)
    ops += _session(report, width, tz)
    ops += _figures(report, width)
    ops += _balance(report, width)
    ops += _lists(report, width, tz)
    if chain_head is not None:
        ops += _section("AUDIT CHAIN HEAD", width)
        ops += row(f"Event #{chain_head.event_id}", chain_head.short, width)
    ops += [Text("-" * width), Feed(), Feed()]
    ops += [Text("Cashier    " + "_" * (width - 11)), Feed()]
    ops += [Text("Supervisor " + "_" * (width - 11)), Feed(), Cut()]
    return safe(ops)
