"""A small town for service tests: two users, a handful of accounts, a fixed clock."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

import pytest
from sqlalchemy import select

from counter_app.config import Settings
from counter_app.db.engine import Database
from counter_app.db.models import Account, Charge, SearchWord
from counter_app.domain.account_number import parse_account_number
from counter_app.domain.denominations import count_total
from counter_app.domain.search_keys import (
    address_key,
    meter_key,
    name_key,
    phone_key,
    search_words,
    street_key,
)
from counter_app.domain.users import Role, UserInfo
from counter_app.services import search_index, sessions, users
from counter_app.services.context import Context

NOW = dt.datetime(2026, 11, 23, 16, 0, tzinfo=dt.UTC)  # 10:00 in Chicago
FLOAT = {"20": 5, "10": 5, "5": 4, "1": 20, "0.25": 40}  # $200.00


class Clock:
    """A clock the test moves by hand."""

    def __init__(self, now: dt.datetime) -> None:
        self.now = now

    def __call__(self) -> dt.datetime:
        return self.now

    def advance(self, **kwargs: float) -> None:
        self.now += dt.timedelta(**kwargs)


@pytest.fixture
def clock() -> Clock:
    return Clock(NOW)


@pytest.fixture
def ctx(db: Database, settings: Settings, clock: Clock) -> Context:
    return Context(db=db, settings=settings.model_copy(update={"station": "W02"}), clock=clock)


def add_account(
    ctx: Context,
    number: str,
    name: str,
    address: str,
    *,
    meter: str = "",
    phone: str = "",
    status: str = "active",
    shutoff_date: dt.date | None = None,
    credit: int = 0,
    deposit: int = 0,
    checks_not_accepted: bool = False,
    charges: list[tuple[str, str, str, int, int]] = (),  # type: ignore[assignment]
) -> int:
    """Insert an account with charges (kind, bill date, due date, amount, open) in cents."""
    last, _, first = name.partition(", ")
    with ctx.db.write() as s:
        acct = Account(
            number=parse_account_number(number),
            number_key=parse_account_number(number).replace("-", ""),
            customer_name=name,
            name_key=name_key(name),
            name_alt_key=name_key(f"{first} {last}"),
            service_address=address,
            address_key=address_key(address),
            street_key=street_key(address),
            meter_number=meter,
            meter_key=meter_key(meter),
            phone=phone,
            phone_key=phone_key(phone),
            status=status,
            shutoff_date=shutoff_date,
            credit_cents=credit,
            deposit_cents=deposit,
            checks_not_accepted=checks_not_accepted,
        )
        s.add(acct)
        s.flush()
        search_index.replace_words(s, [(acct.id, name, address)])
        for i, (kind, bill, due, amount, open_) in enumerate(charges):
            s.add(
                Charge(
                    external_id=f"{number}-{i}",
                    account_id=acct.id,
                    kind=kind,
                    bill_date=dt.date.fromisoformat(bill),
                    due_date=dt.date.fromisoformat(due),
                    amount_cents=amount,
                    open_cents=open_,
                )
            )
        return acct.id


def stored_words(ctx: Context) -> dict[int, set[str]]:
    """The ``search_words`` table: each account's words, by account id."""
    found: dict[int, set[str]] = {}
    with ctx.db.read() as s:
        for word, account_id in s.execute(select(SearchWord.word, SearchWord.account_id)):
            found.setdefault(account_id, set()).add(word)
    return found


def expected_words(ctx: Context) -> dict[int, set[str]]:
    """What ``search_words`` should hold: the words of every account's name and address."""
    with ctx.db.read() as s:
        rows = s.execute(select(Account.id, Account.customer_name, Account.service_address))
        return {id_: search_words(name, address) for id_, name, address in rows}


@dataclass
class Town:
    cashier: UserInfo
    supervisor: UserInfo
    session_id: int


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
