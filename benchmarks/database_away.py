"""How fast the counter sees the database go away, and whether its event loop stalls.

    PYTHONPATH=. python benchmarks/database_away.py [--trials 10] [--accounts 1000]

Opens the real ``MainWindow`` (offscreen) on a SQLite demo city with a transaction on screen
and, ``--trials`` times: puts the database file out of reach (``tests.helpers.DatabaseFault``,
as the suite does) and times until the Database light is red, then brings it back and times
until it is green. Then one post whose COMMIT answer is lost (committed): the time until the
banner says "Posted". A 10 ms heartbeat timer measures the largest gap of the event loop
throughout. Prints figures; asserts nothing.
"""

from __future__ import annotations

import argparse
import os
import statistics
import time
from collections.abc import Callable, Sequence

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

from demo_station import cashier_on_duty, demo_city_on_sqlite, payable_accounts  # beside this
from PySide6.QtCore import QThreadPool, QTimer
from PySide6.QtWidgets import QApplication

from counter_app.domain.money import Money
from counter_app.services import lookup
from counter_app.ui.main_window import MainWindow
from tests.helpers import DatabaseFault, cash


class Heartbeat:
    """A 10 ms timer; ``largest`` is the longest time between two of its ticks."""

    def __init__(self) -> None:
        self.last = time.perf_counter()
        self.largest = 0.0
        self.timer = QTimer()
        self.timer.setInterval(10)
        self.timer.timeout.connect(self._tick)
        self.timer.start()

    def _tick(self) -> None:
        now = time.perf_counter()
        self.largest = max(self.largest, now - self.last)
        self.last = now


def until(app: QApplication, done: Callable[[], bool], seconds: float = 20) -> float:
    started = time.perf_counter()
    while not done():
        if time.perf_counter() - started > seconds:
            raise SystemExit("the window did not get there in time")
        app.processEvents()
        time.sleep(0.001)
    return time.perf_counter() - started


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--trials", type=int, default=10)
    parser.add_argument("--accounts", type=int, default=1000)
    args = parser.parse_args(argv)
    app = QApplication.instance() or QApplication([])
    assert isinstance(app, QApplication)
    with demo_city_on_sqlite(args.accounts) as ctx:
        cashier, session = cashier_on_duty(ctx)
        fault = DatabaseFault(ctx)
        window = MainWindow(ctx, cashier, session)
        window.show()
        number = payable_accounts(ctx, 1)[0]
        window.checkout.add_account(lookup.get_account(ctx, number), Money(500))
        window.cart.add_tender(cash("5.00"))
        window.panel.refresh()
        until(app, lambda: window.db_status.state == "ok")
        beat = Heartbeat()
        red, green = [], []
        for _ in range(args.trials):
            quiet = time.perf_counter() + 0.3  # a moment of quiet, as at the counter
            until(app, lambda quiet=quiet: time.perf_counter() > quiet)
            fault.cut()
            red.append(until(app, lambda: window.db_status.state == "bad"))
            fault.restore()
            green.append(until(app, lambda: window.db_status.state == "ok"))
        fault.lose_commit_answer(committed=True)
        window.checkout.complete()
        until(app, lambda: window.outcome_banner.state == "checking")
        posted = until(app, lambda: window.outcome_banner.state == "posted")
        print(f"Database light after the file went out of reach ({args.trials} trials, SQLite):")
        print(
            f"  red   in median {statistics.median(red):.2f} s, max {max(red):.2f} s  "
            f"(target ≤ 2 s)"
        )
        print(f"  green in median {statistics.median(green):.2f} s, max {max(green):.2f} s")
        print(f"  unanswered COMMIT: 'Posted' shown {posted:.2f} s after the banner appeared")
        print(f"  largest event-loop gap throughout: {beat.largest * 1000:.1f} ms (10 ms timer)")
        window.checkout.clear_cart()
        window.leaving = True
        window.close()
        QThreadPool.globalInstance().waitForDone()
        fault.close()
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
