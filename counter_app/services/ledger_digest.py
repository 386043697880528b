"""Digests of the rows an audit event covers: the one canonical serialisation of money rows.

A service that writes money rows (a posting, a void, an NSF reversal, a cash movement, a
session opened, a user added or changed) passes them to ``audit.record(..., rows=[...])``;
the event's details then hold ``rows = {"digest": sha256, "of": {table: [ids]}}``, and the
keyed chain covers that. ``counter-app check`` reads the same rows back, serialises them
here again and compares, so a changed, deleted or added money row shows.

Only the columns that never change after the write are covered (a receipt's print count
does; a session's close fields belong to the close's own event). A row covered again by a
later event (a user disabled after being added) is checked against that later event.

The end of day's rows are covered too: each count with its lines and ticked items, each
session step, each deposit with its lines and sessions. Rows written in bulk without ids
(a count's lines and ticks, a deposit's lines) are named by the row they belong to
(``KEYS``: the count, the deposit) and covered as a group: a line edited, deleted or added
to the group changes its digest. Such rows are passed as ``Values`` (table and column
values), not ORM objects.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
from collections.abc import Iterable, Mapping, Sequence
from enum import Enum
from typing import Any, NamedTuple

from sqlalchemy import Table, select
from sqlalchemy.orm import Session

from counter_app.db.models import (
    Allocation,
    Base,
    CashMovement,
    Deposit,
    DepositLineRow,
    DepositSession,
    DrawerCountItem,
    DrawerCountLine,
    DrawerCountRow,
    DrawerSession,
    Payment,
    Receipt,
    SessionStep,
    Tender,
    Transaction,
    User,
    table_of,
)


def _all_columns(model: type[Base]) -> tuple[str, ...]:
    return tuple(c.name for c in table_of(model).columns)


def _all_but_id(model: type[Base]) -> tuple[str, ...]:
    return tuple(c for c in _all_columns(model) if c != "id")


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
    "drawer_counts": (DrawerCountRow, _all_columns(DrawerCountRow)),
    "drawer_count_lines": (DrawerCountLine, _all_but_id(DrawerCountLine)),
    "drawer_count_items": (DrawerCountItem, _all_columns(DrawerCountItem)),
    "session_steps": (SessionStep, _all_columns(SessionStep)),
    "deposits": (Deposit, _all_columns(Deposit)),
    "deposit_lines": (DepositLineRow, _all_but_id(DepositLineRow)),
    "deposit_sessions": (DepositSession, _all_columns(DepositSession)),
}
# tables whose rows an event names by another row's id (each its first covered column),
# all the rows of that id together: a count's lines and ticks, a deposit's lines, a
# session on a deposit (its primary key); every other table by its own id
KEYS: dict[str, str] = {
    "drawer_count_lines": "count_id",
    "drawer_count_items": "count_id",
    "deposit_lines": "deposit_id",
    "deposit_sessions": "session_id",
}
# rows that a later event may cover again (the newest event is the one that must match)
MUTABLE = frozenset({"users", "drawer_sessions"})
TABLE_OF: dict[type[Base], str] = {model: name for name, (model, _) in COVERED.items()}

Refs = dict[str, list[int]]


class Values(NamedTuple):
    """A row written without an ORM object: its table and its ``COVERED`` column values."""

    table: str
    values: Sequence[Any]


def values_of(table_name: str, row: Mapping[str, Any]) -> Values:
    """The row of ``table_name`` given as column values (every covered one), as ``Values``."""
    return Values(table_name, [row[c] for c in COVERED[table_name][1]])


def key_of(table_name: str) -> str:
    """The column an event names ``table_name``'s rows by (the first covered one)."""
    return KEYS.get(table_name, "id")


assert all(cols[0] == key_of(t) for t, (_, cols) in COVERED.items()), "key first"


_AS_IS = frozenset({int, str, bool, type(None)})
_ENCODE = json.JSONEncoder(sort_keys=True, separators=(",", ":"), default=str).encode


def _plain(value: Any) -> Any:
    """One column value as the digest sees it, the same whichever database it came from."""
    if type(value) in _AS_IS:
        return value
    if isinstance(value, Enum):
        return value.value
    if isinstance(value, dt.datetime):
        return value.astimezone(dt.UTC).isoformat()
    if isinstance(value, dt.date):
        return value.isoformat()
    return value


def _encoded(table: str, values: Sequence[Any]) -> str:
    """``[table, values]`` as JSON; rows of plain integers (a count's ticks) without the
    encoder, to the same text."""
    if all(type(v) is int for v in values):
        return f'["{table}",[{",".join(map(str, values))}]]'
    return _ENCODE([table, [_plain(v) for v in values]])


def digest(rows: Iterable[tuple[str, Sequence[Any]]]) -> str:
    """The digest of (table, column values in ``COVERED`` order) rows, in any order: the
    JSON list of ``[table, values]`` ordered by table and first value (then by the row's
    own JSON, for a group's rows)."""
    canonical = sorted((table, values[0], _encoded(table, values)) for table, values in rows)
    payload = "[" + ",".join(row for _, _, row in canonical) + "]"
    return hashlib.sha256(payload.encode()).hexdigest()


def cover(rows: Iterable[Base | Values]) -> dict[str, Any]:
    """What an event records of the rows it wrote (flushed ORM rows, or ``Values``): their
    digest and the ids they are found by (``key_of``)."""
    listed: list[tuple[str, Sequence[Any]]] = []
    refs: dict[str, set[int]] = {}
    for row in rows:
        if isinstance(row, Values):
            table, values = row
        else:
            table = TABLE_OF[type(row)]
            values = [getattr(row, c) for c in COVERED[table][1]]
        listed.append((table, values))
        refs.setdefault(table, set()).add(values[0])
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
) -> dict[str, dict[int, list[list[Any]]]]:
    """The covered columns of the rows named in ``refs``, as stored now, by table and the
    id they are named by (``key_of``): one row each, or a group's rows."""
    found: dict[str, dict[int, list[list[Any]]]] = {}
    for table_name, ids in refs.items():
        wanted = sorted(set(ids))
        table: Table = table_of(COVERED[table_name][0])
        columns = [table.c[c] for c in COVERED[table_name][1]]
        rows = found.setdefault(table_name, {})
        for start in range(0, len(wanted), 2_000):
            batch = wanted[start : start + 2_000]
            for values in session.execute(select(*columns).where(columns[0].in_(batch))):
                rows.setdefault(values[0], []).append(list(values))
    return found


def stored_rows(
    stored: Mapping[str, Mapping[int, list[list[Any]]]], refs: Refs
) -> list[tuple[str, Sequence[Any]]]:
    """The (table, values) rows ``refs`` name, from ``stored_values``, for ``digest``."""
    return [(t, values) for t, ids in refs.items() for i in ids for values in stored[t].get(i, [])]
