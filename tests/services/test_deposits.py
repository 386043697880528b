"""The bank deposit on both databases: currency by denomination less the float kept, coin,
checks and money orders itemised net of voids, once per session, and the check list CSV."""

from __future__ import annotations

from pathlib import Path

import pytest
from sqlalchemy import func, select, text

from counter_app.db.models import DepositSession, Tender, Transaction
from counter_app.domain.counts import DrawerCount
from counter_app.domain.errors import PermissionDenied, ValidationError
from counter_app.domain.money import Money
from counter_app.domain.receipt import TenderKind
from counter_app.domain.sessions import SessionState
from counter_app.domain.tenders import TenderEntry
from counter_app.services import closeout, deposits
from counter_app.services.context import Context
from counter_app.services.payment_import import import_payments
from tests.helpers import FLOAT, Town, cash, check, pay, void_with_grant, with_settings

M = Money.parse
MAIL_CASH = ["account_number,amount,tender,reference\n", "001234-01,12.37,cash,\n"]


pytestmark = pytest.mark.usefixtures("checked")  # every test ends with a clean check


def _closed_day(ctx: Context, town: Town) -> None:
    """$60.00 cash, checks #1043 $84.10 and #1044 $50.00 (voided): closed balanced."""
    pay(ctx, town, [("001234-01", "60.00")], [cash("60.00")])
    pay(ctx, town, [("010002-01", "84.10")], [check("84.10", "1043")])
    gone = pay(ctx, town, [("001234-01", "50.00")], [check("50.00", "1044")]).receipt.number
    void_with_grant(ctx, town, gone)
    sheet = closeout.count_sheet(ctx, town.session_id, town.cashier.id)
    counted = {**FLOAT, "50": 1, "10": FLOAT["10"] + 1}  # $260.00
    result = closeout.submit_count(
        ctx,
        town.session_id,
        town.cashier.id,
        DrawerCount(counted, frozenset(i.tender_id for i in sheet.items)),
    )
    assert result.closed


def test_the_deposit_banks_the_cash_over_the_float_and_the_checks_less_voids(
    ctx: Context, town: Town
) -> None:
    _closed_day(ctx, town)
    day = ctx.today()
    deposit = deposits.make_deposit(ctx, day, [town.session_id], town.supervisor.id)
    assert deposit.float_kept == M("200.00")  # the session's own float, by default
    assert [
        (line.denomination, line.quantity) for line in deposit.of(deposits.DepositLineKind.CURRENCY)
    ] == [
        ("50", 1),
        ("10", 1),
    ]
    assert (deposit.currency, deposit.coin) == (M("60.00"), Money(0))
    assert [(i.number, i.amount, i.accounts) for i in deposit.items] == [
        ("1043", M("84.10"), ("010002-01",))
    ]
    with ctx.db.read() as s:  # independent sum: checks taken less those voided the same day
        net_checks = s.execute(
            select(func.sum(Tender.amount_cents))
            .join(Transaction, Transaction.id == Tender.transaction_id)
            .where(Transaction.session_id == town.session_id, Tender.kind == "check")
        ).scalar_one()
    assert deposit.checks == Money(int(net_checks))
    assert deposit.slip_number == f"{day:%Y%m%d}-01"
    assert deposits.get_deposit(ctx, deposit.id) == deposit
    [row] = closeout.day_summary(ctx, day, town.supervisor.id)
    assert (row.state, row.deposit_slip) == (SessionState.DEPOSITED, deposit.slip_number)


def test_a_deposited_session_cannot_be_deposited_again_nor_reopened(
    ctx: Context, town: Town
) -> None:
    _closed_day(ctx, town)
    made = deposits.make_deposit(ctx, ctx.today(), [town.session_id], town.supervisor.id)
    with pytest.raises(ValidationError, match=f"already on deposit slip {made.slip_number}"):
        deposits.make_deposit(ctx, ctx.today(), [town.session_id], town.supervisor.id)
    with pytest.raises(ValidationError, match="deposited session is never reopened"):
        closeout.reopen(ctx, town.session_id, town.supervisor.id, reason="x")


def test_the_database_itself_refuses_a_session_on_two_deposits(ctx: Context, town: Town) -> None:
    _closed_day(ctx, town)
    made = deposits.make_deposit(ctx, ctx.today(), [town.session_id], town.supervisor.id)
    with pytest.raises(Exception, match="(?i)unique|duplicate"), ctx.db.write() as s:
        s.execute(
            text(
                "INSERT INTO deposits (slip_number, business_date, currency_cents, coin_cents, "
                "checks_cents, total_cents, created_by_id, created_at) VALUES "
                "('X', :d, 0, 0, 0, 0, :u, :t)"
            ),
            {"d": ctx.today(), "u": town.supervisor.id, "t": ctx.now()},
        )
        other = s.execute(text("SELECT id FROM deposits WHERE slip_number = 'X'")).scalar_one()
        s.add(DepositSession(session_id=town.session_id, deposit_id=other))
        s.flush()
    assert made.id


