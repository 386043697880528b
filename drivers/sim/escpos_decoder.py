"""Decode an ESC/POS byte stream into what a printer would do: lines, codes, images, cuts.

``EscPosDecoder.feed(data)`` takes bytes as they arrive (commands may be split across reads)
and returns the completed events. It honours ESC t code page selection with its own table of
Epson code page numbers, so accented text decodes as the printer would print it, and it tracks
bold / size / alignment / font so each ``TextLine`` says how it looked.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field

ESC, GS, DLE, FS = 0x1B, 0x1D, 0x10, 0x1C
LF, CR, HT = 0x0A, 0x0D, 0x09

# Epson ESC t n code page numbers → Python codecs (the printer's tables, not the library's).
CODE_PAGES: dict[int, str] = {
    0: "cp437",
    2: "cp850",
    3: "cp860",
    4: "cp863",
    5: "cp865",
    13: "cp857",
    14: "cp737",
    15: "iso8859_7",
    16: "cp1252",
    17: "cp866",
    18: "cp852",
    19: "cp858",
    32: "cp720",
    33: "cp775",
    34: "cp855",
    35: "cp861",
    36: "cp862",
    37: "cp864",
    38: "cp869",
    39: "iso8859_2",
    40: "iso8859_15",
    45: "cp1250",
    46: "cp1251",
    47: "cp1253",
    48: "cp1254",
    49: "cp1255",
    50: "cp1256",
    51: "cp1257",
    52: "cp1258",
}
_ALIGN = {0: "left", 1: "center", 2: "right", 48: "left", 49: "center", 50: "right"}
# Fixed argument counts of the commands that only change state (or are ignored).
_ESC_ARGS = {
    ord(c): n
    for c, n in {
        "@": 0, "2": 0, "<": 0, "t": 1, "!": 1, "E": 1, "-": 1, "a": 1, "M": 1, "G": 1,
        "{": 1, "V": 1, "3": 1, "d": 1, "J": 1, "R": 1, " ": 1, "r": 1, "U": 1, "=": 1,
        "e": 1, "c": 2, "$": 2, "\\": 2, "p": 3, "B": 2,
    }.items()
}  # fmt: skip
_GS_ARGS = {
    ord(c): n
    for c, n in {
        "!": 1, "B": 1, "b": 1, "H": 1, "f": 1, "h": 1, "w": 1, "a": 1, "I": 1, "r": 1,
        "L": 2, "W": 2, "P": 2, "$": 2, "\\": 2,
    }.items()
}  # fmt: skip
_FS_ARGS = {ord("."): 0, ord("&"): 0, ord("C"): 1, ord("!"): 1, ord("p"): 2}
_BARCODE_A = {0: "UPC-A", 1: "UPC-E", 2: "EAN13", 3: "EAN8", 4: "CODE39", 5: "ITF", 6: "NW7"}
_BARCODE_B = {
    65: "UPC-A", 66: "UPC-E", 67: "EAN13", 68: "EAN8", 69: "CODE39", 70: "ITF", 71: "NW7",
    72: "CODE93", 73: "CODE128", 74: "GS1-128",
}  # fmt: skip


# --- events ---------------------------------------------------------------------------------
@dataclass(frozen=True)
class TextLine:
    """One printed line of text and how it looked."""

    text: str
    align: str = "left"
    bold: bool = False
    width: int = 1  # character width multiplier
    height: int = 1  # character height multiplier
    font: int = 0
    code_pages: tuple[int, ...] = ()  # ESC t pages in force while the line was printed


@dataclass(frozen=True)
class Barcode:
    symbology: str
    content: str  # as a scanner reads it (CODE128 code-set prefixes removed)


@dataclass(frozen=True)
class QrCode:
    content: str


@dataclass(frozen=True)
class Image:
    """A GS v 0 raster image: ``width`` × ``height`` dots, rows of ``width // 8`` bytes."""

    width: int
    height: int
    data: bytes = field(repr=False)

    def dot(self, x: int, y: int) -> bool:
        row = self.width // 8
        return bool(self.data[y * row + x // 8] & (0x80 >> (x % 8)))


@dataclass(frozen=True)
class Cut:
    partial: bool


@dataclass(frozen=True)
class DrawerPulse:
    pin: int  # 2 or 5
    on_ms: int
    off_ms: int


@dataclass(frozen=True)
class StatusQuery:
    """DLE EOT n: the printer must answer one status byte now."""

    n: int


@dataclass(frozen=True)
class Unknown:
    command: bytes


Event = TextLine | Barcode | QrCode | Image | Cut | DrawerPulse | StatusQuery | Unknown
PRINTED = (TextLine, Barcode, QrCode, Image, Cut)


def decode_code128(data: bytes) -> str:
    """What a scanner reads from ESC/POS CODE128 data with ``{A`` / ``{B`` / ``{C`` sets."""
    out: list[str] = []
    code_set = "B"
    i = 0
    while i < len(data):
        byte = data[i]
        if byte == ord("{") and i + 1 < len(data):
            nxt = chr(data[i + 1])
            if nxt in "ABC":
                code_set = nxt
                i += 2
                continue
            if nxt == "{":
                out.append("{")
                i += 2
                continue
            i += 2  # FNC1..4 / shift: not content
            continue
        out.append(f"{byte:02d}" if code_set == "C" else chr(byte))
        i += 1
    return "".join(out)


class _Incomplete(Exception):
    """The buffer ends inside a command; wait for more bytes."""


class EscPosDecoder:
    """Incremental ESC/POS decoder; one per connection."""

    def __init__(self) -> None:
        self._buf = bytearray()
        self._reset()

    def _reset(self) -> None:
        self.code_page = 0
        self._bold = False
        self._width = 1
        self._height = 1
        self._align = "left"
        self._font = 0
        self._qr_data = b""
        self._line: list[str] = []
        self._line_style: tuple[str, bool, int, int, int] | None = None
        self._line_pages: set[int] = set()
        self._tables: dict[int, list[str]] = {}

    # --- public -----------------------------------------------------------------------------
    def feed(self, data: bytes) -> list[Event]:
        """Decode ``data`` (appended to any unfinished command) into completed events."""
        self._buf += data
        events: list[Event] = []
        pos = 0
        while pos < len(self._buf):
            try:
                pos = self._step(pos, events)
            except _Incomplete:
                break
        del self._buf[:pos]
        return events

    def flush(self) -> list[Event]:
        """End of stream: the unfinished line, if any, as an event."""
        events: list[Event] = []
        if self._line:
            self._end_line(events)
        self._buf.clear()
        return events

    # --- text -------------------------------------------------------------------------------
    def _char(self, byte: int) -> str:
        if byte < 0x80:
            return chr(byte)
        table = self._tables.get(self.code_page)
        if table is None:
            codec = CODE_PAGES.get(self.code_page)
            high = bytes(range(0x80, 0x100))
            chars = high.decode(codec, errors="replace") if codec else "\ufffd" * 128
            table = self._tables[self.code_page] = list(chars)
        return table[byte - 0x80]

    def _add_text(self, byte: int) -> None:
        if self._line_style is None:
            self._line_style = (self._align, self._bold, self._width, self._height, self._font)
        self._line_pages.add(self.code_page)
        self._line.append(self._char(byte))

    def _end_line(self, events: list[Event]) -> None:
        align, bold, width, height, font = self._line_style or (
            self._align,
            self._bold,
            self._width,
            self._height,
            self._font,
        )
        pages = tuple(sorted(self._line_pages))
        events.append(TextLine("".join(self._line), align, bold, width, height, font, pages))
        self._line, self._line_style, self._line_pages = [], None, set()

    # --- commands ---------------------------------------------------------------------------
    def _need(self, end: int) -> None:
        if end > len(self._buf):
            raise _Incomplete

    def _step(self, pos: int, events: list[Event]) -> int:
        byte = self._buf[pos]
        if byte == LF:
            self._end_line(events)
            return pos + 1
        if byte == HT:
            self._add_text(0x20)
            return pos + 1
        handler: Callable[[int, list[Event]], int] | None = {
            ESC: self._esc,
            GS: self._gs,
            DLE: self._dle,
            FS: self._fs,
        }.get(byte)
        if handler is not None:
            self._need(pos + 2)
            return handler(pos, events)
        if byte >= 0x20:
            self._add_text(byte)
        return pos + 1  # CR, FF and other control bytes print nothing here

    def _esc(self, pos: int, events: list[Event]) -> int:
        cmd = self._buf[pos + 1]
        if cmd == ord("*"):  # ESC * m nL nH data: column bit image
            self._need(pos + 5)
            m, n = self._buf[pos + 2], self._buf[pos + 3] + 256 * self._buf[pos + 4]
            end = pos + 5 + n * (1 if m in (0, 1) else 3)
            self._need(end)
            events.append(Unknown(b"ESC *"))
            return end
        nargs = _ESC_ARGS.get(cmd)
        if nargs is None:
            events.append(Unknown(bytes(self._buf[pos : pos + 2])))
            return pos + 2
        end = pos + 2 + nargs
        self._need(end)
        args = self._buf[pos + 2 : end]
        if cmd == ord("@"):
            self._reset_keep_line()
        elif cmd == ord("t"):
            self.code_page = args[0]
        elif cmd == ord("!"):
            mode = args[0]
            self._font = mode & 0x01
            self._bold = bool(mode & 0x08)
            self._height = 2 if mode & 0x10 else 1
            self._width = 2 if mode & 0x20 else 1
        elif cmd == ord("E"):
            self._bold = bool(args[0] & 1)
        elif cmd == ord("a"):
            self._align = _ALIGN.get(args[0], "left")
        elif cmd == ord("M"):
            self._font = args[0] & 0x01
        elif cmd == ord("d"):  # print the line, then feed n lines in all
            feeds = args[0]
            if self._line:
                self._end_line(events)
                feeds -= 1
            style = (self._align, self._bold, self._width, self._height, self._font)
            events.extend(TextLine("", *style) for _ in range(feeds))
        elif cmd == ord("p"):
            pin = 5 if args[0] & 0x01 else 2
            events.append(DrawerPulse(pin, args[1] * 2, args[2] * 2))
        return end

    def _reset_keep_line(self) -> None:
        tables = self._tables
        line, style, pages = self._line, self._line_style, self._line_pages
        self._reset()
        self._tables = tables
        self._line, self._line_style, self._line_pages = line, style, pages

    def _gs(self, pos: int, events: list[Event]) -> int:
        cmd = self._buf[pos + 1]
        if cmd == ord("V"):
            self._need(pos + 3)
            m = self._buf[pos + 2]
            end = pos + 3 if m in (0, 1, 48, 49) else pos + 4
            self._need(end)
            if self._line:
                self._end_line(events)
            events.append(Cut(partial=m in (1, 49, 66, 98)))
            return end
        if cmd == ord("k"):
            return self._barcode(pos, events)
        if cmd == ord("v"):  # GS v 0 m xL xH yL yH data
            self._need(pos + 8)
            xb = self._buf[pos + 4] + 256 * self._buf[pos + 5]
            height = self._buf[pos + 6] + 256 * self._buf[pos + 7]
            end = pos + 8 + xb * height
            self._need(end)
            if self._line:
                self._end_line(events)
            events.append(Image(xb * 8, height, bytes(self._buf[pos + 8 : end])))
            return end
        if cmd == ord("("):  # GS ( fn pL pH payload
            self._need(pos + 5)
            end = pos + 5 + self._buf[pos + 3] + 256 * self._buf[pos + 4]
            self._need(end)
            if self._buf[pos + 2] == ord("k"):
                self._two_d(bytes(self._buf[pos + 5 : end]), events)
            else:
                events.append(Unknown(bytes(self._buf[pos : pos + 3])))
            return end
        nargs = _GS_ARGS.get(cmd)
        if nargs is None:
            events.append(Unknown(bytes(self._buf[pos : pos + 2])))
            return pos + 2
        end = pos + 2 + nargs
        self._need(end)
        if cmd == ord("!"):
            size = self._buf[pos + 2]
            self._width, self._height = (size >> 4) + 1, (size & 0x0F) + 1
        return end

    def _barcode(self, pos: int, events: list[Event]) -> int:
        self._need(pos + 3)
        m = self._buf[pos + 2]
        if m in _BARCODE_A:
            stop = self._buf.find(b"\x00", pos + 3)
            if stop < 0:
                raise _Incomplete
            data, end = bytes(self._buf[pos + 3 : stop]), stop + 1
            symbology = _BARCODE_A[m]
        else:
            self._need(pos + 4)
            end = pos + 4 + self._buf[pos + 3]
            self._need(end)
            data = bytes(self._buf[pos + 4 : end])
            symbology = _BARCODE_B.get(m, f"type {m}")
        if self._line:
            self._end_line(events)
        if symbology in ("CODE128", "GS1-128"):
            content = decode_code128(data)
        else:
            content = data.decode("ascii", errors="replace")
        events.append(Barcode(symbology, content))
        return end

    def _two_d(self, payload: bytes, events: list[Event]) -> None:
        if len(payload) < 2 or payload[0] != 49:  # cn 49: QR Code
            events.append(Unknown(b"GS ( k " + payload[:2]))
            return
        fn = payload[1]
        if fn == 80:  # store data (m = 48 follows)
            self._qr_data = payload[3:]
        elif fn == 81:  # print the stored symbol
            if self._line:
                self._end_line(events)
            events.append(QrCode(self._qr_data.decode("utf-8", errors="replace")))

    def _dle(self, pos: int, events: list[Event]) -> int:
        cmd = self._buf[pos + 1]
        if cmd == 0x04:  # DLE EOT n
            self._need(pos + 3)
            events.append(StatusQuery(self._buf[pos + 2]))
            return pos + 3
        if cmd == 0x14:  # DLE DC4 1 m t: real-time drawer pulse (t × 100 ms)
            self._need(pos + 5)
            if self._buf[pos + 2] == 1:
                pin = 5 if self._buf[pos + 3] & 1 else 2
                on = self._buf[pos + 4] * 100
                events.append(DrawerPulse(pin, on, on))
            return pos + 5
        self._need(pos + 3)  # DLE ENQ n and friends
        events.append(Unknown(bytes(self._buf[pos : pos + 3])))
        return pos + 3

    def _fs(self, pos: int, events: list[Event]) -> int:
        nargs = _FS_ARGS.get(self._buf[pos + 1], 0)
        self._need(pos + 2 + nargs)
        return pos + 2 + nargs
