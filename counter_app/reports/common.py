"""What every report shares: the Letter page with the office header and "Page N of M",
the styles, money cells, and the tables — a label/amount table and a grid that breaks across
pages with its header repeated.

A report module builds a list of flowables and hands it to ``render``; it never draws a
page itself. Figures are ``Money.format()`` strings right-aligned in Helvetica, whose digits
are all one width (tabular), so columns of amounts line up to the cent.
"""

from __future__ import annotations

import datetime as dt
import functools
import io
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any, Protocol
from zoneinfo import ZoneInfo

from reportlab.lib import colors
from reportlab.lib.pagesizes import letter
from reportlab.lib.rl_accel import fp_str
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import inch
from reportlab.pdfbase.pdfmetrics import stringWidth
from reportlab.pdfgen.canvas import Canvas
from reportlab.platypus import (
    BaseDocTemplate,
    Flowable,
    Frame,
    KeepTogether,
    PageTemplate,
    Paragraph,
    Spacer,
    Table,
    TableStyle,
)

from counter_app.domain.money import Money
from counter_app.domain.text import printable

PAGE_WIDTH, PAGE_HEIGHT = letter
MARGIN = 0.5 * inch
WIDTH = PAGE_WIDTH - 2 * MARGIN  # what a table may span
FONT, BOLD = "Helvetica", "Helvetica-Bold"
SIZE = 8.5
LEADING = SIZE * 1.2
PAD = 2.0  # cell padding, each side
HEADER_HEIGHT = 0.6 * inch
FOOTER_HEIGHT = 0.35 * inch
RULE = colors.HexColor("#4d4d4d")
SHADE = colors.HexColor("#eeeeee")

TITLE = ParagraphStyle("title", fontName=BOLD, fontSize=13, leading=16, spaceAfter=4)
HEADING = ParagraphStyle(
    "heading", fontName=BOLD, fontSize=10.5, leading=13, spaceBefore=10, spaceAfter=4
)
BODY = ParagraphStyle("body", fontName=FONT, fontSize=SIZE, leading=LEADING)
SMALL = ParagraphStyle("small", fontName=FONT, fontSize=7.5, leading=9, textColor=RULE)


@dataclass(frozen=True)
class Office:
    """What the header says about the office, and the zone its times are shown in."""

    name: str
    address: str
    phone: str
    zone: ZoneInfo


class _OfficeSettings(Protocol):
    name: str
    address: str
    phone: str


class _Settings(Protocol):
    @property
    def office(self) -> _OfficeSettings: ...

    @property
    def zone(self) -> ZoneInfo: ...


def office_of(settings: _Settings) -> Office:
    """The reports' header, from the office settings (``Settings``: reports read no config)."""
    o = settings.office
    return Office(o.name, o.address, o.phone, settings.zone)


def money(amount: Money) -> str:
    """A money cell: ``$1,200.00``, ``-$3.35``."""
    return amount.format()


def local(moment: dt.datetime, zone: ZoneInfo, *, date: bool = True) -> str:
    """``11/23/2026 10:05 AM`` in the office's zone (``date`` False: ``10:05 AM``)."""
    return moment.astimezone(zone).strftime("%m/%d/%Y %I:%M %p" if date else "%I:%M %p")


def day(business_date: dt.date) -> str:
    """``Monday 11/23/2026``."""
    return business_date.strftime("%A %m/%d/%Y")


def heading(text: str) -> Paragraph:
    return Paragraph(_escaped(text), HEADING)


def para(text: str, style: ParagraphStyle = BODY) -> Paragraph:
    return Paragraph(_escaped(text), style)


def _escaped(text: str) -> str:
    return printable(text).replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


