"""Benchmark: how long ``counter-app demo-day`` takes for N payments, on SQLite and PostgreSQL.

    python benchmarks/demo_day.py [--payments 400 5000] [--accounts 2000] [--skip-pg]

For each database and each N: a fresh migrated database with a demo city of ``--accounts``
accounts, then ``demo_day.play_demo_day`` (every payment, void, movement, close and the
deposit through the services, one unit of work each). Prints the seconds, payments per
second and milliseconds per payment. Passwords are hashed at argon2's recommended cost, as
``make run`` does, so the supervisor's sign-ins and overrides are in the figure too.
PostgreSQL comes from ``COUNTER_TEST_DATABASE_URL`` (default: the local server); the
benchmark makes a database ``counter_bench_day`` there and drops it afterwards.
"""

from __future__ import annotations

import argparse
import datetime as dt
import os
import tempfile
from collections.abc import Callable, Iterator
from contextlib import AbstractContextManager, contextmanager
from pathlib import Path

from sqlalchemy import create_engine, text
from sqlalchemy.engine import make_url
from sqlalchemy.exc import OperationalError

from counter_app.config import AuditSettings, load_settings
from counter_app.db import migrate
from counter_app.db.engine import Database
from counter_app.services.context import Context
from counter_app.services.demo_data import load_demo_city
from counter_app.services.demo_day import play_demo_day

DEFAULT_PG_URL = "postgresql+psycopg://postgres@127.0.0.1:5432/postgres"
BENCH_DB = "counter_bench_day"
DAY = dt.date(2026, 11, 20)
NOW = dt.datetime(2026, 11, 23, 16, 0, tzinfo=dt.UTC)


def run(label: str, url: str, folder: Path, accounts: int, payments: int) -> None:
    db = Database.from_url(url)
    try:
        migrate.upgrade(db.engine)
        settings = load_settings().model_copy(
            update={"audit": AuditSettings(key_file=folder / "audit.key")}
        )
        ctx = Context(db=db, settings=settings, clock=lambda: NOW)
        load_demo_city(ctx, accounts, as_of=DAY)
        day = play_demo_day(ctx, DAY, payments=payments)
    finally:
        db.dispose()
    print(
        f"{label:<10} {day.payments:>6,} payments {day.seconds:8.1f} s "
        f"{day.payments / day.seconds:7.0f} payments/s "
        f"{1000 * day.seconds / day.payments:6.1f} ms/payment  "
        f"({day.voids} voids, deposit {day.deposit_total.format()})",
        flush=True,
    )


@contextmanager
def sqlite_database() -> Iterator[tuple[str, Path] | None]:
    with tempfile.TemporaryDirectory(prefix="counter-bench-") as folder:
        yield f"sqlite:///{Path(folder) / 'bench.db'}", Path(folder)


@contextmanager
def postgres_database() -> Iterator[tuple[str, Path] | None]:
    server = make_url(os.environ.get("COUNTER_TEST_DATABASE_URL") or DEFAULT_PG_URL)
    admin = create_engine(server, isolation_level="AUTOCOMMIT")
    try:
        with admin.connect() as conn:
            conn.execute(text(f'DROP DATABASE IF EXISTS "{BENCH_DB}" WITH (FORCE)'))
            conn.execute(text(f'CREATE DATABASE "{BENCH_DB}"'))
    except OperationalError as exc:
        print(f"PostgreSQL not reachable at {server.render_as_string()}: skipped ({exc})")
        yield None
        return
    try:
        with tempfile.TemporaryDirectory(prefix="counter-bench-") as folder:
            yield server.set(database=BENCH_DB).render_as_string(hide_password=False), Path(folder)
    finally:
        with admin.connect() as conn:
            conn.execute(text(f'DROP DATABASE IF EXISTS "{BENCH_DB}" WITH (FORCE)'))
        admin.dispose()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--payments", type=int, nargs="+", default=[400, 5000])
    parser.add_argument("--accounts", type=int, default=2000)
    parser.add_argument("--skip-pg", action="store_true")
    parser.add_argument("--skip-sqlite", action="store_true")
    args = parser.parse_args()
    Made = Callable[[], AbstractContextManager[tuple[str, Path] | None]]
    databases: list[tuple[str, Made]] = []
    if not args.skip_sqlite:
        databases.append(("SQLite", sqlite_database))
    if not args.skip_pg:
        databases.append(("PostgreSQL", postgres_database))
    for payments in args.payments:
        for label, made in databases:
            with made() as found:
                if found is not None:
                    url, folder = found
                    run(label, url, folder, args.accounts, payments)


if __name__ == "__main__":
    main()
