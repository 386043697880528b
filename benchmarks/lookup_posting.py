"""Lookup and posting speed on the demo city, as p50/p95 and as a ratio to raw SQL.

    python benchmarks/lookup_posting.py [--sqlite-accounts 50000] [--pg-accounts 1000000]
                                        [--runs 200] [--skip-pg] [--skip-sqlite]
                                        [--sqlite-file PATH] [--pg-database NAME]

For each database: load the demo city into a fresh database, then time
* ``lookup.search`` for each kind of query (account number, scan line, name, address,
  meter, phone, and words from the middle: a business's kind, "bakery", or a first name
  with a street, "maria oak") against the same SQL run raw (the statements the service
  sent, caught on the engine and replayed on the driver: the same index ranges and rows);
  and ``lookup.count`` (how many match, up to "more than 500") for the same queries, which
  the counter asks for when the first page is full;
* ``posting.post_transaction`` of a two-account, two-tender transaction against raw SQL
  that writes the same rows (transaction, payments, allocations, the charges it pays,
  tenders, receipt sequence and receipt, audit event and audit head).
Each target gets a PASS / FAIL line: lookup p95 ≤ 25 ms (judged at 1 M accounts) and ≤ 2×
raw; post p95 ≤ 15 ms on SQLite. ``--sqlite-accounts 1000000`` measures SQLite at 1 M.
"""

from __future__ import annotations

import argparse
import datetime as dt
import os
import random
import statistics
import tempfile
import time
import uuid
from collections.abc import Callable, Iterator
from contextlib import contextmanager

from demo_station import cashier_on_duty, payable_accounts, post_two_accounts  # beside it
from lookup_sql import Raw, replay, sql_of
from sqlalchemy import Connection, create_engine, select, text
from sqlalchemy.engine import make_url

from counter_app.config import load_settings
from counter_app.db import migrate
from counter_app.db.engine import Database
from counter_app.db.models import Account, AuditHead
from counter_app.domain.money import Money
from counter_app.domain.receipt import TenderKind
from counter_app.domain.scanline import make_scanline
from counter_app.domain.search_keys import address_key, name_key, phone_key
from counter_app.domain.tenders import TenderEntry
from counter_app.services import audit, audit_key, lookup
from counter_app.services.context import Context
from counter_app.services.demo_data import load_demo_city

PG_DEFAULT = "postgresql+psycopg://postgres@127.0.0.1:5432/postgres"
TODAY = dt.date.today()


def clock(fn: Callable[[], object]) -> float:
    start = time.perf_counter()
    fn()
    return (time.perf_counter() - start) * 1000


def interleaved(
    ours: Callable[[], object], raw: Callable[[], object], runs: int
) -> tuple[list[float], list[float]]:
    """Time the service and its raw SQL turn about on the same input, each going first every
    other time, so neither always finds the pages the other just read in the cache."""
    a: list[float] = []
    b: list[float] = []
    for i in range(runs):
        if i % 2:
            b.append(clock(raw))
            a.append(clock(ours))
        else:
            a.append(clock(ours))
            b.append(clock(raw))
    return a, b


def p95(samples: list[float]) -> float:
    return statistics.quantiles(samples, n=20)[18]


LOOKUP_P95_MS = 25.0
LOOKUP_RATIO = 2.0
POST_P95_MS_SQLITE = 15.0
MILLION = 1_000_000


def report(label: str, ours: list[float], raw: list[float]) -> tuple[float, float]:
    """Print one line; returns (p95, ratio to raw p95)."""
    ratio = p95(ours) / p95(raw) if raw else float("nan")
    print(
        f"  {label:<28} p50 {statistics.median(ours):6.2f} ms  p95 {p95(ours):6.2f} ms   "
        f"raw p95 {p95(raw):6.2f} ms   ratio {ratio:4.2f}x"
    )
    return p95(ours), ratio


def verdict(ok: bool, what: str) -> None:
    print(f"  {'PASS' if ok else 'FAIL'}: {what}")


