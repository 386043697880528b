"""The deposit slip: the bank's account, the slip number, currency and coin, each check and
money order deposited (never a voided one), and a total equal to the stored lines."""

from __future__ import annotations

from pathlib import Path

from sqlalchemy import text

from counter_app.domain.money import Money
from counter_app.reports.deposit import deposit_slips_pdf
from counter_app.services import closeout, deposits
from counter_app.services.context import Context
from counter_app.services.payment_import import import_payments
from tests.helpers import Town
from tests.reports.conftest import TODAY, Day, line_with, lines_with, pdf_text
from tests.reports.office import OFFICE
from tests.reports.pages import words_off_the_page
from tests.services.test_deposits import MAIL_CASH, missing_check_day


def test_the_slip_lists_what_went_to_the_bank(ctx: Context, day: Day, tmp_path: Path) -> None:
    made = deposits.deposits_of(ctx, TODAY)
    pdf = deposit_slips_pdf(made, TODAY, OFFICE, ctx.now())
    shown = pdf_text(pdf, tmp_path)
    with ctx.db.read() as s:
        stored = s.execute(
            text(
                "SELECT SUM(l.cents), SUM(CASE WHEN l.kind IN ('check', 'money_order') "
                "THEN l.cents ELSE 0 END) FROM deposit_lines l "
                "JOIN deposits d ON d.id = l.deposit_id WHERE d.business_date = :d"
            ),
            {"d": TODAY},
        ).one()
    assert line_with(shown, "TOTAL DEPOSIT").endswith(Money(int(stored[0])).format())
    assert line_with(shown, "Checks and money orders (3)").endswith(Money(int(stored[1])).format())
    bank = ctx.settings.closeout
    assert bank.bank_name in shown and bank.bank_account_number in shown
    assert day.deposit_slip in shown
    for number in ("1043", "2002", "MO-5521"):
        assert number in shown
    assert "2001" not in shown.replace("20261123", "")  # voided: never deposited
    assert "Float kept back for tomorrow" in shown
    path = tmp_path / "slip.pdf"
    path.write_bytes(pdf)
    assert words_off_the_page(path) == []


def test_the_slip_says_in_words_that_a_check_missing_at_the_close_is_not_deposited(
    ctx: Context, town: Town, tmp_path: Path
) -> None:
    missing_check_day(ctx, town)
    deposits.make_deposit(ctx, ctx.today(), [town.session_id], town.supervisor.id)
    pdf = deposit_slips_pdf(deposits.deposits_of(ctx, ctx.today()), ctx.today(), OFFICE, ctx.now())
    shown = " ".join(pdf_text(pdf, tmp_path).split())  # the sentence may wrap
    assert (
        "Not deposited: check 1234 (First Bank) $50.00 — missing at the close of session "
        f"#{town.session_id}, approved by Sam Ortega"
    ) in shown
    assert line_with(pdf_text(pdf, tmp_path), "TOTAL DEPOSIT").endswith("$60.00")


def test_the_slips_currency_and_coin_add_up_to_the_cash_deposited_with_a_batchs_cash(
    ctx: Context, town: Town, tmp_path: Path
) -> None:
    missing_check_day(ctx, town)  # $60.00 over the float: a $50 and a $10 bill
    batch = import_payments(ctx, MAIL_CASH, "mail.csv", "maria").session_id
    closeout.submit_tape(ctx, batch, town.cashier.id, closeout.Tape(1, Money.parse("12.37")))
    deposits.make_deposit(ctx, ctx.today(), [town.session_id, batch], town.supervisor.id)
    shown = pdf_text(
        deposit_slips_pdf(deposits.deposits_of(ctx, ctx.today()), ctx.today(), OFFICE, ctx.now()),
        tmp_path,
    )
    assert line_with(shown, f"Cash from batch #{batch}").endswith("$12.37")
    assert line_with(shown, "Total currency").endswith("$72.37")
    [summary, _header] = lines_with(shown, "Currency")  # the summary, then the table's
    assert summary.endswith("$72.37") and line_with(shown, "Coin").endswith("$0.00")
    assert line_with(shown, "TOTAL DEPOSIT").endswith("$72.37")
