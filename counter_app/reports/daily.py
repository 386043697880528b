"""The daily cash report of a business date: every session and its state, totals by tender,
net collections as one labelled figure, their distribution to GL codes, the cash movements,
the deposits, the voids and returned checks listed, and the audit chain's head hash."""

from __future__ import annotations

import datetime as dt

from reportlab.lib.units import inch
from reportlab.platypus import Flowable

from counter_app.domain.money import Money, total
from counter_app.domain.report_figures import DailyCash, RegisterEntry
from counter_app.reports.common import (
    Grid,
    Office,
    amounts,
    day,
    heading,
    local,
    money,
    para,
    render,
    spacer,
)

TITLE = "Daily Cash Report"
SESSION_HEADER = (
    "Session",
    "Kind",
    "Cashier",
    "Station",
    "State",
    "Deposit",
    "Collected",
    "Over/short",
)
SESSION_WIDTHS = tuple(w * inch for w in (0.7, 0.65, 1.45, 0.65, 0.85, 1.2, 1.0, 1.0))
REVERSAL_HEADER = ("Slip", "Reverses", "When", "Station", "Accounts", "Reason", "Amount")
REVERSAL_WIDTHS = tuple(w * inch for w in (1.3, 1.3, 0.95, 0.55, 0.9, 1.5, 1.0))


def _sessions(report: DailyCash) -> Grid:
    rows = [
        (
            f"#{s.id}",
            s.kind.value,
            s.cashier,
            s.station,
            s.state.label,
            s.deposit_slip,
            money(s.collected),
            money(s.over_short) if s.over_short is not None else "not counted",
        )
        for s in report.sessions
    ]
    collected = total(s.collected for s in report.sessions)
    return Grid(
        SESSION_HEADER,
        rows,
        SESSION_WIDTHS,
        right=(6, 7),
        total=(
            f"{len(rows)}",
            "sessions",
            "",
            "",
            "",
            "",
            money(collected),
            money(report.over_short),
        ),
    )


def _collections(report: DailyCash) -> list[Flowable]:
    by_tender: list[tuple[str, Money | str]] = [
        (f"{kind.label}{' (less change given)' if n == 0 else ''}", amount)
        for n, (kind, amount) in enumerate(report.by_tender)
    ]
    by_tender.append(("Returned checks", report.activity.returned_checks))
    by_tender.append(("NET COLLECTIONS", report.net_collections))
    by_kind: list[tuple[str, Money | str]] = [
        ("Payments", report.payments),
        (f"Voids ({len(report.voids)})", total(e.amount for e in report.voids)),
        (
            f"Returned checks ({len(report.returned_checks)})",
            total(e.amount for e in report.returned_checks),
        ),
        ("NET COLLECTIONS (payments less reversals)", report.net_collections),
    ]
    last = len(by_tender) - 1
    return [
        heading("Net collections"),
        amounts(by_kind, bold=(3,), rules=(3,)),
        heading("Totals by tender"),
        amounts(by_tender, bold=(last,), rules=(last,)),
    ]


def _movements(report: DailyCash) -> Flowable:
    a = report.activity
    return amounts(
        [
            ("Opening floats", a.opening_float),
            ("Paid-ins", a.paid_in),
            ("Paid-outs", -a.paid_out),
            ("Drops to the safe", -a.drops),
        ]
    )


def _distribution(report: DailyCash) -> list[Flowable]:
    d = report.distribution
    return [
        heading("Distribution by GL code"),
        Grid(
            ("GL code", "Revenue / account", "Amount"),
            [
                *[(line.code, line.label, money(line.amount)) for line in d.revenue],
                ("", "Net collections", money(d.collections)),
                (d.over_short.code, d.over_short.label, money(d.over_short.amount)),
            ],
            [w * inch for w in (1.6, 3.2, 1.3)],
            right=(2,),
            total=("", "Total to account for", money(d.total)),
        ),
    ]


def _reversals(title: str, entries: tuple[RegisterEntry, ...], office: Office) -> list[Flowable]:
    said = f"{title} ({len(entries)})"
    if not entries:
        return [heading(said), para("None.")]
    return [
        heading(said),
        Grid(
            REVERSAL_HEADER,
            [
                (
                    e.receipt,
                    e.reverses,
                    local(e.at, office.zone, date=False),
                    e.station,
                    ", ".join(e.accounts),
                    e.reason,
                    money(e.amount),
                )
                for e in entries
            ],
            REVERSAL_WIDTHS,
            right=(6,),
            total=("", "", "", "", "", "Total", money(total(e.amount for e in entries))),
        ),
    ]


def _deposits(report: DailyCash) -> list[Flowable]:
    if not report.deposits:
        return [heading("Deposits"), para("No deposit made yet.")]
    rows: list[tuple[str, Money | str]] = [(f"Slip {slip}", t) for slip, t in report.deposits]
    rows.append(("Deposited", total(t for _, t in report.deposits)))
    return [heading("Deposits"), amounts(rows, bold=(len(rows) - 1,), rules=(len(rows) - 1,))]


def _chain(report: DailyCash, office: Office) -> list[Flowable]:
    head = report.chain_head
    if head is None:
        return [heading("Audit trail"), para("No audit event recorded by the end of the day.")]
    return [
        heading("Audit trail"),
        para(
            f"Head of the audit chain at the end of the day: event #{head.event_id} of "
            f"{local(head.at, office.zone)}, hash {head.short}"
        ),
        para(f"Full hash: {head.hash}"),
        para("Check it any time with: counter-app audit verify"),
    ]


def daily_report_pdf(report: DailyCash, office: Office, printed_at: dt.datetime) -> bytes:
    """The daily cash report as PDF bytes."""
    story: list[Flowable] = [
        heading(f"Sessions ({len(report.sessions)})"),
        _sessions(report),
        *_collections(report),
        heading("Cash movements"),
        _movements(report),
        *_distribution(report),
        *_deposits(report),
        *_reversals("Voided receipts", report.voids, office),
        *_reversals("Returned checks", report.returned_checks, office),
        spacer(),
        *_chain(report, office),
    ]
    return render(office, TITLE, day(report.business_date), story, printed_at)
