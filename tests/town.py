"""A small town for service tests: two users, a handful of accounts, a fixed clock."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator

import pytest

from counter_app.config import Settings
from counter_app.db.engine import Database
from counter_app.domain.denominations import count_total
from counter_app.domain.users import Role
from counter_app.services import sessions, users
from counter_app.services.check import run_check
from counter_app.services.context import Context
from tests.helpers import FLOAT, NOW, Clock, DatabaseFault, Town, add_account, context_for


@pytest.fixture
def clock() -> Clock:
    return Clock(NOW)


@pytest.fixture
def ctx(db: Database, settings: Settings, clock: Clock) -> Context:
    return context_for(db, settings.model_copy(update={"station": "W02"}), clock)


@pytest.fixture
def checked(ctx: Context) -> Iterator[None]:
    """After the test, whatever it did: every money invariant and the audit trail hold
    (``counter-app check`` finds no breach). Modules use it with
    ``pytestmark = pytest.mark.usefixtures("checked")``."""
    yield
    assert run_check(ctx).breaches == []


@pytest.fixture
def town(ctx: Context) -> Town:
    cashier = users.add_user(ctx, "maria", "cashier123", Role.CASHIER, "Maria Lopez")
    supervisor = users.add_user(ctx, "sam", "supervisor123", Role.SUPERVISOR, "Sam Ortega")
    # John Smith: October bill past due with a late fee, November current.
    add_account(
        ctx,
        "001234-01",
        "Smith, John",
        "1200 Oak Street",
        meter="77-20931",
        phone="(555) 010-2000",
        deposit=10000,
        charges=[
            ("water", "2026-10-01", "2026-10-22", 3000, 3000),
            ("sewer", "2026-10-01", "2026-10-22", 2000, 2000),
            ("late_fee", "2026-10-01", "2026-10-22", 500, 500),
            ("water", "2026-11-01", "2026-11-22", 2410, 2410),
            ("trash", "2026-11-01", "2026-11-22", 1000, 1000),
            ("water", "2026-11-15", "2026-12-06", 1500, 1500),
        ],
    )
    # J&K Smith: shut-off pending, $212.55 past due.
    add_account(
        ctx,
        "010002-01",
        "Smith, J&K",
        "9 Mill Road",
        meter="88-1",
        phone="555-010-3000",
        status="shutoff_pending",
        shutoff_date=dt.date(2026, 11, 30),
        charges=[
            ("water", "2026-09-01", "2026-09-22", 11255, 11255),
            ("sewer", "2026-10-01", "2026-10-22", 10000, 10000),
            ("water", "2026-11-15", "2026-12-06", 4000, 4000),
        ],
    )
    # Jane Smith: paid up, no checks.
    add_account(
        ctx,
        "004410-02",
        "Smith, Jane",
        "88 Elm Avenue",
        checks_not_accepted=True,
        charges=[("water", "2026-11-15", "2026-12-06", 5000, 5000)],
    )
    # Closed with a final bill, and closed with nothing owed.
    add_account(
        ctx,
        "020000-01",
        "Brown, Ann",
        "5 Pine St",
        status="closed",
        charges=[("final_bill", "2026-11-01", "2026-11-22", 4321, 4321)],
    )
    add_account(ctx, "020001-01", "Brown, Bob", "7 Pine St", status="closed")
    add_account(
        ctx,
        "030000-01",
        "Núñez, José",
        "42 Birch Ln",
        credit=1500,
        charges=[],
    )
    session = sessions.open_session(ctx, cashier.id, FLOAT)
    assert session.opening_float == count_total(FLOAT)
    return Town(cashier, supervisor, session.id)


@pytest.fixture
def db_fault(ctx: Context) -> Iterator[DatabaseFault]:
    """The town's database as a station sees it, made to go away and come back: its
    ``ctx`` reaches the database through what the test cuts."""
    fault = DatabaseFault(ctx)
    yield fault
    fault.close()
