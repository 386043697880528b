"""Importing accounts and charges: all or nothing, every bad row named, re-import updates."""

import datetime as dt
from pathlib import Path

import pytest
from sqlalchemy import func, select

from counter_app.cli import main
from counter_app.config import Settings
from counter_app.db.engine import Database
from counter_app.db.models import Account, AuditEvent, Charge
from counter_app.domain.errors import ImportFailed, ValidationError
from counter_app.domain.money import Money
from counter_app.domain.receipt import TenderKind
from counter_app.domain.tenders import TenderEntry
from counter_app.services import audit, importing, lookup
from counter_app.services.context import Context
from counter_app.services.posting import PaymentRequest, new_idempotency_key, post_transaction
from tests.helpers import Town, context_for, expected_words, stored_words

NOW = dt.datetime(2026, 11, 23, 15, 30, tzinfo=dt.UTC)

ACCOUNTS_CSV = """\
account_number,customer_name,service_address,meter_number,phone,status,shutoff_date,deposit,checks_not_accepted
001234-01,"Smith, John",1200 Oak Street,77-20931,(541) 555-0101,active,,100.00,no
001235-01,"Núñez, José",14 Elm Ave,77-20932,,shutoff_pending,2026-12-01,,yes
"""
CHARGES_CSV = """\
charge_id,account_number,kind,description,bill_date,due_date,amount,open_amount
B1-202611-water,001234-01,water,"Water, Nov 2026",2026-11-01,2026-11-22,84.10,84.10
B1-202611-sewer,001234-01,sewer,,2026-11-01,2026-11-22,40.00,0
B2-202611-water,001235-01,water,,2026-11-01,2026-11-22,12.50,12.50
"""


@pytest.fixture
def ctx(db: Database, settings: Settings) -> Context:
    return context_for(db, settings, lambda: NOW)


def write(tmp_path: Path, name: str, text: str) -> Path:
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return path


def counts(ctx: Context) -> tuple[int, int, int]:
    with ctx.db.read() as session:
        return tuple(  # type: ignore[return-value]
            session.execute(select(func.count(c))).scalar_one()
            for c in (Account.id, Charge.id, AuditEvent.id)
        )


def account(ctx: Context, number: str) -> dict[str, object]:
    with ctx.db.read() as session:
        row = session.execute(select(Account).where(Account.number == number)).scalar_one()
        return {c.key: getattr(row, c.key) for c in Account.__table__.columns}


def charge(ctx: Context, external_id: str) -> dict[str, object]:
    with ctx.db.read() as session:
        row = session.execute(select(Charge).where(Charge.external_id == external_id)).scalar_one()
        return {c.key: getattr(row, c.key) for c in Charge.__table__.columns}


def test_a_good_accounts_file_adds_the_accounts_with_their_search_keys(
    ctx: Context, tmp_path: Path
) -> None:
    result = importing.import_accounts(ctx, write(tmp_path, "a.csv", ACCOUNTS_CSV))
    assert (result.inserted, result.updated) == (2, 0)
    smith = account(ctx, "001234-01")
    assert smith["customer_name"] == "Smith, John"
    assert (smith["name_key"], smith["name_alt_key"]) == ("SMITH JOHN", "JOHN SMITH")
    assert (smith["address_key"], smith["street_key"]) == ("1200 OAK ST", "OAK ST 1200")
    assert (smith["meter_key"], smith["phone_key"], smith["number_key"]) == (
        "7720931",
        "5550101541",  # local number first, then the area code
        "00123401",
    )
    assert smith["deposit_cents"] == 10000
    nunez = account(ctx, "001235-01")
    assert nunez["name_key"] == "NUNEZ JOSE"
    assert (nunez["status"], nunez["shutoff_date"]) == ("shutoff_pending", dt.date(2026, 12, 1))
    assert nunez["checks_not_accepted"] is True


def test_importing_again_updates_without_duplicating_and_keeps_keys_in_sync(
    ctx: Context, tmp_path: Path
) -> None:
    importing.import_accounts(ctx, write(tmp_path, "a.csv", ACCOUNTS_CSV))
    changed = write(
        tmp_path,
        "b.csv",
        "account_number,customer_name,service_address,status\n"
        '001234-01,"Smithe, Jon",1300 Pine Street,closed\n'
        "001236-01,New Person,1 Main St,active\n",
    )
    result = importing.import_accounts(ctx, changed)
    assert (result.inserted, result.updated) == (1, 1)
    assert counts(ctx)[0] == 3
    smith = account(ctx, "001234-01")
    assert (smith["name_key"], smith["name_alt_key"]) == ("SMITHE JON", "JON SMITHE")
    assert smith["street_key"] == "PINE ST 1300"
    assert smith["status"] == "closed"
    # Columns the second file lacks are left as they were.
    assert (smith["deposit_cents"], smith["meter_number"]) == (10000, "77-20931")
    assert stored_words(ctx) == expected_words(ctx)


