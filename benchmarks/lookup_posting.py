"""Lookup and posting speed on the demo city, as p50/p95 and as a ratio to raw SQL.

    python benchmarks/lookup_posting.py [--sqlite-accounts 50000] [--pg-accounts 1000000]
                                        [--runs 200] [--skip-pg]

For each database: load the demo city into a fresh database, then time
* ``lookup.search`` for each kind of query (account number, scan line, name, address,
  meter, phone) against a raw SQL statement that reads the same index range and balances;
* ``posting.post_transaction`` of a two-account, two-tender transaction against raw SQL
  that writes the same rows (transaction, payments, allocations, tenders, receipt, charges).
Targets: lookup p95 ≤ 25 ms at 1 M accounts and ≤ 2× raw; post p95 ≤ 15 ms on SQLite.
"""

from __future__ import annotations

import argparse
import os
import random
import statistics
import tempfile
import time
import uuid
from collections.abc import Callable

from sqlalchemy import create_engine, select, text
from sqlalchemy.engine import make_url

from counter_app.config import load_settings
from counter_app.db import migrate
from counter_app.db.engine import Database
from counter_app.db.models import Account
from counter_app.domain.money import Money
from counter_app.domain.receipt import TenderKind
from counter_app.domain.scanline import make_scanline
from counter_app.domain.search_keys import address_key, name_key, phone_key
from counter_app.domain.tenders import TenderEntry
from counter_app.services import drawer, lookup, posting, users
from counter_app.services.context import Context
from counter_app.services.demo_data import load_demo_city

PG_DEFAULT = "postgresql+psycopg://postgres@127.0.0.1:5432/postgres"


def timed(fn: Callable[[], object], runs: int) -> list[float]:
    out = []
    for _ in range(runs):
        start = time.perf_counter()
        fn()
        out.append((time.perf_counter() - start) * 1000)
    return out


def p95(samples: list[float]) -> float:
    return statistics.quantiles(samples, n=20)[18]


def report(label: str, ours: list[float], raw: list[float]) -> None:
    ratio = p95(ours) / p95(raw) if raw else float("nan")
    print(
        f"  {label:<28} p50 {statistics.median(ours):6.2f} ms  p95 {p95(ours):6.2f} ms   "
        f"raw p95 {p95(raw):6.2f} ms   ratio {ratio:4.2f}x"
    )


def queries(ctx: Context, rng: random.Random, n: int) -> dict[str, list[tuple[str, str, str]]]:
    """(query typed, key column, key prefix) per kind, from real accounts."""
    kinds: dict[str, list[tuple[str, str, str]]] = {
        k: [] for k in ("number", "scan line", "name", "address", "meter", "phone")
    }
    with ctx.db.read() as s:
        max_id = s.execute(text("SELECT max(id) FROM accounts")).scalar_one()
        ids = [rng.randint(1, max_id) for _ in range(n)]
        for a in s.execute(select(Account).where(Account.id.in_(ids))).scalars():
            last, _, first = a.customer_name.partition(", ")
            kinds["number"].append((a.number, "number_key", a.number_key))
            line = make_scanline(a.number, Money(1234), ctx.settings.scanline)
            kinds["scan line"].append((line, "number_key", a.number_key))
            q = f"{last} {first[:1]}"
            kinds["name"].append((q, "name_key", name_key(q)))
            q = " ".join(a.service_address.split()[:2])
            kinds["address"].append((q, "address_key", address_key(q)))
            if a.meter_key:
                kinds["meter"].append((a.meter_number, "meter_key", a.meter_key))
            if phone_key(a.phone):
                kinds["phone"].append((a.phone, "phone_key", phone_key(a.phone)))
    return kinds


RAW_LOOKUP = (
    "SELECT a.*, (SELECT coalesce(sum(open_cents), 0) FROM charges c WHERE c.account_id = a.id "
    "AND c.open_cents > 0) AS balance FROM accounts a WHERE a.{col} >= :lo AND a.{col} < :hi "
    "ORDER BY a.{col} LIMIT 50"
)


def bench_lookup(ctx: Context, runs: int) -> None:
    rng = random.Random(7)
    raw_engine = ctx.db.engine
    for kind, qs in queries(ctx, rng, runs).items():
        it = iter(qs * 3)
        ours = timed(lambda it=it: lookup.search(ctx, next(it)[0]), len(qs))
        it2 = iter(qs * 3)

        def raw(it2=it2) -> None:
            _, col, key = next(it2)
            hi = key[:-1] + chr(ord(key[-1]) + 1)
            with raw_engine.connect() as conn:
                conn.execute(text(RAW_LOOKUP.format(col=col)), {"lo": key, "hi": hi}).all()

        report(f"lookup by {kind}", ours, timed(raw, len(qs)))


