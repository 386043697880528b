"""The payment register: every receipt of a business date — payments, voids and returned
checks — with its state, and the day's net collections at the foot."""

from __future__ import annotations

import datetime as dt

from reportlab.lib.units import inch

from counter_app.domain.report_figures import PaymentRegister
from counter_app.domain.transactions import TransactionKind
from counter_app.reports.common import Grid, Office, amounts, day, heading, local, money, render

TITLE = "Payment Register"
HEADER = ("Receipt", "Time", "Station", "Cashier", "Accounts", "Tenders", "State", "Amount")
WIDTHS = tuple(w * inch for w in (1.3, 0.6, 0.55, 0.95, 0.8, 1.2, 1.25, 0.85))
KINDS = (
    (TransactionKind.PAYMENT, "Payments"),
    (TransactionKind.VOID, "Voids"),
    (TransactionKind.NSF_REVERSAL, "Returned checks"),
)


def payment_register_pdf(
    register: PaymentRegister, office: Office, printed_at: dt.datetime
) -> bytes:
    """The register as PDF bytes."""
    zone = office.zone
    summary = [
        (f"{label} ({len(register.of(kind))})", register.total_of(kind)) for kind, label in KINDS
    ]
    story = [
        heading("Summary"),
        amounts([*summary, ("Net collections", register.net)], bold=(-1,), rules=(3,)),
        heading(f"Receipts ({len(register.entries)})"),
        Grid(
            HEADER,
            [
                (
                    e.receipt,
                    local(e.at, zone, date=False),
                    f"{e.station} #{e.session_id}",
                    e.cashier,
                    ", ".join(e.accounts),
                    e.tenders,
                    e.state,
                    money(e.amount),
                )
                for e in register.entries
            ],
            WIDTHS,
            right=(7,),
            total=(
                f"{len(register.entries)} receipts",
                "",
                "",
                "",
                "",
                "",
                "Net",
                money(register.net),
            ),
        ),
    ]
    return render(office, TITLE, day(register.business_date), story, printed_at)
