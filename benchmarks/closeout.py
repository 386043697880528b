"""End-of-day speed: the X read and the close submission of a 5,000-payment session.

    python benchmarks/closeout.py [--payments 5000] [--runs 20] [--skip-pg] [--skip-sqlite]

For each database: a fresh migrated database with a cashier, a supervisor and 200
accounts; one drawer session with 50 payments posted through ``post_transaction`` and the
rest written as the same rows in bulk (transaction, payment, tender, receipt: a third
cash with change, a third checks, a third card); then ``closeout.x_read`` and
``closeout.submit_count`` (every check ticked; between runs a supervisor reopens the
session, so each run is a real close with one more recount stored) are timed. Prints
p50 / p95 in ms and PASS / FAIL against the targets: X read ≤ 100 ms, close ≤ 200 ms.
"""

from __future__ import annotations

import argparse
import datetime as dt
import statistics
import tempfile
import time
import uuid
from pathlib import Path

from sqlalchemy import insert, text

from counter_app.app import build_passwords
from counter_app.config import load_settings
from counter_app.db import migrate
from counter_app.db.engine import Database
from counter_app.db.models import Account, Payment, Receipt, Tender, Transaction
from counter_app.domain.counts import DrawerCount
from counter_app.domain.money import Money
from counter_app.domain.receipt import TenderKind
from counter_app.domain.search_keys import name_key
from counter_app.domain.tenders import TenderEntry
from counter_app.domain.users import Role
from counter_app.services import closeout, sessions, users
from counter_app.services.context import Context
from counter_app.services.posting import PaymentRequest, new_idempotency_key, post_transaction

PG_DEFAULT = "postgresql+psycopg://postgres@127.0.0.1:5432/postgres"
FLOAT = {"20": 5, "10": 5, "5": 4, "1": 20, "0.25": 40}
ACCOUNTS = 200
POSTED = 50
TARGETS = {"x_read": 100.0, "submit_count": 200.0}


def _accounts(db: Database) -> list[str]:
    numbers = [f"{100000 + i:06d}-01" for i in range(ACCOUNTS)]
    rows = [
        {
            "number": n,
            "number_key": n.replace("-", ""),
            "customer_name": f"Customer {i}",
            "name_key": name_key(f"Customer {i}"),
            "name_alt_key": name_key(f"Customer {i}"),
            "service_address": f"{i} Main St",
            "address_key": f"{i} MAIN ST",
            "street_key": f"MAIN ST {i}",
            "meter_key": "",
            "phone_key": "",
        }
        for i, n in enumerate(numbers)
    ]
    with db.write() as s:
        s.execute(insert(Account), rows)
    return numbers


def _bulk_payments(db: Database, session_id: int, user_id: int, count: int) -> None:
    """``count`` payments written as the rows posting writes, in one statement per table."""
    with db.write() as s:
        first_account = int(s.execute(text("SELECT min(id) FROM accounts")).scalar_one())
        last = int(s.execute(text("SELECT coalesce(max(id), 0) FROM transactions")).scalar_one())
        now = dt.datetime.now(dt.UTC)
        txns, payments, tenders, receipts = [], [], [], []
        for i in range(count):
            tid = last + 1 + i
            cents = 1000 + (i * 37) % 20000
            kind = (TenderKind.CASH, TenderKind.CHECK, TenderKind.CARD)[i % 3]
            change = 500 if kind is TenderKind.CASH else 0
            txns.append(
                {
                    "id": tid,
                    "kind": "payment",
                    "session_id": session_id,
                    "user_id": user_id,
                    "idempotency_key": uuid.uuid4().hex,
                    "total_cents": cents,
                    "tendered_cents": cents + change,
                    "change_cents": change,
                    "reason": "",
                    "created_at": now,
                }
            )
            payments.append(
                {
                    "transaction_id": tid,
                    "account_id": first_account + i % ACCOUNTS,
                    "amount_cents": cents,
                    "balance_after_cents": 0,
                    "note": "",
                }
            )
            tenders.append(
                {
                    "transaction_id": tid,
                    "kind": kind.value,
                    "amount_cents": cents + change,
                    "reference": str(5000 + i) if kind is TenderKind.CHECK else "",
                    "bank": "",
                    "card_last4": "4242" if kind is TenderKind.CARD else "",
                    "auth_code": "",
                }
            )
            receipts.append(
                {
                    "number": f"B01-BENCH-{tid:06d}",
                    "station": "B01",
                    "transaction_id": tid,
                    "print_count": 0,
                    "last_error": "",
                }
            )
        for model, rows in (
            (Transaction, txns),
            (Payment, payments),
            (Tender, tenders),
            (Receipt, receipts),
        ):
            s.execute(insert(model), rows)
        if db.is_postgres:
            s.execute(
                text(
                    "SELECT setval(pg_get_serial_sequence('transactions', 'id'), "
                    "(SELECT max(id) FROM transactions))"
                )
            )
    if db.is_postgres:
        db.refresh_statistics("transactions", "tenders", "payments", "receipts")


