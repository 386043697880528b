"""End of day (issue 10): counts stored as rows, session steps, deposits made once only.

- ``drawer_counts`` / ``drawer_count_lines`` / ``drawer_count_items``: every count of a
  session — the float at the open and each close count and recount — as rows that are never
  overwritten: who counted, who verified (dual control), each denomination, each tender's
  counted total beside its expected figure, each check / money order ticked. Existing
  sessions get their opening count (``drawer_sessions.opening_count``) as an "open" row.
- ``session_steps``: each change of a session's state (closed, variance approved with its
  override and reason, reopened, deposited).
- ``deposit_sessions``: a session on a deposit, its id the primary key — the database keeps a
  session from being deposited twice. ``deposit_lines``: currency and coin by denomination,
  checks and money orders itemised (a tender is deposited once: unique). ``deposits`` gains
  the bank account and the float kept back.

``drawer_sessions.closing_count`` (JSON) is no longer written: the rows replace it.

Revision ID: 0008
Revises: 0007
Create Date: 2026-11-30 09:00:00
"""

from __future__ import annotations

from typing import Any

import sqlalchemy as sa
from alembic import op

revision = "0008"
down_revision = "0007"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "deposit_sessions",
        sa.Column("session_id", sa.Integer(), nullable=False),
        sa.Column("deposit_id", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(
            ["deposit_id"], ["deposits.id"], name=op.f("fk_deposit_sessions_deposit_id_deposits")
        ),
        sa.ForeignKeyConstraint(
            ["session_id"],
            ["drawer_sessions.id"],
            name=op.f("fk_deposit_sessions_session_id_drawer_sessions"),
        ),
        sa.PrimaryKeyConstraint("session_id", name=op.f("pk_deposit_sessions")),
    )
    with op.batch_alter_table("deposit_sessions", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_deposit_sessions_deposit_id"), ["deposit_id"], unique=False
        )

    op.create_table(
        "drawer_counts",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("session_id", sa.Integer(), nullable=False),
        sa.Column("kind", sa.String(length=10), nullable=False),
        sa.Column("attempt", sa.Integer(), nullable=False),
        sa.Column("counted_by_id", sa.Integer(), nullable=False),
        sa.Column("verified_by_id", sa.Integer(), nullable=True),
        sa.Column("counted_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("card_batch_cents", sa.BigInteger(), nullable=False),
        sa.CheckConstraint("kind IN ('open', 'close')", name=op.f("ck_drawer_counts_kind")),
        sa.CheckConstraint("attempt >= 1", name=op.f("ck_drawer_counts_attempt_positive")),
        sa.CheckConstraint(
            "card_batch_cents >= 0", name=op.f("ck_drawer_counts_card_batch_not_negative")
        ),
        sa.ForeignKeyConstraint(
            ["counted_by_id"], ["users.id"], name=op.f("fk_drawer_counts_counted_by_id_users")
        ),
        sa.ForeignKeyConstraint(
            ["session_id"],
            ["drawer_sessions.id"],
            name=op.f("fk_drawer_counts_session_id_drawer_sessions"),
        ),
        sa.ForeignKeyConstraint(
            ["verified_by_id"], ["users.id"], name=op.f("fk_drawer_counts_verified_by_id_users")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_drawer_counts")),
        sa.UniqueConstraint(
            "session_id", "kind", "attempt", name=op.f("uq_drawer_counts_session_id_kind_attempt")
        ),
    )
    with op.batch_alter_table("drawer_counts", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_drawer_counts_session_id"), ["session_id"], unique=False
        )

    op.create_table(
        "drawer_count_lines",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("count_id", sa.Integer(), nullable=False),
        sa.Column("kind", sa.String(length=12), nullable=False),
        sa.Column("code", sa.String(length=12), nullable=False),
        sa.Column("quantity", sa.Integer(), nullable=False),
        sa.Column("cents", sa.BigInteger(), nullable=False),
        sa.Column("expected_cents", sa.BigInteger(), nullable=True),
        sa.CheckConstraint(
            "kind IN ('denomination', 'tender', 'tape', 'posted')",
            name=op.f("ck_drawer_count_lines_kind"),
        ),
        sa.CheckConstraint(
            "quantity >= 0", name=op.f("ck_drawer_count_lines_quantity_not_negative")
        ),
        sa.ForeignKeyConstraint(
            ["count_id"],
            ["drawer_counts.id"],
            name=op.f("fk_drawer_count_lines_count_id_drawer_counts"),
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_drawer_count_lines")),
        sa.UniqueConstraint(
            "count_id", "kind", "code", name=op.f("uq_drawer_count_lines_count_id_kind_code")
        ),
    )
    with op.batch_alter_table("drawer_count_lines", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_drawer_count_lines_count_id"), ["count_id"], unique=False
        )

    op.create_table(
        "session_steps",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("session_id", sa.Integer(), nullable=False),
        sa.Column("from_state", sa.String(length=12), nullable=False),
        sa.Column("to_state", sa.String(length=12), nullable=False),
        sa.Column("count_id", sa.Integer(), nullable=True),
        sa.Column("user_id", sa.Integer(), nullable=False),
        sa.Column("approved_by_id", sa.Integer(), nullable=True),
        sa.Column("override_id", sa.Integer(), nullable=True),
        sa.Column("reason", sa.Text(), nullable=False),
        sa.Column("at", sa.DateTime(timezone=True), nullable=False),
        sa.CheckConstraint(
            "from_state IN ('open', 'counted', 'approved', 'deposited') "
            "AND to_state IN ('open', 'counted', 'approved', 'deposited')",
            name=op.f("ck_session_steps_states"),
        ),
        sa.ForeignKeyConstraint(
            ["approved_by_id"], ["users.id"], name=op.f("fk_session_steps_approved_by_id_users")
        ),
        sa.ForeignKeyConstraint(
            ["count_id"], ["drawer_counts.id"], name=op.f("fk_session_steps_count_id_drawer_counts")
        ),
        sa.ForeignKeyConstraint(
            ["override_id"], ["overrides.id"], name=op.f("fk_session_steps_override_id_overrides")
        ),
        sa.ForeignKeyConstraint(
            ["session_id"],
            ["drawer_sessions.id"],
            name=op.f("fk_session_steps_session_id_drawer_sessions"),
        ),
        sa.ForeignKeyConstraint(
            ["user_id"], ["users.id"], name=op.f("fk_session_steps_user_id_users")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_session_steps")),
    )
    with op.batch_alter_table("session_steps", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_session_steps_session_id"), ["session_id"], unique=False
        )

    op.create_table(
        "deposit_lines",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("deposit_id", sa.Integer(), nullable=False),
        sa.Column("kind", sa.String(length=12), nullable=False),
        sa.Column("denomination", sa.String(length=12), nullable=False),
        sa.Column("quantity", sa.Integer(), nullable=False),
        sa.Column("cents", sa.BigInteger(), nullable=False),
        sa.Column("tender_id", sa.Integer(), nullable=True),
        sa.Column("session_id", sa.Integer(), nullable=True),
        sa.Column("reference", sa.String(length=40), nullable=False),
        sa.Column("bank", sa.String(length=60), nullable=False),
        sa.Column("accounts", sa.String(length=200), nullable=False),
        sa.CheckConstraint(
            "kind IN ('currency', 'coin', 'check', 'money_order')",
            name=op.f("ck_deposit_lines_kind"),
        ),
        sa.CheckConstraint("quantity >= 0", name=op.f("ck_deposit_lines_quantity_not_negative")),
        sa.ForeignKeyConstraint(
            ["deposit_id"], ["deposits.id"], name=op.f("fk_deposit_lines_deposit_id_deposits")
        ),
        sa.ForeignKeyConstraint(
            ["session_id"],
            ["drawer_sessions.id"],
            name=op.f("fk_deposit_lines_session_id_drawer_sessions"),
        ),
        sa.ForeignKeyConstraint(
            ["tender_id"], ["tenders.id"], name=op.f("fk_deposit_lines_tender_id_tenders")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_deposit_lines")),
        sa.UniqueConstraint("tender_id", name=op.f("uq_deposit_lines_tender_id")),
    )
    with op.batch_alter_table("deposit_lines", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_deposit_lines_deposit_id"), ["deposit_id"], unique=False
        )

    op.create_table(
        "drawer_count_items",
        sa.Column("count_id", sa.Integer(), nullable=False),
        sa.Column("tender_id", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(
            ["count_id"],
            ["drawer_counts.id"],
            name=op.f("fk_drawer_count_items_count_id_drawer_counts"),
        ),
        sa.ForeignKeyConstraint(
            ["tender_id"], ["tenders.id"], name=op.f("fk_drawer_count_items_tender_id_tenders")
        ),
        sa.PrimaryKeyConstraint("count_id", "tender_id", name=op.f("pk_drawer_count_items")),
    )
    with op.batch_alter_table("deposits", schema=None) as batch_op:
        batch_op.add_column(
            sa.Column("bank_name", sa.String(length=80), server_default="", nullable=False)
        )
        batch_op.add_column(
            sa.Column("bank_account_name", sa.String(length=120), server_default="", nullable=False)
        )
        batch_op.add_column(
            sa.Column(
                "bank_account_number", sa.String(length=40), server_default="", nullable=False
            )
        )
        batch_op.add_column(
            sa.Column("float_kept_cents", sa.BigInteger(), server_default="0", nullable=False)
        )

    _opening_counts_as_rows(op.get_bind())


def _opening_counts_as_rows(connection: sa.Connection) -> None:
    """Each existing session's opening count as an "open" count, attempt 1."""
    sessions = sa.table(
        "drawer_sessions",
        sa.column("id", sa.Integer()),
        sa.column("user_id", sa.Integer()),
        sa.column("opened_at", sa.DateTime(timezone=True)),
        sa.column("opening_count", sa.JSON()),
    )
    counts = sa.table(
        "drawer_counts",
        sa.column("id", sa.Integer()),
        sa.column("session_id", sa.Integer()),
        sa.column("kind", sa.String()),
        sa.column("attempt", sa.Integer()),
        sa.column("counted_by_id", sa.Integer()),
        sa.column("counted_at", sa.DateTime(timezone=True)),
        sa.column("card_batch_cents", sa.BigInteger()),
    )
    lines = sa.table(
        "drawer_count_lines",
        sa.column("count_id", sa.Integer()),
        sa.column("kind", sa.String()),
        sa.column("code", sa.String()),
        sa.column("quantity", sa.Integer()),
        sa.column("cents", sa.BigInteger()),
    )
    from counter_app.domain.denominations import BY_CODE

    rows = connection.execute(sa.select(sessions).order_by(sessions.c.id)).all()
    for id_, user_id, opened_at, opening in rows:
        connection.execute(
            counts.insert().values(
                id=id_,  # one open count per session: the session's id is free to reuse
                session_id=id_,
                kind="open",
                attempt=1,
                counted_by_id=user_id,
                counted_at=opened_at,
                card_batch_cents=0,
            )
        )
        found: dict[str, Any] = opening or {}
        values = [
            {
                "count_id": id_,
                "kind": "denomination",
                "code": code,
                "quantity": int(n),
                "cents": BY_CODE[code].value.cents * int(n),
            }
            for code, n in found.items()
            if code in BY_CODE and int(n)
        ]
        if values:
            connection.execute(lines.insert(), values)
    if rows and connection.dialect.name == "postgresql":
        connection.execute(
            sa.text(
                "SELECT setval(pg_get_serial_sequence('drawer_counts', 'id'), "
                "(SELECT max(id) FROM drawer_counts))"
            )
        )


def downgrade() -> None:
    with op.batch_alter_table("deposits", schema=None) as batch_op:
        batch_op.drop_column("float_kept_cents")
        batch_op.drop_column("bank_account_number")
        batch_op.drop_column("bank_account_name")
        batch_op.drop_column("bank_name")

    op.drop_table("drawer_count_items")
    with op.batch_alter_table("deposit_lines", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_deposit_lines_deposit_id"))

    op.drop_table("deposit_lines")
    with op.batch_alter_table("session_steps", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_session_steps_session_id"))

    op.drop_table("session_steps")
    with op.batch_alter_table("drawer_count_lines", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_drawer_count_lines_count_id"))

    op.drop_table("drawer_count_lines")
    with op.batch_alter_table("drawer_counts", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_drawer_counts_session_id"))

    op.drop_table("drawer_counts")
    with op.batch_alter_table("deposit_sessions", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_deposit_sessions_deposit_id"))

    op.drop_table("deposit_sessions")
