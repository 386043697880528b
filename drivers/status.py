"""Real-time printer status: the DLE EOT n replies (n = 1..4) parsed into ``PrinterStatus``.

Each reply is one byte with bits 0 and 7 clear and bits 1 and 4 set; anything else (no reply,
several bytes, wrong fixed bits) is *unknown*, never "fine". python-escpos 3.1 treats an empty
paper reply as "paper adequate" and does not expose the drawer bit, so this module does its own
parsing.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from enum import StrEnum

from drivers.errors import CoverOpen, PaperOut, PrinterOffline

DLE_EOT = b"\x10\x04"
PRINTER = 1  # DLE EOT 1: online, drawer kick-out connector pin 3
OFFLINE_CAUSE = 2  # DLE EOT 2: cover open, paper end stop, error
ERROR_CAUSE = 3  # DLE EOT 3: cutter, unrecoverable, auto-recoverable errors
ROLL_PAPER = 4  # DLE EOT 4: near-end and end sensors
QUERIES = (PRINTER, OFFLINE_CAUSE, ERROR_CAUSE, ROLL_PAPER)

_FIXED_MASK = 0b1001_0011  # bits 7, 4, 1, 0
_FIXED_VALUE = 0b0001_0010  # bits 4 and 1 set, 7 and 0 clear

# bits within the replies
DRAWER_PIN3_HIGH = 0x04  # n=1
OFFLINE = 0x08  # n=1
COVER_OPEN = 0x04  # n=2
PAPER_END_STOP = 0x20  # n=2
ERROR = 0x40  # n=2
CUTTER_ERROR = 0x08  # n=3
UNRECOVERABLE = 0x20  # n=3
NEAR_END = 0x0C  # n=4, both bits
PAPER_END = 0x60  # n=4, both bits


def query(n: int) -> bytes:
    """The DLE EOT n command."""
    if n not in QUERIES:
        raise ValueError(f"DLE EOT takes n = 1..4, not {n}")
    return DLE_EOT + bytes((n,))


def status_byte(reply: bytes) -> int | None:
    """The reply's status byte, or None when it is empty or malformed."""
    if len(reply) != 1 or reply[0] & _FIXED_MASK != _FIXED_VALUE:
        return None
    return reply[0]


class Paper(StrEnum):
    OK = "ok"
    NEAR_END = "near end"
    OUT = "out"
    UNKNOWN = "unknown"


@dataclass(frozen=True)
class PrinterStatus:
    """What the printer said about itself; ``None`` / ``UNKNOWN`` where it did not say."""

    online: bool | None = None
    cover_open: bool | None = None
    paper: Paper = Paper.UNKNOWN
    error: bool | None = None
    drawer_pin3_high: bool | None = None

    @property
    def known(self) -> bool:
        """True when the printer answered the basic status query."""
        return self.online is not None

    @property
    def summary(self) -> str:
        """One line for the status bar: "online, paper near end", "unknown"."""
        if not self.known:
            return "status unknown"
        parts = ["online" if self.online else "offline"]
        if self.cover_open:
            parts.append("cover open")
        if self.paper is not Paper.OK:
            parts.append(f"paper {self.paper.value}")
        if self.error:
            parts.append("error")
        if self.drawer_pin3_high is not None:
            parts.append(f"drawer sensor {'high' if self.drawer_pin3_high else 'low'}")
        return ", ".join(parts)

    def raise_if_not_ready(self, during_job: bool = False) -> None:
        """Raise the error a cashier must fix before this printer can print."""
        if self.cover_open:
            raise CoverOpen()
        if self.paper is Paper.OUT:
            raise PaperOut(during_job)
        if self.online is False:
            raise PrinterOffline("it reports an error" if self.error else "")


def _bit(byte: int | None, mask: int) -> bool | None:
    return None if byte is None else byte & mask == mask


def parse_status(replies: Mapping[int, bytes]) -> PrinterStatus:
    """Combine the replies to DLE EOT 1..4 (missing ones count as unknown)."""
    printer = status_byte(replies.get(PRINTER, b""))
    offline = status_byte(replies.get(OFFLINE_CAUSE, b""))
    errors = status_byte(replies.get(ERROR_CAUSE, b""))
    roll = status_byte(replies.get(ROLL_PAPER, b""))

    paper = Paper.UNKNOWN
    if roll is not None:
        if _bit(roll, PAPER_END):
            paper = Paper.OUT
        elif _bit(roll, NEAR_END):
            paper = Paper.NEAR_END
        else:
            paper = Paper.OK
    if _bit(offline, PAPER_END_STOP):
        paper = Paper.OUT

    error: bool | None = None
    if offline is not None or errors is not None:
        error = bool(_bit(offline, ERROR)) or bool(
            errors is not None and errors & (CUTTER_ERROR | UNRECOVERABLE)
        )
    online = _bit(printer, OFFLINE)
    return PrinterStatus(
        online=None if online is None else not online,
        cover_open=_bit(offline, COVER_OPEN),
        paper=paper,
        error=error,
        drawer_pin3_high=_bit(printer, DRAWER_PIN3_HIGH),
    )
