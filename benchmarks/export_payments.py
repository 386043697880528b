"""The payments export's speed on a day of the demo city, and the raw SQL beside it.

    python benchmarks/export_payments.py [--accounts 5000] [--transactions 2500] [--runs 5]

Loads the demo city into a throwaway SQLite file, posts ``--transactions`` two-account
transactions (two payment rows each) at the demo cashier's drawer, then times
``export.export_payments`` of that business date (read, render, sha256, write the file,
record it) against the raw SQL that only reads the same rows.
"""

from __future__ import annotations

import argparse
import statistics
import tempfile
import time
from pathlib import Path

from demo_station import cashier_on_duty, demo_city_on_sqlite, payable_accounts, post_two_accounts
from sqlalchemy import text

from counter_app.domain.money import Money
from counter_app.domain.receipt import TenderKind
from counter_app.domain.tenders import TenderEntry
from counter_app.services import export, users
from counter_app.services.posting import new_idempotency_key

RAW = """
SELECT p.id, p.amount_cents, t.kind, t.created_at, r.number, r.station, s.kind, a.number,
       (SELECT group_concat(coalesce(c.external_id, '') || '=' || al.amount_cents, ';')
          FROM allocations al LEFT JOIN charges c ON c.id = al.charge_id
         WHERE al.payment_id = p.id)
FROM payments p JOIN transactions t ON t.id = p.transaction_id
JOIN receipts r ON r.transaction_id = t.id
JOIN drawer_sessions s ON s.id = t.session_id
JOIN accounts a ON a.id = p.account_id
WHERE s.business_date = :day ORDER BY t.created_at, r.number, p.id
"""


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--accounts", type=int, default=5_000)
    parser.add_argument("--transactions", type=int, default=2_500)
    parser.add_argument("--runs", type=int, default=5)
    args = parser.parse_args()
    with demo_city_on_sqlite(args.accounts) as ctx, tempfile.TemporaryDirectory() as out:
        cashier, session = cashier_on_duty(ctx)
        numbers = payable_accounts(ctx, 2 * args.transactions)
        cash = [TenderEntry(TenderKind.CASH, Money(4000))]
        started = time.perf_counter()
        for i in range(args.transactions):
            pair = (numbers[(2 * i) % len(numbers)], numbers[(2 * i + 1) % len(numbers)])
            post_two_accounts(ctx, cashier, session, pair, cash, new_idempotency_key())
        posted = time.perf_counter() - started
        supervisor = next(u for u in users.list_users(ctx) if u.role.value == "supervisor")
        day = session.business_date
        timings, raw = [], []
        for run in range(args.runs):
            start = time.perf_counter()
            done = export.export_payments(ctx, day, Path(out) / f"p{run}.csv", supervisor)
            timings.append((time.perf_counter() - start) * 1000)
            start = time.perf_counter()
            with ctx.db.connect() as conn:
                conn.execute(text(RAW), {"day": day}).all()
            raw.append((time.perf_counter() - start) * 1000)
        size = (Path(out) / "p0.csv").stat().st_size
        same = len({(Path(out) / f"p{r}.csv").read_bytes() for r in range(args.runs)}) == 1
    p50, raw50 = statistics.median(timings), statistics.median(raw)
    print(f"posted {args.transactions:,} transactions in {posted:.1f} s")
    print(f"export of {done.rows:,} rows ({size / 1024:.0f} KiB), {args.runs} runs on SQLite:")
    print(f"  export_payments p50 {p50:.0f} ms, max {max(timings):.0f} ms")
    print(f"  raw SQL read of the same rows p50 {raw50:.0f} ms (ratio {p50 / raw50:.1f}x)")
    print(f"  every run the same bytes: {same}")


if __name__ == "__main__":
    main()
