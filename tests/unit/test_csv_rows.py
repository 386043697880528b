"""Reading import files: every bad row reported with its physical line, nothing guessed."""

import datetime as dt

import pytest

from counter_app.domain.csv_rows import read_csv_rows
from counter_app.domain.import_formats import ACCOUNTS, CHARGES, fields_of

ACCOUNT_HEADER = "account_number,customer_name,service_address,status,shutoff_date,deposit\n"
CHARGE_HEADER = "charge_id,account_number,kind,bill_date,due_date,amount,open_amount\n"


def lines(text: str) -> list[str]:
    return text.splitlines(keepends=True)


def test_a_good_accounts_file_gives_records_with_their_line_numbers() -> None:
    parsed = read_csv_rows(
        lines(
            ACCOUNT_HEADER + '001234-01,"Smith, John",1200 Oak St,active,,100.00\n'
            "001234-02,Peña Sofía,12 Elm Ave,shutoff_pending,2026-12-01,\n"
        ),
        ACCOUNTS,
    )
    assert parsed.problems == []
    assert [line for line, _ in parsed.rows] == [2, 3]
    first, second = (r for _, r in parsed.rows)
    assert first["number"] == "001234-01"
    assert first["deposit_cents"] == 10000
    assert first["status"] == "active"
    assert second["shutoff_date"] == dt.date(2026, 12, 1)
    assert second["deposit_cents"] == 0


def test_every_bad_row_is_reported_with_its_line_and_reason() -> None:
    parsed = read_csv_rows(
        lines(
            ACCOUNT_HEADER + "12345,A,1 Oak St,active,,\n"  # line 2: too few digits
            "001234-01,B,2 Oak St,active,,0.005\n"  # line 3: fraction of a cent
            "001235-01,C,3 Oak St,asleep,,\n"  # line 4: unknown status
            "001236-01,,4 Oak St,active,,12..0\n"  # line 5: no name and bad money
            "001237-01,E,5 Oak St,shutoff_pending,2026-13-01,\n"  # line 6: bad date
            "001238-01,F,6 Oak St,active,,1.00\n"  # line 7: fine
        ),
        ACCOUNTS,
    )
    assert [line for line, _ in parsed.rows] == [7]
    by_line: dict[int, list[str]] = {}
    for line, reason in parsed.problems:
        by_line.setdefault(line, []).append(reason)
    assert sorted(by_line) == [2, 3, 4, 5, 6]
    assert "has 5 digits" in by_line[2][0]
    assert "more than two decimal places" in by_line[3][0]
    assert by_line[4] == ['status is "asleep": use one of active, shutoff_pending, '
                          "disconnected, closed"]  # fmt: skip
    assert by_line[5][0] == "customer_name is empty"
    assert '"12..0" is not an amount' in by_line[5][1]
    assert '"2026-13-01" is not a date' in by_line[6][0]


def test_line_numbers_are_physical_lines_even_after_a_quoted_newline() -> None:
    parsed = read_csv_rows(
        lines(ACCOUNT_HEADER + '001234-01,"Smith,\nJohn",1 Oak St,active,,\n001235-01,,x,,,\n'),
        ACCOUNTS,
    )
    assert parsed.problems == [(4, "customer_name is empty")]


def test_blank_lines_are_skipped_but_still_counted() -> None:
    parsed = read_csv_rows(lines(ACCOUNT_HEADER + "\n,,,,,\n001235-01,,x,,,\n"), ACCOUNTS)
    assert parsed.problems == [(4, "customer_name is empty")]


def test_a_header_missing_a_required_column_stops_at_line_1() -> None:
    parsed = read_csv_rows(lines("account_number,customer_name\n001234-01,A\n"), ACCOUNTS)
    assert parsed.rows == []
    assert parsed.problems == [
        (1, "the header lacks the required column(s) service_address"),
    ]


def test_unknown_and_repeated_columns_are_reported() -> None:
    parsed = read_csv_rows(
        lines("account_number,customer_name,service_address,colour,phone,phone\n"), ACCOUNTS
    )
    reasons = [reason for _, reason in parsed.problems]
    assert reasons[0].startswith("unknown column(s) colour; accounts files have account_number")
    assert reasons[1] == "column(s) phone appear more than once"


def test_header_names_are_matched_without_regard_to_case_or_spaces() -> None:
    parsed = read_csv_rows(
        lines("Account Number, Customer Name ,SERVICE-ADDRESS\n00123401,A,1 Oak St\n"), ACCOUNTS
    )
    assert parsed.problems == []
    assert parsed.rows[0][1]["number"] == "001234-01"


def test_a_shutoff_date_column_needs_the_status_column() -> None:
    parsed = read_csv_rows(
        lines("account_number,customer_name,service_address,shutoff_date\n"), ACCOUNTS
    )
    assert parsed.problems == [(1, "column shutoff_date needs column status too")]


