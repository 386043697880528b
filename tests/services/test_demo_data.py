"""Loading the demo city into SQLite and PostgreSQL."""

import datetime as dt

import pytest
from sqlalchemy import func, select

from counter_app.cli import main
from counter_app.config import Settings
from counter_app.db.engine import Database
from counter_app.db.models import Account, AuditEvent, Charge, User
from counter_app.domain import search_keys
from counter_app.domain.billing_records import name_alt_key
from counter_app.domain.demo_city import CHARGE_FIELDS, DemoCity
from counter_app.domain.errors import ValidationError
from counter_app.domain.users import Role
from counter_app.services import audit, demo_data, users
from counter_app.services.context import Context
from tests.helpers import context_for, expected_words, stored_words

AS_OF = dt.date(2026, 11, 23)
NOW = dt.datetime(2026, 11, 23, 15, 30, tzinfo=dt.UTC)
ACCOUNTS = 200


@pytest.fixture
def ctx(db: Database, settings: Settings) -> Context:
    return context_for(db, settings, lambda: NOW)


@pytest.fixture
def loaded(ctx: Context) -> demo_data.DemoLoad:
    return demo_data.load_demo_city(ctx, ACCOUNTS, seed=5, as_of=AS_OF)


def count(ctx: Context, column: object) -> int:
    with ctx.db.read() as session:
        return session.execute(select(func.count(column))).scalar_one()


def test_the_database_holds_exactly_the_generated_city(
    ctx: Context, loaded: demo_data.DemoLoad
) -> None:
    expected = list(DemoCity(5, AS_OF).accounts(ACCOUNTS))
    with ctx.db.read() as session:
        stored = session.execute(select(Account).order_by(Account.id)).scalars().all()
        rows = session.execute(
            select(*(getattr(Charge, f) for f in CHARGE_FIELDS)).order_by(Charge.external_id)
        ).all()
        session.expunge_all()  # keep the loaded values after the unit of work ends
    assert [(a.id, a.number, a.customer_name, a.status, a.shutoff_date) for a in stored] == [
        (a.id, a.number, a.customer_name, a.status, a.shutoff_date) for a in expected
    ]
    assert [(a.deposit_cents, a.credit_cents, a.checks_not_accepted) for a in stored] == [
        (a.deposit_cents, a.credit_cents, a.checks_not_accepted) for a in expected
    ]
    assert [tuple(r) for r in rows] == sorted(c for a in expected for c in a.charges)
    assert loaded.accounts == ACCOUNTS
    assert loaded.charges == len(rows)


def test_every_kind_of_account_is_stored(ctx: Context, loaded: demo_data.DemoLoad) -> None:
    def accounts_where(*conditions: object) -> int:
        with ctx.db.read() as session:
            return session.execute(
                select(func.count(func.distinct(Account.id)))
                .select_from(Account)
                .outerjoin(Charge)
                .where(*conditions)
            ).scalar_one()

    soon = (Account.shutoff_date > AS_OF, Account.shutoff_date <= AS_OF + dt.timedelta(days=14))
    assert accounts_where(Account.status == "shutoff_pending", *soon, Charge.kind == "late_fee")
    assert accounts_where(Account.status == "disconnected", Charge.kind == "reconnect_fee")
    assert accounts_where(
        Account.status == "closed", Charge.kind == "final_bill", Charge.open_cents > 0
    )
    assert accounts_where(
        Account.status == "closed", Charge.kind == "final_bill", Charge.open_cents == 0
    )
    assert accounts_where(Account.checks_not_accepted.is_(True), Charge.kind == "nsf_fee")
    assert accounts_where(Account.credit_cents > 0)
    assert accounts_where(Account.deposit_cents > 0)
    with ctx.db.read() as session:
        owing_with_credit = session.execute(
            select(func.count())
            .select_from(Charge)
            .join(Account)
            .where(Account.credit_cents > 0, Charge.open_cents > 0)
        ).scalar_one()
        over = session.execute(
            select(func.count()).where(Charge.open_cents > Charge.amount_cents)
        ).scalar_one()
    assert owing_with_credit == 0
    assert over == 0


def test_search_keys_are_the_domain_keys(ctx: Context, loaded: demo_data.DemoLoad) -> None:
    with ctx.db.read() as session:
        accounts = session.execute(select(Account)).scalars().all()
        session.expunge_all()
    for a in accounts:
        assert a.number_key == search_keys.digits_key(a.number)
        assert a.name_key == search_keys.name_key(a.customer_name)
        assert a.name_alt_key == name_alt_key(a.customer_name)
        assert a.address_key == search_keys.address_key(a.service_address)
        assert a.street_key == search_keys.street_key(a.service_address)
        assert a.meter_key == search_keys.meter_key(a.meter_number)
        assert a.phone_key == search_keys.phone_key(a.phone)
    smith = next(a for a in accounts if a.customer_name == "Smith, John")
    assert (smith.name_key, smith.name_alt_key) == ("SMITH JOHN", "JOHN SMITH")


def test_every_account_has_the_words_of_its_name_and_address(
    ctx: Context, loaded: demo_data.DemoLoad
) -> None:
    assert stored_words(ctx) == expected_words(ctx)


