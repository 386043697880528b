"""Paying what restores service restores it: an account may be ``reconnect_ordered`` (the
accounts status check widened), and the turn-on orders such payments make are kept in
``service_orders``.

A downgrade would lose orders and the status of accounts waiting for the crew, so it is
refused while any order or such account exists, naming how many; it changes nothing then.

Revision ID: 0006
Revises: 0009
Create Date: 2026-11-28 09:00:00
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

from counter_app.domain.errors import CounterError

revision = "0006"
down_revision = "0009"
branch_labels = None
depends_on = None

STATUSES_BEFORE = ("active", "shutoff_pending", "disconnected", "closed")
STATUSES = ("active", "shutoff_pending", "disconnected", "reconnect_ordered", "closed")


class ServiceOrdersInUse(CounterError):
    """Orders or reconnect-ordered accounts exist: the downgrade changed nothing."""


def _status_check(statuses: tuple[str, ...]) -> None:
    listed = ", ".join(f"'{s}'" for s in statuses)
    with op.batch_alter_table("accounts") as batch:
        batch.drop_constraint(op.f("ck_accounts_status"), type_="check")
        batch.create_check_constraint(op.f("ck_accounts_status"), f"status IN ({listed})")


def upgrade() -> None:
    _status_check(STATUSES)
    op.create_table(
        "service_orders",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("number", sa.String(length=40), nullable=False),
        sa.Column("account_id", sa.Integer(), nullable=False),
        sa.Column("kind", sa.String(length=12), nullable=False),
        sa.Column("transaction_id", sa.Integer(), nullable=False),
        sa.Column("fee_charge_id", sa.Integer(), nullable=True),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("created_by_id", sa.Integer(), nullable=False),
        sa.Column("station", sa.String(length=8), nullable=False),
        sa.Column("state", sa.String(length=10), nullable=False),
        sa.Column("cancelled_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("cancelled_by_id", sa.Integer(), nullable=True),
        sa.Column("cancelled_by_transaction_id", sa.Integer(), nullable=True),
        sa.CheckConstraint("kind IN ('reconnect')", name=op.f("ck_service_orders_kind")),
        sa.CheckConstraint(
            "state IN ('ordered', 'cancelled')", name=op.f("ck_service_orders_state")
        ),
        sa.ForeignKeyConstraint(
            ["account_id"], ["accounts.id"], name=op.f("fk_service_orders_account_id_accounts")
        ),
        sa.ForeignKeyConstraint(
            ["transaction_id"],
            ["transactions.id"],
            name=op.f("fk_service_orders_transaction_id_transactions"),
        ),
        sa.ForeignKeyConstraint(
            ["fee_charge_id"],
            ["charges.id"],
            name=op.f("fk_service_orders_fee_charge_id_charges"),
        ),
        sa.ForeignKeyConstraint(
            ["created_by_id"], ["users.id"], name=op.f("fk_service_orders_created_by_id_users")
        ),
        sa.ForeignKeyConstraint(
            ["cancelled_by_id"],
            ["users.id"],
            name=op.f("fk_service_orders_cancelled_by_id_users"),
        ),
        sa.ForeignKeyConstraint(
            ["cancelled_by_transaction_id"],
            ["transactions.id"],
            name=op.f("fk_service_orders_cancelled_by_transaction_id_transactions"),
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_service_orders")),
        sa.UniqueConstraint("number", name=op.f("uq_service_orders_number")),
    )
    with op.batch_alter_table("service_orders") as batch:
        batch.create_index(batch.f("ix_service_orders_account_id"), ["account_id"])
        batch.create_index(batch.f("ix_service_orders_transaction_id"), ["transaction_id"])


def downgrade() -> None:
    connection = op.get_bind()
    orders = connection.execute(sa.text("SELECT count(*) FROM service_orders")).scalar_one()
    waiting = connection.execute(
        sa.text("SELECT count(*) FROM accounts WHERE status = 'reconnect_ordered'")
    ).scalar_one()
    if orders or waiting:
        raise ServiceOrdersInUse(
            f"The database cannot be downgraded below 0006: it holds {orders} service "
            f"order(s) and {waiting} account(s) with a reconnect ordered, which the older "
            "schema cannot keep; nothing was changed"
        )
    op.drop_table("service_orders")
    _status_check(STATUSES_BEFORE)
