"""Load the demo city (``domain.demo_city``) into an empty database, with demo users.

The whole load is one unit of work: it commits complete or not at all. Accounts get their
ids from the generator (so charges need no round trip to find them) and go in chunks, so
memory stays bounded whatever the size; one audit event records the load.
"""

from __future__ import annotations

import datetime as dt
import itertools
import time
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from itertools import islice

from sqlalchemy import func, select, text
from sqlalchemy.orm import Session

from counter_app.db.models import Account, Charge, SearchWord, User, table_of
from counter_app.domain.demo_city import CHARGE_FIELDS, MAX_ACCOUNTS, DemoCity
from counter_app.domain.errors import ValidationError
from counter_app.domain.users import Role
from counter_app.services import audit, bulk, lookup, search_index
from counter_app.services.bulk import Progress
from counter_app.services.context import Context
from counter_app.services.users import create_user

CHUNK_ACCOUNTS = 5_000
FIRST_START_ACCOUNTS = 50_000
DEFAULT_SEED = 1


@dataclass(frozen=True)
class DemoUser:
    username: str
    full_name: str
    password: str
    role: Role


DEMO_USERS = (
    DemoUser("cashier", "Maria Lopez", "cashier123", Role.CASHIER),
    DemoUser("supervisor", "Sam Ortega", "supervisor123", Role.SUPERVISOR),
)

ACCOUNT_COLUMNS = (
    "id",
    "number",
    "number_key",
    "customer_name",
    "name_key",
    "name_alt_key",
    "service_address",
    "address_key",
    "street_key",
    "meter_number",
    "meter_key",
    "phone",
    "phone_key",
    "status",
    "shutoff_date",
    "deposit_cents",
    "credit_cents",
    "checks_not_accepted",
    "billed_credit_cents",  # = credit_cents: what the "billing system" set (services/check.py)
)
# ids given here: PostgreSQL skips a nextval a row; billed_open_cents = open_cents (check.py)
CHARGE_COLUMNS = ("id", *CHARGE_FIELDS, "billed_open_cents")


@dataclass(frozen=True)
class DemoLoad:
    """What a demo load wrote."""

    accounts: int
    charges: int
    seed: int
    as_of: dt.date
    users_created: tuple[str, ...]
    seconds: float


def load_demo_city(
    ctx: Context,
    accounts: int,
    *,
    seed: int = DEFAULT_SEED,
    as_of: dt.date | None = None,
    progress: Progress | None = None,
) -> DemoLoad:
    """Fill an empty database with a demo city of ``accounts`` accounts billed up to
    ``as_of`` (default: today in the office), and the demo users if missing.

    Raises ``ValidationError`` if the database already has accounts; nothing is changed.
    """
    loaded = _load(ctx, accounts, seed, as_of, progress, only_if_empty=False)
    assert loaded is not None  # _load raises instead of returning None here
    return loaded


def ensure_demo_city(
    ctx: Context, accounts: int = FIRST_START_ACCOUNTS, *, seed: int = DEFAULT_SEED
) -> bool:
    """Load the demo city only if the database has no accounts; whether it loaded."""
    return _load(ctx, accounts, seed, None, None, only_if_empty=True) is not None


def accounts_on_file(ctx: Context) -> int:
    """How many accounts the database holds."""
    with ctx.db.read() as session:
        return int(session.execute(select(func.count(Account.id))).scalar_one())


def _check(accounts: int, seed: int) -> None:
    if not 1 <= accounts <= MAX_ACCOUNTS:
        raise ValidationError(f"A demo city has 1 to {MAX_ACCOUNTS:,} accounts, not {accounts:,}")
    if seed < 0:
        raise ValidationError(f"The seed is a whole number, zero or more, not {seed}")


