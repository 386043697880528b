"""The check register: every check and money order taken on a payment of a business date,
voided or not, and where each went (its deposit slip, or returned by the bank since)."""

from __future__ import annotations

import datetime as dt

from reportlab.lib.units import inch

from counter_app.domain.report_figures import CheckRegister
from counter_app.reports.common import Grid, Office, amounts, day, heading, local, money, render

TITLE = "Check Register"
HEADER = ("Kind", "Number", "Bank", "Accounts", "Receipt", "Time", "Station", "State", "Amount")
WIDTHS = tuple(w * inch for w in (0.75, 0.7, 0.9, 0.8, 1.3, 0.6, 0.5, 1.05, 0.9))


def check_register_pdf(register: CheckRegister, office: Office, printed_at: dt.datetime) -> bytes:
    """The register as PDF bytes."""
    taken, voided = register.count(voided=False), register.count(voided=True)
    story = [
        heading("Summary"),
        amounts(
            [
                (f"Checks and money orders taken ({taken + voided})", register.taken),
                (f"Voided the same day ({voided})", -register.voided),
                (f"To deposit ({taken})", register.to_deposit),
            ],
            bold=(-1,),
            rules=(2,),
        ),
        heading(f"Items ({len(register.entries)})"),
        Grid(
            HEADER,
            [
                (
                    e.kind.label,
                    e.number,
                    e.bank,
                    ", ".join(e.accounts),
                    e.receipt,
                    local(e.at, office.zone, date=False),
                    f"{e.station} #{e.session_id}",
                    e.state,
                    money(e.amount),
                )
                for e in register.entries
            ],
            WIDTHS,
            right=(8,),
            total=(
                f"{len(register.entries)} items",
                "",
                "",
                "",
                "",
                "",
                "",
                "Taken",
                money(register.taken),
            ),
        ),
    ]
    return render(office, TITLE, day(register.business_date), story, printed_at)
