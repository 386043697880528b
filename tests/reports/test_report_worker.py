"""The reports the supervisor previews are made in a worker process, never in the GUI's:
the GUI thread does not wait on the services or reportlab. A worker that dies fails the
report it was asked for with a message saying so, and the next report starts a new one."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import pytest
from PySide6.QtWidgets import QWidget
from pytestqt.qtbot import QtBot

from counter_app.domain.errors import StorageUnavailable
from counter_app.reports.render import ReportWorker
from counter_app.services import users
from counter_app.services.context import Context
from counter_app.services.report_pdfs import ReportKind, ReportRequest, preview_in_worker
from counter_app.ui.controllers.reports import ReportPreviews
from counter_app.ui.operations import is_database_error
from tests.helpers import NOW, WAIT
from tests.reports.conftest import TODAY, Day


@pytest.fixture
def worker() -> Iterator[ReportWorker]:
    made = ReportWorker()
    yield made
    made.shutdown()


def _previews(qtbot: QtBot, ctx: Context, worker: ReportWorker) -> tuple[ReportPreviews, QWidget]:
    over = QWidget()
    qtbot.addWidget(over)
    over.resize(1200, 900)
    return ReportPreviews(ctx, lambda: None, over, worker=worker), over


def _sam(ctx: Context) -> int:
    return next(u.id for u in users.list_users(ctx) if u.username == "sam")


def test_a_previewed_report_is_made_in_another_process_with_its_first_page_drawn(
    qtbot: QtBot, ctx: Context, day: Day, worker: ReportWorker
) -> None:
    previews, over = _previews(qtbot, ctx, worker)
    failures: list[Exception] = []
    previews.show(previews.payments(TODAY, _sam(ctx)), over, failures.append)
    qtbot.waitUntil(lambda: previews.current is not None or bool(failures), timeout=WAIT)
    assert failures == []
    preview = previews.current
    assert preview is not None
    assert preview.report.made_by == worker.pid() != os.getpid()
    assert preview.report.title == "Payment register — 11/23/2026"
    assert preview.page.pixmap().width() == 816  # Letter at 96 dpi
    assert "11 receipts" in preview.report.text
    preview.reject()


def test_a_killed_worker_fails_its_report_with_a_message_and_the_next_report_works(
    qtbot: QtBot, ctx: Context, day: Day, worker: ReportWorker
) -> None:
    previews, over = _previews(qtbot, ctx, worker)
    first = worker.pid()
    os.kill(first, signal.SIGKILL)
    failures: list[Exception] = []
    previews.show(previews.daily(TODAY, _sam(ctx)), over, failures.append)
    qtbot.waitUntil(lambda: bool(failures), timeout=WAIT)
    assert previews.current is None
    said = str(failures[0])
    assert said.startswith("The report could not be made: its worker process stopped")
    assert said.endswith("Ask for the report again: a new worker makes it")

    previews.show(previews.daily(TODAY, _sam(ctx)), over, failures.append)
    qtbot.waitUntil(lambda: previews.current is not None or len(failures) > 1, timeout=WAIT)
    assert len(failures) == 1
    preview = previews.current
    assert preview is not None
    assert preview.report.title == "Daily cash report — 11/23/2026"
    assert preview.report.made_by not in (first, os.getpid())
    preview.reject()


def test_a_database_the_worker_cannot_open_is_reported_as_the_database_s_fault(
    ctx: Context, worker: ReportWorker, tmp_path: Path
) -> None:
    request = ReportRequest(ReportKind.DAILY, 1, TODAY)
    missing = f"sqlite:///{tmp_path / 'no such folder' / 'counter.db'}"
    with pytest.raises(StorageUnavailable, match="cannot use the database") as refused:
        worker.run(preview_in_worker, ctx.settings, missing, request, NOW)
    assert is_database_error(refused.value)  # the database light goes red for it


def _running(pid: int) -> bool:
    """The process exists and has not ended (an ended one no one reaped is a zombie)."""
    try:
        status = Path(f"/proc/{pid}/stat").read_text()
    except FileNotFoundError:
        return False
    return status.rsplit(")", 1)[1].split()[0] not in ("Z", "X")


@pytest.mark.skipif(not Path("/proc/self/stat").exists(), reason="reads /proc")
def test_the_worker_ends_when_the_counter_that_started_it_is_killed() -> None:
    started = "from counter_app.reports.render import REPORTS; print(REPORTS.pid(), flush=True)"
    counter = subprocess.Popen(
        [sys.executable, "-c", f"{started}\nimport time; time.sleep(60)"],
        stdout=subprocess.PIPE,
        text=True,
    )
    child = 0
    try:
        assert counter.stdout is not None
        child = int(counter.stdout.readline())
        assert _running(child)
        counter.kill()  # no shutdown, no atexit: only the worker's own watch can end it
        counter.wait()
        deadline = time.monotonic() + 10
        while _running(child) and time.monotonic() < deadline:
            time.sleep(0.05)
        assert not _running(child)
    finally:
        counter.kill()
        if child and _running(child):  # the worker left behind: end it here
            os.kill(child, signal.SIGKILL)
