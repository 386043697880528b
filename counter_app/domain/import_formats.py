"""The import files from the billing system: accounts and charges (docs/import-formats.md).

Each row becomes a dict of the stored fields (money as integer cents). ``FIELD_OF`` maps a
column to the field it sets, so an update can leave the fields of absent columns alone.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from counter_app.domain.billing_records import (
    ACCOUNT_LIMITS,
    ACCOUNT_STATUSES,
    CHARGE_KINDS,
    CHARGE_LIMITS,
)
from counter_app.domain.csv_rows import Cells, RowFormat
from counter_app.domain.search_keys import digits_key

MIN_PHONE_DIGITS = 7
SHUTOFF_STATUSES = ("shutoff_pending", "disconnected")
# When the billing system made the row: what the counter changed later is kept (not stored).
AS_OF = "as_of"

Record = dict[str, Any]


def parse_account(row: Cells) -> Record:
    """One row of an accounts file → the account's stored fields."""
    number = row.account_number("account_number")
    name = row.text("customer_name", required=True, max_length=ACCOUNT_LIMITS["customer_name"])
    address = row.text(
        "service_address", required=True, max_length=ACCOUNT_LIMITS["service_address"]
    )
    meter = row.text("meter_number", max_length=ACCOUNT_LIMITS["meter_number"])
    phone = row.text("phone", max_length=ACCOUNT_LIMITS["phone"])
    if phone and len(digits_key(phone)) < MIN_PHONE_DIGITS:
        row.fail(f'phone "{phone}" has fewer than {MIN_PHONE_DIGITS} digits')
    status = row.choice("status", ACCOUNT_STATUSES, default="active")
    shutoff_date = row.date("shutoff_date")
    if status == "shutoff_pending" and not row.raw("shutoff_date"):
        row.fail("status shutoff_pending needs a shutoff_date")
    if shutoff_date is not None and status not in SHUTOFF_STATUSES:
        row.fail(f"shutoff_date is only for status {' or '.join(SHUTOFF_STATUSES)}, not {status}")
    if row.has(AS_OF) and not row.raw(AS_OF):
        row.fail(
            f"{AS_OF} is empty: in a file with an {AS_OF} column every row says when it was made"
        )
    return {
        "number": number,
        "customer_name": name,
        "service_address": address,
        "meter_number": meter,
        "phone": phone,
        "status": status,
        "shutoff_date": shutoff_date,
        "deposit_cents": row.money("deposit").cents,
        "credit_cents": row.money("credit").cents,
        "checks_not_accepted": row.flag("checks_not_accepted"),
        AS_OF: row.moment(AS_OF),
    }


def parse_charge(row: Cells) -> Record:
    """One row of a charges file → the charge's stored fields (and its account number)."""
    charge_id = row.text("charge_id", required=True, max_length=CHARGE_LIMITS["external_id"])
    number = row.account_number("account_number")
    kind = row.choice("kind", CHARGE_KINDS)
    description = row.text("description", max_length=CHARGE_LIMITS["description"])
    bill_date = row.date("bill_date", required=True)
    due_date = row.date("due_date", required=True)
    if bill_date and due_date and due_date < bill_date:
        row.fail(f"due_date {due_date} is before bill_date {bill_date}")
    amount = row.money("amount", required=True, positive=True)
    open_amount = row.money("open_amount", required=True)
    if amount and open_amount > amount:
        row.fail(f"open_amount {open_amount} is more than amount {amount}")
    return {
        "external_id": charge_id,
        "account_number": number,
        "kind": kind,
        "description": description,
        "bill_date": bill_date,
        "due_date": due_date,
        "amount_cents": amount.cents,
        "open_cents": open_amount.cents,
    }


ACCOUNTS: RowFormat[Record] = RowFormat(
    name="accounts",
    required=("account_number", "customer_name", "service_address"),
    optional=(
        "meter_number",
        "phone",
        "status",
        "shutoff_date",
        "deposit",
        "credit",
        "checks_not_accepted",
        AS_OF,
    ),
    parse=parse_account,
    key=lambda r: r["number"],
    key_label="account",
    needs={"shutoff_date": "status"},
)

CHARGES: RowFormat[Record] = RowFormat(
    name="charges",
    required=(
        "charge_id",
        "account_number",
        "kind",
        "bill_date",
        "due_date",
        "amount",
        "open_amount",
    ),
    optional=("description",),
    parse=parse_charge,
    key=lambda r: r["external_id"],
    key_label="charge",
)

# The stored fields each column sets; a column not named here sets the field of its name.
FIELDS_OF: dict[str, tuple[str, ...]] = {
    "account_number": ("number",),
    "charge_id": ("external_id",),
    "deposit": ("deposit_cents",),
    "credit": ("credit_cents", "billed_credit_cents"),
    "amount": ("amount_cents",),
    "open_amount": ("open_cents", "billed_open_cents"),
    # A status without a shutoff date clears the date; a date needs its status column.
    "status": ("status", "shutoff_date"),
    AS_OF: (),  # says when the row was made; sets no field
}


def fields_of(columns: Iterable[str]) -> set[str]:
    """The stored fields the given columns set (an update leaves the others alone)."""
    return {f for c in columns for f in FIELDS_OF.get(c, (c,))}
