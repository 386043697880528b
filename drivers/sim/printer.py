"""An ESC/POS receipt printer simulator on a TCP port and, optionally, a pseudo-terminal.

    python -m drivers.sim.printer --port 9100 --out var/printer [--pty] [--control-port 9101]

It decodes what it receives (text lines through the ESC t code page, CODE128 / QR codes,
GS v 0 raster images, cuts and ESC p drawer pulses), writes every job as ``job-NNNN.txt``
and ``job-NNNN.png`` into the output folder (numbered on after the highest job already
there, so a restart never overwrites earlier receipts), and answers DLE EOT 1..4 with the
real status bits (``status_queries`` counts them). A job ends at a cut, or when the client
closes the connection or the pty. A drawer pulse is part of the job it arrives in; one that
arrives between jobs (a kick on its own) is a job of its own, with a text file and no PNG.

Faults, like a real printer: while offline, out of paper or with the cover open it still
answers status queries but prints nothing; "stalled" it stops reading altogether, so a
client's writes and status queries go unanswered. Change the state

* in Python: ``sim.set_state(paper_out=True)``, or mid-job with
  ``sim.fault_after(300, stalled=True)`` (after 300 more bytes);
* on the command line: send a word per line to the control port, e.g.
  ``echo paper-out | nc 127.0.0.1 9101``. Words: online, offline, paper-out, paper-ok,
  near-end, cover-open, cover-close, stall, resume, drawer-close, jam-drawer, garble
  (answer status queries with a malformed byte), ungarble, status.

In-process use (tests, benchmark)::

    with PrinterSimulator(out_dir, pty=True) as sim:
        sim.url          # "tcp://127.0.0.1:PORT"
        sim.serial_url   # "serial:///dev/pts/N"
        sim.wait_for_jobs(1)[0].lines
"""

from __future__ import annotations

import argparse
import contextlib
import dataclasses
import os
import queue
import select
import socket
import threading
import time
import tty
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Self

from drivers.sim.escpos_decoder import (
    PRINTED,
    Cut,
    DrawerPulse,
    EscPosDecoder,
    Event,
    StatusQuery,
)
from drivers.sim.job import Job
from drivers.sim.render import last_job_number, save_job
from drivers.sim.tcp import POLL_S, ControlServer, Simulator, recv_some, serve_until_signal

_FIXED = 0x12  # bits 1 and 4 are always set in a DLE EOT reply


@dataclass(frozen=True)
class PrinterState:
    """The simulated printer's condition."""

    offline: bool = False  # an error took it offline
    paper_out: bool = False
    near_end: bool = False
    cover_open: bool = False
    stalled: bool = False  # hung: stops reading its input
    drawer_open: bool = False  # the drawer on its kick-out connector (sensor on pin 3)
    drawer_jammed: bool = False  # a kick pulse does not open the drawer
    garbled: bool = False  # answers status queries with a malformed byte

    @property
    def ready(self) -> bool:
        return not (self.offline or self.paper_out or self.cover_open)

    def reply(self, n: int) -> bytes:
        """The one-byte answer to DLE EOT n (nothing for an n a printer ignores)."""
        if self.garbled:
            return b"\x00"  # fixed bits clear: python-escpos 3.1 would call this "paper OK"
        if n == 1:
            return bytes(
                (_FIXED | (0x04 if self.drawer_open else 0) | (0 if self.ready else 0x08),)
            )
        if n == 2:
            bits = (0x04 if self.cover_open else 0) | (0x20 if self.paper_out else 0)
            return bytes((_FIXED | bits | (0x40 if self.offline else 0),))
        if n == 3:
            return bytes((_FIXED,))
        if n == 4:
            low = self.near_end or self.paper_out
            return bytes((_FIXED | (0x0C if low else 0) | (0x60 if self.paper_out else 0),))
        return b""


class _Channel:
    """One connection's decoder and the job it is receiving."""

    def __init__(self, send: Callable[[bytes], None]) -> None:
        self.send = send
        self.decoder = EscPosDecoder()
        self.events: list[Event] = []
        self.first_byte_at = 0.0


