"""Re-importing accounts never undoes what the counter did after the file was made: a row's
``as_of`` says when, and a credit, status (with its shut-off date) or "checks not accepted"
flag the counter changed later is kept and reported."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest
from sqlalchemy import select

from counter_app.cli import main
from counter_app.db.models import Account, AuditEvent
from counter_app.domain.errors import ImportFailed
from counter_app.domain.overrides import OverrideAction
from counter_app.services import importing
from counter_app.services.context import Context
from counter_app.services.voids import (
    reverse_returned_check_as_supervisor,
    void_receipt,
    void_subject,
)
from tests.helpers import Clock, Town, cash, check, count_drawer, grant, pay

HEADER = "account_number,customer_name,service_address,status,shutoff_date,deposit,credit,as_of\n"
# What the billing system knew at 9:00 on 11/23 (office time), before the counter opened.
JOSE = '030000-01,"Núñez, José",42 Birch Ln,active,,20.00,15.00,{as_of}\n'
JK = '010002-01,"Smith, J&K",9 Mill Road,shutoff_pending,2026-11-30,0.00,0.00,{as_of}\n'
JOHN = '001234-01,"Smith, John",1200 Oak Street,active,,100.00,0.00,{as_of}\n'
MORNING = "2026-11-23T09:00"


def write(tmp_path: Path, text: str, name: str = "accounts.csv") -> Path:
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return path


def stored(ctx: Context, number: str) -> tuple[object, ...]:
    with ctx.db.read() as s:
        a = s.execute(select(Account).where(Account.number == number)).scalar_one()
        return (a.status, a.shutoff_date, a.credit_cents, a.deposit_cents, a.checks_not_accepted)


def test_a_file_made_before_the_counters_payments_keeps_their_credit_and_stopped_shutoff(
    ctx: Context, town: Town, tmp_path: Path
) -> None:
    pay(ctx, town, [("030000-01", "25.00")], [cash("25.00")])  # all credit: 15.00 + 25.00
    pay(ctx, town, [("010002-01", "212.55")], [cash("212.55")])  # stops the shut-off
    text = HEADER + (JOSE + JK + JOHN).format(as_of=MORNING)
    result = importing.import_accounts(ctx, write(tmp_path, text))
    assert stored(ctx, "030000-01") == ("active", None, 4000, 2000, False)  # deposit: the file's
    assert stored(ctx, "010002-01") == ("active", None, 0, 0, False)
    assert stored(ctx, "001234-01") == ("active", None, 0, 10000, False)  # nothing to keep
    assert result.notes == (
        "Kept 2 accounts the counter changed after 2026-11-23 09:00: "
        "010002-01 status active (file shutoff_pending 2026-11-30); "
        "030000-01 credit 40.00 (file 15.00)",
    )
    with ctx.db.read() as s:
        details = s.execute(
            select(AuditEvent.details).where(AuditEvent.action == "import.accounts")
        ).scalar_one()
    assert details["kept"] == {
        "010002-01": ["status active (file shutoff_pending 2026-11-30)"],
        "030000-01": ["credit 40.00 (file 15.00)"],
    }


def test_a_file_made_after_the_counters_payments_is_taken_as_it_is(
    ctx: Context, town: Town, tmp_path: Path, clock: Clock
) -> None:
    pay(ctx, town, [("030000-01", "25.00")], [cash("25.00")])  # 10:00 office time
    clock.advance(hours=2)
    text = HEADER + (JOSE + JK).format(as_of="2026-11-23T10:30:00-06:00")
    result = importing.import_accounts(ctx, write(tmp_path, text))
    assert stored(ctx, "030000-01") == ("active", None, 1500, 2000, False)
    assert stored(ctx, "010002-01") == ("shutoff_pending", dt.date(2026, 11, 30), 0, 0, False)
    assert (result.kept, result.notes) == ((), ())


def test_a_void_after_the_file_was_made_keeps_the_shutoff_it_put_back(
    ctx: Context, town: Town, tmp_path: Path, clock: Clock
) -> None:
    number = pay(ctx, town, [("010002-01", "212.55")], [cash("212.55")]).receipt.number
    clock.advance(minutes=10)  # 10:10: the billing system extracts: J&K active
    clock.advance(minutes=10)  # 10:20: the payment is voided, the shut-off pending again
    void_receipt(
        ctx,
        receipt_number=number,
        user_id=town.cashier.id,
        grant_id=grant(ctx, town, OverrideAction.VOID, void_subject(number)),
        reason_code="Wrong amount",
    )
    extract = '010002-01,"Smith, J&K",9 Mill Road,active,,0.00,0.00,2026-11-23T10:10\n'
    result = importing.import_accounts(ctx, write(tmp_path, HEADER + extract))
    assert stored(ctx, "010002-01") == ("shutoff_pending", dt.date(2026, 11, 30), 0, 0, False)
    assert result.notes == (
        "Kept 1 account the counter changed after 2026-11-23 10:10: "
        "010002-01 status shutoff_pending 2026-11-30 (file active)",
    )


def test_checks_returned_after_the_file_was_made_keep_checks_not_accepted(
    ctx: Context, town: Town, tmp_path: Path, clock: Clock
) -> None:
    numbers = [
        pay(ctx, town, [("001234-01", "10.00")], [check("10.00", n)]).receipt.number
        for n in ("101", "102")
    ]
    count_drawer(ctx, town.session_id)
    clock.advance(days=2)
    for number, check_number in zip(numbers, ("101", "102"), strict=True):
        reverse_returned_check_as_supervisor(
            ctx,
            receipt_number=number,
            check_number=check_number,
            supervisor="sam",
            password="supervisor123",
            reason="bank returned it",
        )
    assert stored(ctx, "001234-01")[4] is True
    text = (
        "account_number,customer_name,service_address,checks_not_accepted,as_of\n"
        '001234-01,"Smith, John",1200 Oak Street,no,2026-11-24T08:00\n'
    )
    result = importing.import_accounts(ctx, write(tmp_path, text))
    assert stored(ctx, "001234-01")[4] is True
    assert result.notes == (
        "Kept 1 account the counter changed after 2026-11-24 08:00: "
        "001234-01 checks not accepted yes (file no)",
    )


def test_an_as_of_that_is_missing_a_time_or_still_to_come_rejects_the_file(
    ctx: Context, town: Town, tmp_path: Path
) -> None:
    text = (
        HEADER
        + JOSE.format(as_of="2026-11-23")
        + JK.format(as_of="")
        + JOHN.format(as_of="2026-11-23T11:00")  # 11:00 office time; now is 10:00
    )
    before = [stored(ctx, n) for n in ("030000-01", "010002-01", "001234-01")]
    with pytest.raises(ImportFailed) as failed:
        importing.import_accounts(ctx, write(tmp_path, text))
    assert failed.value.problems == [
        (
            2,
            'as_of "2026-11-23" is not a date and time: write it as YYYY-MM-DDTHH:MM, e.g. '
            "2026-11-30T08:00 (office time) or 2026-11-30T08:00-06:00",
        ),
        (3, "as_of is empty: in a file with an as_of column every row says when it was made"),
        (
            4,
            "as_of 2026-11-23T11:00:00-06:00 is later than now (2026-11-23 10:00): check the "
            "cell or the billing system's clock",
        ),
    ]
    assert [stored(ctx, n) for n in ("030000-01", "010002-01", "001234-01")] == before


def test_the_import_command_prints_what_it_kept(
    ctx: Context,
    town: Town,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    monkeypatch.setenv("COUNTER_DATABASE_URL", ctx.settings.effective_database_url)
    pay(ctx, town, [("030000-01", "25.00")], [cash("25.00")])
    path = write(tmp_path, HEADER + JOSE.format(as_of=MORNING))
    assert main(["import", "accounts", str(path)]) == 0
    assert capsys.readouterr().out.splitlines() == [
        f"Imported accounts from {path}: 0 added, 1 updated.",
        "Kept 1 account the counter changed after 2026-11-23 09:00: "
        "030000-01 credit 40.00 (file 15.00)",
    ]
    assert stored(ctx, "030000-01")[2] == 4000
