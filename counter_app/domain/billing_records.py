"""Accounts and charges as the billing system describes them.

Imports and the demo city both produce these values; the services store them. The search
key columns an account carries are derived here, in one place, from ``domain.search_keys``.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass
from typing import Any

from counter_app.domain import search_keys

ACCOUNT_STATUSES = ("active", "shutoff_pending", "disconnected", "closed")
CHARGE_KINDS = (
    "water",
    "sewer",
    "trash",
    "stormwater",
    "late_fee",
    "nsf_fee",
    "reconnect_fee",
    "deposit",
    "final_bill",
    "other",
)


@dataclass(frozen=True, slots=True)
class AccountIdentity:
    """Which account it is and whose: the fields every record of an account starts with."""

    id: int
    number: str
    customer_name: str
    service_address: str
    meter_number: str
    phone: str


# Column widths of the schema (db.models), checked before anything is written.
ACCOUNT_LIMITS = {"customer_name": 120, "service_address": 160, "meter_number": 40, "phone": 30}
CHARGE_LIMITS = {"external_id": 40, "description": 120}


def name_alt_key(customer_name: str) -> str:
    """First name first: ``"Smith, John"`` → ``"JOHN SMITH"``; a name without a comma
    (a business) keys the same both ways."""
    last, comma, first = customer_name.partition(",")
    return search_keys.name_key(f"{first} {last}" if comma else customer_name)


# Each stored field and the search-key columns derived from it.
SEARCH_KEYS: dict[str, tuple[tuple[str, Callable[[str], str]], ...]] = {
    "number": (("number_key", search_keys.digits_key),),
    "customer_name": (("name_key", search_keys.name_key), ("name_alt_key", name_alt_key)),
    "service_address": (
        ("address_key", search_keys.address_key),
        ("street_key", search_keys.street_key),
    ),
    "meter_number": (("meter_key", search_keys.meter_key),),
    "phone": (("phone_key", search_keys.phone_key),),
}


def with_search_keys(values: Mapping[str, Any]) -> dict[str, Any]:
    """``values`` plus the search keys of every field in it that has any.

    Only the keys of fields present are added, so an update that leaves the name alone
    leaves the name keys alone too.
    """
    out = dict(values)
    for field, keys in SEARCH_KEYS.items():
        if field in values:
            for column, key in keys:
                out[column] = key(values[field])
    return out


def with_key_fields(fields: Iterable[str]) -> set[str]:
    """``fields`` and the search-key columns derived from them."""
    out = set(fields)
    for field in list(out):
        out.update(column for column, _ in SEARCH_KEYS.get(field, ()))
    return out
