"""Indexes for the close (issue 10: close submission ≤ 200 ms): the figures and the checks
to tick read a session's transactions and their tenders from indexes alone.

- ``ix_transactions_session_id_kind`` (session_id, kind, change_cents): a session's
  transactions by kind, with the change given, without reading the rows.
- ``ix_tenders_transaction_id_kind`` (transaction_id, kind, amount_cents) replaces
  ``ix_tenders_transaction_id``: the same lookups by transaction, and a transaction's
  tenders of a kind with their amounts (no more indexes on tenders for posting to keep up).

Only indexes: nothing is rewritten, and the downgrade puts the old index back.

Revision ID: 0013
Revises: 0008
Create Date: 2026-12-03 09:00:00
"""

from __future__ import annotations

from alembic import op

revision = "0013"
down_revision = "0008"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_index(
        "ix_transactions_session_id_kind",
        "transactions",
        ["session_id", "kind", "change_cents"],
        unique=False,
    )
    op.create_index(
        "ix_tenders_transaction_id_kind",
        "tenders",
        ["transaction_id", "kind", "amount_cents"],
        unique=False,
    )
    op.drop_index("ix_tenders_transaction_id", table_name="tenders")


def downgrade() -> None:
    op.create_index("ix_tenders_transaction_id", "tenders", ["transaction_id"], unique=False)
    op.drop_index("ix_tenders_transaction_id_kind", table_name="tenders")
    op.drop_index("ix_transactions_session_id_kind", table_name="transactions")
