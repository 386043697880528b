"""The simulator's PNG: the paper is N font-A characters wide; font B is narrower; text wider
than the paper continues on the next row, as on a printer."""

from __future__ import annotations

from PIL import Image as PILImage
from PIL import ImageOps

from drivers.sim.escpos_decoder import TextLine
from drivers.sim.job import Job
from drivers.sim.render import CELLS, MARGIN, render_job


def _render(*lines: TextLine, columns: int = 42) -> PILImage.Image:
    return render_job(Job(1, lines, 0.0, 0.0), columns)


def _ink_right_edge(image: PILImage.Image) -> int:
    box = ImageOps.invert(image.convert("L")).point(lambda v: 255 if v > 128 else 0).getbbox()
    assert box is not None
    return box[2]


def test_a_full_font_a_line_reaches_the_right_margin() -> None:
    image = _render(TextLine("X" * 42))
    assert image.width - MARGIN - CELLS[0][0] < _ink_right_edge(image) <= image.width - MARGIN


def test_font_b_cells_are_narrower_so_48_font_b_characters_stop_short_of_the_edge() -> None:
    image = _render(TextLine("X" * 48, font=1))
    assert _ink_right_edge(image) < MARGIN + 48 * CELLS[1][0] + 2
    assert _ink_right_edge(image) < image.width - MARGIN - 5 * CELLS[1][0]


def test_text_wider_than_the_paper_continues_on_the_next_row() -> None:
    one_row = _render(TextLine("X" * 42))
    wrapped = _render(TextLine("X" * 43))
    assert wrapped.height == one_row.height + CELLS[0][1] + 2
    assert _render(TextLine("X" * 56, font=1)).height < wrapped.height
