"""Looking at a report's pages: page 1 as a PNG (for docs/reports), and every word's box,
to prove nothing runs off the page."""

from __future__ import annotations

import re
import shutil
import subprocess
from pathlib import Path

import pytest

from counter_app.reports.common import MARGIN, PAGE_HEIGHT, PAGE_WIDTH
from tests.helpers import screenshot_dir

WORD = re.compile(r'<word xMin="([\d.]+)" yMin="([\d.]+)" xMax="([\d.]+)" yMax="([\d.]+)">')


def _tool(name: str) -> str:
    found = shutil.which(name)
    if found is None:
        pytest.fail(f"{name} is missing: install poppler-utils (make test does)")
    return found


def words_off_the_page(pdf: Path) -> list[str]:
    """Every word whose box is not inside the page's margins (a point of slack)."""
    html = subprocess.run(
        [_tool("pdftotext"), "-bbox", str(pdf), "-"], check=True, capture_output=True, text=True
    ).stdout
    low, high_x, high_y = MARGIN - 1, PAGE_WIDTH - MARGIN + 1, PAGE_HEIGHT - MARGIN + 1
    return [
        m.group(0)
        for m in WORD.finditer(html)
        if not (
            low <= float(m.group(1))
            and float(m.group(3)) <= high_x
            and low <= float(m.group(2))
            and float(m.group(4)) <= high_y
        )
    ]


def page_one_png(pdf: Path, name: str) -> Path:
    """Page 1 at 80 dpi as ``NAME.png`` in the screenshot folder (``COUNTER_SCREENSHOTS``)."""
    folder = screenshot_dir()
    folder.mkdir(parents=True, exist_ok=True)
    stem = folder / name
    subprocess.run(
        [
            _tool("pdftoppm"),
            "-png",
            "-r",
            "80",
            "-f",
            "1",
            "-l",
            "1",
            "-singlefile",
            str(pdf),
            str(stem),
        ],
        check=True,
    )
    return stem.with_suffix(".png")
