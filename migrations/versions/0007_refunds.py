"""Refunds of a credit balance: a transaction kind ``refund``, and a tender kind
``refund_check`` (a check the office will issue: never money taken in, never in a drawer's
checks or a bank deposit). The two check constraints are widened on both databases (SQLite
in batch mode, which rebuilds the table; ``db.migrate`` turns SQLite's foreign keys off
while it does and checks them all before the commit). A refund paid partly out of the
deposit held records that part on its payment (``payments.deposit_part_cents``), so each
payment still equals its allocations plus that part.

The downgrade narrows them again, so it stops (with the database's own refusal) while any
refund is stored: a refund is never deleted to make a downgrade fit.

Revision ID: 0007
Revises: 0006
Create Date: 2026-11-28 09:00:00
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0007"
down_revision = "0006"
branch_labels = None
depends_on = None

TRANSACTION_KINDS = ("payment", "void", "nsf_reversal")
TENDER_KINDS = ("cash", "check", "money_order", "card")


def _one_of(values: tuple[str, ...]) -> str:
    return "kind IN (" + ", ".join(f"'{v}'" for v in values) + ")"


def _replace_check(table: str, values: tuple[str, ...]) -> None:
    name = op.f(f"ck_{table}_kind")
    with op.batch_alter_table(table) as batch:
        batch.drop_constraint(name, type_="check")
        batch.create_check_constraint(name, _one_of(values))


def upgrade() -> None:
    _replace_check("transactions", (*TRANSACTION_KINDS, "refund"))
    _replace_check("tenders", (*TENDER_KINDS, "refund_check"))
    op.add_column(
        "payments",
        sa.Column("deposit_part_cents", sa.BigInteger(), nullable=False, server_default="0"),
    )


def downgrade() -> None:
    op.drop_column("payments", "deposit_part_cents")
    _replace_check("tenders", TENDER_KINDS)
    _replace_check("transactions", TRANSACTION_KINDS)
