"""The payments export: one row per payment and reversal of a business date, the same bytes
for the same day, every row as the database holds it, each export recorded and audited."""

from __future__ import annotations

import csv
import dataclasses
import datetime as dt
import hashlib
from pathlib import Path

import pytest
from sqlalchemy import select
from sqlalchemy import text as sql

from counter_app.db.models import AuditEvent, Charge, Export
from counter_app.domain.errors import PermissionDenied, ValidationError
from counter_app.domain.overrides import OverrideAction
from counter_app.domain.payment_export import COLUMNS
from counter_app.services import export, payment_import
from counter_app.services.context import Context
from counter_app.services.voids import (
    reverse_returned_check_as_supervisor,
    void_receipt,
    void_subject,
)
from tests.helpers import Clock, Town, cash, check, count_drawer, grant, pay

DAY = dt.date(2026, 11, 23)


def rows_of(path: Path) -> list[dict[str, str]]:
    with open(path, encoding="utf-8", newline="") as f:
        return list(csv.DictReader(f))


def void(ctx: Context, town: Town, number: str) -> str:
    return void_receipt(
        ctx,
        receipt_number=number,
        user_id=town.cashier.id,
        grant_id=grant(ctx, town, OverrideAction.VOID, void_subject(number)),
        reason_code="Wrong amount",
    ).receipt.number


def returned(ctx: Context, number: str, check_number: str) -> str:
    return reverse_returned_check_as_supervisor(
        ctx,
        receipt_number=number,
        check_number=check_number,
        supervisor="sam",
        password="supervisor123",
        reason="bank returned it",
    ).receipt.number


def a_day(ctx: Context, town: Town) -> dict[str, str]:
    """A morning at the counter: a payment over two accounts by check and cash, one with
    credit, one voided, and a mail batch. Its receipt numbers by name."""
    two = pay(
        ctx,
        town,
        [("001234-01", "60.00"), ("010002-01", "212.55")],
        [check("250.00", "1043"), cash("30.00")],
    ).receipt.number
    credit = pay(ctx, town, [("030000-01", "25.00")], [cash("25.00")]).receipt.number
    wrong = pay(ctx, town, [("004410-02", "50.00")], [cash("50.00")]).receipt.number
    voided_by = void(ctx, town, wrong)
    payment_import.import_payments(
        ctx,
        ["account_number,amount,tender,reference", "020000-01,43.21,check,5001"],
        "mail.csv",
        "maria",
    )
    return {"two": two, "credit": credit, "wrong": wrong, "void": voided_by}


def independent_rows(ctx: Context, day: dt.date) -> dict[tuple[str, str], dict[str, object]]:
    """What the file must say, by (receipt, account), straight from the tables."""
    found: dict[tuple[str, str], dict[str, object]] = {}
    with ctx.db.connect() as conn:
        for receipt, account, cents, kind, session_kind in conn.execute(
            sql(
                "SELECT r.number, a.number, p.amount_cents, t.kind, s.kind FROM payments p "
                "JOIN transactions t ON t.id = p.transaction_id "
                "JOIN receipts r ON r.transaction_id = t.id "
                "JOIN drawer_sessions s ON s.id = t.session_id "
                "JOIN accounts a ON a.id = p.account_id WHERE s.business_date = :day"
            ),
            {"day": day},
        ):
            found[(receipt, account)] = {
                "cents": cents,
                "kind": kind,
                "session": session_kind,
                "charges": {},
                "credit": 0,
            }
        for receipt, account, external_id, cents in conn.execute(
            sql(
                "SELECT r.number, a.number, c.external_id, al.amount_cents FROM allocations al "
                "JOIN payments p ON p.id = al.payment_id "
                "LEFT JOIN charges c ON c.id = al.charge_id "
                "JOIN transactions t ON t.id = p.transaction_id "
                "JOIN receipts r ON r.transaction_id = t.id "
                "JOIN drawer_sessions s ON s.id = t.session_id "
                "JOIN accounts a ON a.id = p.account_id WHERE s.business_date = :day"
            ),
            {"day": day},
        ):
            row = found[(receipt, account)]
            if external_id is None:
                row["credit"] = int(row["credit"]) + cents  # type: ignore[call-overload]
            else:
                row["charges"][external_id] = cents  # type: ignore[index]
    return found


def cents(text: str) -> int:
    sign = -1 if text.startswith("-") else 1
    whole, frac = text.lstrip("-").split(".")
    return sign * (int(whole) * 100 + int(frac))


