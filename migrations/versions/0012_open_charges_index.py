"""The open charges of each account, on their own: a partial index on charges (account_id,
open_cents) WHERE open_cents > 0, on SQLite and PostgreSQL alike. An account's balance (shown
on every lookup hit) is read from it alone — one or two entries — instead of from the
forty-odd charge rows of a year's bills, most of them paid.

Revision ID: 0012
Revises: 0013
Create Date: 2026-12-01 11:00:00
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0012"
down_revision = "0013"
branch_labels = None
depends_on = None

NAME = "ix_charges_open_account_id"
OPEN = "open_cents > 0"


def upgrade() -> None:
    op.create_index(
        NAME,
        "charges",
        ["account_id", "open_cents"],
        sqlite_where=sa.text(OPEN),
        postgresql_where=sa.text(OPEN),
    )


def downgrade() -> None:
    op.drop_index(NAME, table_name="charges")
