"""Memory of the counter window over a day of payments.

    python benchmarks/gui_memory.py [--payments 300] [--accounts 1000]

Opens the real ``MainWindow`` (``QT_QPA_PLATFORM=offscreen``) on a fresh SQLite demo city
with the demo cashier's drawer open, then takes ``--payments`` cash payments of $0.50, each
on the next active account, through the keys a cashier presses: F5, Enter in the tender
dialog, F9, Enter on the change-due screen. Prints the process's resident memory (VmRSS)
and the number of live dialogs after the first 10 payments and at the end; asserts nothing.
"""

from __future__ import annotations

import argparse
import os
import time
from collections.abc import Callable, Sequence
from pathlib import Path

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

from demo_station import demo_city_on_sqlite  # beside this script
from PySide6.QtCore import QCoreApplication, QEvent, Qt
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QApplication, QDialog
from sqlalchemy import text

from counter_app.domain.money import Money
from counter_app.services import lookup, sessions, users
from counter_app.services.context import Context
from counter_app.ui.main_window import MainWindow

WARM_UP = 10


def rss_mb() -> float:
    """This process's resident set size in MB (Linux ``/proc``)."""
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1]) / 1024
    raise SystemExit("no VmRSS in /proc/self/status: this benchmark needs Linux")


def wait_for(app: QApplication, done: Callable[[], bool], seconds: float = 10) -> None:
    deadline = time.monotonic() + seconds
    while not done():
        if time.monotonic() > deadline:
            raise SystemExit("the window did not get there in time")
        app.processEvents()
        time.sleep(0.001)


def live_dialogs(window: MainWindow) -> int:
    QCoreApplication.sendPostedEvents(None, QEvent.Type.DeferredDelete)
    return len(window.findChildren(QDialog))


def pay(app: QApplication, window: MainWindow, ctx: Context, number: str) -> None:
    """One $0.50 cash payment on ``number``, through the keys."""
    window.checkout.add_account(lookup.get_account(ctx, number), Money(50))
    QTest.keyClick(window, Qt.Key.Key_F5)
    wait_for(app, lambda: window.dialog is not None)
    dialog = window.dialog
    assert dialog is not None
    QTest.keyClick(dialog, Qt.Key.Key_Return)
    before = window.last_receipt
    wait_for(app, lambda: window.dialog is None)
    QTest.keyClick(window, Qt.Key.Key_F9)
    wait_for(app, lambda: window.last_receipt is not before and window.dialog is not None)
    change = window.dialog
    assert change is not None
    QTest.keyClick(change, Qt.Key.Key_Return)
    wait_for(app, lambda: window.dialog is None and window.isActiveWindow())


def run(ctx: Context, payments: int) -> None:
    app = QApplication.instance() or QApplication([])
    assert isinstance(app, QApplication)
    cashier = next(u for u in users.list_users(ctx) if u.role.value == "cashier")
    session = sessions.open_session(ctx, cashier.id, {"20": 10})
    with ctx.db.read() as s:
        numbers = list(
            s.execute(
                text("SELECT number FROM accounts WHERE status = 'active' ORDER BY id LIMIT :n"),
                {"n": payments},
            ).scalars()
        )
    if len(numbers) < payments:
        raise SystemExit(f"the demo city has too few active accounts for {payments} payments")
    window = MainWindow(ctx, cashier, session)
    window.show()
    window.activateWindow()
    wait_for(app, window.isActiveWindow)
    started = time.perf_counter()
    for n, number in enumerate(numbers, start=1):
        pay(app, window, ctx, number)
        if n == WARM_UP:
            rss_warm, dialogs_warm = rss_mb(), live_dialogs(window)
    seconds = time.perf_counter() - started
    rss_end, dialogs_end = rss_mb(), live_dialogs(window)
    print(f"{payments} cash payments through the counter window in {seconds:.1f} s")
    print(f"  after {WARM_UP:>3} payments: RSS {rss_warm:7.1f} MB   live dialogs {dialogs_warm}")
    print(f"  after {payments:>3} payments: RSS {rss_end:7.1f} MB   live dialogs {dialogs_end}")
    per = (rss_end - rss_warm) * 1024 / (payments - WARM_UP)
    print(f"  growth {rss_end - rss_warm:+.1f} MB ({per:+.1f} kB a payment)")
    window.leaving = True
    window.close()


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--payments", type=int, default=300)
    parser.add_argument("--accounts", type=int, default=1000, help="size of the demo city")
    args = parser.parse_args(argv)
    if args.payments <= WARM_UP:
        raise SystemExit(f"--payments must be more than {WARM_UP}")
    with demo_city_on_sqlite(args.accounts) as ctx:
        run(ctx, args.payments)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