def _percentiles(times: list[float]) -> tuple[float, float]:
    ordered = sorted(times)
    return statistics.median(ordered), ordered[max(0, int(len(ordered) * 0.95) - 1)]


def run(url: str, label: str, payments: int, runs: int) -> None:
    db = Database.from_url(url)
    migrate.upgrade(db.engine)
    settings = load_settings(database_url=url, station="B01")
    ctx = Context(db=db, settings=settings, passwords=build_passwords())
    cashier = users.add_user(ctx, "bench.cashier", "cashier-pass", Role.CASHIER, "Bench Cashier")
    boss = users.add_user(ctx, "bench.boss", "supervisor-pass", Role.SUPERVISOR, "Bench Boss")
    numbers = _accounts(db)
    drawer = sessions.open_session(ctx, cashier.id, FLOAT)
    for i in range(POSTED):
        post_transaction(
            ctx,
            session_id=drawer.id,
            user_id=cashier.id,
            payments=[PaymentRequest(numbers[i], Money(1000 + i))],
            tenders=[TenderEntry(TenderKind.CASH, Money(1000 + i))],
            idempotency_key=new_idempotency_key(),
        )
    _bulk_payments(db, drawer.id, cashier.id, payments - POSTED)
    ids = frozenset(i.tender_id for i in closeout.count_sheet(ctx, drawer.id, cashier.id).items)
    x_times, close_times = [], []
    for _ in range(runs):
        start = time.perf_counter()
        closeout.x_read(ctx, drawer.id, boss.id)
        x_times.append((time.perf_counter() - start) * 1000)
    for _ in range(runs):
        start = time.perf_counter()
        closeout.submit_count(ctx, drawer.id, cashier.id, DrawerCount(FLOAT, ids))
        close_times.append((time.perf_counter() - start) * 1000)
        closeout.reopen(ctx, drawer.id, boss.id, reason="benchmark")
    report = closeout.x_read(ctx, drawer.id, boss.id)
    print(
        f"{label}: {report.receipts} payments, {len(ids)} checks to tick, "
        f"expected cash {report.expected[TenderKind.CASH].format()}"
    )
    for name, times in (("x_read", x_times), ("submit_count", close_times)):
        p50, p95 = _percentiles(times)
        verdict = "PASS" if p95 <= TARGETS[name] else "FAIL"
        print(
            f"  {name:13s} p50 {p50:7.1f} ms  p95 {p95:7.1f} ms  target ≤ {TARGETS[name]:.0f} ms"
            f"  {verdict}"
        )
    db.dispose()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--payments", type=int, default=5000)
    parser.add_argument("--runs", type=int, default=20)
    parser.add_argument("--pg-url", default=PG_DEFAULT)
    parser.add_argument("--skip-pg", action="store_true")
    parser.add_argument("--skip-sqlite", action="store_true")
    args = parser.parse_args()
    if not args.skip_sqlite:
        with tempfile.TemporaryDirectory() as folder:
            run(f"sqlite:///{Path(folder) / 'bench.db'}", "SQLite", args.payments, args.runs)
    if not args.skip_pg:
        name = f"counter_bench_closeout_{uuid.uuid4().hex[:8]}"
        admin = Database.from_url(args.pg_url).engine.execution_options(
            isolation_level="AUTOCOMMIT"
        )
        with admin.connect() as conn:
            conn.execute(text(f'CREATE DATABASE "{name}"'))
        try:
            run(args.pg_url.rsplit("/", 1)[0] + f"/{name}", "PostgreSQL", args.payments, args.runs)
        finally:
            with admin.connect() as conn:
                conn.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
            admin.dispose()


if __name__ == "__main__":
    main()
