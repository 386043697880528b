"""Python's cycle collector runs on the GUI thread only.

An automatic collection starts on whichever thread allocates past the threshold. Started on a
pool thread, it may find a closed dialog's reference cycle and destroy its Qt objects there,
off the GUI thread: a segmentation fault, or a destructor waiting on a thread that waits for
the pool thread (CI saw both). So, as Anki does, automatic collection is off and the GUI
thread collects on a timer, by the interpreter's own thresholds: the same collections, only
never on another thread.
"""

from __future__ import annotations

import gc

from PySide6.QtCore import QCoreApplication, QObject, QTimer

INTERVAL_MS = 250  # how often the GUI thread looks whether a collection is due


def collect_if_due() -> int | None:
    """The collection the interpreter would have made by now, made on this thread: the
    generation collected, or None when none was due."""
    young, middle, old = gc.get_threshold()
    allocated, young_runs, middle_runs = gc.get_count()
    if allocated < young:
        return None
    if young_runs >= middle and middle_runs >= old:
        generation = 2
    elif young_runs >= middle:
        generation = 1
    else:
        generation = 0
    gc.collect(generation)
    return generation


class GuiThreadCollector(QObject):
    """Turns automatic collection off and collects on the GUI thread's timer instead."""

    def __init__(self, parent: QObject, interval_ms: int = INTERVAL_MS) -> None:
        super().__init__(parent)
        gc.disable()
        self.timer = QTimer(self)
        self.timer.setInterval(interval_ms)
        self.timer.timeout.connect(collect_if_due)
        self.timer.start()


def collect_on_gui_thread(app: QCoreApplication) -> GuiThreadCollector:
    """The application's collector, made the first time it is asked for."""
    found = app.findChild(GuiThreadCollector)
    return found if isinstance(found, GuiThreadCollector) else GuiThreadCollector(app)
