"""Migration 0006 (service orders, the RECONNECT ORDERED status) on a database with accounts,
charges and payments: they come through; the widened status check holds on both databases;
a downgrade is refused while orders exist, changing nothing."""

from __future__ import annotations

import pytest
from sqlalchemy import func, select, update
from sqlalchemy.exc import IntegrityError

from counter_app.db import migrate
from counter_app.db.engine import Database
from counter_app.db.models import Account, Allocation, Charge, Payment, ServiceOrder
from counter_app.domain.errors import CounterError
from counter_app.services import lookup
from counter_app.services.context import Context
from tests.helpers import Town, add_account, cash, pay


def _counts(ctx: Context) -> list[int]:
    with ctx.db.read() as s:
        return [
            s.execute(select(func.count()).select_from(table)).scalar_one()
            for table in (Account, Charge, Payment, Allocation)
        ]


def _set_status(ctx: Context, number: str, status: str) -> None:
    with ctx.db.write() as s:
        s.execute(update(Account).where(Account.number == number).values(status=status))


def test_the_upgrade_keeps_what_was_posted_and_allows_reconnect_ordered_only_among_new_statuses(
    db: Database, ctx: Context, town: Town
) -> None:
    pay(ctx, town, [("001234-01", "10.00")], [cash("10.00")])
    migrate.downgrade(db.engine, "0005")
    before = _counts(ctx)
    migrate.upgrade(db.engine)
    assert _counts(ctx) == before
    assert lookup.get_account(ctx, "001234-01").balance.cents == 10410 - 1000
    _set_status(ctx, "001234-01", "reconnect_ordered")
    assert lookup.get_account(ctx, "001234-01").status.value == "reconnect_ordered"
    with pytest.raises(IntegrityError):
        _set_status(ctx, "001234-01", "turned_on")


def test_a_downgrade_below_0006_is_refused_while_a_reconnect_is_ordered(
    db: Database, ctx: Context, town: Town
) -> None:
    add_account(
        ctx,
        "040000-01",
        "Dee, Cut",
        "14 Quarry Road",
        status="disconnected",
        charges=[("water", "2026-10-01", "2026-10-22", 8000, 8000)],
    )
    keep = lookup.get_account(ctx, "040000-01").amount_to_keep_service.format().lstrip("$")
    pay(ctx, town, [("040000-01", keep)], [cash(keep)])
    with pytest.raises(CounterError, match=r"1 service order\(s\) and 1 account\(s\)"):
        migrate.downgrade(db.engine, "0005")
    assert migrate.is_up_to_date(db.engine)
    with ctx.db.read() as s:
        assert s.execute(select(func.count()).select_from(ServiceOrder)).scalar_one() == 1
