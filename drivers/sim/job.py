"""A decoded print job: what one receipt looked like on paper, ending at a cut (or a drawer
pulse on its own)."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Generic, Self, TypeVar, overload

from drivers.sim.escpos_decoder import Barcode, Cut, DrawerPulse, Event, Image, QrCode, TextLine

_E = TypeVar("_E", TextLine, Barcode, QrCode, Image, DrawerPulse)


class _EventsOf(Generic[_E]):
    """A read-only attribute: the job's events of one kind, in order."""

    def __init__(self, kind: type[_E]) -> None:
        self.kind: type[_E] = kind

    @overload
    def __get__(self, job: None, owner: type[Job]) -> Self: ...
    @overload
    def __get__(self, job: Job, owner: type[Job]) -> list[_E]: ...
    def __get__(self, job: Job | None, owner: type[Job]) -> list[_E] | Self:
        if job is None:
            return self
        return [e for e in job.events if isinstance(e, self.kind)]


@dataclass(frozen=True)
class Job:
    """The events of one job, in order, and when its first and last bytes arrived."""

    number: int
    events: tuple[Event, ...]
    first_byte_at: float  # time.perf_counter() in the simulator's process
    last_byte_at: float

    text_lines = _EventsOf(TextLine)
    barcodes = _EventsOf(Barcode)
    qr_codes = _EventsOf(QrCode)
    images = _EventsOf(Image)
    pulses = _EventsOf(DrawerPulse)

    @property
    def lines(self) -> list[str]:
        """The printed text, one string per line."""
        return [e.text for e in self.text_lines]

    @property
    def text(self) -> str:
        return "\n".join(self.lines)

    @property
    def printed(self) -> bool:
        """True when anything came out on paper (not only a drawer pulse)."""
        return any(not isinstance(e, DrawerPulse) for e in self.events)

    @property
    def cut(self) -> bool:
        """True when the job ended with a cut (not a dropped connection)."""
        return bool(self.events) and isinstance(self.events[-1], Cut)

    @property
    def code_pages(self) -> set[int]:
        return {page for line in self.text_lines for page in line.code_pages}

    def line_with(self, fragment: str) -> TextLine:
        """The first line containing ``fragment``; ``LookupError`` if none."""
        for line in self.text_lines:
            if fragment in line.text:
                return line
        raise LookupError(f"no printed line contains {fragment!r}")

    def to_text(self) -> str:
        """A plain-text transcript: the lines, with [BARCODE …], [IMAGE …], [CUT] markers."""
        out: list[str] = []
        for event in self.events:
            match event:
                case TextLine(text=text, width=w, height=h) if w > 1 or h > 1:
                    out.append(f"{text}    [x{w}x{h}]")
                case TextLine(text=text):
                    out.append(text)
                case Barcode(symbology=kind, content=content):
                    out.append(f"[BARCODE {kind}: {content}]")
                case QrCode(content=content):
                    out.append(f"[QR: {content}]")
                case Image(width=w, height=h):
                    out.append(f"[IMAGE {w}x{h}]")
                case Cut(partial=partial):
                    out.append("[CUT partial]" if partial else "[CUT]")
                case DrawerPulse(pin=pin, on_ms=on, off_ms=off):
                    out.append(f"[drawer pulse pin {pin} {on}/{off} ms]")
        return "\n".join(out) + "\n"