def test_an_account_renamed_by_an_import_is_found_by_its_new_words_only(
    ctx: Context, tmp_path: Path
) -> None:
    header = "account_number,customer_name,service_address\n"
    first = header + '001234-01,"Lopez, Ana Mary",77 Old Mill Road\n'
    importing.import_accounts(ctx, write(tmp_path, "a.csv", first))
    assert [h.number for h in lookup.search(ctx, "mary").hits] == ["001234-01"]
    renamed = header + '001234-01,"Lopez, Ana Ruth",5 New Quarry Road\n'
    importing.import_accounts(ctx, write(tmp_path, "b.csv", renamed))
    assert lookup.search(ctx, "mary").hits == ()
    assert lookup.search(ctx, "mill").hits == ()
    assert [h.number for h in lookup.search(ctx, "ruth").hits] == ["001234-01"]
    assert [h.number for h in lookup.search(ctx, "quarry rd").hits] == ["001234-01"]
    assert stored_words(ctx) == expected_words(ctx)


def test_a_file_with_bad_rows_reports_each_and_changes_nothing(
    ctx: Context, tmp_path: Path
) -> None:
    importing.import_accounts(ctx, write(tmp_path, "a.csv", ACCOUNTS_CSV))
    before = counts(ctx)
    bad = write(
        tmp_path,
        "bad.csv",
        "account_number,customer_name,service_address,status,deposit\n"
        "001240-01,Good Row,1 Oak St,active,10.00\n"
        "001241-01,Bad Money,2 Oak St,active,0.005\n"
        "001242-01,,3 Oak St,active,\n"
        "001243-01,Bad Status,4 Oak St,sleeping,\n"
        "001240-01,Twice,5 Oak St,active,12..0\n",
    )
    with pytest.raises(ImportFailed) as failed:
        importing.import_accounts(ctx, bad)
    assert [line for line, _ in failed.value.problems] == [3, 4, 5, 6, 6]
    reasons = dict(failed.value.problems[:3])
    assert "more than two decimal places" in reasons[3]
    assert reasons[4] == "customer_name is empty"
    assert reasons[5].startswith('status is "sleeping"')
    assert failed.value.problems[3:] == [
        (6, 'deposit: "12..0" is not an amount: type dollars and cents, like 1200.00'),
        (6, "account 001240-01 is also on line 2"),
    ]
    assert "4 bad row(s); nothing was imported" in str(failed.value)
    assert counts(ctx) == before


def test_charges_are_added_then_updated_by_charge_id(ctx: Context, tmp_path: Path) -> None:
    importing.import_accounts(ctx, write(tmp_path, "a.csv", ACCOUNTS_CSV))
    first = importing.import_charges(ctx, write(tmp_path, "c.csv", CHARGES_CSV))
    assert (first.inserted, first.updated) == (3, 0)
    water = charge(ctx, "B1-202611-water")
    assert (water["amount_cents"], water["open_cents"], water["kind"]) == (8410, 8410, "water")
    assert water["description"] == "Water, Nov 2026"
    again = write(
        tmp_path,
        "c2.csv",
        "charge_id,account_number,kind,bill_date,due_date,amount,open_amount\n"
        "B1-202611-water,001234-01,water,2026-11-01,2026-11-22,84.10,0.00\n",
    )
    second = importing.import_charges(ctx, again)
    assert (second.inserted, second.updated) == (0, 1)
    water = charge(ctx, "B1-202611-water")
    assert water["open_cents"] == 0
    assert water["description"] == "Water, Nov 2026"  # no description column: left alone
    assert counts(ctx)[1] == 3


def test_charges_for_unknown_accounts_are_rejected_and_nothing_is_written(
    ctx: Context, tmp_path: Path
) -> None:
    importing.import_accounts(ctx, write(tmp_path, "a.csv", ACCOUNTS_CSV))
    before = counts(ctx)
    text = CHARGES_CSV + "X-1,009999-01,trash,,2026-11-01,2026-11-22,20.00,20.00\n"
    with pytest.raises(ImportFailed) as failed:
        importing.import_charges(ctx, write(tmp_path, "c.csv", text))
    assert failed.value.problems == [
        (5, "account 009999-01 does not exist: import it with the accounts first")
    ]
    assert counts(ctx) == before


