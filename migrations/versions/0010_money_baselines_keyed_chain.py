"""The audit trail covers the money: what the billing system set on each charge and account
(so ``counter-app check`` can prove open amounts and credit from the allocations), and the
keyed chain's head (the first keyed event and the head's own HMAC).

``charges.billed_open_cents`` is the open amount the billing system gave before the
counter's allocations: ``open_cents = billed_open_cents - allocations``. For existing rows it
is the open amount plus what was allocated. ``accounts.billed_credit_cents`` likewise:
``credit_cents = billed_credit_cents + credit allocations``. ``audit_head.keyed_from_id`` and
``audit_head.mac`` stay empty until the first event written with the office's key
(``services/audit.py``): the chain before it is the old unkeyed one, anchored by that event.

Revision ID: 0010
Revises: 0005
Create Date: 2026-12-02 09:00:00
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0010"
down_revision = "0005"
branch_labels = None
depends_on = None


# plain ADD / DROP COLUMN (SQLite has both): rebuilding accounts or charges would trip the
# foreign keys that point at them
BASELINES = (("charges", "billed_open_cents"), ("accounts", "billed_credit_cents"))


def upgrade() -> None:
    for table, column in BASELINES:
        op.add_column(table, sa.Column(column, sa.BigInteger(), nullable=False, server_default="0"))
    op.add_column("audit_head", sa.Column("keyed_from_id", sa.Integer(), nullable=True))
    op.add_column("audit_head", sa.Column("mac", sa.String(length=64), nullable=True))
    op.execute(
        "UPDATE charges SET billed_open_cents = open_cents + coalesce((SELECT sum(a.amount_cents)"
        " FROM allocations a WHERE a.charge_id = charges.id), 0)"
    )
    op.execute(
        "UPDATE accounts SET billed_credit_cents = credit_cents - coalesce((SELECT "
        "sum(a.amount_cents) FROM allocations a JOIN payments p ON p.id = a.payment_id "
        "WHERE p.account_id = accounts.id AND a.charge_id IS NULL), 0)"
    )


def downgrade() -> None:
    op.drop_column("audit_head", "mac")
    op.drop_column("audit_head", "keyed_from_id")
    for table, column in BASELINES:
        op.drop_column(table, column)
