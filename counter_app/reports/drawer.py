"""The drawer balancing report of one session: its X read (open) or Z (counted): the float,
collections by tender, cash movements, expected against counted with over/short, voids,
no-sales, every count and recount with who and when, and lines for three signatures.

Every figure is the session's ``DrawerReport`` from ``closeout`` (the one expected-figures
function); this module only lays them out."""

from __future__ import annotations

import datetime as dt

from reportlab.lib.units import inch
from reportlab.platypus import Flowable

from counter_app.domain.denominations import BY_CODE
from counter_app.domain.end_of_day import DrawerReport
from counter_app.domain.money import Money
from counter_app.domain.receipt import TenderKind
from counter_app.domain.sessions import SessionKind, SessionState
from counter_app.reports.common import (
    Grid,
    Office,
    amounts,
    day,
    facts,
    heading,
    local,
    money,
    para,
    render,
    signatures,
    spacer,
)

TITLE = "Drawer Balancing"
COUNT_HEADER = ("Count", "Counted by", "Verified by", "When", "Cash", "Checks", "M.O.", "Card")
COUNT_WIDTHS = tuple(w * inch for w in (0.8, 1.2, 1.2, 1.3, 0.8, 0.8, 0.7, 0.7))


def read_name(report: DrawerReport) -> str:
    """``X read`` while the session is open, ``Z`` once it is counted."""
    return "X read" if report.session.state is SessionState.OPEN else "Z"


def _session(report: DrawerReport, office: Office) -> Flowable:
    s = report.session
    kind = "Batch" if s.kind is SessionKind.BATCH else "Drawer"
    return facts(
        [
            (f"{kind} session", f"#{s.id} at {s.station}"),
            ("Cashier", s.cashier),
            ("Business date", day(s.business_date)),
            ("Opened", local(s.opened_at, office.zone)),
            ("State", s.state.label),
            ("Receipts posted", str(report.receipts)),
            (f"{read_name(report)} taken", local(report.at, office.zone)),
        ]
    )


def _collections(report: DrawerReport) -> Flowable:
    a = report.activity
    rows: list[tuple[str, Money | str]] = [
        (f"{kind.label} (net of voids)", a.tendered_of(kind)) for kind in report.expected
    ]
    rows += [("Change given", -a.change_given), ("Collected", a.collected)]
    if a.returned_checks:
        rows.append(("Returned checks (never in a drawer)", a.returned_checks))
    return amounts(rows, bold=(len(report.expected) + 1,), rules=(len(report.expected) + 1,))


def _cash(report: DrawerReport) -> Flowable:
    a = report.activity
    return amounts(
        [
            ("Opening float", a.opening_float),
            ("Cash tendered (net of voids)", a.tendered_of(TenderKind.CASH)),
            ("Change given", -a.change_given),
            ("Paid-ins", a.paid_in),
            ("Paid-outs", -a.paid_out),
            ("Drops to the safe", -a.drops),
            ("Expected cash", report.expected[TenderKind.CASH]),
        ],
        bold=(6,),
        rules=(6,),
    )


def _balance(report: DrawerReport) -> Flowable:
    rows = [
        (
            line.kind.label,
            money(line.expected),
            money(line.counted) if line.counted is not None else "not counted",
            money(line.over_short) if line.over_short is not None else "",
            money(line.tolerance),
        )
        for line in report.balance.lines
    ]
    b = report.balance
    foot = (
        "All tenders",
        money(b.expected_total),
        money(sum((ln.counted or Money(0) for ln in b.lines), Money(0))) if b.counted else "",
        money(b.over_short) if b.counted else "",
        "",
    )
    return Grid(
        ("Tender", "Expected", "Counted", "Over/short", "Tolerance"),
        rows,
        [w * inch for w in (1.6, 1.2, 1.2, 1.2, 1.2)],
        right=(1, 2, 3, 4),
        total=foot,
    )