class PrinterSimulator(Simulator):
    """An ESC/POS printer: TCP on ``host:port`` (0 = any free port) and optionally a pty."""

    scheme = "tcp"

    def __init__(
        self,
        out_dir: Path | str | None = None,
        *,
        host: str = "127.0.0.1",
        port: int = 0,
        pty: bool = False,
        columns: int = 42,
    ) -> None:
        self.out_dir = Path(out_dir) if out_dir is not None else None
        self.columns = columns
        super().__init__(self._serve_tcp, host, port, name="printer-sim")
        self._lock = threading.Condition()
        self._state = PrinterState()
        self._fault: tuple[int, dict[str, bool]] | None = None
        self._jobs: list[Job] = []
        self._numbered_after = 0  # the highest job number in ``out_dir`` when started
        self._pulses: list[DrawerPulse] = []
        self.discarded = 0  # printable things dropped while not ready
        self.status_queries = 0  # DLE EOT queries received
        self._files: queue.Queue[Job | None] = queue.Queue()
        self._writer = threading.Thread(target=self._write_files, name="printer-sim-files")
        self._pty_master: int | None = None
        self._pty_thread: threading.Thread | None = None
        self.pty_path = ""
        if pty:
            master, slave = os.openpty()
            tty.setraw(slave)
            self.pty_path = os.ttyname(slave)
            os.close(slave)  # so a client closing the port reads as EIO: the job's end
            self._pty_master = master

    # --- lifecycle ------------------------------------------------------------------------
    def start(self) -> Self:
        self._numbered_after = last_job_number(self.out_dir)
        self._writer.start()
        super().start()
        if self._pty_master is not None:
            self._pty_thread = threading.Thread(target=self._serve_pty, name="printer-sim-pty")
            self._pty_thread.start()
        return self

    def stop(self) -> None:
        """Disconnect everyone, finish writing files, join every thread."""
        super().stop()
        if self._pty_thread is not None:
            self._pty_thread.join(3)
        if self._pty_master is not None:
            with contextlib.suppress(OSError):
                os.close(self._pty_master)
            self._pty_master = None
        self._files.put(None)
        if self._writer.is_alive():
            self._writer.join(10)

    @property
    def serial_url(self) -> str:
        """``serial:///dev/pts/N`` when started with ``pty=True``."""
        return f"serial://{self.pty_path}" if self.pty_path else ""

    # --- state ------------------------------------------------------------------------------
    @property
    def state(self) -> PrinterState:
        with self._lock:
            return self._state

    def set_state(self, **changes: bool) -> PrinterState:
        """Change the condition now, e.g. ``set_state(paper_out=True)``."""
        with self._lock:
            self._state = dataclasses.replace(self._state, **changes)
            self._lock.notify_all()
            return self._state

    def fault_after(self, nbytes: int, **changes: bool) -> None:
        """Change the condition once ``nbytes`` more bytes have been read (a mid-job fault)."""
        dataclasses.replace(self._state, **changes)  # reject unknown names now
        with self._lock:
            self._fault = (nbytes, changes)

    def close_drawer(self) -> None:
        """Someone pushed the drawer shut."""
        self.set_state(drawer_open=False)

    # --- what was printed -------------------------------------------------------------------
    @property
    def jobs(self) -> list[Job]:
        with self._lock:
            return list(self._jobs)

    @property
    def pulses(self) -> list[DrawerPulse]:
        with self._lock:
            return list(self._pulses)

    def wait_for_jobs(self, count: int, timeout: float = 3.0) -> list[Job]:
        """The first ``count`` jobs, waiting up to ``timeout`` s for them; AssertionError if not."""
        with self._lock:
            if not self._lock.wait_for(lambda: len(self._jobs) >= count, timeout):
                raise AssertionError(f"expected {count} job(s), got {len(self._jobs)}")
            return list(self._jobs)

    # --- serving ----------------------------------------------------------------------------
    def _serve_tcp(self, conn: socket.socket) -> None:
        conn.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
        self._serve(lambda: recv_some(conn), conn.sendall, self._server.stopping)

    def _serve_pty(self) -> None:
        """Serve whoever opens the pty; when they close it (EIO on the master), their job ends,
        as on a closed TCP connection, and the next client starts afresh."""
        assert self._pty_master is not None
        master = self._pty_master
        stopping = self._server.stopping

        def recv() -> bytes | None:
            ready, _, _ = select.select([master], [], [], POLL_S)
            if not ready:
                return b""
            try:
                return os.read(master, 4096) or None
            except OSError:  # EIO: nobody has the pty open
                return None

        def send(data: bytes) -> None:
            with contextlib.suppress(OSError):  # the client closed the port meanwhile
                os.write(master, data)

        while not stopping.is_set():
            self._serve(recv, send, stopping)
            stopping.wait(POLL_S)  # nobody has it open: look again shortly

    def _serve(
        self,
        recv: Callable[[], bytes | None],
        send: Callable[[bytes], None],
        stopping: threading.Event,
    ) -> None:
        channel = _Channel(send)
        pending = b""
        while not stopping.is_set():
            if self.state.stalled:
                with self._lock:
                    self._lock.wait(POLL_S)
                continue
            if not pending:
                data = recv()
                if data is None:
                    break
                pending = data
                continue
            chunk, pending, fault = self._take(pending)
            self._feed(channel, channel.decoder.feed(chunk))
            if fault is not None:
                self.set_state(**fault)
        self._feed(channel, channel.decoder.flush())
        self._end_job(channel)

    def _take(self, pending: bytes) -> tuple[bytes, bytes, dict[str, bool] | None]:
        """Split ``pending`` where a scheduled fault strikes."""
        with self._lock:
            if self._fault is None:
                return pending, b"", None
            remaining, changes = self._fault
            if len(pending) < remaining:
                self._fault = (remaining - len(pending), changes)
                return pending, b"", None
            self._fault = None
            return pending[:remaining], pending[remaining:], changes

    def _feed(self, channel: _Channel, events: list[Event]) -> None:
        replies = b""  # answered together: one packet, as a printer's firmware does
        for event in events:
            state = self.state
            if isinstance(event, StatusQuery):
                with self._lock:
                    self.status_queries += 1
                replies += state.reply(event.n)
            elif not state.ready:
                self.discarded += 1
            elif isinstance(event, DrawerPulse):
                with self._lock:
                    self._pulses.append(event)
                if not state.drawer_jammed:
                    self.set_state(drawer_open=True)
                kick_alone = not channel.events
                self._record(channel, event)
                if kick_alone:  # not part of a receipt: a record of its own, now
                    self._end_job(channel)
            elif isinstance(event, PRINTED):
                self._record(channel, event)
                if isinstance(event, Cut):
                    self._end_job(channel)
        if replies:
            channel.send(replies)

    def _record(self, channel: _Channel, event: Event) -> None:
        if not channel.events:
            channel.first_byte_at = time.perf_counter()
        channel.events.append(event)

    def _end_job(self, channel: _Channel) -> None:
        if not channel.events:
            return
        with self._lock:
            job = Job(
                self._numbered_after + len(self._jobs) + 1,
                tuple(channel.events),
                channel.first_byte_at,
                time.perf_counter(),
            )
            self._jobs.append(job)
            self._lock.notify_all()
        channel.events = []
        if self.out_dir is not None:
            self._files.put(job)

    def _write_files(self) -> None:
        while (job := self._files.get()) is not None:
            assert self.out_dir is not None
            save_job(job, self.out_dir, self.columns)

    # --- command line -----------------------------------------------------------------------
    def control_commands(self) -> dict[str, Callable[[], str]]:
        """The words the control port understands."""

        def change(**changes: bool) -> Callable[[], str]:
            return lambda: _describe(self.set_state(**changes))

        return {
            "online": change(offline=False),
            "offline": change(offline=True),
            "paper-out": change(paper_out=True, near_end=True),
            "paper-ok": change(paper_out=False, near_end=False),
            "near-end": change(near_end=True),
            "cover-open": change(cover_open=True),
            "cover-close": change(cover_open=False),
            "stall": change(stalled=True),
            "resume": change(stalled=False),
            "drawer-close": change(drawer_open=False),
            "jam-drawer": change(drawer_jammed=True),
            "garble": change(garbled=True),
            "ungarble": change(garbled=False),
            "status": lambda: _describe(self.state),
        }


