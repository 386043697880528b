"""The payments file's cells: text a spreadsheet cannot run, charge ids that split without
doubt, rows that add up, fixed line ends."""

import datetime as dt
from zoneinfo import ZoneInfo

import pytest

from counter_app.domain.money import Money
from counter_app.domain.payment_export import (
    COLUMNS,
    ChargePart,
    ExportRow,
    charge_id_cell,
    distinct,
    render,
    spreadsheet_safe,
)
from counter_app.domain.transactions import TransactionKind

AT = dt.datetime(2026, 11, 23, 10, 0, 5, 123456, tzinfo=ZoneInfo("America/Chicago"))


def row(**changes: object) -> ExportRow:
    fields: dict[str, object] = {
        "business_date": dt.date(2026, 11, 23),
        "receipt_number": "W02-20261123-0001",
        "kind": TransactionKind.PAYMENT,
        "reverses": "",
        "account_number": "001234-01",
        "amount": Money(9000),
        "charges": (ChargePart("B1-water", Money(8410)),),
        "credit": Money(590),
        "tenders": ("check", "cash"),
        "time": AT,
        "station": "W02",
        "session": "drawer",
    }
    return ExportRow(**{**fields, **changes})  # type: ignore[arg-type]


@pytest.mark.parametrize("start", ["=", "+", "-", "@", "\t", "\r"])
def test_a_cell_a_spreadsheet_would_run_gets_an_apostrophe(start: str) -> None:
    assert spreadsheet_safe(f"{start}cmd|' /C calc'!A0") == f"'{start}cmd|' /C calc'!A0"


def test_ordinary_text_is_left_as_it_is() -> None:
    assert spreadsheet_safe("W02-20261123-0001") == "W02-20261123-0001"
    assert spreadsheet_safe("a=b") == "a=b"


def test_a_charge_id_with_the_cells_separators_is_percent_encoded() -> None:
    assert charge_id_cell("B1;x=2%'") == "B1%3Bx%3D2%25%27"
    assert charge_id_cell("B1-202611-water") == "B1-202611-water"


def test_a_row_whose_charges_and_credit_do_not_add_up_is_refused() -> None:
    with pytest.raises(ValueError, match="do not add up"):
        row(credit=Money(0))


def test_a_row_reads_as_the_billing_system_gets_it() -> None:
    cells = dict(zip(COLUMNS, row().cells(), strict=True))
    assert cells == {
        "business_date": "2026-11-23",
        "receipt_number": "W02-20261123-0001",
        "kind": "payment",
        "reverses": "",
        "account_number": "001234-01",
        "amount": "90.00",
        "charges": "B1-water=84.10",
        "credit": "5.90",
        "tenders": "check;cash",
        "time": "2026-11-23T10:00:05-06:00",
        "station": "W02",
        "session": "drawer",
        "state": "posted",
        "reversed_by": "",
    }


def test_a_reversal_keeps_its_minus_signs_and_a_voided_row_names_its_void() -> None:
    undo = row(
        kind=TransactionKind.NSF_REVERSAL,
        reverses="W02-20261123-0001",
        amount=Money(-9000),
        charges=(ChargePart("-B1", Money(-8410)),),
        credit=Money(-590),
    )
    cells = dict(zip(COLUMNS, undo.cells(), strict=True))
    assert (cells["kind"], cells["amount"], cells["credit"]) == (
        "returned_check",
        "-90.00",
        "-5.90",
    )
    assert cells["charges"] == "'-B1=-84.10"
    voided = row(reversed_by="W02-20261123-0002", reversed_as=TransactionKind.VOID)
    assert voided.state == "voided"


def test_the_file_is_crlf_utf8_without_a_byte_order_mark() -> None:
    data = render([row(), row(account_number="010002-01")])
    lines = data.split(b"\r\n")
    assert lines[0] == ",".join(COLUMNS).encode()
    assert len(lines) == 4 and lines[-1] == b""
    assert render([row()]) == render([row()])


def test_each_tender_kind_is_named_once_in_the_order_taken() -> None:
    assert distinct(["check", "cash", "check"]) == ("check", "cash")
