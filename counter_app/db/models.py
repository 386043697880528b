"""SQLAlchemy 2 typed models: the schema of DESIGN.md §2.

Money columns are integer cents (``BigInteger``, names ending ``_cents``). Times are UTC.
Nothing is deleted: voids and NSF reversals are new rows linked to what they reverse.
Search key columns (``*_key``) hold the normalised forms from ``domain.search_keys`` and are
compared in binary ("C") order, so a prefix range scan uses a plain B-tree index on both
SQLite and PostgreSQL whatever the server's collation.
"""

from __future__ import annotations

import datetime as dt
from enum import StrEnum
from typing import Any

from sqlalchemy import (
    JSON,
    BigInteger,
    Boolean,
    CheckConstraint,
    Date,
    DateTime,
    ForeignKey,
    Index,
    Integer,
    MetaData,
    String,
    Table,
    Text,
    TextClause,
    UniqueConstraint,
    text,
)
from sqlalchemy.dialects import postgresql
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column, relationship
from sqlalchemy.types import TypeDecorator

from counter_app.domain.accounts import AccountStatus
from counter_app.domain.counts import CountKind, CountLineKind
from counter_app.domain.deposits import DepositLineKind
from counter_app.domain.receipt import TenderKind
from counter_app.domain.service_orders import NUMBER_LENGTH, ServiceOrderKind, ServiceOrderState
from counter_app.domain.sessions import MovementKind, SessionKind, SessionState
from counter_app.domain.transactions import TransactionKind
from counter_app.domain.users import Role