def test_only_a_closed_session_is_deposited_and_only_by_a_supervisor(
    ctx: Context, town: Town
) -> None:
    with pytest.raises(ValidationError, match="only a closed session is deposited"):
        deposits.make_deposit(ctx, ctx.today(), [town.session_id], town.supervisor.id)
    with pytest.raises(PermissionDenied):
        deposits.deposit_draft(ctx, ctx.today(), [town.session_id], town.cashier.id)


def test_a_float_set_by_denomination_stays_and_a_batch_adds_its_checks(
    ctx: Context, town: Town
) -> None:
    _closed_day(ctx, town)
    lines = ["account_number,amount,tender,reference\n", "001234-01,25.00,money_order,77-1\n"]
    batch = import_payments(ctx, lines, "mail.csv", "maria").session_id
    assert closeout.submit_tape(ctx, batch, town.cashier.id, closeout.Tape(1, M("25.00"))).closed
    keep = ctx.settings.closeout.model_copy(update={"float_kept_by_denomination": {"20": 5}})
    draft = deposits.deposit_draft(
        with_settings(ctx, closeout=keep), ctx.today(), [batch, town.session_id], town.supervisor.id
    )
    assert draft.float_kept == M("100.00")
    assert draft.currency + draft.coin == M("160.00")
    assert [(i.kind.value, i.number) for i in draft.items] == [
        ("check", "1043"),
        ("money_order", "77-1"),
    ]


def test_the_check_list_is_written_as_csv_for_remote_deposit_capture(
    ctx: Context, town: Town, tmp_path: Path
) -> None:
    _closed_day(ctx, town)
    made = deposits.make_deposit(
        ctx, ctx.today(), [town.session_id], town.supervisor.id, slip_number="88123"
    )
    path = deposits.write_check_list(ctx, made.id, tmp_path / "checks.csv")
    assert path.read_text().splitlines() == [
        "item,kind,number,bank,amount,accounts,session",
        f"1,check,1043,,84.10,010002-01,{town.session_id}",
        "total,1,,,84.10,,",
    ]


def missing_check_day(ctx: Context, town: Town) -> None:
    """$60.00 cash and check 1234 (First Bank) $50.00; the check is missing at the close,
    which Sam approves."""
    pay(ctx, town, [("001234-01", "60.00")], [cash("60.00")])
    bank_check = TenderEntry(TenderKind.CHECK, M("50.00"), reference="1234", bank="First Bank")
    pay(ctx, town, [("010002-01", "50.00")], [bank_check])
    counted = {**FLOAT, "50": 1, "10": FLOAT["10"] + 1}
    result = closeout.submit_count(
        ctx, town.session_id, town.cashier.id, DrawerCount(counted, frozenset())
    )
    assert not result.closed
    closeout.approve_variance(ctx, town.session_id, town.supervisor.id, reason="check lost")


def test_a_check_missing_at_the_close_is_named_as_not_deposited_with_its_approver(
    ctx: Context, town: Town
) -> None:
    missing_check_day(ctx, town)
    made = deposits.make_deposit(ctx, ctx.today(), [town.session_id], town.supervisor.id)
    assert made.items == ()
    assert [m.words for m in made.not_deposited] == [
        f"Not deposited: check 1234 (First Bank) $50.00 — missing at the close of session "
        f"#{town.session_id}, approved by Sam Ortega"
    ]
    assert deposits.get_deposit(ctx, made.id) == made


def test_a_batchs_cash_is_its_own_currency_line_and_the_cash_adds_up_to_the_cent(
    ctx: Context, town: Town
) -> None:
    _closed_day(ctx, town)
    batch = import_payments(ctx, MAIL_CASH, "mail.csv", "maria").session_id
    assert closeout.submit_tape(ctx, batch, town.cashier.id, closeout.Tape(1, M("12.37"))).closed
    made = deposits.make_deposit(ctx, ctx.today(), [town.session_id, batch], town.supervisor.id)
    cash_lines = made.of(deposits.DepositLineKind.CURRENCY, deposits.DepositLineKind.COIN)
    assert [(ln.label, ln.amount) for ln in cash_lines] == [
        ("$50 bills", M("50.00")),
        ("$10 bills", M("10.00")),
        (f"Cash from batch #{batch}", M("12.37")),
    ]
    assert made.currency + made.coin == M("60.00") + M("12.37")  # the drawer's over float
    assert made.total == made.currency + made.coin + made.checks
    assert deposits.get_deposit(ctx, made.id) == made
