"""Draw ``receipt_logo.png``: a 1-bit 288×80 logo (water drop, waves, "CITY UTILITIES").

Run ``python resources/make_receipt_logo.py`` to redraw it; the PNG is committed.
"""

from __future__ import annotations

from pathlib import Path

from PIL import Image, ImageDraw, ImageFont

FONT = "/usr/share/fonts/truetype/dejavu/DejaVuSans-Bold.ttf"


def draw_logo() -> Image.Image:
    img = Image.new("1", (288, 80), 1)
    draw = ImageDraw.Draw(img)
    # water drop: a circle with a point on top
    draw.ellipse((14, 28, 58, 72), fill=0)
    draw.polygon([(36, 4), (16, 42), (56, 42)], fill=0)
    draw.arc((24, 40, 44, 64), 110, 200, fill=1, width=4)  # highlight
    # waves under the words
    for x in range(72, 284, 24):
        draw.arc((x, 58, x + 24, 74), 180, 360, fill=0, width=3)
    font = ImageFont.truetype(FONT, 26)
    draw.text((74, 4), "CITY", font=font, fill=0)
    draw.text((74, 30), "UTILITIES", font=font, fill=0)
    return img


if __name__ == "__main__":
    draw_logo().save(Path(__file__).with_name("receipt_logo.png"))
