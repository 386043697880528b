"""Search words: every word of each account's name and service address, so a lookup finds
an account by a word from the middle ("mill" for "77 Old Mill Rd"). Existing accounts get
their words here, in batches, through the same function the services use.

Revision ID: 0003
Revises: 0002
Create Date: 2026-11-25 08:45:00
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

from counter_app.domain.search_keys import search_words

revision = "0003"
down_revision = "0002"
branch_labels = None
depends_on = None

BATCH = 5_000


def upgrade() -> None:
    words = op.create_table(
        "search_words",
        sa.Column(
            "word",
            sa.String(length=160).with_variant(sa.VARCHAR(length=160, collation="C"), "postgresql"),
            nullable=False,
        ),
        sa.Column("account_id", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(
            ["account_id"], ["accounts.id"], name=op.f("fk_search_words_account_id_accounts")
        ),
        sa.PrimaryKeyConstraint("word", "account_id", name=op.f("pk_search_words")),
    )
    with op.batch_alter_table("search_words", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_search_words_account_id_word"), ["account_id", "word"], unique=False
        )
    _fill(words)


def _fill(words: sa.Table) -> None:
    """The words of the accounts already stored, a batch of accounts at a time."""
    conn = op.get_bind()
    accounts = sa.table(
        "accounts", sa.column("id"), sa.column("customer_name"), sa.column("service_address")
    )
    last = 0
    while True:
        batch = conn.execute(
            sa.select(accounts.c.id, accounts.c.customer_name, accounts.c.service_address)
            .where(accounts.c.id > last)
            .order_by(accounts.c.id)
            .limit(BATCH)
        ).all()
        if not batch:
            return
        rows = [
            {"account_id": id_, "word": word}
            for id_, name, address in batch
            for word in search_words(name, address)
        ]
        if rows:
            conn.execute(words.insert(), rows)
        last = batch[-1][0]


def downgrade() -> None:
    with op.batch_alter_table("search_words", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_search_words_account_id_word"))
    op.drop_table("search_words")