def _describe(state: PrinterState) -> str:
    flags = [f.name for f in dataclasses.fields(state) if getattr(state, f.name)]
    return "state: " + (", ".join(flags) if flags else "ready")


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m drivers.sim.printer", description=__doc__)
    parser.add_argument("--host", default="127.0.0.1")
    parser.add_argument("--port", type=int, default=9100)
    parser.add_argument("--out", type=Path, default=Path("var/printer"), help="job files go here")
    parser.add_argument("--pty", action="store_true", help="also serve a pseudo-terminal")
    parser.add_argument("--control-port", type=int, default=9101, help="0: any free port")
    parser.add_argument(
        "--columns",
        type=int,
        default=42,
        help="paper width of the PNG renderings in font-A characters (default 42: 80 mm on a "
        "TM-T88V; 48: TM-T20II; 32: 58 mm)",
    )
    args = parser.parse_args(argv)
    sim = PrinterSimulator(
        args.out, host=args.host, port=args.port, pty=args.pty, columns=args.columns
    )
    control = ControlServer(sim.control_commands(), args.host, args.control_port)
    return serve_until_signal(sim, control, _banner(sim, control, args.out))


def _banner(sim: PrinterSimulator, control: ControlServer, out: Path) -> list[str]:
    lines = [f"ESC/POS printer simulator on {sim.url}, jobs into {out}/"]
    if sim.pty_path:
        lines.append(f"  serial: COUNTER_PRINTER__URL={sim.serial_url}")
    lines.append(
        f"  control: echo paper-out | nc {control.server.host} {control.server.port}  "
        f"(words: {' '.join(control.commands)})"
    )
    return lines


if __name__ == "__main__":
    raise SystemExit(main())
