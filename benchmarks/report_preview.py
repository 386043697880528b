"""The end-of-day reports in the GUI's preview, for a 5,000-payment day: what runs in the
report worker process (the services' read, the PDF, PDFium drawing page 1), what the GUI
thread does (the preview window from the drawn page), and the GUI thread's largest pause
while a report is being made (a 10 ms heartbeat timer runs meanwhile), against the
counter's rule: the event loop never stalls more than 50 ms.

    QT_QPA_PLATFORM=offscreen python benchmarks/report_preview.py [--payments 5000] [--runs 3]

The day is built as ``benchmarks/reports.py`` builds it (three drawers closed, one short
and approved, all deposited). The worker is started first (its start is timed apart, while
the heartbeat runs). Figures are medians over ``--runs``; the machine may be shared, so the
wall-clock figures are what a cashier would wait on a loaded station.
"""

from __future__ import annotations

import argparse
import statistics
import sys
import tempfile
import time
from collections.abc import Callable
from concurrent.futures import Future
from pathlib import Path

from PySide6.QtCore import QElapsedTimer, QThreadPool, QTimer
from PySide6.QtWidgets import QApplication, QWidget

sys.path.insert(0, str(Path(__file__).resolve().parent))  # benchmarks/reports.py

from reports import NOW, Clock, build_day  # type: ignore[import-not-found]

from counter_app.app import build_passwords
from counter_app.config import load_settings
from counter_app.db import migrate
from counter_app.db.engine import Database
from counter_app.reports.render import REPORTS
from counter_app.services.context import Context
from counter_app.services.report_pdfs import ReportRequest, preview_in_worker
from counter_app.ui.application import freeze_startup_objects
from counter_app.ui.collector import collect_on_gui_thread
from counter_app.ui.controllers.reports import ReportPreviews
from counter_app.ui.pdf_preview import PdfPreviewDialog, RenderedReport, image_of

LIMIT_MS = 50.0  # the GUI thread's longest allowed pause


def heartbeat_while(
    app: QApplication, start: Callable[[], None], done: Callable[[], bool]
) -> tuple[float, float]:
    """Run the event loop with a 10 ms timer from ``start()`` until ``done()``; the total
    milliseconds and the largest gap between two beats."""
    clock, last, gaps = QElapsedTimer(), [0.0], [0.0]
    timer = QTimer()
    timer.setInterval(10)

    def beat() -> None:
        now = clock.nsecsElapsed() / 1e6
        gaps.append(now - last[0])
        last[0] = now

    timer.timeout.connect(beat)
    clock.start()
    timer.start()
    start()
    while not done():
        app.processEvents()
        time.sleep(0.001)
    timer.stop()
    beat()
    return clock.nsecsElapsed() / 1e6, max(gaps)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--payments", type=int, default=5000)
    parser.add_argument("--runs", type=int, default=3)
    args = parser.parse_args()
    app = QApplication.instance() or QApplication(sys.argv)
    assert isinstance(app, QApplication)
    folder = Path(tempfile.mkdtemp(prefix="counter-preview-"))
    url = f"sqlite:///{folder / 'bench.db'}"
    db = Database.open(url)
    migrate.upgrade(db.engine)
    settings = load_settings(database_url=url, data_dir=folder)
    ctx = Context(db=db, settings=settings, clock=Clock(), passwords=build_passwords(None))
    sam, ids = build_day(ctx, args.payments)
    day = NOW.date()
    over = QWidget()
    over.resize(1366, 768)
    previews = ReportPreviews(ctx, lambda: None, over)
    made: dict[str, ReportRequest] = {
        "drawer": previews.drawer(ids[0], sam),
        "deposit": previews.deposit(day),
        "daily": previews.daily(day, sam),
        "payments": previews.payments(day, sam),
        "checks": previews.checks(day, sam),
    }
    collector = collect_on_gui_thread(app)  # as the counter runs: collections on this thread
    freeze_startup_objects()  # and the start-up objects (here: the day built) frozen
    warming: list[Future[int]] = []
    started, widest = heartbeat_while(
        app, lambda: warming.append(REPORTS.warm()), lambda: warming[0].done()
    )
    print(f"{args.payments} payments; medians of {args.runs} runs, milliseconds")
    print(f"worker started in {started:.0f} ms, the GUI thread's longest pause {widest:.0f} ms")
    print(
        f"{'report':9} {'pages':>5} {'worker':>7} {'GUI':>6} {'shown':>7} {'max gap':>8} "
        f"{'worst':>6} {'PgDn gap':>8}"
    )
    worst = 0.0
    for name, make in made.items():
        pool, gui, shown, gap, turned = [], [], [], [], []
        pages = 0
        for _ in range(args.runs):
            t = time.perf_counter()
            result = REPORTS.run(preview_in_worker, settings, url, make, NOW)  # as the ReadOp
            pool.append((time.perf_counter() - t) * 1000)
            pages = result.page_count
            t = time.perf_counter()
            rendered = RenderedReport(
                result.report.title, result.report.pdf, pages, image_of(result.first_page), 0
            )
            dialog = PdfPreviewDialog(rendered, over)
            dialog.show()
            gui.append((time.perf_counter() - t) * 1000)
            dialog.close()
            dialog.deleteLater()
            previews.slot.discard()
            total, widest = heartbeat_while(
                app,
                lambda make=make: previews.show(make, over, print),
                lambda: previews.current is not None,
            )
            shown.append(total)
            gap.append(widest)
            preview = previews.current
            assert preview is not None
            _, widest = heartbeat_while(
                app, lambda p=preview: p.turn(1), lambda p=preview: p.index == 1
            )
            turned.append(widest)  # page 2 drawn on a pool thread in this process
            previews.slot.discard()
        print(
            f"{name:9} {pages:5d} {statistics.median(pool):7.0f} {statistics.median(gui):6.0f} "
            f"{statistics.median(shown):7.0f} {statistics.median(gap):8.0f} {max(gap):6.0f} "
            f"{max(turned):8.0f}"
        )
        worst = max(worst, *gap, *turned)
    QThreadPool.globalInstance().waitForDone()
    REPORTS.shutdown()
    collector.timer.stop()
    print(
        "worker: read + PDF + page 1 drawn in the worker process, as waited on · GUI: the "
        "preview built from the drawn page · shown: key to preview on screen · max gap: the "
        "GUI thread's longest pause (worst: of all runs) · PgDn gap: the worst while page 2 "
        "is drawn"
    )
    verdict = "PASS" if worst <= LIMIT_MS else "FAIL"
    print(f"longest GUI-thread pause of all runs: {worst:.0f} ms (limit {LIMIT_MS:.0f}): {verdict}")


if __name__ == "__main__":
    main()