def test_status_and_shutoff_date_must_agree() -> None:
    parsed = read_csv_rows(
        lines(
            ACCOUNT_HEADER + "001234-01,A,1 Oak St,shutoff_pending,,\n"
            "001235-01,B,2 Oak St,active,2026-12-01,\n"
        ),
        ACCOUNTS,
    )
    assert parsed.problems == [
        (2, "status shutoff_pending needs a shutoff_date"),
        (3, "shutoff_date is only for status shutoff_pending or disconnected, not active"),
    ]


def test_a_repeated_account_number_names_the_line_it_was_first_on() -> None:
    parsed = read_csv_rows(
        lines(ACCOUNT_HEADER + "001234-01,A,1 Oak St,,,\n001234-01-2,B,2 Oak St,,,\n"), ACCOUNTS
    )
    assert parsed.problems == [(3, "account 001234-01 is also on line 2")]


def test_a_row_with_the_wrong_number_of_cells_is_reported() -> None:
    parsed = read_csv_rows(lines(ACCOUNT_HEADER + "001234-01,A\n"), ACCOUNTS)
    assert parsed.problems == [(2, "has 2 cells; the header has 6")]


def test_an_empty_file_is_reported() -> None:
    parsed = read_csv_rows([], ACCOUNTS)
    assert parsed.problems == [(1, "the file is empty: line 1 must be the header (accounts)")]


def test_broken_quoting_is_reported_where_it_is() -> None:
    parsed = read_csv_rows(lines(ACCOUNT_HEADER + '001234-01,"A"x,1 Oak St,,,\n'), ACCOUNTS)
    assert parsed.problems[0][0] == 2
    assert "not readable as CSV" in parsed.problems[0][1]


@pytest.mark.parametrize(
    ("cell", "expected"),
    [("yes", True), ("Y", True), ("true", True), ("1", True), ("no", False), ("", False)],
)
def test_yes_no_flags(cell: str, expected: bool) -> None:
    parsed = read_csv_rows(
        lines(
            f"account_number,customer_name,service_address,checks_not_accepted\n"
            f"001234-01,A,1 Oak St,{cell}\n"
        ),
        ACCOUNTS,
    )
    assert parsed.rows[0][1]["checks_not_accepted"] is expected


def test_a_flag_that_is_neither_yes_nor_no_is_reported() -> None:
    parsed = read_csv_rows(
        lines(
            "account_number,customer_name,service_address,checks_not_accepted\n"
            "001234-01,A,1 Oak St,maybe\n"
        ),
        ACCOUNTS,
    )
    assert parsed.problems == [(2, 'checks_not_accepted "maybe" is not yes or no')]


def test_a_good_charges_row_is_read_in_cents() -> None:
    parsed = read_csv_rows(
        lines(CHARGE_HEADER + "B1-202611-water,001234-01,Water,2026-11-01,2026-11-22,84.10,4.1\n"),
        CHARGES,
    )
    assert parsed.problems == []
    record = parsed.rows[0][1]
    assert record["kind"] == "water"
    assert (record["amount_cents"], record["open_cents"]) == (8410, 410)
    assert record["description"] == ""


def test_bad_charges_rows_are_all_reported() -> None:
    parsed = read_csv_rows(
        lines(
            CHARGE_HEADER + "C1,001234-01,gas,2026-11-01,2026-11-22,10.00,0\n"
            "C2,001234-01,water,2026-11-01,2026-10-22,10.00,20.00\n"
            "C3,001234-01,water,2026-11-01,2026-11-22,0.00,0\n"
            "C1,001234-01,water,2026-11-01,2026-11-22,1.00,0\n"
            ",001234-01,water,11/01/2026,2026-11-22,1.00,\n"
        ),
        CHARGES,
    )
    assert parsed.rows == []
    assert parsed.problems == [
        (2, 'kind is "gas": use one of water, sewer, trash, stormwater, late_fee, nsf_fee, '
            "reconnect_fee, deposit, final_bill, other"),
        (3, "due_date 2026-10-22 is before bill_date 2026-11-01"),
        (3, "open_amount 20.00 is more than amount 10.00"),
        (4, "amount is 0.00: it must be more than zero"),
        (5, "charge C1 is also on line 2"),
        (6, "charge_id is empty"),
        (6, 'bill_date "11/01/2026" is not a date: write it as YYYY-MM-DD, e.g. 2026-11-23'),
        (6, "open_amount is empty: write an amount like 84.10"),
    ]  # fmt: skip


def test_columns_name_the_fields_an_update_changes() -> None:
    assert fields_of(["account_number", "deposit", "status"]) == {
        "number",
        "deposit_cents",
        "status",
        "shutoff_date",
    }


def test_digits_of_other_scripts_are_a_row_problem_not_a_crash() -> None:
    parsed = read_csv_rows(
        lines(
            ACCOUNT_HEADER + "00123401²,A,1 Oak St,active,,\n"  # superscript check digit
            "001234-02,B,2 Oak St,active,,١٢\n"  # Arabic-Indic deposit
        ),
        ACCOUNTS,
    )
    assert parsed.rows == []
    assert [line for line, _ in parsed.problems] == [2, 3]
    assert "is not an account number" in parsed.problems[0][1]
    assert '"١٢" is not an amount' in parsed.problems[1][1]