def test_each_import_writes_one_audit_event_with_its_counts(ctx: Context, tmp_path: Path) -> None:
    importing.import_accounts(ctx, write(tmp_path, "a.csv", ACCOUNTS_CSV))
    importing.import_accounts(ctx, write(tmp_path, "a.csv", ACCOUNTS_CSV))
    importing.import_charges(ctx, write(tmp_path, "c.csv", CHARGES_CSV))
    with ctx.db.read() as session:
        events = session.execute(
            select(AuditEvent.action, AuditEvent.entity_id, AuditEvent.details).order_by(
                AuditEvent.id
            )
        ).all()
    assert [(e.action, e.entity_id) for e in events] == [
        ("import.accounts", "a.csv"),
        ("import.accounts", "a.csv"),
        ("import.charges", "c.csv"),
    ]
    assert [(e.details["inserted"], e.details["updated"]) for e in events] == [
        (2, 0),
        (0, 2),
        (3, 0),
    ]
    assert audit.verify(ctx).ok


def test_a_file_that_is_not_utf8_is_rejected_with_its_line(ctx: Context, tmp_path: Path) -> None:
    path = tmp_path / "latin1.csv"
    path.write_bytes(ACCOUNTS_CSV.encode("latin-1"))
    with pytest.raises(ImportFailed) as failed:
        importing.import_accounts(ctx, path)
    assert failed.value.problems == [(3, "is not UTF-8 text: save the file as CSV UTF-8")]
    assert counts(ctx) == (0, 0, 0)


def test_a_missing_file_is_a_clear_error(ctx: Context, tmp_path: Path) -> None:
    with pytest.raises(ValidationError, match="cannot read the file"):
        importing.import_accounts(ctx, tmp_path / "nope.csv")


def test_a_byte_order_mark_and_windows_line_ends_are_fine(ctx: Context, tmp_path: Path) -> None:
    path = tmp_path / "excel.csv"
    path.write_bytes(ACCOUNTS_CSV.replace("\n", "\r\n").encode("utf-8-sig"))
    assert importing.import_accounts(ctx, path).inserted == 2


