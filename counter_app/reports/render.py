"""A report's pages drawn by PDFium (pypdfium2), and the one worker process reports are made
in, so the GUI's interpreter never holds its GIL for a report.

The worker is a ``ProcessPoolExecutor`` of one *spawned* process (a Qt process is never
forked), started on the first report and kept for the next ones, at a lower CPU priority
than the GUI; ``shutdown`` ends it with the application, and it ends by itself when the
application's process is gone. A worker that dies (killed, out of memory) fails the
report it was making with ``ReportWorkerLost``, and the next report starts a new one.
"""

from __future__ import annotations

import multiprocessing
import os
import threading
from collections.abc import Callable
from concurrent.futures import Future, ProcessPoolExecutor
from concurrent.futures.process import BrokenProcessPool
from dataclasses import dataclass
from typing import TypeVar

import pypdfium2 as pdfium

from counter_app.domain.errors import CounterError

T = TypeVar("T")
SCREEN_DPI = 96  # the pages as shown: Letter is 816 pixels wide
_PDFIUM = threading.Lock()  # PDFium is not thread-safe: one call at a time per process


@dataclass(frozen=True)
class Drawn:
    """A page drawn as 8-bit RGB, row after row, ``3 * width`` bytes to a row."""

    width: int
    height: int
    rgb: bytes


def _drawn(page: pdfium.PdfPage, dpi: int) -> Drawn:
    picture = page.render(scale=dpi / 72).to_pil().convert("RGB")
    width, height = picture.size
    return Drawn(width, height, picture.tobytes())


def draw_page(pdf: bytes, index: int, dpi: int = SCREEN_DPI) -> tuple[int, Drawn]:
    """The page count of ``pdf`` and its page ``index`` drawn at ``dpi``."""
    with _PDFIUM:
        document = pdfium.PdfDocument(pdf)
        try:
            page = document[index]
            try:
                return len(document), _drawn(page, dpi)
            finally:
                page.close()
        finally:
            document.close()


def draw_pages(pdf: bytes, dpi: int, each: Callable[[int, Drawn], None]) -> int:
    """Each page of ``pdf`` drawn at ``dpi``, handed to ``each`` (its index, the page) one at
    a time; the page count."""
    with _PDFIUM:
        document = pdfium.PdfDocument(pdf)
        try:
            for number, page in enumerate(document):
                drawn = _drawn(page, dpi)
                page.close()
                each(number, drawn)
            return len(document)
        finally:
            document.close()


def pdf_text(pdf: bytes) -> str:
    """The text of every page of ``pdf``, page after page."""
    with _PDFIUM:
        document = pdfium.PdfDocument(pdf)
        try:
            said = []
            for page in document:
                text = page.get_textpage()
                said.append(text.get_text_range())
                text.close()
                page.close()
            return "\n".join(said)
        finally:
            document.close()


WORKER_NICENESS = 10  # below the GUI: on a busy station the screen gets the CPU first


def _start_worker() -> None:
    """In the worker, as it starts: yield the CPU to the GUI's process (POSIX), and end when
    the GUI's process ends, however it ended (a crashed or killed parent leaves no one to
    shut the worker down, and its queue never closes)."""
    if hasattr(os, "nice"):
        os.nice(WORKER_NICENESS)

    def watch() -> None:
        parent = multiprocessing.parent_process()
        if parent is not None:
            parent.join()
            os._exit(0)

    threading.Thread(target=watch, name="report worker: parent watch", daemon=True).start()


class ReportWorkerLost(CounterError):
    """The worker process stopped before the report was made; the next one starts anew."""

    def __init__(self) -> None:
        super().__init__(
            "The report could not be made: its worker process stopped (ended from outside, "
            "or out of memory). Ask for the report again: a new worker makes it"
        )


class ReportWorker:
    """One spawned process that makes reports, started on first use (or ``warm``)."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._pool: ProcessPoolExecutor | None = None

    def _executor(self) -> ProcessPoolExecutor:
        with self._lock:
            if self._pool is None:
                self._pool = ProcessPoolExecutor(
                    max_workers=1,
                    mp_context=multiprocessing.get_context("spawn"),
                    initializer=_start_worker,
                )
            return self._pool

    def _lost(self, pool: ProcessPoolExecutor) -> None:
        with self._lock:
            if self._pool is pool:
                self._pool = None
        pool.shutdown(wait=False, cancel_futures=True)

    def run(self, fn: Callable[..., T], *args: object) -> T:
        """``fn(*args)`` in the worker process, waited on (call it off the GUI thread: the
        wait holds no lock the GUI needs). ``fn`` and its arguments and result are pickled."""
        pool = self._executor()
        try:
            return pool.submit(fn, *args).result()
        except BrokenProcessPool as exc:
            self._lost(pool)
            raise ReportWorkerLost() from exc

    def warm(self) -> Future[int]:
        """Start the process now, so the first report does not wait for it: returns at once,
        with the worker's process id to come."""
        return self._executor().submit(os.getpid)

    def pid(self) -> int:
        """The worker's process id (it is started if need be)."""
        return self.run(os.getpid)

    def shutdown(self) -> None:
        """End the worker (a report under way is waited for); the next report starts one."""
        with self._lock:
            pool, self._pool = self._pool, None
        if pool is not None:
            pool.shutdown(wait=True, cancel_futures=True)


REPORTS = ReportWorker()  # the process's one report worker