def bench_posting(ctx: Context, runs: int) -> None:
    cashier = next(u for u in users.list_users(ctx) if u.role.value == "cashier")
    session = drawer.current_session(ctx, cashier.id) or drawer.open_session(
        ctx, cashier.id, {"20": 10}
    )
    with ctx.db.read() as s:
        numbers = list(
            s.execute(
                text(
                    "SELECT number FROM accounts WHERE status = 'active' "
                    "AND NOT checks_not_accepted ORDER BY id LIMIT :n"
                ),
                {"n": runs * 4},
            ).scalars()
        )
    ours_numbers, raw_numbers = numbers[: runs * 2], numbers[runs * 2 :]
    pairs = iter(zip(ours_numbers[0::2], ours_numbers[1::2], strict=False))
    raw_pairs = iter(zip(raw_numbers[0::2], raw_numbers[1::2], strict=False))
    lock = " FOR UPDATE" if ctx.db.is_postgres else ""

    def post() -> None:
        a, b = next(pairs)
        posting.post_transaction(
            ctx,
            session_id=session.id,
            user_id=cashier.id,
            payments=[
                posting.PaymentRequest(a, Money(2500)),
                posting.PaymentRequest(b, Money(1500)),
            ],
            tenders=[
                TenderEntry(TenderKind.CHECK, Money(3000), reference="1001"),
                TenderEntry(TenderKind.CASH, Money(2000)),
            ],
            idempotency_key=uuid.uuid4().hex,
        )

    ours = timed(post, runs)

    def raw() -> None:
        a, b = next(raw_pairs)
        with ctx.db.engine.begin() as c:
            accts = (
                c.execute(
                    text(f"SELECT id FROM accounts WHERE number IN (:a, :b) ORDER BY id{lock}"),
                    {"a": a, "b": b},
                )
                .scalars()
                .all()
            )
            for acct in accts:
                c.execute(
                    text(
                        "SELECT id, open_cents FROM charges WHERE account_id = :a "
                        "AND open_cents > 0 ORDER BY bill_date"
                    ),
                    {"a": acct},
                ).all()
            tid = c.execute(
                text(
                    "INSERT INTO transactions (kind, session_id, user_id, idempotency_key, reason, "
                    "total_cents, tendered_cents, change_cents, created_at) VALUES ('payment', :s, "
                    ":u, :k, '', 4000, 5000, 1000, CURRENT_TIMESTAMP) RETURNING id"
                ),
                {"s": session.id, "u": cashier.id, "k": uuid.uuid4().hex},
            ).scalar_one()
            for acct in accts:
                pid = c.execute(
                    text(
                        "INSERT INTO payments (transaction_id, account_id, amount_cents, "
                        "balance_after_cents, note) VALUES (:t, :a, 2000, 0, '') RETURNING id"
                    ),
                    {"t": tid, "a": acct},
                ).scalar_one()
                c.execute(
                    text(
                        "INSERT INTO allocations (payment_id, charge_id, amount_cents) "
                        "VALUES (:p, NULL, 2000)"
                    ),
                    {"p": pid},
                )
                c.execute(
                    text("UPDATE accounts SET credit_cents = credit_cents + 0 WHERE id = :a"),
                    {"a": acct},
                )
            for kind in ("check", "cash"):
                c.execute(
                    text(
                        "INSERT INTO tenders (transaction_id, kind, amount_cents, reference, bank, "
                        "card_last4, auth_code) VALUES (:t, :k, 2500, '', '', '', '')"
                    ),
                    {"t": tid, "k": kind},
                )
            c.execute(
                text(
                    "INSERT INTO receipts (number, transaction_id, print_count, "
                    "last_error) VALUES (:n, :t, 0, '')"
                ),
                {"n": f"RAW-{uuid.uuid4().hex[:20]}", "t": tid},
            )

    report("post 2 accounts, 2 tenders", ours, timed(raw, runs))


def run(url: str, accounts: int, runs: int, label: str) -> None:
    settings = load_settings(database_url=url, station="B01")
    db = Database.from_url(url)
    migrate.upgrade(db.engine)
    ctx = Context(db, settings)
    start = time.perf_counter()
    load_demo_city(ctx, accounts)
    print(f"{label}: {accounts:,} accounts loaded in {time.perf_counter() - start:.1f} s")
    bench_lookup(ctx, runs)
    bench_posting(ctx, runs)
    db.dispose()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sqlite-accounts", type=int, default=50_000)
    parser.add_argument("--pg-accounts", type=int, default=1_000_000)
    parser.add_argument("--runs", type=int, default=200)
    parser.add_argument("--skip-pg", action="store_true")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        run(f"sqlite:///{tmp}/bench.db", args.sqlite_accounts, args.runs, "SQLite")
    if args.skip_pg:
        return
    base = make_url(os.environ.get("COUNTER_TEST_DATABASE_URL") or PG_DEFAULT)
    admin = create_engine(base, isolation_level="AUTOCOMMIT")
    name = "counter_bench_lookup"
    with admin.connect() as c:
        c.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        c.execute(text(f'CREATE DATABASE "{name}"'))
    try:
        run(
            base.set(database=name).render_as_string(hide_password=False),
            args.pg_accounts,
            args.runs,
            "PostgreSQL",
        )
    finally:
        with admin.connect() as c:
            c.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        admin.dispose()


if __name__ == "__main__":
    main()
