"""The payment register and the check register of a generated day: counts and totals equal
SQL sums written here, states say what became of each item, and the PDFs hold the figures.
A register of hundreds of receipts breaks across pages with its header on each."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest
from sqlalchemy import text

from counter_app.domain.errors import PermissionDenied
from counter_app.domain.money import Money
from counter_app.domain.report_figures import PaymentRegister, RegisterEntry
from counter_app.domain.transactions import TransactionKind
from counter_app.reports.checks import check_register_pdf
from counter_app.reports.payments import payment_register_pdf
from counter_app.services import deposits, reports_data
from counter_app.services.context import Context
from tests.reports.conftest import NOW, TODAY, Day, line_with, pdf_text
from tests.reports.office import OFFICE
from tests.reports.pages import words_off_the_page

RECEIPTS = """
    FROM receipts r JOIN transactions t ON t.id = r.transaction_id
    JOIN drawer_sessions s ON s.id = t.session_id WHERE s.business_date = :d
"""
CHECKS = """
    FROM tenders d JOIN transactions t ON t.id = d.transaction_id
    JOIN drawer_sessions s ON s.id = t.session_id
    WHERE s.business_date = :d AND t.kind = 'payment' AND d.kind IN ('check', 'money_order')
"""
NOT_VOIDED = " AND t.id NOT IN (SELECT v.reverses_id FROM transactions v WHERE v.kind = 'void')"


def _one(ctx: Context, sql: str) -> int:
    with ctx.db.read() as s:
        return int(s.execute(text(sql), {"d": TODAY}).scalar_one() or 0)


def test_the_payment_register_lists_every_receipt_of_the_day(ctx: Context, day: Day) -> None:
    register = reports_data.payment_register(ctx, TODAY, day.town.supervisor.id)
    assert len(register.entries) == _one(ctx, "SELECT COUNT(*) " + RECEIPTS)
    assert register.net == Money(_one(ctx, "SELECT SUM(t.total_cents) " + RECEIPTS))
    payments = _one(ctx, "SELECT SUM(t.total_cents) " + RECEIPTS + " AND t.kind = 'payment'")
    assert register.total_of(TransactionKind.PAYMENT) == Money(payments)
    states = {e.receipt: e.state for e in register.entries}
    for voided in day.voided:
        assert states[voided].startswith("voided by ")
    returned = register.of(TransactionKind.NSF_REVERSAL)
    assert [e.state for e in returned] == [f"returns {day.returned}"]
    assert returned[0].amount == -Money.parse("60.00")


def test_the_check_register_total_to_deposit_is_the_deposits_checks(ctx: Context, day: Day) -> None:
    register = reports_data.check_register(ctx, TODAY, day.town.supervisor.id)
    assert len(register.entries) == _one(ctx, "SELECT COUNT(*) " + CHECKS)
    assert register.taken == Money(_one(ctx, "SELECT SUM(d.amount_cents) " + CHECKS))
    assert register.to_deposit == Money(
        _one(ctx, "SELECT SUM(d.amount_cents) " + CHECKS + NOT_VOIDED)
    )
    (made,) = deposits.deposits_of(ctx, TODAY)
    assert register.to_deposit == made.checks
    states = {e.number: e.state for e in register.entries}
    assert states == {
        "1043": f"slip {day.deposit_slip}",
        "MO-5521": f"slip {day.deposit_slip}",
        "2001": "voided",
        "2002": f"slip {day.deposit_slip}",
    }


def test_yesterdays_register_shows_its_check_returned_since(ctx: Context, day: Day) -> None:
    register = reports_data.check_register(
        ctx, TODAY - dt.timedelta(days=1), day.town.supervisor.id
    )
    assert [(e.number, e.state) for e in register.entries] == [("777", "returned")]
    assert register.to_deposit == Money.parse("60.00")  # it went to the bank; the bank took it back


def test_a_cashier_cannot_read_the_registers(ctx: Context, day: Day) -> None:
    for read in (reports_data.payment_register, reports_data.check_register):
        with pytest.raises(PermissionDenied, match="a supervisor must ask"):
            read(ctx, TODAY, day.town.cashier.id)


def test_the_register_pdfs_hold_the_figures(ctx: Context, day: Day, tmp_path: Path) -> None:
    sam = day.town.supervisor.id
    payments = reports_data.payment_register(ctx, TODAY, sam)
    shown = pdf_text(payment_register_pdf(payments, OFFICE, ctx.now()), tmp_path)
    assert line_with(shown, "Net collections").endswith(payments.net.format())
    assert line_with(shown, f"{len(payments.entries)} receipts").endswith(payments.net.format())
    for entry in payments.entries:
        assert entry.receipt in shown
    checks = reports_data.check_register(ctx, TODAY, sam)
    shown = pdf_text(check_register_pdf(checks, OFFICE, ctx.now()), tmp_path)
    assert line_with(shown, "To deposit (3)").endswith(checks.to_deposit.format())
    assert line_with(shown, "Voided the same day (1)").endswith("-$15.00")
    assert "MO-5521" in shown and "Money order" in shown


def _entry(n: int) -> RegisterEntry:
    return RegisterEntry(
        receipt=f"W02-20261123-{n:04d}",
        kind=TransactionKind.PAYMENT,
        at=NOW + dt.timedelta(minutes=n),
        station="W02",
        session_id=7,
        cashier="Maria Lopez-Fernández de la Torre",  # wraps in its column
        accounts=("001234-01",) * (1 + n % 3),
        tenders="check #1043 + cash",
        amount=Money(1000 + n),
        change=Money(0),
    )


def test_a_long_register_breaks_across_pages_with_the_header_on_each(tmp_path: Path) -> None:
    register = PaymentRegister(TODAY, tuple(_entry(n) for n in range(1, 401)))
    pdf = payment_register_pdf(register, OFFICE, NOW)
    path = tmp_path / "long.pdf"
    path.write_bytes(pdf)
    pages = pdf_text(pdf, tmp_path).split("\f")[:-1]
    assert len(pages) > 5
    for n, page in enumerate(pages, start=1):
        assert f"Page {n} of {len(pages)}" in page
        assert line_with(page, "Receipt").split()[:3] == ["Receipt", "Time", "Station"]
    shown = "".join(pages)
    assert all(f"W02-20261123-{n:04d}" in shown for n in range(1, 401))
    total = sum((Money(1000 + n) for n in range(1, 401)), Money(0))
    assert line_with(pages[-1], "400 receipts").endswith(total.format())
    assert "400 receipts" not in "".join(pages[:-1])
    assert words_off_the_page(path) == []