def _movements(report: DrawerReport, office: Office) -> list[Flowable]:
    moved = report.movements
    said = f"Cash movements and no-sales ({len(moved)}; {len(report.no_sales)} no-sale)"
    if not moved:
        return [heading(said), para("None.")]
    return [
        heading(said),
        Grid(
            ("Kind", "When", "Reason", "By", "Approved by", "Amount"),
            [
                (
                    m.kind.label,
                    local(m.at, office.zone, date=False),
                    m.reason,
                    m.cashier,
                    m.approved_by,
                    money(m.amount),
                )
                for m in moved
            ],
            [w * inch for w in (0.8, 0.7, 2.6, 1.2, 1.2, 1.0)],
            right=(5,),
        ),
    ]


def _voids(report: DrawerReport, office: Office) -> list[Flowable]:
    said = f"Voided receipts ({len(report.voids)})"
    if not report.voids:
        return [heading(said), para("None.")]
    return [
        heading(said),
        Grid(
            ("Receipt", "Void slip", "When", "Reason", "Approved by", "Amount"),
            [
                (
                    v.receipt,
                    v.void_receipt,
                    local(v.at, office.zone, date=False),
                    v.reason,
                    v.approved_by,
                    money(v.amount),
                )
                for v in report.voids
            ],
            [w * inch for w in (1.35, 1.35, 0.7, 1.7, 1.2, 1.2)],
            right=(5,),
            total=(
                "",
                "",
                "",
                "",
                "Voided",
                money(sum((v.amount for v in report.voids), Money(0))),
            ),
        ),
    ]


def _counts(report: DrawerReport, office: Office) -> list[Flowable]:
    said = f"Counts and recounts ({len(report.counts)})"
    if not report.counts:
        return [heading(said), para("Not counted yet.")]
    rows = []
    for c in report.counts:
        figures = [money(c.counted.get(k, Money(0))) if c.counted else "" for k in report.expected]
        if c.tape is not None:
            figures = [c.tape.tape.words, "", "", ""]
        rows.append(
            (
                f"{c.kind.value} {c.attempt}",
                c.counted_by,
                c.verified_by or "—",
                local(c.counted_at, office.zone),
                *figures,
            )
        )
    story: list[Flowable] = [
        heading(said),
        Grid(COUNT_HEADER, rows, COUNT_WIDTHS, right=(4, 5, 6, 7)),
    ]
    last = report.close_counts[-1] if report.close_counts else None
    if last is not None and last.cash:
        story += [
            heading(f"Cash counted by denomination (close count {last.attempt})"),
            Grid(
                ("Denomination", "Count", "Amount"),
                [
                    (BY_CODE[code].label, str(n), money(BY_CODE[code].value * n))
                    for code, n in last.cash.items()
                ],
                [w * inch for w in (2.0, 0.8, 1.2)],
                right=(1, 2),
                total=("Cash counted", "", money(last.counted.get(TenderKind.CASH, Money(0)))),
            ),
        ]
    steps = [s for s in report.steps if s.approved_by or s.reason]
    if steps:
        story += [
            heading("Approvals and reopenings"),
            Grid(
                ("When", "Step", "By", "Approved by", "Reason"),
                [
                    (
                        local(s.at, office.zone),
                        f"{s.from_state.label} → {s.to_state.label}",
                        s.by,
                        s.approved_by,
                        s.reason,
                    )
                    for s in steps
                ],
                [w * inch for w in (1.3, 1.5, 1.2, 1.2, 2.3)],
            ),
        ]
    return story


def drawer_report_pdf(report: DrawerReport, office: Office, printed_at: dt.datetime) -> bytes:
    """The session's drawer balancing report as PDF bytes."""
    s = report.session
    story: list[Flowable] = [
        _session(report, office),
        heading("Collections by tender"),
        _collections(report),
        heading("Cash"),
        _cash(report),
        heading("Expected and counted"),
        _balance(report),
        spacer(),
        *[para(words) for words in report.balance.words if report.balance.counted],
        *_movements(report, office),
        *_voids(report, office),
        *_counts(report, office),
        spacer(12),
        signatures("Cashier", "Verifier", "Supervisor"),
    ]
    subtitle = f"Session #{s.id} · {s.station} · {s.business_date:%m/%d/%Y} · {read_name(report)}"
    return render(office, TITLE, subtitle, story, printed_at)
