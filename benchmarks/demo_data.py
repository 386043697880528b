"""Benchmark: load the demo city into a fresh SQLite file and a fresh PostgreSQL database.

Targets: 50,000 accounts in 30 s on SQLite; 1,000,000 accounts in 10 min on PostgreSQL
(2-core machine). Other sizes scale the target linearly. For each run it prints seconds,
accounts per second, the charges written and the ratio to the target (≤ 1.00 meets it).

    python benchmarks/demo_data.py [--sqlite-accounts N] [--pg-accounts N] [--skip-pg]

PostgreSQL comes from ``COUNTER_TEST_DATABASE_URL`` (default: the local server); the
benchmark makes a database ``counter_bench`` there, migrates it and drops it afterwards.
"""

from __future__ import annotations

import argparse
import datetime as dt
import os
import sys
import tempfile
from pathlib import Path

from sqlalchemy import create_engine, text
from sqlalchemy.engine import make_url
from sqlalchemy.exc import OperationalError

from counter_app.config import load_settings
from counter_app.db import migrate
from counter_app.db.engine import Database
from counter_app.services.context import Context
from counter_app.services.demo_data import load_demo_city

DEFAULT_PG_URL = "postgresql+psycopg://postgres@127.0.0.1:5432/postgres"
BENCH_DB = "counter_bench"
AS_OF = dt.date(2026, 11, 23)
# (accounts, seconds) each target is stated for
SQLITE_TARGET = (50_000, 30.0)
PG_TARGET = (1_000_000, 600.0)


def run(label: str, url: str, accounts: int, target: tuple[int, float]) -> None:
    db = Database.from_url(url)
    try:
        migrate.upgrade(db.engine)
        ctx = Context(db=db, settings=load_settings())
        step = max(1, accounts // 10)

        def progress(done: int, total: int) -> None:
            if done % step < 5_000 or done == total:
                print(f"  {label}: {done:,}/{total:,} accounts", file=sys.stderr, flush=True)

        result = load_demo_city(ctx, accounts, as_of=AS_OF, progress=progress)
    finally:
        db.dispose()
    allowed = target[1] * accounts / target[0]
    print(
        f"{label:<10} {result.accounts:>9,} accounts {result.charges:>11,} charges "
        f"{result.seconds:8.1f} s {result.accounts / result.seconds:>9,.0f} accounts/s  "
        f"target {allowed:.0f} s  ratio {result.seconds / allowed:.2f}",
        flush=True,
    )


def bench_sqlite(accounts: int) -> None:
    with tempfile.TemporaryDirectory(prefix="counter-bench-") as folder:
        run("SQLite", f"sqlite:///{Path(folder) / 'bench.db'}", accounts, SQLITE_TARGET)


def bench_postgres(accounts: int) -> None:
    server = make_url(os.environ.get("COUNTER_TEST_DATABASE_URL") or DEFAULT_PG_URL)
    admin = create_engine(server, isolation_level="AUTOCOMMIT")
    try:
        with admin.connect() as conn:
            conn.execute(text(f'DROP DATABASE IF EXISTS "{BENCH_DB}" WITH (FORCE)'))
            conn.execute(text(f'CREATE DATABASE "{BENCH_DB}"'))
    except OperationalError as exc:
        print(f"PostgreSQL not reachable at {server.render_as_string()}: skipped ({exc})")
        return
    try:
        url = server.set(database=BENCH_DB).render_as_string(hide_password=False)
        run("PostgreSQL", url, accounts, PG_TARGET)
    finally:
        with admin.connect() as conn:
            conn.execute(text(f'DROP DATABASE IF EXISTS "{BENCH_DB}" WITH (FORCE)'))
        admin.dispose()


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sqlite-accounts", type=int, default=SQLITE_TARGET[0])
    parser.add_argument("--pg-accounts", type=int, default=PG_TARGET[0])
    parser.add_argument("--skip-sqlite", action="store_true")
    parser.add_argument("--skip-pg", action="store_true")
    args = parser.parse_args(argv)
    if not args.skip_sqlite:
        bench_sqlite(args.sqlite_accounts)
    if not args.skip_pg:
        bench_postgres(args.pg_accounts)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
