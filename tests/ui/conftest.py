"""GUI fixtures: wait for the thread pool at teardown; save screenshots from SQLite runs."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from PySide6.QtCore import QThreadPool
from PySide6.QtWidgets import QWidget

SCREENSHOTS = Path(__file__).resolve().parents[2] / "docs" / "screenshots"


@pytest.fixture(autouse=True)
def wait_for_pool() -> Iterator[None]:
    yield
    QThreadPool.globalInstance().waitForDone(10_000)


def screenshot(widget: QWidget, name: str, dialect: str) -> None:
    """Save what the user sees (once, from the SQLite run) for the README."""
    if dialect == "sqlite":
        SCREENSHOTS.mkdir(parents=True, exist_ok=True)
        widget.grab().save(str(SCREENSHOTS / f"{name}.png"))
