"""GUI fixtures: wait for the thread pool at teardown.

``tests.helpers.screenshot()`` writes into a temporary folder, so ``make test`` leaves the
tree clean. To regenerate the README's pictures: ``COUNTER_SCREENSHOTS=docs/screenshots make
test``.
"""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from PySide6.QtCore import QThreadPool
from PySide6.QtWidgets import QApplication

from counter_app.ui.application import apply_style


@pytest.fixture
def styled(qapp: QApplication) -> None:
    """The counter's font and style sheet, as ``counter-app run`` applies them (for the
    screens whose tests look at their layout)."""
    apply_style(qapp)


@pytest.fixture(autouse=True)
def wait_for_pool() -> Iterator[None]:
    yield
    QThreadPool.globalInstance().waitForDone(10_000)


# The station on the printer and drawer simulators, as the end-to-end tests have it (the
# close-drawer tests read the Z tape the simulator printed).
from tests.e2e.conftest import (  # noqa: E402, F401
    drawer_sim,
    gui_thread_collector,
    printer_sim,
    station,
)
