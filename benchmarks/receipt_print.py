"""Receipt latency from the payment commit to the last byte the printer simulator accepted.

    python benchmarks/receipt_print.py [--receipts 200] [--accounts 2000]

Sets up a real SQLite database (``migrate.upgrade``, a small demo city with its users, an open
drawer session), then for each receipt: ``posting.post_transaction`` of a two-account payment
settled by a check, a card and cash; the clock starts when it returns (the commit is done) and
stops at the simulator's last accepted byte of that receipt (its decode of the cut), printed
through the real driver over TCP on 127.0.0.1 (logo, CODE128). Prints p50 / p95 / max in
milliseconds against the p95 ≤ 150 ms target, and the posting time for scale; asserts nothing.
"""

from __future__ import annotations

import argparse
import statistics
import time
from collections.abc import Sequence

from demo_station import (  # beside this script
    cashier_on_duty,
    demo_city_on_sqlite,
    payable_accounts,
    post_two_accounts,
)

from counter_app.app import receipt_printer
from counter_app.domain.money import Money
from counter_app.domain.receipt import TenderKind
from counter_app.domain.tenders import TenderEntry
from counter_app.services import posting
from counter_app.services.context import Context
from drivers.sim.printer import PrinterSimulator

TARGET_P95_MS = 150.0
TENDERS = (
    TenderEntry(TenderKind.CHECK, Money(2000), reference="1043"),
    TenderEntry(TenderKind.CARD, Money(1500), card_last4="1234", auth_code="123456"),
    TenderEntry(TenderKind.CASH, Money(1000)),
)


def figures(samples: list[float], target: float | None = None) -> str:
    """``p50 … p95 … max …`` in milliseconds (and p95 against ``target``)."""
    p95 = statistics.quantiles(samples, n=20)[18]
    line = (
        f"p50 {statistics.median(samples):6.2f} ms   p95 {p95:6.2f} ms   max {max(samples):6.2f} ms"
    )
    return line + (f"   (target p95 ≤ {target:g} ms: {p95 / target:.2f} of it)" if target else "")


def payable_pairs(ctx: Context, count: int) -> list[tuple[str, str]]:
    """``count`` pairs of distinct active accounts that accept checks."""
    numbers = payable_accounts(ctx, count * 2)
    if len(numbers) < count * 2:
        raise SystemExit(f"the demo city has too few payable accounts for {count} receipts")
    return list(zip(numbers[0::2], numbers[1::2], strict=True))


def run(ctx: Context, receipts: int) -> None:
    cashier, session = cashier_on_duty(ctx)
    posted_ms: list[float] = []
    accepted_ms: list[float] = []
    with PrinterSimulator() as sim:
        printer = receipt_printer(
            ctx.settings.printer.model_copy(update={"url": sim.url}), tz=ctx.settings.zone
        )
        printer.open()
        try:
            for n, pair in enumerate(payable_pairs(ctx, receipts), start=1):
                started = time.perf_counter()
                posted = post_two_accounts(
                    ctx, cashier, session, pair, TENDERS, posting.new_idempotency_key()
                )
                committed = time.perf_counter()
                printer.print_receipt(posted.receipt)
                job = sim.wait_for_jobs(n)[-1]
                if posted.receipt.number not in job.text:
                    raise SystemExit(
                        f"the simulator printed something else than {posted.receipt.number}"
                    )
                posted_ms.append((committed - started) * 1000)
                accepted_ms.append((job.last_byte_at - committed) * 1000)
        finally:
            printer.close()
    print(f"{receipts} receipts over {sim.url} (2 accounts, check + card + cash, logo, CODE128)")
    print(f"  commit → last byte accepted  {figures(accepted_ms, TARGET_P95_MS)}")
    print(f"  post_transaction (commit)    {figures(posted_ms)}")


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--receipts", type=int, default=200)
    parser.add_argument("--accounts", type=int, default=2000, help="size of the demo city")
    args = parser.parse_args(argv)
    with demo_city_on_sqlite(args.accounts) as ctx:
        run(ctx, args.receipts)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
