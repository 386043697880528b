"""Receipt print latency over TCP to the printer simulator on 127.0.0.1.

    python benchmarks/receipt_print.py [--jobs 200]

Times a realistic receipt (two accounts, a check and cash, CODE128 barcode, logo) from the
call to ``print_receipt`` to the last byte the simulator accepted (its decode of the cut),
and the whole call (which includes the post-job status reply). Prints p50 / p95 / max in
milliseconds against the p95 ≤ 150 ms target; asserts nothing.
"""

from __future__ import annotations

import argparse
import statistics
import time
from collections.abc import Sequence
from zoneinfo import ZoneInfo

from counter_app.config import PrinterSettings
from drivers.printer import make_printer
from drivers.sim.printer import PrinterSimulator
from drivers.sim.samples import sample_receipt

TARGET_P95_MS = 150.0


def _figures(samples: list[float]) -> str:
    ordered = sorted(samples)
    p95 = ordered[max(0, round(0.95 * len(ordered)) - 1)]
    return (
        f"p50 {statistics.median(ordered):6.2f} ms   p95 {p95:6.2f} ms   "
        f"max {ordered[-1]:6.2f} ms   ({p95 / TARGET_P95_MS:.2f} of the 150 ms target)"
    )


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--jobs", type=int, default=200)
    args = parser.parse_args(argv)
    receipt = sample_receipt()
    accepted: list[float] = []
    returned: list[float] = []
    with PrinterSimulator() as sim:
        settings = PrinterSettings(url=sim.url, barcode="code128", logo=True)
        printer = make_printer(settings, tz=ZoneInfo("America/Chicago"))
        printer.open()
        try:
            for n in range(1, args.jobs + 1):
                started = time.perf_counter()
                printer.print_receipt(receipt)
                done = time.perf_counter()
                job = sim.wait_for_jobs(n)[-1]
                accepted.append((job.last_byte_at - started) * 1000)
                returned.append((done - started) * 1000)
        finally:
            printer.close()
        size = sum(1 for _ in sim.jobs[-1].events)
    print(f"{args.jobs} receipts over tcp://127.0.0.1 ({size} decoded events each)")
    print(f"  to last byte accepted   {_figures(accepted)}")
    print(f"  print_receipt returned  {_figures(returned)}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