def test_demo_users_are_created_and_can_log_in(ctx: Context, loaded: demo_data.DemoLoad) -> None:
    assert loaded.users_created == ("cashier", "supervisor", "cashier2", "cashier3")
    cashier = users.authenticate(ctx, "cashier", "cashier123")
    supervisor = users.authenticate(ctx, "supervisor", "supervisor123")
    assert (cashier.full_name, cashier.role) == ("Maria Lopez", Role.CASHIER)
    assert (supervisor.full_name, supervisor.role) == ("Sam Ortega", Role.SUPERVISOR)


def test_an_existing_demo_user_is_left_alone(ctx: Context) -> None:
    users.add_user(ctx, "cashier", "my-own-password", Role.CASHIER, "Pat Doe")
    loaded = demo_data.load_demo_city(ctx, 20, as_of=AS_OF)
    assert loaded.users_created == ("supervisor", "cashier2", "cashier3")
    assert users.authenticate(ctx, "cashier", "my-own-password").full_name == "Pat Doe"
    assert count(ctx, User.id) == len(demo_data.DEMO_USERS)


def test_one_audit_event_records_the_load(ctx: Context, loaded: demo_data.DemoLoad) -> None:
    with ctx.db.read() as session:
        events = (
            session.execute(select(AuditEvent).where(AuditEvent.action == "demo.load"))
            .scalars()
            .all()
        )
        session.expunge_all()
    assert len(events) == 1
    assert events[0].details["accounts"] == ACCOUNTS
    assert events[0].details["charges"] == loaded.charges
    assert events[0].details["as_of"] == "2026-11-23"
    assert audit.verify(ctx).ok


def test_loading_into_a_database_with_accounts_is_refused_and_changes_nothing(
    ctx: Context, loaded: demo_data.DemoLoad
) -> None:
    before = (count(ctx, Account.id), count(ctx, Charge.id), count(ctx, AuditEvent.id))
    with pytest.raises(ValidationError, match="already has 200 accounts; demo data goes into an"):
        demo_data.load_demo_city(ctx, 10, seed=9, as_of=AS_OF)
    assert (count(ctx, Account.id), count(ctx, Charge.id), count(ctx, AuditEvent.id)) == before


def test_ensure_demo_city_loads_only_into_an_empty_database(ctx: Context) -> None:
    assert demo_data.ensure_demo_city(ctx, 30) is True
    assert demo_data.ensure_demo_city(ctx, 30) is False
    assert count(ctx, Account.id) == 30


def test_accounts_and_charges_added_after_the_load_get_fresh_ids(
    ctx: Context, loaded: demo_data.DemoLoad
) -> None:
    with ctx.db.write() as session:
        account = Account(
            number="999999-01",
            number_key="99999901",
            customer_name="New, Customer",
            name_key="NEW CUSTOMER",
            name_alt_key="CUSTOMER NEW",
            service_address="1 Main St",
            address_key="1 MAIN ST",
            street_key="MAIN ST 1",
            meter_number="",
            meter_key="",
            phone="",
            phone_key="",
            status="active",
            deposit_cents=0,
            credit_cents=0,
            checks_not_accepted=False,
            updated_at=NOW,
        )
        session.add(account)
        session.flush()
        assert account.id == ACCOUNTS + 1
        charge = Charge(
            external_id="NEW-1",
            account_id=account.id,
            kind="water",
            description="",
            bill_date=AS_OF,
            due_date=AS_OF,
            amount_cents=100,
            open_cents=100,
            created_at=NOW,
        )
        session.add(charge)
        session.flush()
        assert charge.id == loaded.charges + 1


@pytest.mark.parametrize("accounts", [0, 1_000_001])
def test_a_city_size_out_of_range_is_refused(ctx: Context, accounts: int) -> None:
    with pytest.raises(ValidationError, match="A demo city has 1 to 1,000,000 accounts"):
        demo_data.load_demo_city(ctx, accounts)
    assert count(ctx, Account.id) == 0


def test_the_command_loads_and_prints_the_demo_passwords(
    db_url: str, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.setenv("COUNTER_DATABASE_URL", db_url)
    assert main(["demo-data", "--accounts", "25", "--seed", "3", "--as-of", "2026-11-23"]) == 0
    out = capsys.readouterr().out
    assert "Loaded a demo city of 25 accounts" in out
    assert "cashier     password cashier123" in out
    assert "supervisor  password supervisor123" in out
    assert main(["demo-data", "--accounts", "25"]) == 1
    assert "already has 25 accounts" in capsys.readouterr().err


def test_the_load_leaves_the_charges_foreign_key_in_force(
    ctx: Context, loaded: demo_data.DemoLoad
) -> None:
    from sqlalchemy import inspect
    from sqlalchemy.exc import IntegrityError

    keys = inspect(ctx.db.engine).get_foreign_keys("charges")
    assert [(k["referred_table"], k["constrained_columns"]) for k in keys] == [
        ("accounts", ["account_id"])
    ]
    with pytest.raises(IntegrityError), ctx.db.write() as s:
        s.add(
            Charge(
                external_id="orphan",
                account_id=10**9,
                kind="water",
                bill_date=dt.date(2026, 11, 1),
                due_date=dt.date(2026, 11, 22),
                amount_cents=100,
                open_cents=100,
            )
        )
