"""Initial schema: users, accounts, charges, drawer sessions, money taken, audit trail.

Revision ID: 0001
Revises:
Create Date: 2026-11-23 15:58:38.344182
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0001"
down_revision = None
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "accounts",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("number", sa.String(length=12), nullable=False),
        sa.Column(
            "number_key",
            sa.String(length=12).with_variant(sa.VARCHAR(length=12, collation="C"), "postgresql"),
            nullable=False,
        ),
        sa.Column("customer_name", sa.String(length=120), nullable=False),
        sa.Column(
            "name_key",
            sa.String(length=120).with_variant(sa.VARCHAR(length=120, collation="C"), "postgresql"),
            nullable=False,
        ),
        sa.Column(
            "name_alt_key",
            sa.String(length=120).with_variant(sa.VARCHAR(length=120, collation="C"), "postgresql"),
            nullable=False,
        ),
        sa.Column("service_address", sa.String(length=160), nullable=False),
        sa.Column(
            "address_key",
            sa.String(length=160).with_variant(sa.VARCHAR(length=160, collation="C"), "postgresql"),
            nullable=False,
        ),
        sa.Column(
            "street_key",
            sa.String(length=160).with_variant(sa.VARCHAR(length=160, collation="C"), "postgresql"),
            nullable=False,
        ),
        sa.Column("meter_number", sa.String(length=40), nullable=False),
        sa.Column(
            "meter_key",
            sa.String(length=40).with_variant(sa.VARCHAR(length=40, collation="C"), "postgresql"),
            nullable=False,
        ),
        sa.Column("phone", sa.String(length=30), nullable=False),
        sa.Column(
            "phone_key",
            sa.String(length=15).with_variant(sa.VARCHAR(length=15, collation="C"), "postgresql"),
            nullable=False,
        ),
        sa.Column("status", sa.String(length=20), nullable=False),
        sa.Column("shutoff_date", sa.Date(), nullable=True),
        sa.Column("deposit_cents", sa.BigInteger(), nullable=False),
        sa.Column("credit_cents", sa.BigInteger(), nullable=False),
        sa.Column("checks_not_accepted", sa.Boolean(), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.CheckConstraint(
            "status IN ('active', 'shutoff_pending', 'disconnected', 'closed')",
            name=op.f("ck_accounts_status"),
        ),
        sa.CheckConstraint("credit_cents >= 0", name=op.f("ck_accounts_credit_not_negative")),
        sa.CheckConstraint("deposit_cents >= 0", name=op.f("ck_accounts_deposit_not_negative")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_accounts")),
        sa.UniqueConstraint("number", name=op.f("uq_accounts_number")),
    )
    with op.batch_alter_table("accounts", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_accounts_address_key"), ["address_key"], unique=False)
        batch_op.create_index(batch_op.f("ix_accounts_meter_key"), ["meter_key"], unique=False)
        batch_op.create_index(
            batch_op.f("ix_accounts_name_alt_key"), ["name_alt_key"], unique=False
        )
        batch_op.create_index(batch_op.f("ix_accounts_name_key"), ["name_key"], unique=False)
        batch_op.create_index(batch_op.f("ix_accounts_number_key"), ["number_key"], unique=False)
        batch_op.create_index(batch_op.f("ix_accounts_phone_key"), ["phone_key"], unique=False)
        batch_op.create_index(batch_op.f("ix_accounts_street_key"), ["street_key"], unique=False)

    op.create_table(
        "audit_head",
        sa.Column("id", sa.Integer(), autoincrement=False, nullable=False),
        sa.Column("last_hash", sa.String(length=64), nullable=False),
        sa.Column("last_id", sa.Integer(), nullable=False),
        sa.CheckConstraint("id = 1", name=op.f("ck_audit_head_one_row")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_audit_head")),
    )
    op.create_table(
        "receipt_sequences",
        sa.Column("station", sa.String(length=8), nullable=False),
        sa.Column("business_date", sa.Date(), nullable=False),
        sa.Column("last_value", sa.Integer(), nullable=False),
        sa.PrimaryKeyConstraint("station", "business_date", name=op.f("pk_receipt_sequences")),
    )
    op.create_table(
        "users",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("username", sa.String(length=40), nullable=False),
        sa.Column("full_name", sa.String(length=120), nullable=False),
        sa.Column("role", sa.String(length=20), nullable=False),
        sa.Column("password_hash", sa.String(length=200), nullable=False),
        sa.Column("active", sa.Boolean(), nullable=False),
        sa.Column("failed_logins", sa.Integer(), nullable=False),
        sa.Column("locked_until", sa.DateTime(timezone=True), nullable=True),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.CheckConstraint(
            "role IN ('cashier', 'supervisor', 'admin')", name=op.f("ck_users_role")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_users")),
        sa.UniqueConstraint("username", name=op.f("uq_users_username")),
    )
    op.create_table(
        "audit_events",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("user_id", sa.Integer(), nullable=True),
        sa.Column("station", sa.String(length=8), nullable=False),
        sa.Column("action", sa.String(length=40), nullable=False),
        sa.Column("entity", sa.String(length=40), nullable=False),
        sa.Column("entity_id", sa.String(length=40), nullable=False),
        sa.Column("reason", sa.Text(), nullable=False),
        sa.Column("details", sa.JSON(), nullable=False),
        sa.Column("prev_hash", sa.String(length=64), nullable=False),
        sa.Column("hash", sa.String(length=64), nullable=False),
        sa.ForeignKeyConstraint(
            ["user_id"], ["users.id"], name=op.f("fk_audit_events_user_id_users")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_audit_events")),
        sa.UniqueConstraint("hash", name=op.f("uq_audit_events_hash")),
    )
    with op.batch_alter_table("audit_events", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_audit_events_action"), ["action"], unique=False)

    op.create_table(
        "charges",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("external_id", sa.String(length=40), nullable=False),
        sa.Column("account_id", sa.Integer(), nullable=False),
        sa.Column("kind", sa.String(length=20), nullable=False),
        sa.Column("description", sa.String(length=120), nullable=False),
        sa.Column("bill_date", sa.Date(), nullable=False),
        sa.Column("due_date", sa.Date(), nullable=False),
        sa.Column("amount_cents", sa.BigInteger(), nullable=False),
        sa.Column("open_cents", sa.BigInteger(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.CheckConstraint(
            "kind IN ('water', 'sewer', 'trash', 'stormwater', 'late_fee', 'nsf_fee', "
            "'reconnect_fee', 'deposit', 'final_bill', 'other')",
            name=op.f("ck_charges_kind"),
        ),
        sa.CheckConstraint("amount_cents > 0", name=op.f("ck_charges_amount_positive")),
        sa.CheckConstraint(
            "open_cents >= 0 AND open_cents <= amount_cents", name=op.f("ck_charges_open_in_range")
        ),
        sa.ForeignKeyConstraint(
            ["account_id"], ["accounts.id"], name=op.f("fk_charges_account_id_accounts")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_charges")),
        sa.UniqueConstraint("external_id", name=op.f("uq_charges_external_id")),
    )
    with op.batch_alter_table("charges", schema=None) as batch_op:
        batch_op.create_index(
            "ix_charges_account_id_bill_date", ["account_id", "bill_date"], unique=False
        )

    op.create_table(
        "deposits",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("slip_number", sa.String(length=30), nullable=False),
        sa.Column("business_date", sa.Date(), nullable=False),
        sa.Column("currency_cents", sa.BigInteger(), nullable=False),
        sa.Column("coin_cents", sa.BigInteger(), nullable=False),
        sa.Column("checks_cents", sa.BigInteger(), nullable=False),
        sa.Column("total_cents", sa.BigInteger(), nullable=False),
        sa.Column("created_by_id", sa.Integer(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["created_by_id"], ["users.id"], name=op.f("fk_deposits_created_by_id_users")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_deposits")),
        sa.UniqueConstraint("slip_number", name=op.f("uq_deposits_slip_number")),
    )
    with op.batch_alter_table("deposits", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_deposits_business_date"), ["business_date"], unique=False
        )

    op.create_table(
        "overrides",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("action", sa.String(length=30), nullable=False),
        sa.Column("subject", sa.String(length=120), nullable=False),
        sa.Column("requested_by_id", sa.Integer(), nullable=False),
        sa.Column("approved_by_id", sa.Integer(), nullable=False),
        sa.Column("reason", sa.Text(), nullable=False),
        sa.Column("station", sa.String(length=8), nullable=False),
        sa.Column("granted_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("used_at", sa.DateTime(timezone=True), nullable=True),
        sa.ForeignKeyConstraint(
            ["approved_by_id"], ["users.id"], name=op.f("fk_overrides_approved_by_id_users")
        ),
        sa.ForeignKeyConstraint(
            ["requested_by_id"], ["users.id"], name=op.f("fk_overrides_requested_by_id_users")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_overrides")),
    )
    op.create_table(
        "drawer_sessions",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("kind", sa.String(length=10), nullable=False),
        sa.Column("user_id", sa.Integer(), nullable=False),
        sa.Column("station", sa.String(length=8), nullable=False),
        sa.Column("business_date", sa.Date(), nullable=False),
        sa.Column("state", sa.String(length=12), nullable=False),
        sa.Column("opened_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("opening_float_cents", sa.BigInteger(), nullable=False),
        sa.Column("opening_count", sa.JSON(), nullable=False),
        sa.Column("counted_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("closing_count", sa.JSON(), nullable=True),
        sa.Column("approved_by_id", sa.Integer(), nullable=True),
        sa.Column("approved_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("deposit_id", sa.Integer(), nullable=True),
        sa.CheckConstraint("kind IN ('drawer', 'batch')", name=op.f("ck_drawer_sessions_kind")),
        sa.CheckConstraint(
            "state IN ('open', 'counted', 'approved', 'deposited')",
            name=op.f("ck_drawer_sessions_state"),
        ),
        sa.ForeignKeyConstraint(
            ["approved_by_id"], ["users.id"], name=op.f("fk_drawer_sessions_approved_by_id_users")
        ),
        sa.ForeignKeyConstraint(
            ["deposit_id"], ["deposits.id"], name=op.f("fk_drawer_sessions_deposit_id_deposits")
        ),
        sa.ForeignKeyConstraint(
            ["user_id"], ["users.id"], name=op.f("fk_drawer_sessions_user_id_users")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_drawer_sessions")),
    )
    with op.batch_alter_table("drawer_sessions", schema=None) as batch_op:
        batch_op.create_index(
            "ix_drawer_sessions_business_date_station", ["business_date", "station"], unique=False
        )
        batch_op.create_index(
            "ix_drawer_sessions_user_id_state", ["user_id", "state"], unique=False
        )

    op.create_table(
        "cash_movements",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("session_id", sa.Integer(), nullable=False),
        sa.Column("kind", sa.String(length=10), nullable=False),
        sa.Column("amount_cents", sa.BigInteger(), nullable=False),
        sa.Column("reason", sa.Text(), nullable=False),
        sa.Column("user_id", sa.Integer(), nullable=False),
        sa.Column("override_id", sa.Integer(), nullable=True),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.CheckConstraint(
            "kind IN ('paid_in', 'paid_out', 'drop', 'no_sale')",
            name=op.f("ck_cash_movements_kind"),
        ),
        sa.CheckConstraint("amount_cents >= 0", name=op.f("ck_cash_movements_amount_not_negative")),
        sa.ForeignKeyConstraint(
            ["override_id"], ["overrides.id"], name=op.f("fk_cash_movements_override_id_overrides")
        ),
        sa.ForeignKeyConstraint(
            ["session_id"],
            ["drawer_sessions.id"],
            name=op.f("fk_cash_movements_session_id_drawer_sessions"),
        ),
        sa.ForeignKeyConstraint(
            ["user_id"], ["users.id"], name=op.f("fk_cash_movements_user_id_users")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_cash_movements")),
    )
    with op.batch_alter_table("cash_movements", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_cash_movements_session_id"), ["session_id"], unique=False
        )

    op.create_table(
        "transactions",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("kind", sa.String(length=15), nullable=False),
        sa.Column("session_id", sa.Integer(), nullable=False),
        sa.Column("user_id", sa.Integer(), nullable=False),
        sa.Column("idempotency_key", sa.String(length=64), nullable=False),
        sa.Column("reverses_id", sa.Integer(), nullable=True),
        sa.Column("override_id", sa.Integer(), nullable=True),
        sa.Column("reason", sa.Text(), nullable=False),
        sa.Column("total_cents", sa.BigInteger(), nullable=False),
        sa.Column("tendered_cents", sa.BigInteger(), nullable=False),
        sa.Column("change_cents", sa.BigInteger(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.CheckConstraint(
            "kind IN ('payment', 'void', 'nsf_reversal')", name=op.f("ck_transactions_kind")
        ),
        sa.ForeignKeyConstraint(
            ["override_id"], ["overrides.id"], name=op.f("fk_transactions_override_id_overrides")
        ),
        sa.ForeignKeyConstraint(
            ["reverses_id"],
            ["transactions.id"],
            name=op.f("fk_transactions_reverses_id_transactions"),
        ),
        sa.ForeignKeyConstraint(
            ["session_id"],
            ["drawer_sessions.id"],
            name=op.f("fk_transactions_session_id_drawer_sessions"),
        ),
        sa.ForeignKeyConstraint(
            ["user_id"], ["users.id"], name=op.f("fk_transactions_user_id_users")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_transactions")),
        sa.UniqueConstraint("idempotency_key", name=op.f("uq_transactions_idempotency_key")),
    )
    with op.batch_alter_table("transactions", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_transactions_reverses_id"), ["reverses_id"], unique=False
        )
        batch_op.create_index(
            "ix_transactions_session_id_created_at", ["session_id", "created_at"], unique=False
        )

    op.create_table(
        "payments",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("transaction_id", sa.Integer(), nullable=False),
        sa.Column("account_id", sa.Integer(), nullable=False),
        sa.Column("amount_cents", sa.BigInteger(), nullable=False),
        sa.Column("balance_after_cents", sa.BigInteger(), nullable=False),
        sa.Column("status_before", sa.String(length=20), nullable=True),
        sa.Column("shutoff_date_before", sa.Date(), nullable=True),
        sa.Column("note", sa.String(length=120), nullable=False),
        sa.ForeignKeyConstraint(
            ["account_id"], ["accounts.id"], name=op.f("fk_payments_account_id_accounts")
        ),
        sa.ForeignKeyConstraint(
            ["transaction_id"],
            ["transactions.id"],
            name=op.f("fk_payments_transaction_id_transactions"),
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_payments")),
    )
    with op.batch_alter_table("payments", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_payments_account_id"), ["account_id"], unique=False)
        batch_op.create_index(
            batch_op.f("ix_payments_transaction_id"), ["transaction_id"], unique=False
        )

    op.create_table(
        "receipts",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("number", sa.String(length=30), nullable=False),
        sa.Column("transaction_id", sa.Integer(), nullable=False),
        sa.Column("printed_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("print_count", sa.Integer(), nullable=False),
        sa.Column("last_error", sa.Text(), nullable=False),
        sa.ForeignKeyConstraint(
            ["transaction_id"],
            ["transactions.id"],
            name=op.f("fk_receipts_transaction_id_transactions"),
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_receipts")),
        sa.UniqueConstraint("number", name=op.f("uq_receipts_number")),
        sa.UniqueConstraint("transaction_id", name=op.f("uq_receipts_transaction_id")),
    )
    op.create_table(
        "tenders",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("transaction_id", sa.Integer(), nullable=False),
        sa.Column("kind", sa.String(length=12), nullable=False),
        sa.Column("amount_cents", sa.BigInteger(), nullable=False),
        sa.Column("reference", sa.String(length=40), nullable=False),
        sa.Column("bank", sa.String(length=60), nullable=False),
        sa.Column("card_last4", sa.String(length=4), nullable=False),
        sa.Column("auth_code", sa.String(length=12), nullable=False),
        sa.Column("reverses_id", sa.Integer(), nullable=True),
        sa.CheckConstraint(
            "kind IN ('cash', 'check', 'money_order', 'card')", name=op.f("ck_tenders_kind")
        ),
        sa.ForeignKeyConstraint(
            ["reverses_id"], ["tenders.id"], name=op.f("fk_tenders_reverses_id_tenders")
        ),
        sa.ForeignKeyConstraint(
            ["transaction_id"],
            ["transactions.id"],
            name=op.f("fk_tenders_transaction_id_transactions"),
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_tenders")),
    )
    with op.batch_alter_table("tenders", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_tenders_transaction_id"), ["transaction_id"], unique=False
        )

    op.create_table(
        "allocations",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("payment_id", sa.Integer(), nullable=False),
        sa.Column("charge_id", sa.Integer(), nullable=True),
        sa.Column("amount_cents", sa.BigInteger(), nullable=False),
        sa.ForeignKeyConstraint(
            ["charge_id"], ["charges.id"], name=op.f("fk_allocations_charge_id_charges")
        ),
        sa.ForeignKeyConstraint(
            ["payment_id"], ["payments.id"], name=op.f("fk_allocations_payment_id_payments")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_allocations")),
    )
    with op.batch_alter_table("allocations", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_allocations_charge_id"), ["charge_id"], unique=False)
        batch_op.create_index(batch_op.f("ix_allocations_payment_id"), ["payment_id"], unique=False)


def downgrade() -> None:
    with op.batch_alter_table("allocations", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_allocations_payment_id"))
        batch_op.drop_index(batch_op.f("ix_allocations_charge_id"))

    op.drop_table("allocations")
    with op.batch_alter_table("tenders", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_tenders_transaction_id"))

    op.drop_table("tenders")
    op.drop_table("receipts")
    with op.batch_alter_table("payments", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_payments_transaction_id"))
        batch_op.drop_index(batch_op.f("ix_payments_account_id"))

    op.drop_table("payments")
    with op.batch_alter_table("transactions", schema=None) as batch_op:
        batch_op.drop_index("ix_transactions_session_id_created_at")
        batch_op.drop_index(batch_op.f("ix_transactions_reverses_id"))

    op.drop_table("transactions")
    with op.batch_alter_table("cash_movements", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_cash_movements_session_id"))

    op.drop_table("cash_movements")
    with op.batch_alter_table("drawer_sessions", schema=None) as batch_op:
        batch_op.drop_index("ix_drawer_sessions_user_id_state")
        batch_op.drop_index("ix_drawer_sessions_business_date_station")

    op.drop_table("drawer_sessions")
    op.drop_table("overrides")
    with op.batch_alter_table("deposits", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_deposits_business_date"))

    op.drop_table("deposits")
    with op.batch_alter_table("charges", schema=None) as batch_op:
        batch_op.drop_index("ix_charges_account_id_bill_date")

    op.drop_table("charges")
    with op.batch_alter_table("audit_events", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_audit_events_action"))

    op.drop_table("audit_events")
    op.drop_table("users")
    op.drop_table("receipt_sequences")
    op.drop_table("audit_head")
    with op.batch_alter_table("accounts", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_accounts_street_key"))
        batch_op.drop_index(batch_op.f("ix_accounts_phone_key"))
        batch_op.drop_index(batch_op.f("ix_accounts_number_key"))
        batch_op.drop_index(batch_op.f("ix_accounts_name_key"))
        batch_op.drop_index(batch_op.f("ix_accounts_name_alt_key"))
        batch_op.drop_index(batch_op.f("ix_accounts_meter_key"))
        batch_op.drop_index(batch_op.f("ix_accounts_address_key"))

    op.drop_table("accounts")