def _load(
    ctx: Context,
    accounts: int,
    seed: int,
    as_of: dt.date | None,
    progress: Progress | None,
    *,
    only_if_empty: bool,
) -> DemoLoad | None:
    _check(accounts, seed)
    started = time.perf_counter()
    as_of = as_of or ctx.today()
    with ctx.db.write() as session:
        if ctx.db.is_postgres:  # a second workstation starting at once waits here
            session.execute(text("LOCK TABLE accounts IN EXCLUSIVE MODE"))
        existing = session.execute(select(func.count(Account.id))).scalar_one()
        if existing:
            if only_if_empty:
                return None
            raise ValidationError(
                f"The database already has {existing:,} accounts; "
                "demo data goes into an empty database"
            )
        users_created = _add_demo_users(session, ctx)
        with (
            bulk.foreign_keys_checked_at_end(session, table_of(Charge)),
            bulk.foreign_keys_checked_at_end(session, table_of(SearchWord)),
        ):
            charges = _write_city(session, ctx, DemoCity(seed, as_of), accounts, progress)
        bulk.sync_id_sequence(session, table_of(Account))
        bulk.sync_id_sequence(session, table_of(Charge))
        audit.record(
            session,
            ctx,
            "demo.load",
            user_id=None,
            entity="database",
            details={
                "accounts": accounts,
                "charges": charges,
                "seed": seed,
                "as_of": as_of.isoformat(),
                "users_created": list(users_created),
            },
        )
    ctx.db.refresh_statistics(*lookup.LOOKUP_TABLES)
    return DemoLoad(
        accounts=accounts,
        charges=charges,
        seed=seed,
        as_of=as_of,
        users_created=users_created,
        seconds=time.perf_counter() - started,
    )


@dataclass(frozen=True)
class _Chunk:
    accounts: int
    account_rows: list[list[object]]  # prepared for BulkInsert.write
    charge_rows: list[list[object]]
    word_rows: list[list[object]]


@dataclass(frozen=True)
class _Inserts:
    accounts: bulk.BulkInsert
    charges: bulk.BulkInsert
    words: bulk.BulkInsert


def _chunks(city: DemoCity, accounts: int, inserts: _Inserts) -> Iterator[_Chunk]:
    """The city in chunks of rows ready to write; the next chunk is made on a worker thread
    while the caller writes the current one (the database drivers let go of the GIL)."""
    generated = city.accounts(accounts)
    charge_ids = itertools.count(1)  # the database is empty: no charges either

    def make() -> _Chunk:
        rows: list[tuple[object, ...]] = []
        charges: list[tuple[object, ...]] = []
        named: list[search_index.Named] = []
        for account in islice(generated, CHUNK_ACCOUNTS):
            fields = account.fields()
            fields["billed_credit_cents"] = fields["credit_cents"]
            rows.append(tuple(fields[c] for c in ACCOUNT_COLUMNS))
            charges.extend((next(charge_ids), *c, c[7]) for c in account.charges)
            named.append((fields["id"], fields["customer_name"], fields["service_address"]))
        return _Chunk(
            len(rows),
            inserts.accounts.prepare(rows),
            inserts.charges.prepare(charges),
            inserts.words.prepare(search_index.word_rows(named)),
        )

    with ThreadPoolExecutor(max_workers=1, thread_name_prefix="demo-city") as worker:
        pending = worker.submit(make)
        while (chunk := pending.result()).accounts:
            pending = worker.submit(make)
            yield chunk


def _write_city(
    session: Session, ctx: Context, city: DemoCity, accounts: int, progress: Progress | None
) -> int:
    """Insert the city chunk by chunk; the number of charges written."""
    now = ctx.now()
    inserts = _Inserts(
        bulk.BulkInsert(session, table_of(Account), ACCOUNT_COLUMNS, {"updated_at": now}),
        bulk.BulkInsert(session, table_of(Charge), CHARGE_COLUMNS, {"created_at": now}),
        bulk.BulkInsert(session, table_of(SearchWord), search_index.WORD_COLUMNS),
    )
    done = charges = 0
    for chunk in _chunks(city, accounts, inserts):
        inserts.accounts.write(session, chunk.account_rows)
        charges += inserts.charges.write(session, chunk.charge_rows)
        inserts.words.write(session, chunk.word_rows)
        done += chunk.accounts
        if progress is not None:
            progress("Loading", done, accounts)
    return charges


def _add_demo_users(session: Session, ctx: Context) -> tuple[str, ...]:
    """Add the demo users that do not exist yet; their usernames."""
    taken = set(session.execute(select(User.username)).scalars())
    created = []
    for demo in DEMO_USERS:
        if demo.username in taken:
            continue
        create_user(
            session,
            ctx,
            demo.username,
            demo.password,
            demo.role,
            demo.full_name,
            details={"demo": True},
        )
        created.append(demo.username)
    return tuple(created)
