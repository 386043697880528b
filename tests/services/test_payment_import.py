import pytest

from counter_app.domain.errors import ImportFailed
from counter_app.domain.money import Money
from counter_app.services import drawer, lookup
from counter_app.services.context import Context
from counter_app.services.payment_import import import_payments
from tests.town import Town

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
    totals = drawer.session_totals(ctx, result.session_id)
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
    lines = {line for line, _ in failed.value.problems}
    assert lines == {3, 6}  # file-level problems come first; the rest need the database
    good_but_refused = (
        "account_number,amount,tender,reference\n"
        "001234-01,84.10,check,5001\n"
        "999999-01,5.00,cash,\n"
        "004410-02,50.00,check,6000\n"
    )
    with pytest.raises(ImportFailed) as failed:
        import_payments(ctx, good_but_refused.splitlines(keepends=True), "mail.csv", "maria")
    reasons = dict(failed.value.problems)
    assert set(reasons) == {3, 4}
    assert "No account 999999-01" in reasons[3]
    assert "cash or certified funds" in reasons[4]
    assert lookup.get_account(ctx, "001234-01").balance == Money.parse("104.10")


def test_the_cli_posts_a_file_and_exits_1_on_a_bad_one(
    ctx: Context, town: Town, tmp_path, monkeypatch: pytest.MonkeyPatch, capsys
) -> None:
    from counter_app.cli import main

    monkeypatch.setenv("COUNTER_DATABASE_URL", ctx.settings.effective_database_url)
    monkeypatch.setenv("COUNTER_STATION", "W02")
    good = tmp_path / "lockbox.csv"
    good.write_text(GOOD)
    assert main(["import", "payments", str(good), "--user", "maria"]) == 0
    assert "Posted 2 payments totalling $296.65" in capsys.readouterr().out
    bad = tmp_path / "bad.csv"
    bad.write_text("account_number,amount\n001234-01,12..0\n")
    assert main(["import", "payments", str(bad), "--user", "maria"]) == 1
    assert "line 2: amount" in capsys.readouterr().err