def test_the_import_command_prints_every_problem_and_exits_1(
    db_url: str,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    monkeypatch.setenv("COUNTER_DATABASE_URL", db_url)
    good = write(tmp_path, "a.csv", ACCOUNTS_CSV)
    assert main(["import", "accounts", str(good)]) == 0
    assert "Imported accounts from" in capsys.readouterr().out
    bad = write(
        tmp_path,
        "c.csv",
        "charge_id,account_number,kind,bill_date,due_date,amount,open_amount\n"
        "C1,001234-01,water,2026-11-01,2026-11-22,10.00,11.00\n"
        "C2,001299-01,water,2026-11-01,2026-11-22,10.00,1.00\n"
        "C3,001234-01,gas,2026-11-01,2026-11-22,10.00,1.00\n",
    )
    assert main(["import", "charges", str(bad)]) == 1
    err = capsys.readouterr().err
    # The rows' own problems and the unknown account, in one report, in line order.
    assert "3 bad row(s); nothing was imported" in err
    assert err.index("line 2: open_amount 11.00 is more than amount 10.00") < err.index(
        "line 3: account 001299-01 does not exist"
    )
    assert err.index("line 3: account 001299-01") < err.index('line 4: kind is "gas"')


def test_rows_bad_in_themselves_and_rows_for_unknown_accounts_are_reported_together(
    ctx: Context, tmp_path: Path
) -> None:
    importing.import_accounts(ctx, write(tmp_path, "a.csv", ACCOUNTS_CSV))
    text = (
        CHARGES_CSV
        + "X-1,009999-01,trash,,2026-11-01,2026-11-22,20.00,20.00\n"
        + "X-2,001234-01,trash,,2026-11-01,2026-11-22,20.00,\n"
        + "X-3,009998-01,trash,,2026-11-01,2026-11-22,20.00,20.00\n"
    )
    with pytest.raises(ImportFailed) as failed:
        importing.import_charges(ctx, write(tmp_path, "c.csv", text))
    assert [line for line, _ in failed.value.problems] == [5, 6, 7]
    assert failed.value.problems[1] == (6, "open_amount is empty: write an amount like 84.10")
    assert counts(ctx) == (2, 0, 1)


# --- re-importing charges the counter has taken payments on ----------------------------------
RESTATED = "charge_id,account_number,kind,bill_date,due_date,amount,open_amount\n"


def _pay_october(ctx: Context, town: Town) -> None:
    """John Smith pays his October bill (water 30.00, sewer 20.00, late fee 5.00)."""
    post_transaction(
        ctx,
        session_id=town.session_id,
        user_id=town.cashier.id,
        payments=[PaymentRequest("001234-01", Money.parse("55.00"))],
        tenders=[TenderEntry(TenderKind.CASH, Money.parse("55.00"))],
        idempotency_key=new_idempotency_key(),
    )


def test_reimporting_a_charge_paid_at_the_counter_does_not_undo_the_payment(
    ctx: Context, town: Town, tmp_path: Path
) -> None:
    _pay_october(ctx, town)
    assert charge(ctx, "001234-01-0")["open_cents"] == 0
    stale = RESTATED + (
        "001234-01-0,001234-01,water,2026-10-01,2026-10-22,30.00,30.00\n"  # before the payment
        "001234-01-3,001234-01,water,2026-11-01,2026-11-22,24.10,20.00\n"  # unpaid: file wins
    )
    result = importing.import_charges(ctx, write(tmp_path, "c.csv", stale))
    assert (result.inserted, result.updated) == (0, 2)
    assert charge(ctx, "001234-01-0")["open_cents"] == 0
    assert charge(ctx, "001234-01-3")["open_cents"] == 2000


def test_a_billing_adjustment_on_a_paid_charge_leaves_only_the_new_part_open(
    ctx: Context, town: Town, tmp_path: Path
) -> None:
    _pay_october(ctx, town)
    raised = RESTATED + "001234-01-0,001234-01,water,2026-10-01,2026-10-22,34.00,34.00\n"
    importing.import_charges(ctx, write(tmp_path, "c.csv", raised))
    assert (
        charge(ctx, "001234-01-0")["amount_cents"],
        charge(ctx, "001234-01-0")["open_cents"],
    ) == (
        3400,
        400,
    )


def test_a_reimported_charge_cannot_move_account_or_drop_below_what_was_paid(
    ctx: Context, town: Town, tmp_path: Path
) -> None:
    _pay_october(ctx, town)
    before = counts(ctx)
    bad = RESTATED + (
        "001234-01-0,001234-01,water,2026-10-01,2026-10-22,25.00,0.00\n"
        "001234-01-3,010002-01,water,2026-11-01,2026-11-22,24.10,24.10\n"
    )
    with pytest.raises(ImportFailed) as failed:
        importing.import_charges(ctx, write(tmp_path, "c.csv", bad))
    assert failed.value.problems == [
        (
            2,
            "amount 25.00 is less than the 30.00 already paid on charge 001234-01-0 at the counter",
        ),
        (
            3,
            "charge 001234-01-3 is on account 001234-01, not 010002-01: a charge cannot move "
            "to another account (give it a new charge_id)",
        ),
    ]
    assert counts(ctx) == before
    assert charge(ctx, "001234-01-3")["amount_cents"] == 2410


def test_an_import_refuses_a_control_character_that_would_drive_the_printer(
    ctx: Context, tmp_path: Path
) -> None:
    before = counts(ctx)
    hostile = write(
        tmp_path,
        "hostile.csv",
        "account_number,customer_name,service_address,status\n"
        "001250-01,Smith\x1bp\x00\x19\x19 John,1 Oak St,active\n"
        "001251-01,Good Name,2 Oak\x1dV\x00 St,active\n",
    )
    with pytest.raises(ImportFailed) as failed:
        importing.import_accounts(ctx, hostile)
    assert failed.value.problems == [
        (2, "customer_name: holds the control character U+001B; only printable text is taken"),
        (3, "service_address: holds the control character U+001D; only printable text is taken"),
    ]
    assert counts(ctx) == before


def test_an_import_refuses_a_card_number_in_any_column(ctx: Context, tmp_path: Path) -> None:
    before = counts(ctx)
    leaky = write(
        tmp_path,
        "leaky.csv",
        "account_number,customer_name,service_address,status\n"
        "001260-01,Card 4111 1111 1111 1111 Smith,1 Oak St,active\n",
    )
    with pytest.raises(ImportFailed) as failed:
        importing.import_accounts(ctx, leaky)
    [(line, why)] = failed.value.problems
    assert line == 2 and why.startswith("customer_name: looks like a card number")
    assert counts(ctx) == before