def test_every_payment_and_reversal_of_the_day_is_a_row_as_the_tables_hold_it(
    ctx: Context, town: Town, tmp_path: Path
) -> None:
    receipts = a_day(ctx, town)
    out = tmp_path / "payments.csv"
    done = export.export_payments(ctx, DAY, out, town.supervisor)
    rows = rows_of(out)
    expected = independent_rows(ctx, DAY)
    assert done.rows == len(rows) == len(expected) == 6
    for row in rows:
        want = expected[(row["receipt_number"], row["account_number"])]
        charges = dict(part.split("=") for part in row["charges"].split(";") if part)
        assert cents(row["amount"]) == want["cents"]
        assert {k: cents(v) for k, v in charges.items()} == want["charges"]
        assert cents(row["credit"]) == want["credit"]
        assert row["session"] == want["session"]
        assert row["business_date"] == "2026-11-23"
    by_receipt = {(r["receipt_number"], r["account_number"]): r for r in rows}
    two = by_receipt[(receipts["two"], "001234-01")]
    assert (two["kind"], two["tenders"], two["state"]) == ("payment", "check;cash", "posted")
    assert two["time"] == "2026-11-23T10:00:00-06:00"  # 16:00 UTC in Chicago
    assert by_receipt[(receipts["credit"], "030000-01")]["credit"] == "25.00"
    wrong = by_receipt[(receipts["wrong"], "004410-02")]
    assert (wrong["state"], wrong["reversed_by"]) == ("voided", receipts["void"])
    undo = by_receipt[(receipts["void"], "004410-02")]
    assert (undo["kind"], undo["reverses"], undo["amount"]) == ("void", receipts["wrong"], "-50.00")
    assert undo["charges"] == "004410-02-0=-50.00"
    [mail] = [r for r in rows if r["session"] == "batch"]
    assert (mail["account_number"], mail["amount"], mail["tenders"]) == (
        "020000-01",
        "43.21",
        "check",
    )


def test_the_same_day_exported_twice_is_the_same_bytes_and_a_later_payment_changes_it(
    ctx: Context, town: Town, tmp_path: Path, clock: Clock
) -> None:
    a_day(ctx, town)
    first = export.export_payments(ctx, DAY, tmp_path / "a.csv", town.supervisor)
    clock.advance(hours=1)
    second = export.export_payments(ctx, DAY, tmp_path / "b.csv", town.supervisor)
    assert (tmp_path / "a.csv").read_bytes() == (tmp_path / "b.csv").read_bytes()
    assert first.sha256 == second.sha256
    pay(ctx, town, [("001234-01", "5.00")], [cash("5.00")])
    third = export.export_payments(ctx, DAY, tmp_path / "c.csv", town.supervisor)
    assert third.rows == first.rows + 1
    assert third.sha256 != first.sha256
    data = (tmp_path / "c.csv").read_bytes()
    assert hashlib.sha256(data).hexdigest() == third.sha256
    assert data.startswith(",".join(COLUMNS).encode() + b"\r\n")  # no byte-order mark
    assert data.count(b"\r\n") == third.rows + 1 and b"\n" not in data.replace(b"\r\n", b"")


def test_a_check_returned_on_a_later_day_is_in_that_days_file_and_leaves_this_one_alone(
    ctx: Context, town: Town, tmp_path: Path, clock: Clock
) -> None:
    number = pay(ctx, town, [("001234-01", "50.00")], [check("50.00", "101")]).receipt.number
    count_drawer(ctx, town.session_id)  # the day is over: counted, checks to the bank
    export.export_payments(ctx, DAY, tmp_path / "before.csv", town.supervisor)
    clock.advance(days=2)
    slip = returned(ctx, number, "101")
    export.export_payments(ctx, DAY, tmp_path / "after.csv", town.supervisor)
    assert (tmp_path / "before.csv").read_bytes() == (tmp_path / "after.csv").read_bytes()
    later = DAY + dt.timedelta(days=2)
    export.export_payments(ctx, later, tmp_path / "d.csv", town.supervisor)
    [row] = rows_of(tmp_path / "d.csv")
    assert (row["kind"], row["reverses"], row["receipt_number"]) == ("returned_check", number, slip)
    assert (row["amount"], row["tenders"], row["session"]) == ("-50.00", "check", "batch")
    assert row["business_date"] == later.isoformat()


