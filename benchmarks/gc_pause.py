"""How long a full garbage collection stops the GUI thread, before and after the counter
freezes its start-up objects (``ui.application.freeze_startup_objects``).

    python benchmarks/gc_pause.py [--accounts 1000] [--runs 20]

Opens the real ``MainWindow`` (``QT_QPA_PLATFORM=offscreen``) on a fresh SQLite demo city
with the demo cashier's drawer open, runs a few lookups so the statement caches are warm,
then times ``gc.collect()`` (a full, generation-2 collection) ``--runs`` times; freezes the
start-up objects as the counter does once its screen is up, looks up and builds the tender
dialog again (the garbage a transaction leaves), and times the collections again. Prints
the tracked object counts and the median and max pause of each; asserts nothing.
"""

from __future__ import annotations

import argparse
import gc
import os
import statistics
import time

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

from demo_station import cashier_on_duty, demo_city_on_sqlite  # beside this script
from PySide6.QtWidgets import QApplication

from counter_app.services import lookup
from counter_app.services.context import Context
from counter_app.ui.application import freeze_startup_objects
from counter_app.ui.main_window import MainWindow


def pauses(runs: int) -> list[float]:
    out = []
    for _ in range(runs):
        start = time.perf_counter()
        gc.collect()
        out.append((time.perf_counter() - start) * 1000)
    return out


def work(app: QApplication, ctx: Context, window: MainWindow) -> None:
    """What a few customers leave behind: lookups and account views."""
    for query in ("smith", "oak", "maria", "1200", "park"):
        for hit in lookup.search(ctx, query).hits[:5]:
            lookup.get_account(ctx, hit.number)
    app.processEvents()


def report(label: str, samples: list[float]) -> None:
    tracked = len(gc.get_objects())
    print(
        f"{label:<28} tracked {tracked:>8,}  frozen {gc.get_freeze_count():>8,}  "
        f"full collection median {statistics.median(samples):6.2f} ms  max {max(samples):6.2f} ms"
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--accounts", type=int, default=1000)
    parser.add_argument("--runs", type=int, default=20)
    args = parser.parse_args()
    app = QApplication.instance() or QApplication([])
    assert isinstance(app, QApplication)
    with demo_city_on_sqlite(args.accounts) as ctx:
        user, session = cashier_on_duty(ctx)
        window = MainWindow(ctx, user, session)
        window.show()
        work(app, ctx, window)
        report("start-up objects live", pauses(args.runs))
        freeze_startup_objects()
        work(app, ctx, window)
        report("after freeze_startup_objects", pauses(args.runs))
        window.close()


if __name__ == "__main__":
    main()
