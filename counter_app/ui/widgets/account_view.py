"""The account view: the selected account's balance, aging, last bill, deposit, credit,
warnings and last counter payments, in big type."""

from __future__ import annotations

import datetime as dt

from PySide6.QtCore import Qt
from PySide6.QtGui import QFont
from PySide6.QtWidgets import QLabel, QWidget

from counter_app.domain.accounts import AccountSummary
from counter_app.domain.money import total
from counter_app.ui.widgets.common import badge_html

NO_ACCOUNT = "Find an account to see its balance."


class AccountView(QLabel):
    """Shows one ``AccountSummary`` (or ``NO_ACCOUNT``); ``number`` is the account shown."""

    def __init__(self, zone: dt.tzinfo, parent: QWidget | None = None) -> None:
        super().__init__(NO_ACCOUNT, parent)
        self.zone = zone
        self.number: str | None = None
        self.setAccessibleName("Account")
        self.setTextFormat(Qt.TextFormat.RichText)
        self.setAlignment(Qt.AlignmentFlag.AlignTop | Qt.AlignmentFlag.AlignLeft)
        self.setWordWrap(True)
        big = QFont(self.font())
        big.setPointSize(11)
        self.setFont(big)

    def clear_account(self) -> None:
        """Nothing selected: a balance shown here could be stale."""
        self.number = None
        self.setText(NO_ACCOUNT)

    def show_account(self, a: AccountSummary) -> None:
        self.number = a.number
        aging = a.aging
        badges = "".join(f"<p style='margin:0 0 5px 0'>{badge_html(b)}</p>" for b in a.badges())
        bill = ""
        if a.last_bill_date:
            on_bill = total(c.open for c in a.open_charges if c.bill_date == a.last_bill_date)
            due = f" · due {a.due_date:%m/%d/%Y}" if a.due_date else ""
            bill = (
                f"<p style='margin:0 0 5px 0'>Last bill {a.last_bill_date:%m/%d/%Y} · "
                f"{on_bill.format()} open{due}</p>"
            )
        last = "<br>".join(
            f"Last paid {p.paid_at.astimezone(self.zone):%m/%d} {p.amount.format()} {p.tenders} "
            f"#{p.receipt_number}{' (VOID)' if p.voided else ''}"
            for p in a.last_payments
        )
        line = "<p style='margin:0 0 5px 0'>{}</p>"
        self.setText(
            f"<p style='margin:0 0 4px 0; font-size:16pt'><b>ACCOUNT {a.number} · "
            f"{a.status.label}</b></p>"
            + line.format(f"{a.customer_name} · {a.service_address} · meter {a.meter_number}")
            + line.format(
                f"<span style='font-size:18pt'><b>Balance {a.balance.format()}</b></span>"
            )
            + bill
            + line.format(
                f"Aging: current {aging.current} · 31–60 {aging.days_31_60} · "
                f"61–90 {aging.days_61_90} · 90+ {aging.days_over_90}"
            )
            + line.format(f"Deposit {a.deposit.format()} held · Credit {a.credit.format()}")
            + badges
            + line.format(last or "No counter payments yet")
        )