# --- the page -------------------------------------------------------------------------------
class _NumberedCanvas(Canvas):
    """Holds each page back until the last one is known, then stamps "Page N of M"."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self._pages: list[dict[str, Any]] = []

    def showPage(self) -> None:
        self._pages.append(dict(self.__dict__))
        self._startPage()

    def save(self) -> None:
        count = len(self._pages)
        for page in self._pages:
            self.__dict__.update(page)
            self.setFont(FONT, 7.5)
            self.drawRightString(
                PAGE_WIDTH - MARGIN, MARGIN + 6, f"Page {self._pageNumber} of {count}"
            )
            super().showPage()
        super().save()


def _page_furniture(office: Office, title: str, subtitle: str, printed: str) -> Any:
    def draw(canvas: Canvas, _doc: BaseDocTemplate) -> None:
        canvas.saveState()
        top = PAGE_HEIGHT - MARGIN
        canvas.setFont(BOLD, 12)
        canvas.drawString(MARGIN, top - 12, printable(office.name))
        canvas.setFont(FONT, 8)
        canvas.drawString(MARGIN, top - 24, printable(f"{office.address}   {office.phone}"))
        canvas.setFont(BOLD, 12)
        canvas.drawRightString(PAGE_WIDTH - MARGIN, top - 12, printable(title))
        canvas.setFont(FONT, 9)
        canvas.drawRightString(PAGE_WIDTH - MARGIN, top - 24, printable(subtitle))
        canvas.setStrokeColor(RULE)
        canvas.setLineWidth(0.8)
        canvas.line(MARGIN, top - 32, PAGE_WIDTH - MARGIN, top - 32)
        canvas.setFont(FONT, 7.5)
        canvas.drawString(MARGIN, MARGIN + 6, printable(f"{title} · printed {printed}"))
        canvas.restoreState()

    return draw


def render(
    office: Office, title: str, subtitle: str, story: Sequence[Flowable], printed_at: dt.datetime
) -> bytes:
    """The report as PDF bytes: ``story`` on Letter pages under the office header."""
    out = io.BytesIO()
    doc = BaseDocTemplate(
        out,
        pagesize=letter,
        leftMargin=MARGIN,
        rightMargin=MARGIN,
        topMargin=MARGIN,
        bottomMargin=MARGIN,
        title=f"{title} — {subtitle}",
        author=office.name,
        pageCompression=1,
    )
    frame = Frame(
        MARGIN,
        MARGIN + FOOTER_HEIGHT,
        WIDTH,
        PAGE_HEIGHT - 2 * MARGIN - HEADER_HEIGHT - FOOTER_HEIGHT,
        leftPadding=0,
        rightPadding=0,
        topPadding=0,
        bottomPadding=0,
    )
    printed = printed_at.astimezone(office.zone).strftime("%m/%d/%Y %I:%M %p %Z")
    furniture = _page_furniture(office, title, subtitle, printed)
    doc.addPageTemplates([PageTemplate("page", [frame], onPage=furniture)])
    doc.build(list(story) or [Spacer(1, 1)], canvasmaker=_NumberedCanvas)
    return out.getvalue()


# --- cells ----------------------------------------------------------------------------------
@functools.lru_cache(maxsize=16384)
def width_of(text: str, font: str = FONT, size: float = SIZE) -> float:
    """The width of ``text`` in points (cached: a register repeats names, times, stations)."""
    return float(stringWidth(text, font, size))


def fit(text: str, width: float, font: str = FONT, size: float = SIZE) -> str:
    """``text`` wrapped to ``width`` points as lines joined by newlines (a table cell's own
    line breaks); a word longer than the width is broken. Nothing is dropped."""
    text = text if text.isprintable() else printable(text)  # isprintable: the fast check
    room = width - 2 * PAD
    if width_of(text, font, size) <= room:
        return text
    lines: list[str] = []
    line = ""
    for word in text.split():
        candidate = f"{line} {word}" if line else word
        if width_of(candidate, font, size) <= room:
            line = candidate
            continue
        if line:
            lines.append(line)
        while width_of(word, font, size) > room and len(word) > 1:
            cut = len(word) - 1
            while cut > 1 and width_of(word[:cut], font, size) > room:
                cut -= 1
            lines.append(word[:cut])
            word = word[cut:]
        line = word
    return "\n".join([*lines, line] if line else lines)


def _height(cells: Sequence[str]) -> float:
    lines = 1 + max(c.count("\n") for c in cells) if any("\n" in c for c in cells) else 1
    return lines * LEADING + 2 * PAD


def _style(right: Sequence[int], rows: int, header: bool, total: bool) -> TableStyle:
    commands: list[tuple[Any, ...]] = [
        ("FONT", (0, 0), (-1, -1), FONT, SIZE, LEADING),
        ("VALIGN", (0, 0), (-1, -1), "TOP"),
        ("LEFTPADDING", (0, 0), (-1, -1), PAD),
        ("RIGHTPADDING", (0, 0), (-1, -1), PAD),
        ("TOPPADDING", (0, 0), (-1, -1), PAD - 0.5),
        ("BOTTOMPADDING", (0, 0), (-1, -1), PAD + 0.5),
    ]
    commands += [("ALIGN", (c, 0), (c, -1), "RIGHT") for c in right]
    first = 1 if header else 0
    if header:
        commands += [
            ("FONT", (0, 0), (-1, 0), BOLD, SIZE, LEADING),
            ("LINEBELOW", (0, 0), (-1, 0), 0.8, RULE),
        ]
    if rows > first + 1:
        commands.append(("ROWBACKGROUNDS", (0, first), (-1, rows - 1 - int(total)), [None, SHADE]))
    if total:
        commands += [
            ("FONT", (0, -1), (-1, -1), BOLD, SIZE, LEADING),
            ("LINEABOVE", (0, -1), (-1, -1), 0.8, RULE),
        ]
    return TableStyle(commands)


class Grid(Flowable):
    """A table of rows under a header row, with an optional bold total row at its end.

    It breaks across pages cheaply — each row's height is worked out once from its wrapped
    cells, so a page's share is found by adding heights, not by laying the table out again
    (reportlab's own split re-measures every remaining row at each page: minutes for a
    5,000-receipt register) — and the header row is repeated on every page."""

    def __init__(
        self,
        header: Sequence[str],
        rows: Sequence[Sequence[str]],
        widths: Sequence[float],
        *,
        right: Sequence[int] = (),
        total: Sequence[str] | None = None,
        _heights: Sequence[float] | None = None,
        _shown: dict[tuple[str, str], str] | None = None,
    ) -> None:
        super().__init__()
        # each text's PDF operators as first formatted, shared by the parts of a split grid
        self.shown: dict[tuple[str, str], str] = {} if _shown is None else _shown
        self.widths, self.right = list(widths), tuple(right)
        if _heights is not None:  # a part of a split grid: cells fitted, heights known
            self.header, self.rows, self.total = list(header), list(rows), total
        else:
            self.header = [fit(h, w, BOLD) for h, w in zip(header, widths, strict=True)]
            self.rows = [[fit(c, w) for c, w in zip(row, widths, strict=True)] for row in rows]
            self.total = (
                [fit(c, w, BOLD) for c, w in zip(total, widths, strict=True)] if total else None
            )
        self.heights = list(_heights) if _heights is not None else [_height(r) for r in self.rows]
        self.header_height = _height(self.header)
        self.total_height = _height(self.total) if self.total else 0.0

    def wrap(self, available_width: float, available_height: float) -> tuple[float, float]:
        self.width = sum(self.widths)
        self.height = self.header_height + sum(self.heights) + self.total_height
        return self.width, self.height

    def split(self, available_width: float, available_height: float) -> list[Flowable]:
        room = available_height - self.header_height
        taken = 0
        for height in self.heights:
            if room < height:
                break
            room -= height
            taken += 1
        if taken == len(self.rows):  # all rows fit but not the total: keep one row for it
            taken -= 1
        if taken < 1:
            return []
        head = Grid(
            self.header,
            self.rows[:taken],
            self.widths,
            right=self.right,
            _heights=self.heights[:taken],
            _shown=self.shown,
        )
        rest = Grid(
            self.header,
            self.rows[taken:],
            self.widths,
            right=self.right,
            total=self.total,
            _heights=self.heights[taken:],
            _shown=self.shown,
        )
        return [head, rest]

    def draw(self) -> None:
        """Straight onto the canvas, one text object for the whole page's share (a
        reportlab ``Table`` costs several times more per cell)."""
        canvas = self.canv
        rows: list[tuple[Sequence[str], float, str]] = [(self.header, self.header_height, BOLD)]
        rows += [(r, h, FONT) for r, h in zip(self.rows, self.heights, strict=True)]
        if self.total:
            rows.append((self.total, self.total_height, BOLD))
        lefts = [sum(self.widths[:i]) for i in range(len(self.widths))]
        y = self.height
        canvas.setFillColor(SHADE)
        for n, (_cells, height, _font) in enumerate(rows):
            if n % 2 == 0 and 0 < n < len(self.rows) + 1:  # every other body row shaded
                canvas.rect(0, y - height, self.width, height, 0, 1)
            y -= height
        y = self.height
        canvas.setFillColor(colors.black)
        text = canvas.beginText()
        code, shown, right = text._code, self.shown, set(self.right)
        at_left = [fp_str(left + PAD) for left in lefts]  # a left-aligned column's x
        font_now = ""
        for n, (cells, height, font) in enumerate(rows):
            if font != font_now:  # the font is set where it changes, not on every row
                text.setFont(font, SIZE, LEADING)
                font_now = font
            first = fp_str(y - PAD - SIZE + 0.5)  # the baseline of a row's first line
            for i, cell in enumerate(cells):
                for k, line in enumerate(cell.split("\n") if "\n" in cell else (cell,)):
                    if not line:
                        continue
                    base = fp_str(y - PAD - SIZE - k * LEADING + 0.5) if k else first
                    if i in right:
                        x = fp_str(lefts[i] + self.widths[i] - PAD - width_of(line, font))
                    else:
                        x = at_left[i]
                    # the text origin's operator as ``setTextOrigin`` writes it (a canvas
                    # drawn bottom-up), without its bookkeeping of a cursor no one uses
                    code.append(f"1 0 0 1 {x} {base} Tm")
                    # a register repeats names, times and stations: each formatted once
                    # (textOut would also measure it again, to move a cursor no one uses)
                    ops = shown.get((line, font))
                    if ops is None:
                        ops = shown[line, font] = text._formatText(line)
                    code.append(ops)
            y -= height
            if n == 0 or (self.total and n == len(rows) - 2):
                canvas.setStrokeColor(RULE)
                canvas.setLineWidth(0.8)
                canvas.line(0, y, self.width, y)
        canvas.drawText(text)


def amounts(
    rows: Sequence[tuple[str, Money | str]],
    *,
    widths: tuple[float, float] = (3.2 * inch, 1.3 * inch),
    bold: Sequence[int] = (),
    rules: Sequence[int] = (),
) -> Table:
    """A label / amount table kept on one page: ``bold`` rows (negative: from the end) in
    bold, a rule above each of ``rules``."""
    data = [
        [fit(label, widths[0]), money(v) if isinstance(v, Money) else fit(v, widths[1])]
        for label, v in rows
    ]
    table = Table(data, colWidths=list(widths), hAlign="LEFT")
    style = _style((1,), len(data), header=False, total=False)
    for r in bold:
        style.add("FONT", (0, r), (-1, r), BOLD, SIZE, LEADING)
    for r in rules:
        style.add("LINEABOVE", (0, r), (-1, r), 0.8, RULE)
    table.setStyle(style)
    return table


def facts(
    rows: Sequence[tuple[str, str]], widths: tuple[float, float] = (1.4 * inch, 3.0 * inch)
) -> Table:
    """A label / value table of words (who, where, when), both columns left-aligned."""
    table = Table(
        [[fit(k, widths[0]), fit(v, widths[1])] for k, v in rows],
        colWidths=list(widths),
        hAlign="LEFT",
    )
    style = _style((), len(rows), header=False, total=False)
    style.add("FONT", (0, 0), (0, -1), BOLD, SIZE, LEADING)
    table.setStyle(style)
    return table


def signatures(*roles: str) -> KeepTogether:
    """A signature line and date for each of ``roles`` (cashier, verifier, supervisor)."""
    line = "_" * 44
    data = [[f"{role}", line, "Date", "_" * 16] for role in roles]
    table = Table(
        data,
        colWidths=[1.2 * inch, 3.6 * inch, 0.5 * inch, 1.6 * inch],
        rowHeights=[0.45 * inch] * len(data),
        hAlign="LEFT",
    )
    table.setStyle(
        TableStyle(
            [
                ("FONT", (0, 0), (-1, -1), FONT, 9),
                ("VALIGN", (0, 0), (-1, -1), "BOTTOM"),
                ("FONT", (0, 0), (0, -1), BOLD, 9),
            ]
        )
    )
    return KeepTogether([heading("Signatures"), table])


def spacer(points: float = 6) -> Spacer:
    return Spacer(1, points)
