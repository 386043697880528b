"""Python's cycle collector never starts on a pool thread: a cycle holding Qt objects that
is collected there is destroyed off the GUI thread (a crash or a wait on itself)."""

from __future__ import annotations

import gc
import threading
from collections.abc import Iterator

import pytest
from PySide6.QtCore import QObject
from PySide6.QtWidgets import QApplication
from pytestqt.qtbot import QtBot

from counter_app.ui.collector import GuiThreadCollector, collect_if_due, collect_on_gui_thread
from counter_app.ui.operations import ReadOp
from tests.helpers import WAIT
from tests.ui.test_operations import Held


@pytest.fixture
def automatic_collection() -> Iterator[None]:
    """The interpreter's default, as a program that installed no collector has it."""
    gc.enable()
    yield
    gc.disable()


def _cycle_then_garbage(released: list[str]) -> list[list[object]]:
    """On a pool thread: a reference cycle holding ``Held``, dropped, then enough new
    objects (kept: the result) for the interpreter to want a collection."""
    cycle: list[object] = [Held(released)]
    cycle.append(cycle)
    del cycle
    return [[] for _ in range(20 * gc.get_threshold()[0])]


def test_a_cycle_dropped_on_a_pool_thread_is_collected_on_the_gui_thread(
    qtbot: QtBot, automatic_collection: None
) -> None:
    owner = QObject()
    GuiThreadCollector(owner)
    assert not gc.isenabled()
    released: list[str] = []
    kept: list[list[list[object]]] = []
    ReadOp(owner, lambda: _cycle_then_garbage(released)).success(kept.append).run_in_background()
    qtbot.waitUntil(lambda: bool(released), timeout=WAIT)
    assert released == [threading.main_thread().name]


def test_the_application_has_one_collector_however_often_it_is_asked(qapp: QApplication) -> None:
    first = collect_on_gui_thread(qapp)
    assert collect_on_gui_thread(qapp) is first
    assert len(qapp.findChildren(GuiThreadCollector)) == 1


def test_a_collection_is_due_by_the_interpreters_own_thresholds() -> None:
    gc.collect()
    assert collect_if_due() is None  # nothing allocated since
    young = gc.get_threshold()[0]
    kept = [[] for _ in range(young + 10)]
    assert collect_if_due() == 0
    assert len(kept) == young + 10
