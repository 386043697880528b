"""The deposit slip, laid out as a bank's deposit ticket: the bank and account, the date and
slip number, currency and coin by denomination, the checks and money orders listed (number,
bank, account, amount), and the total. One slip a page; several deposits of a date follow
one another."""

from __future__ import annotations

import datetime as dt

from reportlab.lib.units import inch
from reportlab.platypus import Flowable, PageBreak, Table

from counter_app.domain.deposits import Deposit, DepositLine, DepositLineKind
from counter_app.domain.money import Money
from counter_app.reports.common import (
    BOLD,
    RULE,
    Grid,
    Office,
    amounts,
    day,
    heading,
    local,
    money,
    para,
    render,
    signatures,
)

TITLE = "Deposit Slip"
ITEM_HEADER = ("#", "Kind", "Number", "Bank", "Account", "Session", "Amount")
ITEM_WIDTHS = tuple(w * inch for w in (0.35, 0.95, 1.0, 1.9, 1.6, 0.6, 1.1))


def _ticket(deposit: Deposit) -> Table:
    """The ticket's top: bank and account on the left, date and slip number on the right."""
    table = Table(
        [
            ["Bank", deposit.bank_name, "Date", f"{deposit.business_date:%m/%d/%Y}"],
            ["Account", deposit.account_name, "Slip number", deposit.slip_number],
            ["Account number", deposit.account_number, "Sessions", _sessions(deposit)],
        ],
        colWidths=[1.3 * inch, 3.1 * inch, 1.0 * inch, 2.1 * inch],
    )
    table.setStyle(
        [
            ("FONT", (0, 0), (-1, -1), "Helvetica", 9.5),
            ("FONT", (0, 0), (0, -1), BOLD, 9.5),
            ("FONT", (2, 0), (2, -1), BOLD, 9.5),
            ("FONT", (3, 1), (3, 1), BOLD, 11),
            ("BOX", (0, 0), (-1, -1), 1.2, RULE),
            ("LINEBELOW", (0, 0), (-1, -2), 0.4, RULE),
            ("TOPPADDING", (0, 0), (-1, -1), 5),
            ("BOTTOMPADDING", (0, 0), (-1, -1), 5),
        ]
    )
    return table


def _sessions(deposit: Deposit) -> str:
    return ", ".join(f"#{i}" for i in deposit.session_ids)


def _cash_lines(lines: tuple[DepositLine, ...], what: str) -> Grid:
    return Grid(
        (what, "Count", "Amount"),
        [(ln.label, str(ln.quantity) if ln.quantity else "", money(ln.amount)) for ln in lines],
        [w * inch for w in (1.9, 0.6, 1.0)],
        right=(1, 2),
        total=(f"Total {what.lower()}", "", money(sum((ln.amount for ln in lines), Money(0)))),
    )


def _summary(deposit: Deposit) -> Table:
    items = deposit.items
    return amounts(
        [
            ("Currency", deposit.currency),
            ("Coin", deposit.coin),
            (f"Checks and money orders ({len(items)})", deposit.checks),
            ("TOTAL DEPOSIT", deposit.total),
        ],
        widths=(2.4 * inch, 1.2 * inch),
        bold=(3,),
        rules=(3,),
    )


def _slip(deposit: Deposit, office: Office) -> list[Flowable]:
    currency = deposit.of(DepositLineKind.CURRENCY)
    coin = deposit.of(DepositLineKind.COIN)
    cash = Table(
        [[_cash_lines(currency, "Currency"), _cash_lines(coin, "Coin")]],
        colWidths=[3.75 * inch, 3.75 * inch],
    )
    cash.setStyle([("VALIGN", (0, 0), (-1, -1), "TOP"), ("LEFTPADDING", (0, 0), (-1, -1), 0)])
    items = deposit.items
    story: list[Flowable] = [
        _ticket(deposit),
        heading("Summary"),
        _summary(deposit),
        heading("Currency and coin"),
        cash,
        heading(f"Checks and money orders ({len(items)})"),
    ]
    if items:
        story.append(
            Grid(
                ITEM_HEADER,
                [
                    (
                        str(n),
                        "Check" if ln.kind is DepositLineKind.CHECK else "Money order",
                        ln.number,
                        ln.bank,
                        ", ".join(ln.accounts),
                        f"#{ln.session_id}" if ln.session_id else "",
                        money(ln.amount),
                    )
                    for n, ln in enumerate(items, start=1)
                ],
                ITEM_WIDTHS,
                right=(6,),
                total=(f"{len(items)}", "items", "", "", "", "", money(deposit.checks)),
            )
        )
    else:
        story.append(para("None."))
    story += [para(missing.words) for missing in deposit.not_deposited]
    made = f" by {deposit.created_by}" if deposit.created_by else ""
    if deposit.created_at is not None:
        made += f" at {local(deposit.created_at, office.zone)}"
    story += [
        heading(f"Total deposit {money(deposit.total)}"),
        para(
            f"Float kept back for tomorrow, not deposited: {money(deposit.float_kept)}. "
            f"Deposit made{made}."
        ),
        signatures("Prepared by", "Verified by"),
    ]
    return story


def deposit_slips_pdf(
    deposits: tuple[Deposit, ...], business_date: dt.date, office: Office, printed_at: dt.datetime
) -> bytes:
    """Each of the business date's deposits on its own page(s), as PDF bytes."""
    story: list[Flowable] = []
    for n, deposit in enumerate(deposits):
        story += [PageBreak()] if n else []
        story += _slip(deposit, office)
    if not deposits:
        story.append(para(f"No deposit was made for {day(business_date)}."))
    return render(office, TITLE, day(business_date), story, printed_at)
