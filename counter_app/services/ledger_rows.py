"""Money rows written with Core statements, inside the caller's unit of work.

For the handful of rows one posting writes, the ORM's unit of work cost more than the
statements themselves (its flushes were about 40 % of a post). These write the same rows:
each table's rows in one ``INSERT … RETURNING id``, every column given, so that what comes
back (``ledger_digest.Values``) is exactly what was stored and what the audit event covers.
"""

from __future__ import annotations

import functools
from collections.abc import Mapping, Sequence
from typing import Any

from sqlalchemy import Table, bindparam, insert, update
from sqlalchemy.orm import Session
from sqlalchemy.orm.attributes import set_committed_value
from sqlalchemy.sql.dml import Insert

from counter_app.db.models import Account, Base, Charge, table_of
from counter_app.services.ledger_digest import Values, values_of

_ACCOUNTS = table_of(Account)
_CHARGES = table_of(Charge)


def insert_rows(
    session: Session, model: type[Base], rows: Sequence[Mapping[str, Any]]
) -> list[Values]:
    """Insert ``rows`` of ``model`` (each with every covered column but ``id``), in order;
    each comes back with its new id as ``Values``."""
    if not rows:
        return []
    table = table_of(model)
    ids = session.connection().execute(_inserting(table), list(rows)).scalars().all()
    return [
        values_of(table.name, {**row, "id": new_id}) for row, new_id in zip(rows, ids, strict=True)
    ]


@functools.cache
def _inserting(table: Table) -> Insert:
    return insert(table).returning(table.c.id, sort_by_parameter_order=True)


def insert_row(session: Session, model: type[Base], row: Mapping[str, Any]) -> Values:
    """``insert_rows`` of one row."""
    return insert_rows(session, model, [row])[0]


_PAY_CHARGE = (
    update(_CHARGES)
    .where(_CHARGES.c.id == bindparam("charge"))
    .values(open_cents=_CHARGES.c.open_cents - bindparam("paid"))
)


def pay_charges(session: Session, paid: Mapping[int, int]) -> None:
    """Take ``paid`` cents (by charge id) off those charges' open amounts."""
    if paid:
        session.connection().execute(
            _PAY_CHARGE, [{"charge": charge, "paid": cents} for charge, cents in paid.items()]
        )


def update_account(session: Session, account: Account, values: Mapping[str, Any]) -> None:
    """Set ``values`` on the (locked) account's row, and on its ORM object as if it had been
    loaded so: the row changed now, nothing left for a flush to write."""
    session.connection().execute(
        update(_ACCOUNTS).where(_ACCOUNTS.c.id == account.id).values(dict(values))
    )
    for name, value in values.items():
        set_committed_value(account, name, value)
