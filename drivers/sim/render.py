"""Render a decoded job as a PNG that looks like the thermal paper, plus a text transcript."""

from __future__ import annotations

import hashlib
from pathlib import Path

from PIL import Image as PILImage
from PIL import ImageDraw, ImageFont

from drivers.sim.escpos_decoder import Barcode, Cut, Image, QrCode, TextLine
from drivers.sim.job import Job

FONT_DIR = Path("/usr/share/fonts/truetype/dejavu")
FONT_SIZE = 20
CELL_W = 12  # DejaVu Sans Mono advance at 20 px
LINE_H = 26
MARGIN = 18
PAPER = (252, 252, 248)
INK = (20, 20, 20)


def _font(bold: bool, size: int) -> ImageFont.FreeTypeFont | ImageFont.ImageFont:
    name = "DejaVuSansMono-Bold.ttf" if bold else "DejaVuSansMono.ttf"
    try:
        return ImageFont.truetype(str(FONT_DIR / name), size)
    except OSError:  # no DejaVu here: Pillow's own font still shows the text
        return ImageFont.load_default(size)


def _text_tile(line: TextLine) -> PILImage.Image:
    """The line drawn at its character size (width × height multipliers)."""
    font = _font(line.bold, FONT_SIZE * line.height)
    tile_w = max(1, CELL_W * line.height * len(line.text))
    tile = PILImage.new("RGB", (tile_w, LINE_H * line.height), PAPER)
    ImageDraw.Draw(tile).text((0, 2), line.text, font=font, fill=INK)
    target_w = max(1, CELL_W * line.width * len(line.text))
    return tile.resize((target_w, tile.height)) if target_w != tile_w else tile


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
    for y in range(image.height):
        for x in range(image.width):
            if image.dot(x, y):
                pixels[x, y] = INK
    return out


def render_job(job: Job, columns: int = 48) -> PILImage.Image:
    """The job as it would come out of the printer, ``columns`` characters wide."""
    width = columns * CELL_W + 2 * MARGIN
    label_font = _font(False, 16)
    blocks: list[tuple[PILImage.Image, str]] = []  # (picture, alignment)
    for event in job.events:
        if isinstance(event, TextLine):
            blocks.append((_text_tile(event), event.align))
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


def save_job(job: Job, out_dir: Path, columns: int = 48) -> tuple[Path, Path]:
    """Write ``job-NNNN.txt`` and ``job-NNNN.png`` into ``out_dir``; return both paths."""
    out_dir.mkdir(parents=True, exist_ok=True)
    stem = out_dir / f"job-{job.number:04d}"
    text_path, png_path = stem.with_suffix(".txt"), stem.with_suffix(".png")
    text_path.write_text(job.to_text(), encoding="utf-8")
    render_job(job, columns).save(png_path)
    return text_path, png_path