def test_a_check_returned_the_same_day_shows_on_the_payment_and_as_its_own_row(
    ctx: Context, town: Town, tmp_path: Path
) -> None:
    number = pay(ctx, town, [("001234-01", "50.00")], [check("50.00", "101")]).receipt.number
    count_drawer(ctx, town.session_id)  # handed in; the batch is still of 11/23
    slip = returned(ctx, number, "101")
    export.export_payments(ctx, DAY, tmp_path / "p.csv", town.supervisor)
    paid, undone = rows_of(tmp_path / "p.csv")
    assert (paid["state"], paid["reversed_by"]) == ("returned_check", slip)
    assert (undone["kind"], undone["reverses"], undone["state"]) == (
        "returned_check",
        number,
        "posted",
    )


def test_a_charge_id_a_spreadsheet_would_run_is_written_as_text(
    ctx: Context, town: Town, tmp_path: Path
) -> None:
    with ctx.db.write() as s:
        account_id = s.execute(
            sql("SELECT id FROM accounts WHERE number = '030000-01'")
        ).scalar_one()
        for i, hostile in enumerate(["@SUM(1+1)", "=HYPERLINK(1);x"]):
            s.add(
                Charge(
                    external_id=hostile,
                    account_id=account_id,
                    kind="other",
                    bill_date=dt.date(2026, 10, 1 + i),
                    due_date=dt.date(2026, 10, 20),
                    amount_cents=100,
                    open_cents=100,
                )
            )
    pay(ctx, town, [("030000-01", "2.00")], [cash("2.00")])
    export.export_payments(ctx, DAY, tmp_path / "p.csv", town.supervisor)
    [row] = rows_of(tmp_path / "p.csv")
    assert row["charges"] == "'@SUM(1+1)=1.00;%3DHYPERLINK(1)%3Bx=1.00"
    for name, cell in row.items():
        assert name in ("amount", "credit") or not cell.startswith(("=", "+", "-", "@"))


def test_each_export_is_recorded_listed_and_audited(
    ctx: Context, town: Town, tmp_path: Path, clock: Clock
) -> None:
    a_day(ctx, town)
    first = export.export_payments(ctx, DAY, tmp_path / "day.csv", town.supervisor)
    clock.advance(minutes=5)
    empty = export.export_payments(
        ctx, DAY - dt.timedelta(days=1), tmp_path / "e.csv", town.supervisor
    )
    assert empty.rows == 0 and rows_of(tmp_path / "e.csv") == []
    assert first.open_sessions == 2  # maria's drawer and her mail batch
    listed = export.list_exports(ctx)
    assert [e.id for e in listed] == [empty.id, first.id]
    assert listed[1] == dataclasses.replace(first, open_sessions=0)
    assert (listed[1].username, listed[1].file_name, listed[1].rows) == ("sam", "day.csv", 6)
    assert listed[1].sha256 == hashlib.sha256((tmp_path / "day.csv").read_bytes()).hexdigest()
    assert listed[1].created_at == dt.datetime(2026, 11, 23, 16, 0, tzinfo=dt.UTC)
    assert [e.id for e in export.list_exports(ctx, DAY)] == [first.id]
    with ctx.db.read() as s:
        events = s.execute(
            select(AuditEvent.user_id, AuditEvent.entity_id, AuditEvent.details)
            .where(AuditEvent.action == "export.payments")
            .order_by(AuditEvent.id)
        ).all()
    assert [(who, entity) for who, entity, _ in events] == [
        (town.supervisor.id, str(first.id)),
        (town.supervisor.id, str(empty.id)),
    ]
    assert events[0][2]["sha256"] == first.sha256 and events[0][2]["rows"] == 6


def test_a_cashier_may_not_export(ctx: Context, town: Town, tmp_path: Path) -> None:
    with pytest.raises(PermissionDenied, match="only a supervisor or an admin may export"):
        export.export_payments(ctx, DAY, tmp_path / "p.csv", town.cashier)
    assert not (tmp_path / "p.csv").exists()
    assert export.list_exports(ctx) == []


def test_a_file_that_cannot_be_written_records_nothing_and_leaves_no_scrap(
    ctx: Context, town: Town, tmp_path: Path
) -> None:
    a_day(ctx, town)
    folder = tmp_path / "out"
    folder.mkdir()
    for bad in (folder / "no-such-folder" / "p.csv", folder):
        with pytest.raises(ValidationError, match="cannot write the file .*nothing was exported"):
            export.export_payments(ctx, DAY, bad, town.supervisor)
    assert list(folder.iterdir()) == []
    with ctx.db.read() as s:
        assert s.execute(select(Export.id)).all() == []
        assert (
            s.execute(select(AuditEvent.id).where(AuditEvent.action == "export.payments")).all()
            == []
        )
