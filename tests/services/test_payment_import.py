import datetime as dt
import io

import pytest
from sqlalchemy import func, select

from counter_app.db.models import AuditEvent, DrawerSession, Receipt, Transaction
from counter_app.domain.errors import ImportFailed, ValidationError
from counter_app.domain.money import Money
from counter_app.services import lookup, sessions
from counter_app.services.context import Context
from counter_app.services.payment_import import import_payments
from tests.helpers import Clock, Town, evening_drawer

GOOD = """account_number,amount,tender,reference
001234-01,84.10,check,5001
010002-01,212.55,money_order,MO-77
"""


def test_a_lockbox_file_posts_every_payment_into_a_batch_session(ctx: Context, town: Town) -> None:
    result = import_payments(ctx, GOOD.splitlines(keepends=True), "lockbox.csv", "maria")
    assert (result.posted, result.total, result.already_posted) == (2, Money(29665), 0)
    assert result.session_id != town.session_id
    assert lookup.get_account(ctx, "001234-01").balance == Money.parse("20.00")
    assert lookup.get_account(ctx, "010002-01").status.value == "active"
    totals = sessions.session_totals(ctx, result.session_id)
    assert (totals.receipts, totals.collected) == (2, Money(29665))


def test_running_the_same_file_again_posts_nothing_twice(ctx: Context, town: Town) -> None:
    import_payments(ctx, GOOD.splitlines(keepends=True), "lockbox.csv", "maria")
    again = import_payments(ctx, GOOD.splitlines(keepends=True), "lockbox.csv", "maria")
    assert (again.posted, again.already_posted) == (0, 2)
    assert lookup.get_account(ctx, "001234-01").balance == Money.parse("20.00")


def test_bad_rows_are_each_reported_by_line_and_nothing_is_posted(ctx: Context, town: Town) -> None:
    bad = (
        "account_number,amount,tender,reference\n"
        "001234-01,84.10,check,5001\n"
        "001234-01,0.005,cash,\n"
        "999999-01,5.00,cash,\n"
        "004410-02,50.00,check,6000\n"
        "010002-01,12,check,\n"
    )
    with pytest.raises(ImportFailed) as failed:
        import_payments(ctx, bad.splitlines(keepends=True), "mail.csv", "maria")
    reasons = dict(failed.value.problems)
    assert [line for line, _ in failed.value.problems] == [3, 4, 5, 6]  # all at once, in order
    assert "No account 999999-01" in reasons[4]
    assert "cash or certified funds" in reasons[5]
    assert lookup.get_account(ctx, "001234-01").balance == Money.parse("104.10")


def test_a_reused_key_with_a_different_payment_is_reported_not_skipped(
    ctx: Context, town: Town
) -> None:
    header = "account_number,amount,tender,reference,idempotency_key\n"
    import_payments(ctx, [header, "001234-01,84.10,check,5001,lock-1\n"], "a.csv", "maria")
    with pytest.raises(ImportFailed) as failed:
        import_payments(ctx, [header, "001234-01,99.00,check,5001,lock-1\n"], "b.csv", "maria")
    [(line, reason)] = failed.value.problems
    assert line == 2 and "already used for a different transaction" in reason
    assert lookup.get_account(ctx, "001234-01").balance == Money.parse("20.00")


def test_the_cli_posts_a_file_and_exits_1_on_a_bad_one(
    ctx: Context, town: Town, tmp_path, monkeypatch: pytest.MonkeyPatch, capsys
) -> None:
    from counter_app.cli import main

    monkeypatch.setenv("COUNTER_DATABASE_URL", ctx.settings.effective_database_url)
    monkeypatch.setenv("COUNTER_STATION", "W02")
    good = tmp_path / "lockbox.csv"
    good.write_text(GOOD)
    as_maria = ["--user", "maria", "--password-stdin"]
    monkeypatch.setattr("sys.stdin", io.StringIO("cashier123\n"))
    assert main(["import", "payments", str(good), *as_maria]) == 0
    assert "Posted 2 payments totalling $296.65" in capsys.readouterr().out
    bad = tmp_path / "bad.csv"
    bad.write_text("account_number,amount\n001234-01,12..0\n")
    monkeypatch.setattr("sys.stdin", io.StringIO("cashier123\n"))
    assert main(["import", "payments", str(bad), *as_maria]) == 1
    assert "line 2: amount" in capsys.readouterr().err


def test_a_file_with_only_its_header_changes_nothing(ctx: Context, town: Town) -> None:
    header = GOOD.splitlines(keepends=True)[:1]
    with ctx.db.read() as s:
        before = (
            s.execute(select(func.count(DrawerSession.id))).scalar_one(),
            s.execute(select(func.count(AuditEvent.id))).scalar_one(),
        )
    with pytest.raises(ValidationError, match="no payments below the header"):
        import_payments(ctx, header, "empty.csv", "maria")
    with ctx.db.read() as s:
        after = (
            s.execute(select(func.count(DrawerSession.id))).scalar_one(),
            s.execute(select(func.count(AuditEvent.id))).scalar_one(),
        )
    assert after == before


def test_an_import_after_midnight_takes_the_stations_business_date(
    ctx: Context, town: Town, clock: Clock
) -> None:
    evening_drawer(ctx, town, clock)
    clock.advance(minutes=20)  # 12:10 am on 11/24; W02's drawer of 11/23 is still open
    result = import_payments(ctx, GOOD.splitlines(keepends=True), "lockbox.csv", "maria")
    with ctx.db.read() as s:
        batch = s.get(DrawerSession, result.session_id)
        assert batch is not None and batch.business_date == dt.date(2026, 11, 23)
        numbers = (
            s.execute(
                select(Receipt.number)
                .join(Transaction, Receipt.transaction_id == Transaction.id)
                .where(Transaction.session_id == result.session_id)
                .order_by(Receipt.number)
            )
            .scalars()
            .all()
        )
    assert numbers == ["W02-20261123-0001", "W02-20261123-0002"]
