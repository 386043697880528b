"""Migration 0007 (refunds): the wider kind checks keep every row and link, and a stored
refund is never dropped to make a downgrade fit."""

import pytest
from sqlalchemy import select
from sqlalchemy.exc import IntegrityError

from counter_app.db import migrate
from counter_app.db.engine import Database
from counter_app.db.models import Tender, Transaction
from counter_app.domain.money import Money
from counter_app.domain.overrides import OverrideAction
from counter_app.domain.refunds import RefundMethod, refund_subject
from counter_app.services import receipts, refunds
from counter_app.services.context import Context
from counter_app.services.posting import new_idempotency_key
from tests.helpers import Town, cash, grant, pay


def test_upgrading_through_the_refund_migration_keeps_every_payment_and_its_links(
    db: Database, ctx: Context, town: Town
) -> None:
    posted = pay(ctx, town, [("001234-01", "10.00")], [cash("10.00")])
    migrate.downgrade(db.engine, "0005")
    migrate.upgrade(db.engine)
    assert receipts.get_receipt(ctx, posted.receipt.number) == posted.receipt


def test_a_stored_refund_stops_the_downgrade_and_stays(
    db: Database, ctx: Context, town: Town
) -> None:
    done = refunds.refund_credit(
        ctx,
        session_id=town.session_id,
        user_id=town.cashier.id,
        account_number="030000-01",
        amount=Money(1500),
        method=RefundMethod.CHECK,
        reason="overpaid",
        grant_id=grant(ctx, town, OverrideAction.REFUND, refund_subject("030000-01", Money(1500))),
        idempotency_key=new_idempotency_key(),
    )
    with pytest.raises(IntegrityError):
        migrate.downgrade(db.engine, "0005")
    assert migrate.is_up_to_date(db.engine)
    with ctx.db.read() as s:
        kinds = s.execute(
            select(Transaction.kind, Tender.kind)
            .join(Tender)
            .where(Transaction.id == done.transaction_id)
        ).all()
    assert [tuple(k) for k in kinds] == [("refund", "refund_check")]