NAMING = {
    "ix": "ix_%(table_name)s_%(column_0_N_name)s",
    "uq": "uq_%(table_name)s_%(column_0_N_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}


class UTCDateTime(TypeDecorator[dt.datetime]):
    """Timezone-aware UTC datetimes on both databases (SQLite stores naive UTC)."""

    impl = DateTime(timezone=True)
    cache_ok = True

    def process_bind_param(self, value: dt.datetime | None, dialect: Any) -> dt.datetime | None:
        if value is None:
            return None
        if value.tzinfo is None:
            raise ValueError("naive datetime: store times as aware UTC")
        return value.astimezone(dt.UTC)

    def process_result_value(self, value: dt.datetime | None, dialect: Any) -> dt.datetime | None:
        if value is None:
            return None
        return value.replace(tzinfo=dt.UTC) if value.tzinfo is None else value.astimezone(dt.UTC)


def key_string(length: int) -> String:
    """A search-key column compared byte-wise (COLLATE "C" on PostgreSQL)."""
    return String(length).with_variant(postgresql.VARCHAR(length, collation="C"), "postgresql")


def one_of(column: str, values: type[StrEnum]) -> CheckConstraint:
    """The column holds one of the enum's values (stored as the value strings)."""
    listed = ", ".join(f"'{v.value}'" for v in values)
    return CheckConstraint(f"{column} IN ({listed})", name=column)


Cents = BigInteger
WORD_LENGTH = 160  # a word is never longer than the service address it comes from


def utcnow() -> dt.datetime:
    return dt.datetime.now(dt.UTC)


def same_as(column: str) -> Any:
    """A column default: the value the row is inserted with in ``column`` (a baseline that
    starts equal to it). Bulk writers (COPY) give the baseline themselves."""

    def default(context: Any) -> Any:
        return context.get_current_parameters()[column]

    return default


class Base(DeclarativeBase):
    metadata = MetaData(naming_convention=NAMING)


def table_of(model: type[Base]) -> Table:
    """The model's table, typed as a ``Table`` (what Core inserts and deletes take)."""
    table = model.__table__
    if not isinstance(table, Table):
        raise TypeError(f"{model.__name__} is not mapped to one table")
    return table


# --- people -------------------------------------------------------------------------------
class User(Base):
    __tablename__ = "users"
    __table_args__ = (one_of("role", Role),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    username: Mapped[str] = mapped_column(String(40), unique=True)
    full_name: Mapped[str] = mapped_column(String(120))
    role: Mapped[str] = mapped_column(String(20))
    password_hash: Mapped[str] = mapped_column(String(200))
    active: Mapped[bool] = mapped_column(Boolean, default=True)
    failed_logins: Mapped[int] = mapped_column(Integer, default=0)
    locked_until: Mapped[dt.datetime | None] = mapped_column(UTCDateTime())
    created_at: Mapped[dt.datetime] = mapped_column(UTCDateTime(), default=utcnow)


# --- what customers owe -------------------------------------------------------------------
class Account(Base):
    __tablename__ = "accounts"
    __table_args__ = (
        one_of("status", AccountStatus),
        CheckConstraint("credit_cents >= 0", name="credit_not_negative"),
        CheckConstraint("deposit_cents >= 0", name="deposit_not_negative"),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    number: Mapped[str] = mapped_column(String(12), unique=True)  # 001234-01
    number_key: Mapped[str] = mapped_column(key_string(12), index=True)  # 00123401
    customer_name: Mapped[str] = mapped_column(String(120))  # "Smith, John"
    name_key: Mapped[str] = mapped_column(key_string(120), index=True)  # SMITH JOHN
    name_alt_key: Mapped[str] = mapped_column(key_string(120), index=True)  # JOHN SMITH
    service_address: Mapped[str] = mapped_column(String(160))
    address_key: Mapped[str] = mapped_column(key_string(160), index=True)  # 1200 OAK ST
    street_key: Mapped[str] = mapped_column(key_string(160), index=True)  # OAK ST 1200
    meter_number: Mapped[str] = mapped_column(String(40), default="")
    meter_key: Mapped[str] = mapped_column(key_string(40), index=True)
    phone: Mapped[str] = mapped_column(String(30), default="")
    phone_key: Mapped[str] = mapped_column(key_string(15), index=True)  # 10 digits
    status: Mapped[str] = mapped_column(String(20), default=AccountStatus.ACTIVE.value)
    shutoff_date: Mapped[dt.date | None] = mapped_column(Date)
    deposit_cents: Mapped[int] = mapped_column(Cents, default=0)
    credit_cents: Mapped[int] = mapped_column(Cents, default=0)
    # the credit the billing system set, less the counter's credit allocations at that time:
    # credit_cents = billed_credit_cents + credit allocations (``services/check.py``)
    billed_credit_cents: Mapped[int] = mapped_column(
        Cents, default=same_as("credit_cents"), server_default="0"
    )
    checks_not_accepted: Mapped[bool] = mapped_column(Boolean, default=False)
    updated_at: Mapped[dt.datetime] = mapped_column(UTCDateTime(), default=utcnow)

    charges: Mapped[list[Charge]] = relationship(back_populates="account")


class SearchWord(Base):
    """One word of an account's name or service address (``domain.search_keys.
    search_words``), so a lookup finds an account by any word, not only the first."""

    __tablename__ = "search_words"
    __table_args__ = (Index("ix_search_words_account_id_word", "account_id", "word"),)

    word: Mapped[str] = mapped_column(key_string(WORD_LENGTH), primary_key=True)
    account_id: Mapped[int] = mapped_column(ForeignKey("accounts.id"), primary_key=True)


class Charge(Base):
    __tablename__ = "charges"
    __table_args__ = (
        CheckConstraint(
            "kind IN ('water', 'sewer', 'trash', 'stormwater', 'late_fee', 'nsf_fee', "
            "'reconnect_fee', 'deposit', 'final_bill', 'other')",
            name="kind",
        ),
        CheckConstraint("amount_cents > 0", name="amount_positive"),
        CheckConstraint("open_cents >= 0 AND open_cents <= amount_cents", name="open_in_range"),
        Index("ix_charges_account_id_bill_date", "account_id", "bill_date"),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    external_id: Mapped[str] = mapped_column(String(40), unique=True)  # billing system's id
    account_id: Mapped[int] = mapped_column(ForeignKey("accounts.id"))
    kind: Mapped[str] = mapped_column(String(20))
    description: Mapped[str] = mapped_column(String(120), default="")
    bill_date: Mapped[dt.date] = mapped_column(Date)
    due_date: Mapped[dt.date] = mapped_column(Date)
    amount_cents: Mapped[int] = mapped_column(Cents)
    open_cents: Mapped[int] = mapped_column(Cents)
    # the open amount the billing system gave, before the counter's allocations:
    # open_cents = billed_open_cents - allocations (``services/check.py``)
    billed_open_cents: Mapped[int] = mapped_column(
        Cents, default=same_as("open_cents"), server_default="0"
    )
    created_at: Mapped[dt.datetime] = mapped_column(UTCDateTime(), default=utcnow)

    account: Mapped[Account] = relationship(back_populates="charges")


# --- the cashier's drawer -----------------------------------------------------------------
class Deposit(Base):
    """A bank deposit; ``checks_cents`` holds checks and money orders together."""

    __tablename__ = "deposits"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    slip_number: Mapped[str] = mapped_column(String(30), unique=True)
    business_date: Mapped[dt.date] = mapped_column(Date, index=True)
    currency_cents: Mapped[int] = mapped_column(Cents, default=0)
    coin_cents: Mapped[int] = mapped_column(Cents, default=0)
    checks_cents: Mapped[int] = mapped_column(Cents, default=0)
    total_cents: Mapped[int] = mapped_column(Cents, default=0)
    created_by_id: Mapped[int] = mapped_column(ForeignKey("users.id"))
    created_at: Mapped[dt.datetime] = mapped_column(UTCDateTime(), default=utcnow)
    # migration 0008: the bank account it went to, and the float kept back from its cash
    bank_name: Mapped[str] = mapped_column(String(80), default="", server_default="")
    bank_account_name: Mapped[str] = mapped_column(String(120), default="", server_default="")
    bank_account_number: Mapped[str] = mapped_column(String(40), default="", server_default="")
    float_kept_cents: Mapped[int] = mapped_column(Cents, default=0, server_default="0")


def _open_of(kind: SessionKind) -> TextClause:
    """The rows an "at most one open …" index covers: open sessions of ``kind``."""
    return text(f"kind = '{kind.value}' AND state = '{SessionState.OPEN.value}'")


OPEN_DRAWER, OPEN_BATCH = _open_of(SessionKind.DRAWER), _open_of(SessionKind.BATCH)


class DrawerSession(Base):
    __tablename__ = "drawer_sessions"
    __table_args__ = (
        one_of("kind", SessionKind),
        one_of("state", SessionState),
        Index("ix_drawer_sessions_business_date_station", "business_date", "station"),
        Index("ix_drawer_sessions_user_id_state", "user_id", "state"),
        # At most one open session of each sort (migration 0005): a race's loser is refused
        # by the database instead of leaving two open drawers or batches behind.
        Index(
            "uq_drawer_sessions_open_drawer_station",
            "station",
            unique=True,
            sqlite_where=OPEN_DRAWER,
            postgresql_where=OPEN_DRAWER,
        ),
        Index(
            "uq_drawer_sessions_open_drawer_user",
            "user_id",
            unique=True,
            sqlite_where=OPEN_DRAWER,
            postgresql_where=OPEN_DRAWER,
        ),
        Index(
            "uq_drawer_sessions_open_batch_user_date",
            "user_id",
            "business_date",
            unique=True,
            sqlite_where=OPEN_BATCH,
            postgresql_where=OPEN_BATCH,
        ),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    kind: Mapped[str] = mapped_column(String(10), default=SessionKind.DRAWER.value)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id"))
    station: Mapped[str] = mapped_column(String(8))
    business_date: Mapped[dt.date] = mapped_column(Date)
    state: Mapped[str] = mapped_column(String(12), default=SessionState.OPEN.value)
    opened_at: Mapped[dt.datetime] = mapped_column(UTCDateTime(), default=utcnow)
    opening_float_cents: Mapped[int] = mapped_column(Cents, default=0)
    opening_count: Mapped[dict[str, int]] = mapped_column(JSON, default=dict)
    counted_at: Mapped[dt.datetime | None] = mapped_column(UTCDateTime())
    closing_count: Mapped[dict[str, Any] | None] = mapped_column(JSON)
    approved_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    approved_at: Mapped[dt.datetime | None] = mapped_column(UTCDateTime())
    deposit_id: Mapped[int | None] = mapped_column(ForeignKey("deposits.id"))

    user: Mapped[User] = relationship(foreign_keys=[user_id])


class DrawerCountRow(Base):
    """One count of a session (migration 0008): the float at the open, or a close count —
    every attempt a new row, never overwritten; who counted and who verified it."""

    __tablename__ = "drawer_counts"
    __table_args__ = (
        one_of("kind", CountKind),
        UniqueConstraint("session_id", "kind", "attempt"),
        CheckConstraint("attempt >= 1", name="attempt_positive"),
        CheckConstraint("card_batch_cents >= 0", name="card_batch_not_negative"),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    session_id: Mapped[int] = mapped_column(ForeignKey("drawer_sessions.id"), index=True)
    kind: Mapped[str] = mapped_column(String(10))
    attempt: Mapped[int] = mapped_column(Integer)
    counted_by_id: Mapped[int] = mapped_column(ForeignKey("users.id"))
    verified_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    counted_at: Mapped[dt.datetime] = mapped_column(UTCDateTime(), default=utcnow)
    card_batch_cents: Mapped[int] = mapped_column(Cents, default=0)


class DrawerCountLine(Base):
    """A line of a count: a denomination and how many, a tender's counted total beside its
    expected figure at that moment, or a batch's tape and what it posted."""

    __tablename__ = "drawer_count_lines"
    __table_args__ = (
        one_of("kind", CountLineKind),
        UniqueConstraint("count_id", "kind", "code"),
        CheckConstraint("quantity >= 0", name="quantity_not_negative"),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    count_id: Mapped[int] = mapped_column(ForeignKey("drawer_counts.id"), index=True)
    kind: Mapped[str] = mapped_column(String(12))
    code: Mapped[str] = mapped_column(String(12))  # denomination code or tender kind
    quantity: Mapped[int] = mapped_column(Integer, default=0)
    cents: Mapped[int] = mapped_column(Cents)
    expected_cents: Mapped[int | None] = mapped_column(Cents)


class DrawerCountItem(Base):
    """A check or money order ticked as present in a count."""

    __tablename__ = "drawer_count_items"

    count_id: Mapped[int] = mapped_column(ForeignKey("drawer_counts.id"), primary_key=True)
    tender_id: Mapped[int] = mapped_column(ForeignKey("tenders.id"), primary_key=True)


class SessionStep(Base):
    """A session's change of state as it happened: closed, a variance approved (with the
    override and the reason), reopened, deposited."""

    __tablename__ = "session_steps"
    __table_args__ = (
        CheckConstraint(
            "from_state IN ({0}) AND to_state IN ({0})".format(
                ", ".join(f"'{v.value}'" for v in SessionState)
            ),
            name="states",
        ),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    session_id: Mapped[int] = mapped_column(ForeignKey("drawer_sessions.id"), index=True)
    from_state: Mapped[str] = mapped_column(String(12))
    to_state: Mapped[str] = mapped_column(String(12))
    count_id: Mapped[int | None] = mapped_column(ForeignKey("drawer_counts.id"))
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id"))
    approved_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    override_id: Mapped[int | None] = mapped_column(ForeignKey("overrides.id"))
    reason: Mapped[str] = mapped_column(Text, default="")
    at: Mapped[dt.datetime] = mapped_column(UTCDateTime(), default=utcnow)


class DepositSession(Base):
    """A session on a deposit. Its primary key is the session: the database itself keeps
    a session from being deposited twice."""

    __tablename__ = "deposit_sessions"

    session_id: Mapped[int] = mapped_column(ForeignKey("drawer_sessions.id"), primary_key=True)
    deposit_id: Mapped[int] = mapped_column(ForeignKey("deposits.id"), index=True)


class DepositLineRow(Base):
    """A line of a deposit: currency or coin by denomination, or one check / money order
    (a tender is deposited once: unique)."""

    __tablename__ = "deposit_lines"
    __table_args__ = (
        one_of("kind", DepositLineKind),
        CheckConstraint("quantity >= 0", name="quantity_not_negative"),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    deposit_id: Mapped[int] = mapped_column(ForeignKey("deposits.id"), index=True)
    kind: Mapped[str] = mapped_column(String(12))
    denomination: Mapped[str] = mapped_column(String(12), default="")
    quantity: Mapped[int] = mapped_column(Integer, default=0)
    cents: Mapped[int] = mapped_column(Cents)
    tender_id: Mapped[int | None] = mapped_column(ForeignKey("tenders.id"), unique=True)
    session_id: Mapped[int | None] = mapped_column(ForeignKey("drawer_sessions.id"))
    reference: Mapped[str] = mapped_column(String(40), default="")
    bank: Mapped[str] = mapped_column(String(60), default="")
    accounts: Mapped[str] = mapped_column(String(200), default="")  # account numbers


class Override(Base):
    """A supervisor's one-shot grant of one named action, with the reason."""

    __tablename__ = "overrides"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    action: Mapped[str] = mapped_column(String(30))  # void, nsf_reversal, paid_out, ...
    subject: Mapped[str] = mapped_column(String(120), default="")  # e.g. receipt number
    requested_by_id: Mapped[int] = mapped_column(ForeignKey("users.id"))
    approved_by_id: Mapped[int] = mapped_column(ForeignKey("users.id"))
    reason: Mapped[str] = mapped_column(Text)
    station: Mapped[str] = mapped_column(String(8))
    granted_at: Mapped[dt.datetime] = mapped_column(UTCDateTime(), default=utcnow)
    used_at: Mapped[dt.datetime | None] = mapped_column(UTCDateTime())


class CashMovement(Base):
    __tablename__ = "cash_movements"
    __table_args__ = (
        one_of("kind", MovementKind),
        CheckConstraint("amount_cents >= 0", name="amount_not_negative"),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    session_id: Mapped[int] = mapped_column(ForeignKey("drawer_sessions.id"), index=True)
    kind: Mapped[str] = mapped_column(String(10))
    amount_cents: Mapped[int] = mapped_column(Cents, default=0)
    reason: Mapped[str] = mapped_column(Text)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id"))
    override_id: Mapped[int | None] = mapped_column(ForeignKey("overrides.id"))
    created_at: Mapped[dt.datetime] = mapped_column(UTCDateTime(), default=utcnow)


# --- money taken ----------------------------------------------------------------------------
class Transaction(Base):
    """One customer at the window, or a reversal of one (void / NSF)."""

    __tablename__ = "transactions"
    __table_args__ = (
        one_of("kind", TransactionKind),
        Index("ix_transactions_session_id_created_at", "session_id", "created_at"),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    kind: Mapped[str] = mapped_column(String(15), default=TransactionKind.PAYMENT.value)
    session_id: Mapped[int] = mapped_column(ForeignKey("drawer_sessions.id"))
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id"))
    idempotency_key: Mapped[str] = mapped_column(String(64), unique=True)
    # sha256 of the request (accounts, amounts, tenders): a reused key must ask the same
    request_hash: Mapped[str | None] = mapped_column(String(64))
    reverses_id: Mapped[int | None] = mapped_column(ForeignKey("transactions.id"), index=True)
    override_id: Mapped[int | None] = mapped_column(ForeignKey("overrides.id"))
    reason: Mapped[str] = mapped_column(Text, default="")
    total_cents: Mapped[int] = mapped_column(Cents)
    tendered_cents: Mapped[int] = mapped_column(Cents)
    change_cents: Mapped[int] = mapped_column(Cents, default=0)
    created_at: Mapped[dt.datetime] = mapped_column(UTCDateTime(), default=utcnow)

    payments: Mapped[list[Payment]] = relationship(back_populates="transaction")
    tenders: Mapped[list[Tender]] = relationship(back_populates="transaction")
    receipt: Mapped[Receipt | None] = relationship(back_populates="transaction")


class Payment(Base):
    __tablename__ = "payments"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    transaction_id: Mapped[int] = mapped_column(ForeignKey("transactions.id"), index=True)
    account_id: Mapped[int] = mapped_column(ForeignKey("accounts.id"), index=True)
    amount_cents: Mapped[int] = mapped_column(Cents)  # negative on a reversal
    balance_after_cents: Mapped[int] = mapped_column(Cents)
    # The account's service status before this payment changed it (restored by a void).
    status_before: Mapped[str | None] = mapped_column(String(20))
    shutoff_date_before: Mapped[dt.date | None] = mapped_column(Date)
    note: Mapped[str] = mapped_column(String(120), default="")  # service status for the receipt
    # the part of a refund paid out of the deposit held (negative; 0 on anything else):
    # amount_cents = its allocations + deposit_part_cents (``services/check.py``)
    deposit_part_cents: Mapped[int] = mapped_column(Cents, default=0, server_default="0")

    transaction: Mapped[Transaction] = relationship(back_populates="payments")
    allocations: Mapped[list[Allocation]] = relationship(back_populates="payment")


class Allocation(Base):
    """Part of a payment applied to one charge; ``charge_id`` NULL is credit on account."""

    __tablename__ = "allocations"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    payment_id: Mapped[int] = mapped_column(ForeignKey("payments.id"), index=True)
    charge_id: Mapped[int | None] = mapped_column(ForeignKey("charges.id"), index=True)
    amount_cents: Mapped[int] = mapped_column(Cents)

    payment: Mapped[Payment] = relationship(back_populates="allocations")


class Tender(Base):
    __tablename__ = "tenders"
    __table_args__ = (one_of("kind", TenderKind),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    transaction_id: Mapped[int] = mapped_column(ForeignKey("transactions.id"), index=True)
    kind: Mapped[str] = mapped_column(String(12))
    amount_cents: Mapped[int] = mapped_column(Cents)  # negative on a reversal
    reference: Mapped[str] = mapped_column(String(40), default="")  # check / MO number
    bank: Mapped[str] = mapped_column(String(60), default="")
    card_last4: Mapped[str] = mapped_column(String(4), default="")
    auth_code: Mapped[str] = mapped_column(String(12), default="")
    reverses_id: Mapped[int | None] = mapped_column(ForeignKey("tenders.id"))

    transaction: Mapped[Transaction] = relationship(back_populates="tenders")


class ReceiptSequence(Base):
    """Last receipt sequence used per station and business day."""

    __tablename__ = "receipt_sequences"

    station: Mapped[str] = mapped_column(String(8), primary_key=True)
    business_date: Mapped[dt.date] = mapped_column(Date, primary_key=True)
    last_value: Mapped[int] = mapped_column(Integer, default=0)


class Receipt(Base):
    __tablename__ = "receipts"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    number: Mapped[str] = mapped_column(String(30), unique=True)  # W02-20261123-0042
    station: Mapped[str] = mapped_column(String(8))  # where it was issued: W02
    transaction_id: Mapped[int] = mapped_column(ForeignKey("transactions.id"), unique=True)
    printed_at: Mapped[dt.datetime | None] = mapped_column(UTCDateTime())
    print_count: Mapped[int] = mapped_column(Integer, default=0)
    last_error: Mapped[str] = mapped_column(Text, default="")

    transaction: Mapped[Transaction] = relationship(back_populates="receipt")


class ServiceOrder(Base):
    """Work for the field crew that a payment ordered: a reconnect (turn-on) when it paid
    what restores a disconnected account's service. A void of that receipt cancels it
    (state, who, when, which void); nothing is deleted."""

    __tablename__ = "service_orders"
    __table_args__ = (one_of("kind", ServiceOrderKind), one_of("state", ServiceOrderState))

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    number: Mapped[str] = mapped_column(String(NUMBER_LENGTH), unique=True)  # SO-W02-2026…
    account_id: Mapped[int] = mapped_column(ForeignKey("accounts.id"), index=True)
    kind: Mapped[str] = mapped_column(String(12), default=ServiceOrderKind.RECONNECT.value)
    # the payment transaction that ordered it
    transaction_id: Mapped[int] = mapped_column(ForeignKey("transactions.id"), index=True)
    # the reconnect fee it billed; NULL when a fee already open was paid instead
    fee_charge_id: Mapped[int | None] = mapped_column(ForeignKey("charges.id"))
    created_at: Mapped[dt.datetime] = mapped_column(UTCDateTime(), default=utcnow)
    created_by_id: Mapped[int] = mapped_column(ForeignKey("users.id"))
    station: Mapped[str] = mapped_column(String(8))
    state: Mapped[str] = mapped_column(String(10), default=ServiceOrderState.ORDERED.value)
    cancelled_at: Mapped[dt.datetime | None] = mapped_column(UTCDateTime())
    cancelled_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    # the void that cancelled it
    cancelled_by_transaction_id: Mapped[int | None] = mapped_column(ForeignKey("transactions.id"))


# --- the trail ------------------------------------------------------------------------------
class AuditEvent(Base):
    """Who did what, when, where and why; each row's hash covers the previous row's."""

    __tablename__ = "audit_events"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    at: Mapped[dt.datetime] = mapped_column(UTCDateTime(), default=utcnow)
    user_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    station: Mapped[str] = mapped_column(String(8), default="")
    action: Mapped[str] = mapped_column(String(40), index=True)
    entity: Mapped[str] = mapped_column(String(40), default="")
    entity_id: Mapped[str] = mapped_column(String(40), default="")
    reason: Mapped[str] = mapped_column(Text, default="")
    details: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)
    prev_hash: Mapped[str] = mapped_column(String(64))
    hash: Mapped[str] = mapped_column(String(64), unique=True)


class AuditHead(Base):
    """The single row that serialises audit writers and holds the chain's last hash."""

    __tablename__ = "audit_head"
    __table_args__ = (CheckConstraint("id = 1", name="one_row"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=False)
    last_hash: Mapped[str] = mapped_column(String(64))
    last_id: Mapped[int] = mapped_column(Integer, default=0)
    # the first event hashed with the office's key (before it: the old unkeyed chain), and
    # the HMAC of (last_id, last_hash, keyed_from_id): a truncated tail cannot be hidden
    keyed_from_id: Mapped[int | None] = mapped_column(Integer)
    mac: Mapped[str | None] = mapped_column(String(64))


# --- what went back to the billing system ---------------------------------------------------
class Export(Base):
    """One payments file written for the billing system (``services.export``)."""

    __tablename__ = "exports"
    __table_args__ = (CheckConstraint("row_count >= 0", name="row_count_not_negative"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    business_date: Mapped[dt.date] = mapped_column(Date, index=True)
    row_count: Mapped[int] = mapped_column(Integer)
    sha256: Mapped[str] = mapped_column(String(64))  # of the file's bytes
    file_name: Mapped[str] = mapped_column(String(255))
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id"))
    created_at: Mapped[dt.datetime] = mapped_column(UTCDateTime(), default=utcnow)
