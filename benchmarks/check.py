"""``counter-app check`` on a demo city with many counter payments: how long each part of
the check takes, and the whole, on SQLite (figures, no asserts).

    python benchmarks/check.py [--accounts 20000] [--payments 10000]

Payments are posted through the posting service (two accounts, cash), so every row and
audit event is what the counter writes; then the check runs three times and the best time
of each part is printed, with the rate per payment.
"""

from __future__ import annotations

import argparse
import itertools
import time

from benchmarks.demo_station import (
    cashier_on_duty,
    demo_city_on_sqlite,
    payable_accounts,
    post_two_accounts,
)
from counter_app.domain.money import Money
from counter_app.domain.receipt import TenderKind
from counter_app.domain.tenders import TenderEntry
from counter_app.services import audit, audit_key, check, posting
from counter_app.services.context import Context

PARTS = (
    ("charges", check._charges),
    ("payments", check._payments),
    ("transactions", check._transactions),
    ("credit", check._credit),
    ("receipt numbers", check._receipt_numbers),
    ("open sessions", check._open_sessions),
    ("row digests", check._digests),
)


def _post(ctx: Context, payments: int) -> float:
    cashier, session = cashier_on_duty(ctx)
    numbers = payable_accounts(ctx, 2_000)
    pairs = itertools.cycle(zip(numbers[::2], numbers[1::2], strict=False))
    cash = [TenderEntry(TenderKind.CASH, Money(4000))]
    started = time.perf_counter()
    for _ in range(payments // 2):  # two payments a transaction
        post_two_accounts(ctx, cashier, session, next(pairs), cash, posting.new_idempotency_key())
    return time.perf_counter() - started


def _best(runs: int, work: object) -> float:
    times = []
    for _ in range(runs):
        started = time.perf_counter()
        work()  # type: ignore[operator]
        times.append(time.perf_counter() - started)
    return min(times)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--accounts", type=int, default=20_000)
    parser.add_argument("--payments", type=int, default=10_000)
    parser.add_argument("--runs", type=int, default=3)
    args = parser.parse_args()
    with demo_city_on_sqlite(args.accounts) as ctx:
        posted = _post(ctx, args.payments)
        print(
            f"SQLite: {args.accounts:,} accounts, {args.payments:,} payments posted in "
            f"{posted:.1f} s ({posted / (args.payments // 2) * 1000:.2f} ms a transaction)"
        )
        total = 0.0
        for name, part in PARTS:
            with ctx.db.read() as session:
                seconds = _best(args.runs, lambda p=part, s=session: list(p(s)))  # type: ignore[misc]
            total += seconds
            print(f"  {name:<16} {seconds * 1000:9.1f} ms")
        key = audit_key.read_key(ctx.settings.audit.key_file)
        with ctx.db.read() as session:
            seconds = _best(
                args.runs, lambda: audit.walk(session, key, ctx.settings.audit.key_file)
            )
        total += seconds
        print(f"  {'audit chain':<16} {seconds * 1000:9.1f} ms")
        whole = _best(1, lambda: check.run_check(ctx))
        report = check.run_check(ctx)
        print(
            f"  whole check      {whole * 1000:9.1f} ms ({len(report.breaches)} breaches); "
            f"{whole / args.payments * 1e6:.1f} µs a payment, so about "
            f"{whole / args.payments * 1e6:.0f} s for 1,000,000 payments at this rate"
        )


if __name__ == "__main__":
    main()
