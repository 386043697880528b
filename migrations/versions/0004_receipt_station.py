"""A receipt stores the station it was issued at, instead of its number being parsed for it.
Existing receipts get the station of the drawer session they were posted in (the one their
number was made from).

Revision ID: 0004
Revises: 0003
Create Date: 2026-11-26 09:00:00
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0004"
down_revision = "0003"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("receipts") as batch:
        batch.add_column(sa.Column("station", sa.String(length=8), nullable=True))
    receipts = sa.table("receipts", sa.column("station"), sa.column("transaction_id"))
    transactions = sa.table("transactions", sa.column("id"), sa.column("session_id"))
    sessions = sa.table("drawer_sessions", sa.column("id"), sa.column("station"))
    station_of = (
        sa.select(sessions.c.station)
        .join(transactions, transactions.c.session_id == sessions.c.id)
        .where(transactions.c.id == receipts.c.transaction_id)
        .scalar_subquery()
    )
    op.execute(receipts.update().values(station=station_of))
    with op.batch_alter_table("receipts") as batch:
        batch.alter_column("station", existing_type=sa.String(length=8), nullable=False)


def downgrade() -> None:
    with op.batch_alter_table("receipts") as batch:
        batch.drop_column("station")