def queries(ctx: Context, rng: random.Random, n: int) -> dict[str, list[tuple[str, str, str]]]:
    """(query typed, key column, key prefix) per kind, from real accounts."""
    kinds: dict[str, list[tuple[str, str, str]]] = {
        k: [] for k in ("number", "scan line", "name", "address", "meter", "phone", "word")
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
            q = middle_words(a.customer_name, a.service_address)
            kinds["word"].append((q, "word", address_key(q)))
            if a.meter_key:
                kinds["meter"].append((a.meter_number, "meter_key", a.meter_key))
            if phone_key(a.phone):
                kinds["phone"].append((a.phone, "phone_key", phone_key(a.phone)))
    return kinds


def middle_words(name: str, address: str) -> str:
    """A query only the word index answers: a business's last word ("Cafe"), or a person's
    first name and their street's name ("Maria Oak")."""
    _, comma, first = name.partition(", ")
    if not comma:
        return name.split()[-1]
    return f"{first.split()[0]} {address.split()[1]}"


def raw_lookup(ctx: Context, query: str) -> list[Raw]:
    """The SQL ``lookup.search`` runs for ``query``, as the driver got it."""
    return sql_of(ctx.db.engine, lambda: lookup.search(ctx, query))


def raw_count(ctx: Context, query: str) -> list[Raw]:
    """The SQL ``lookup.count`` runs for ``query``, as the driver got it."""
    return sql_of(ctx.db.engine, lambda: lookup.count(ctx, query))


def bench_lookup(ctx: Context, runs: int, accounts: int) -> None:
    rng = random.Random(7)
    raw_engine = ctx.db.engine
    for kind, qs in queries(ctx, rng, runs).items():
        it = iter(qs)
        statements = iter([raw_lookup(ctx, q) for q, _, _ in qs])  # (reads each range once)

        def raw(statements=statements) -> None:
            replay(raw_engine, next(statements))

        ours, raws = interleaved(lambda it=it: lookup.search(ctx, next(it)[0]), raw, len(qs))
        p, ratio = report(f"lookup by {kind}", ours, raws)
        if accounts >= MILLION:
            verdict(p <= LOOKUP_P95_MS, f"lookup by {kind} p95 {p:.2f} ms ≤ 25 ms at 1 M")
        verdict(ratio <= LOOKUP_RATIO, f"lookup by {kind} {ratio:.2f}x ≤ 2x raw")
    for kind, qs in queries(ctx, rng, runs).items():
        it = iter(qs)
        counts = iter([raw_count(ctx, q) for q, _, _ in qs])

        def raw_counted(counts=counts) -> None:
            replay(raw_engine, next(counts))

        ours, raws = interleaved(lambda it=it: lookup.count(ctx, next(it)[0]), raw_counted, len(qs))
        p, ratio = report(f"count by {kind}", ours, raws)
        if accounts >= MILLION:
            verdict(p <= LOOKUP_P95_MS, f"count by {kind} p95 {p:.2f} ms ≤ 25 ms at 1 M")
        verdict(ratio <= LOOKUP_RATIO, f"count by {kind} {ratio:.2f}x ≤ 2x raw")


def bench_posting(ctx: Context, runs: int) -> None:
    cashier, session = cashier_on_duty(ctx)
    numbers = payable_accounts(ctx, runs * 4)
    ours_numbers, raw_numbers = numbers[: runs * 2], numbers[runs * 2 :]
    pairs = iter(zip(ours_numbers[0::2], ours_numbers[1::2], strict=False))
    raw_pairs = iter(zip(raw_numbers[0::2], raw_numbers[1::2], strict=False))
    lock = " FOR UPDATE" if ctx.db.is_postgres else ""

    tenders = [
        TenderEntry(TenderKind.CHECK, Money(3000), reference="1001"),
        TenderEntry(TenderKind.CASH, Money(2000)),
    ]

    def post() -> None:
        post_two_accounts(ctx, cashier, session, next(pairs), tenders, uuid.uuid4().hex)

    def raw() -> None:
        a, b = next(raw_pairs)
        with ctx.db.engine.begin() as c:
            raw_post(c, lock, session.id, cashier.id, [(a, 2500), (b, 1500)], key)

    post()  # first use: statements compiled (and the chain keyed)
    key = audit_key.read_key(ctx.settings.audit.key_file)
    assert key is not None
    raw()
    ours, raws = interleaved(post, raw, runs - 1)
    p, _ = report("post 2 accounts, 2 tenders", ours, raws)
    if not ctx.db.is_postgres:
        verdict(p <= POST_P95_MS_SQLITE, f"post p95 {p:.2f} ms ≤ 15 ms on SQLite")


def raw_post(
    c: Connection,
    lock: str,
    session_id: int,
    user_id: int,
    pays: list[tuple[str, int]],
    key: bytes,
) -> None:
    """What ``post_transaction`` writes, in plain SQL: accounts locked, open charges read
    and paid oldest first (allocations, charges updated), the receipt sequence bumped,
    transaction, payments, tenders, receipt, and the audit event chained to the head."""
    numbers = {n: cents for n, cents in pays}
    accts = c.execute(
        text(f"SELECT id, number FROM accounts WHERE number IN (:a, :b) ORDER BY id{lock}"),
        {"a": pays[0][0], "b": pays[1][0]},
    ).all()
    seq = c.execute(
        text(
            "UPDATE receipt_sequences SET last_value = last_value + 1 "
            "WHERE station = 'RAW' AND business_date = :d RETURNING last_value"
        ),
        {"d": TODAY},
    ).scalar_one_or_none()
    if seq is None:
        seq = 1
        c.execute(
            text(
                "INSERT INTO receipt_sequences (station, business_date, last_value) "
                "VALUES ('RAW', :d, 1)"
            ),
            {"d": TODAY},
        )
    tid = c.execute(
        text(
            "INSERT INTO transactions (kind, session_id, user_id, idempotency_key, request_hash, "
            "reason, total_cents, tendered_cents, change_cents, created_at) VALUES ('payment', "
            ":s, :u, :k, :h, '', 4000, 5000, 1000, CURRENT_TIMESTAMP) RETURNING id"
        ),
        {"s": session_id, "u": user_id, "k": uuid.uuid4().hex, "h": "0" * 64},
    ).scalar_one()
    for acct, number in accts:
        charges = c.execute(
            text(
                "SELECT id, open_cents FROM charges WHERE account_id = :a "
                "AND open_cents > 0 ORDER BY bill_date, id"
            ),
            {"a": acct},
        ).all()
        left = numbers[number]
        pid = c.execute(
            text(
                "INSERT INTO payments (transaction_id, account_id, amount_cents, "
                "balance_after_cents, note) VALUES (:t, :a, :m, 0, '') RETURNING id"
            ),
            {"t": tid, "a": acct, "m": left},
        ).scalar_one()
        for charge_id, open_cents in charges:
            part = min(left, open_cents)
            if not part:
                break
            c.execute(
                text("UPDATE charges SET open_cents = open_cents - :p WHERE id = :c"),
                {"p": part, "c": charge_id},
            )
            c.execute(
                text(
                    "INSERT INTO allocations (payment_id, charge_id, amount_cents) "
                    "VALUES (:p, :c, :m)"
                ),
                {"p": pid, "c": charge_id, "m": part},
            )
            left -= part
        if left:
            c.execute(
                text(
                    "INSERT INTO allocations (payment_id, charge_id, amount_cents) "
                    "VALUES (:p, NULL, :m)"
                ),
                {"p": pid, "m": left},
            )
            c.execute(
                text("UPDATE accounts SET credit_cents = credit_cents + :m WHERE id = :a"),
                {"m": left, "a": acct},
            )
    for kind, cents, ref in (("check", 3000, "1001"), ("cash", 2000, "")):
        c.execute(
            text(
                "INSERT INTO tenders (transaction_id, kind, amount_cents, reference, bank, "
                "card_last4, auth_code) VALUES (:t, :k, :m, :r, '', '', '')"
            ),
            {"t": tid, "k": kind, "m": cents, "r": ref},
        )
    c.execute(
        text(
            "INSERT INTO receipts (number, transaction_id, station, print_count, last_error) "
            "VALUES (:n, :t, 'RAW', 0, '')"
        ),
        {"n": f"RAW-{TODAY:%Y%m%d}-{seq:04d}", "t": tid},
    )
    prev, keyed_from = c.execute(
        text(f"SELECT last_hash, keyed_from_id FROM audit_head WHERE id = 1{lock}")
    ).one()
    at = dt.datetime.now(dt.UTC).replace(tzinfo=None)
    fields = {"user_id": user_id, "station": "RAW", "action": "transaction.post"}
    digest = audit._keyed(key, prev, at, fields)  # the same HMAC the service computes
    eid = c.execute(
        text(
            "INSERT INTO audit_events (at, user_id, station, action, entity, entity_id, reason, "
            "details, prev_hash, hash) VALUES (:at, :u, 'RAW', 'transaction.post', "
            "'transaction', :t, '', :d, :p, :h) RETURNING id"
        ),
        {"at": at, "u": user_id, "t": str(tid), "d": '{"raw": true}', "p": prev, "h": digest},
    ).scalar_one()
    mac = audit._head_mac(key, AuditHead(last_id=eid, last_hash=digest, keyed_from_id=keyed_from))
    c.execute(
        text("UPDATE audit_head SET last_hash = :h, last_id = :e, mac = :m WHERE id = 1"),
        {"h": digest, "e": eid, "m": mac},
    )


def open_city(url: str, accounts: int, label: str) -> Context:
    """A context on the database at ``url``, migrated, holding the demo city: loaded with
    ``accounts`` accounts when empty, else as it is (a city built once serves many runs)."""
    settings = load_settings(database_url=url, station="B01")
    db = Database.from_url(url)
    migrate.upgrade(db.engine)
    ctx = Context(db, settings)
    with db.read() as session:
        have = session.execute(text("SELECT count(*) FROM accounts")).scalar_one()
    if have:
        print(f"{label}: {have:,} accounts already loaded")
    else:
        start = time.perf_counter()
        load_demo_city(ctx, accounts)
        print(f"{label}: {accounts:,} accounts loaded in {time.perf_counter() - start:.1f} s")
    return ctx


def accounts_in(ctx: Context) -> int:
    with ctx.db.read() as session:
        return int(session.execute(text("SELECT count(*) FROM accounts")).scalar_one())


def run(url: str, accounts: int, runs: int, label: str) -> None:
    ctx = open_city(url, accounts, label)
    accounts = accounts_in(ctx)
    if accounts < MILLION:
        print(f"  (lookup p95 ≤ 25 ms is judged at 1 M accounts; this run has {accounts:,})")
    bench_lookup(ctx, runs, accounts)
    bench_posting(ctx, runs)
    ctx.db.dispose()


@contextmanager
def postgres_database(name: str | None, *, keep: bool = True) -> Iterator[str]:
    """The URL of a PostgreSQL database on the test server: ``name`` (made if missing, and
    ``keep`` it afterwards, so a city loaded once is reused), or a fresh one dropped
    afterwards."""
    base = make_url(os.environ.get("COUNTER_TEST_DATABASE_URL") or PG_DEFAULT)
    admin = create_engine(base, isolation_level="AUTOCOMMIT")
    fresh = name is None
    name = name or "counter_bench_lookup"
    with admin.connect() as c:
        if fresh:
            c.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        exists = c.execute(text("SELECT 1 FROM pg_database WHERE datname = :n"), {"n": name})
        if exists.first() is None:
            c.execute(text(f'CREATE DATABASE "{name}"'))
    try:
        yield base.set(database=name).render_as_string(hide_password=False)
    finally:
        if fresh or not keep:
            with admin.connect() as c:
                c.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        admin.dispose()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sqlite-accounts", type=int, default=50_000)
    parser.add_argument("--pg-accounts", type=int, default=1_000_000)
    parser.add_argument("--runs", type=int, default=200)
    parser.add_argument("--skip-pg", action="store_true")
    parser.add_argument("--skip-sqlite", action="store_true")
    parser.add_argument(
        "--sqlite-file", help="keep the SQLite database in this file; reuse it when loaded"
    )
    parser.add_argument(
        "--pg-database", help="keep the PostgreSQL database of this name; reuse it when loaded"
    )
    args = parser.parse_args()
    if args.sqlite_file:
        run(f"sqlite:///{args.sqlite_file}", args.sqlite_accounts, args.runs, "SQLite")
    elif not args.skip_sqlite:
        with tempfile.TemporaryDirectory() as tmp:
            run(f"sqlite:///{tmp}/bench.db", args.sqlite_accounts, args.runs, "SQLite")
    if args.skip_pg:
        return
    with postgres_database(args.pg_database) as url:
        run(url, args.pg_accounts, args.runs, "PostgreSQL")


if __name__ == "__main__":
    main()
