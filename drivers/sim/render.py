"""Render a decoded job as a PNG that looks like the thermal paper, plus a text transcript."""

from __future__ import annotations

import hashlib
import re
from pathlib import Path

from PIL import Image as PILImage
from PIL import ImageDraw, ImageFont

from drivers.sim.escpos_decoder import Barcode, Cut, Image, QrCode, TextLine
from drivers.sim.job import Job

FONT_DIR = Path("/usr/share/fonts/truetype/dejavu")
# font A and font B cells (Epson: 12 x 24 and 9 x 17 dots), as (width, line height, glyph px)
CELLS = {0: (12, 26, 20), 1: (9, 19, 15)}
CELL_W = CELLS[0][0]  # the paper is ``columns`` font-A cells wide
MARGIN = 18
PAPER = (252, 252, 248)
INK = (20, 20, 20)


def _font(bold: bool, size: int) -> ImageFont.FreeTypeFont | ImageFont.ImageFont:
    name = "DejaVuSansMono-Bold.ttf" if bold else "DejaVuSansMono.ttf"
    try:
        return ImageFont.truetype(str(FONT_DIR / name), size)
    except OSError:  # no DejaVu here: Pillow's own font still shows the text
        return ImageFont.load_default(size)


def _text_tiles(line: TextLine, paper_w: int) -> list[PILImage.Image]:
    """The line drawn in its font at its character size, one tile per printed row: text wider
    than the paper continues on the next row, as a printer does."""
    cell_w, line_h, glyph = CELLS[line.font & 1]
    font = _font(line.bold, glyph * line.height)
    per_row = max(1, paper_w // (cell_w * line.width))
    rows = [line.text[i : i + per_row] for i in range(0, len(line.text), per_row)] or [""]
    tiles = []
    for row in rows:
        # each character in its own cell: no drift from the font's advance
        draw_w = cell_w * line.height
        tile = PILImage.new("RGB", (max(1, draw_w * len(row)), line_h * line.height), PAPER)
        draw = ImageDraw.Draw(tile)
        for i, char in enumerate(row):
            draw.text((i * draw_w, 2), char, font=font, fill=INK)
        target_w = max(1, cell_w * line.width * len(row))
        tiles.append(tile.resize((target_w, tile.height)) if target_w != tile.width else tile)
    return tiles


def _bars(content: str, height: int) -> PILImage.Image:
    """A barcode-looking strip (a picture of the code, not a scannable one)."""
    digest = hashlib.sha256(content.encode()).digest()
    modules = [1, 1, 0, 1, 0, 0]  # start pattern
    for byte in digest[: max(8, len(content))]:
        modules += [(byte >> bit) & 1 for bit in range(7)] + [0]
    modules += [1, 1, 0, 0, 1, 1, 1, 0, 1, 1]
    strip = PILImage.new("RGB", (len(modules) * 2, height), PAPER)
    draw = ImageDraw.Draw(strip)
    for i, on in enumerate(modules):
        if on:
            draw.rectangle((i * 2, 0, i * 2 + 1, height - 1), fill=INK)
    return strip


def _qr(content: str) -> PILImage.Image:
    size, cell = 25, 6
    bits = "".join(f"{b:08b}" for b in hashlib.sha256(content.encode()).digest() * 3)
    img = PILImage.new("RGB", (size * cell, size * cell), PAPER)
    draw = ImageDraw.Draw(img)
    finders = ((0, 0), (size - 7, 0), (0, size - 7))
    for y in range(size):
        for x in range(size):
            ring = next(
                (
                    max(abs(x - ox - 3), abs(y - oy - 3))
                    for ox, oy in finders
                    if ox <= x < ox + 7 and oy <= y < oy + 7
                ),
                None,
            )
            on = ring != 2 if ring is not None else bits[y * size + x] == "1"
            if on:
                draw.rectangle((x * cell, y * cell, x * cell + cell - 1, y * cell + cell - 1), INK)
    return img


def _raster(image: Image) -> PILImage.Image:
    """The dots as printed: ink where a bit is set, paper elsewhere."""
    out = PILImage.new("RGB", (image.width, image.height), PAPER)
    pixels = out.load()
    assert pixels is not None  # a new in-memory image always loads
    for y in range(image.height):
        for x in range(image.width):
            if image.dot(x, y):
                pixels[x, y] = INK
    return out


def render_job(job: Job, columns: int = 42) -> PILImage.Image:
    """The job as it would come out of a printer whose paper is ``columns`` font-A characters
    wide (42: 80 mm on a TM-T88V; 48: a TM-T20II; 32: 58 mm)."""
    width = columns * CELL_W + 2 * MARGIN
    label_font = _font(False, 16)
    blocks: list[tuple[PILImage.Image, str]] = []  # (picture, alignment)
    for event in job.events:
        if isinstance(event, TextLine):
            blocks += [(tile, event.align) for tile in _text_tiles(event, width - 2 * MARGIN)]
        elif isinstance(event, Image):
            blocks.append((_raster(event), "center"))
        elif isinstance(event, Barcode | QrCode):
            art = _bars(event.content, 70) if isinstance(event, Barcode) else _qr(event.content)
            label = PILImage.new("RGB", (art.width + 120, 24), PAPER)
            ImageDraw.Draw(label).text(
                (label.width // 2, 2), event.content, font=label_font, fill=INK, anchor="ma"
            )
            blocks += [(art, "center"), (label, "center")]
        elif isinstance(event, Cut):
            blocks.append((_cut_line(width), "left"))
    height = MARGIN + sum(img.height + 2 for img, _ in blocks) + MARGIN
    paper = PILImage.new("RGB", (width, height), PAPER)
    y = MARGIN
    for img, align in blocks:
        x = MARGIN
        if align == "center":
            x = (width - img.width) // 2
        elif align == "right":
            x = width - MARGIN - img.width
        paper.paste(img, (max(0, x), y))
        y += img.height + 2
    return paper


def _cut_line(width: int) -> PILImage.Image:
    img = PILImage.new("RGB", (width, 20), PAPER)
    draw = ImageDraw.Draw(img)
    for x in range(0, width, 12):
        draw.line((x, 10, x + 6, 10), fill=(120, 120, 120), width=2)
    draw.text((4, 0), "✂", font=_font(False, 16), fill=(120, 120, 120))
    return img


JOB_FILE = re.compile(r"job-(\d+)\.(?:txt|png)")


def last_job_number(out_dir: Path | None) -> int:
    """The highest job number already written into ``out_dir`` (0 if none): a restarted
    simulator numbers its jobs after it instead of overwriting the earlier pictures."""
    if out_dir is None or not out_dir.is_dir():
        return 0
    found = (JOB_FILE.fullmatch(p.name) for p in out_dir.iterdir())
    return max((int(m[1]) for m in found if m), default=0)


def _job_number(path: Path) -> int:
    match = JOB_FILE.fullmatch(path.name)
    return int(match[1]) if match else -1


def save_job(job: Job, out_dir: Path, columns: int = 42) -> list[Path]:
    """Write ``job-NNNN.txt`` and, when something was printed, ``job-NNNN.png`` into
    ``out_dir``; return the paths written."""
    out_dir.mkdir(parents=True, exist_ok=True)
    stem = out_dir / f"job-{job.number:04d}"
    text_path, png_path = stem.with_suffix(".txt"), stem.with_suffix(".png")
    text_path.write_text(job.to_text(), encoding="utf-8")
    if not job.printed:
        return [text_path]
    render_job(job, columns).save(png_path)
    return [text_path, png_path]


def find_job_picture(out_dir: Path, text: str, newest: int = 10) -> Path | None:
    """The PNG of the newest job (of the last ``newest`` in ``out_dir``) whose text holds
    ``text``, such as a receipt number; None until the simulator has written it."""
    jobs = sorted(out_dir.glob("job-*.txt"), key=_job_number, reverse=True)[:newest]
    for text_path in jobs:
        try:
            if text not in text_path.read_text(encoding="utf-8"):
                continue
        except OSError:  # being written: look again later
            return None
        png = text_path.with_suffix(".png")
        return png if png.exists() else None
    return None
