"""GUI fixtures: wait for the thread pool at teardown; screenshots on request.

``screenshot()`` writes into a temporary folder, so ``make test`` leaves the tree clean. To
regenerate the README's pictures: ``COUNTER_SCREENSHOTS=docs/screenshots make test``.
"""

from __future__ import annotations

import os
import tempfile
from collections.abc import Iterator
from pathlib import Path

import pytest
from PySide6.QtCore import QThreadPool
from PySide6.QtWidgets import QWidget

ROOT = Path(__file__).resolve().parents[2]
# read at import: the autouse settings fixture removes COUNTER_* from each test's environment
TARGET = os.environ.get("COUNTER_SCREENSHOTS", "")


@pytest.fixture(autouse=True)
def wait_for_pool() -> Iterator[None]:
    yield
    QThreadPool.globalInstance().waitForDone(10_000)


def screenshot_dir() -> Path:
    """Where screenshots go: ``$COUNTER_SCREENSHOTS`` (relative to the project), else tmp."""
    if TARGET:
        return ROOT / TARGET
    return Path(tempfile.gettempdir()) / "counter-screenshots"


def screenshot(widget: QWidget, name: str, dialect: str) -> Path | None:
    """Save what the user sees (once, from the SQLite run); returns the file."""
    if dialect != "sqlite":
        return None
    folder = screenshot_dir()
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / f"{name}.png"
    assert widget.grab().save(str(path)), path
    return path
