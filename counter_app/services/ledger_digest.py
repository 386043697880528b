"""Digests of the rows an audit event covers: the one canonical serialisation of money rows.

A service that writes money rows (a posting, a void, an NSF reversal, a cash movement, a
session opened, a user added or changed) passes them to ``audit.record(..., rows=[...])``;
the event's details then hold ``rows = {"digest": sha256, "of": {table: [ids]}}``, and the
keyed chain covers that. ``counter-app check`` reads the same rows back, serialises them
here again and compares, so a changed, deleted or added money row shows.

Only the columns that never change after the write are covered (a receipt's print count
does; a session's close fields belong to the close's own event). A row covered again by a
later event (a user disabled after being added) is checked against that later event.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
from collections.abc import Iterable, Mapping, Sequence
from enum import Enum
from typing import Any

from sqlalchemy import Table, select
from sqlalchemy.orm import Session

from counter_app.db.models import (
    Allocation,
    Base,
    CashMovement,
    DrawerSession,
    Payment,
    Receipt,
    Tender,
    Transaction,
    User,
    table_of,
)


def _all_columns(model: type[Base]) -> tuple[str, ...]:
    return tuple(c.name for c in table_of(model).columns)


# table name → the model and the columns a digest covers
COVERED: dict[str, tuple[type[Base], tuple[str, ...]]] = {
    "transactions": (Transaction, _all_columns(Transaction)),
    "payments": (Payment, _all_columns(Payment)),
    "allocations": (Allocation, _all_columns(Allocation)),
    "tenders": (Tender, _all_columns(Tender)),
    "receipts": (Receipt, ("id", "number", "station", "transaction_id")),
    "cash_movements": (CashMovement, _all_columns(CashMovement)),
    "drawer_sessions": (
        DrawerSession,
        (
            "id",
            "kind",
            "user_id",
            "station",
            "business_date",
            "opened_at",
            "opening_float_cents",
            "opening_count",
        ),
    ),
    "users": (User, ("id", "username", "role", "active")),
}
# rows that a later event may cover again (the newest event is the one that must match)
MUTABLE = frozenset({"users", "drawer_sessions"})
TABLE_OF: dict[type[Base], str] = {model: name for name, (model, _) in COVERED.items()}

Refs = dict[str, list[int]]


def _plain(value: Any) -> Any:
    """One column value as the digest sees it, the same whichever database it came from."""
    if isinstance(value, Enum):
        return value.value
    if isinstance(value, dt.datetime):
        return value.astimezone(dt.UTC).isoformat()
    if isinstance(value, dt.date):
        return value.isoformat()
    return value


def digest(rows: Iterable[tuple[str, Sequence[Any]]]) -> str:
    """The digest of (table, column values in ``COVERED`` order) rows, in any order."""
    canonical = sorted(
        ([table, [_plain(v) for v in values]] for table, values in rows),
        key=lambda r: (r[0], r[1][0]),
    )
    payload = json.dumps(canonical, sort_keys=True, separators=(",", ":"), default=str)
    return hashlib.sha256(payload.encode()).hexdigest()


def cover(rows: Iterable[Base]) -> dict[str, Any]:
    """What an event records of the (flushed) ORM rows it wrote: their digest and ids."""
    listed: list[tuple[str, Sequence[Any]]] = []
    refs: Refs = {}
    for row in rows:
        table = TABLE_OF[type(row)]
        values = [getattr(row, c) for c in COVERED[table][1]]
        listed.append((table, values))
        refs.setdefault(table, []).append(values[0])
    return {"digest": digest(listed), "of": {t: sorted(ids) for t, ids in refs.items()}}


def transaction_rows(txn: Transaction) -> list[Base]:
    """A transaction with its payments, allocations, tenders and receipt (loaded)."""
    rows: list[Base] = [txn, *txn.tenders]
    for payment in txn.payments:
        rows += [payment, *payment.allocations]
    if txn.receipt is not None:
        rows.append(txn.receipt)
    return rows


def refs_in(details: Mapping[str, Any]) -> Refs | None:
    """The row ids an event's details name, or None when it covers no rows."""
    rows = details.get("rows")
    if not isinstance(rows, Mapping) or not isinstance(rows.get("of"), Mapping):
        return None
    return {str(t): [int(i) for i in ids] for t, ids in rows["of"].items()}


def stored_values(
    session: Session, refs: Mapping[str, Iterable[int]]
) -> dict[str, dict[int, list[Any]]]:
    """The covered columns of the rows named in ``refs``, as stored now, by table and id."""
    found: dict[str, dict[int, list[Any]]] = {}
    for table_name, ids in refs.items():
        wanted = sorted(set(ids))
        table: Table = table_of(COVERED[table_name][0])
        columns = [table.c[c] for c in COVERED[table_name][1]]
        rows = found.setdefault(table_name, {})
        for start in range(0, len(wanted), 2_000):
            batch = wanted[start : start + 2_000]
            for values in session.execute(select(*columns).where(table.c.id.in_(batch))):
                rows[values[0]] = list(values)
    return found
