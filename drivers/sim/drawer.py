"""A serial cash drawer (APG SerialPRO / MMF Multi-Serial style) served over RFC 2217.

    python -m drivers.sim.drawer --port 2217 [--auto-close 3] [--control-port 2218]

Counter connects with ``COUNTER_DRAWER__BACKEND=serial
COUNTER_DRAWER__URL=rfc2217://127.0.0.1:2217``. A Linux pty has no modem lines, so the
drawer is served through pyserial's ``rfc2217.PortManager`` in front of a simulated port whose
CTS / DSR / RI / CD report the drawer: the configured sensor line shows "open" at the
configured polarity, the others stay low. The drawer pops open when the open sequence
(default BEL, 0x07) arrives while DTR is high (the interface is powered from DTR), unless
it is jammed; it closes when told to or after ``--auto-close`` seconds.

Control it from Python (``sim.close_drawer()``, ``sim.jam()``) or, on the command line, with
words sent to the control port: ``echo close | nc 127.0.0.1 2218`` — close, open, jam,
unjam, status.
"""

from __future__ import annotations

import argparse
import socket
import threading
import time
from collections.abc import Callable, Sequence
from typing import Literal

from serial import rfc2217

from drivers.sim.tcp import ControlServer, Simulator, recv_some, serve_until_signal

SensorLine = Literal["CTS", "DSR", "RI", "CD"]


class _LockedConnection:
    """The ``connection`` PortManager writes to: one socket, writes serialised."""

    def __init__(self, conn: socket.socket) -> None:
        self._conn = conn
        self._lock = threading.Lock()

    def write(self, data: bytes) -> None:
        with self._lock:
            self._conn.sendall(data)


class _DrawerPort:
    """The serial port PortManager drives: settings it may change, lines from the drawer."""

    def __init__(self, sim: DrawerSimulator) -> None:
        self._sim = sim
        self.baudrate = 9600
        self.bytesize = 8
        self.parity = "N"
        self.stopbits = 1
        self.xonxoff = False
        self.rtscts = False
        self.break_condition = False
        self.dtr = False
        self.rts = False

    def _line(self, name: SensorLine) -> bool:
        return self._sim.line_level(name)

    cts = property(lambda self: self._line("CTS"))
    dsr = property(lambda self: self._line("DSR"))
    ri = property(lambda self: self._line("RI"))
    cd = property(lambda self: self._line("CD"))

    def reset_input_buffer(self) -> None:
        """The drawer keeps no input buffer: bytes are acted on as they arrive."""

    def reset_output_buffer(self) -> None:
        """The drawer never sends data, only line states."""


class DrawerSimulator(Simulator):
    """A serial drawer on ``rfc2217://host:port``."""

    scheme = "rfc2217"

    def __init__(
        self,
        *,
        host: str = "127.0.0.1",
        port: int = 0,
        open_sequence: bytes = b"\x07",
        sensor_line: SensorLine = "CTS",
        open_when: Literal["high", "low"] = "high",
        auto_close_s: float | None = None,
    ) -> None:
        if not open_sequence:
            raise ValueError("the open sequence needs at least one byte")
        self.open_sequence = open_sequence
        self.sensor_line = sensor_line
        self.open_when = open_when
        self.auto_close_s = auto_close_s
        super().__init__(self._serve, host, port, name="drawer-sim", max_clients=4)
        self._lock = threading.RLock()
        self._changed = threading.Condition(self._lock)
        self._open_since: float | None = None
        self._jammed = False
        self._ports: list[tuple[_DrawerPort, rfc2217.PortManager]] = []
        self.received = bytearray()  # every data byte the drawer was sent
        self.pops = 0  # times the open sequence arrived while powered

    # --- the drawer -------------------------------------------------------------------------
    @property
    def is_open(self) -> bool:
        with self._lock:
            self._auto_close()
            return self._open_since is not None

    @property
    def dtr(self) -> bool:
        """DTR as the (last connected) client holds it."""
        with self._lock:
            return any(port.dtr for port, _ in self._ports)

    @property
    def rts(self) -> bool:
        with self._lock:
            return any(port.rts for port, _ in self._ports)

    def line_level(self, name: SensorLine) -> bool:
        """The level of a modem line: the sensor line shows the drawer, the rest are low."""
        if name != self.sensor_line:
            return False
        return self.is_open == (self.open_when == "high")

    def open_drawer(self) -> None:
        """Open it (a key in the lock, or the open sequence)."""
        self._set_open(True)

    def close_drawer(self) -> None:
        """Someone pushed the drawer shut."""
        self._set_open(False)

    def jam(self, jammed: bool = True) -> None:
        """A jammed drawer ignores the open sequence."""
        with self._lock:
            self._jammed = jammed

    def wait_until_open(self, is_open: bool = True, timeout: float = 2.0) -> bool:
        with self._changed:
            return self._changed.wait_for(lambda: self.is_open == is_open, timeout)

    def _set_open(self, is_open: bool) -> None:
        with self._lock:
            if (self._open_since is not None) != is_open:
                self._open_since = time.monotonic() if is_open else None
                self._notify()

    def _auto_close(self) -> None:
        if (
            self.auto_close_s is not None
            and self._open_since is not None
            and time.monotonic() - self._open_since >= self.auto_close_s
        ):
            self._open_since = None
            self._notify()

    def _notify(self) -> None:
        """Tell every client about the new line states now (RFC 2217 NOTIFY-MODEMSTATE)."""
        self._changed.notify_all()
        for _, manager in self._ports:
            try:
                manager.check_modem_lines()
            except OSError:
                continue  # that client is going away; its loop will clean up

    # --- serving ----------------------------------------------------------------------------
    def _serve(self, conn: socket.socket) -> None:
        conn.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
        port = _DrawerPort(self)
        with self._lock:
            # both duck-type the pyserial objects PortManager drives
            manager = rfc2217.PortManager(port, _LockedConnection(conn))  # type: ignore[arg-type]
            self._ports.append((port, manager))
        tail = b""
        try:
            while not self._server.stopping.is_set():
                data = recv_some(conn)
                if data is None:
                    return
                with self._lock:
                    payload = b"".join(manager.filter(data))
                    self.received += payload
                    tail = self._receive(port, tail + payload)
                    self._auto_close()
                    manager.check_modem_lines()
        finally:
            with self._lock:
                self._ports.remove((port, manager))

    def _receive(self, port: _DrawerPort, data: bytes) -> bytes:
        """Act on data bytes; return the tail that may start the next open sequence."""
        seq = self.open_sequence
        start = 0
        while (found := data.find(seq, start)) >= 0:
            start = found + len(seq)
            if port.dtr:
                self.pops += 1
                if not self._jammed:
                    self._set_open(True)
        keep = len(seq) - 1  # a sequence split across reads completes next time
        return data[max(start, len(data) - keep) :] if keep else b""

    # --- command line -----------------------------------------------------------------------
    def control_commands(self) -> dict[str, Callable[[], str]]:
        def then_status(action: Callable[[], None]) -> Callable[[], str]:
            def run() -> str:
                action()
                return self.describe()

            return run

        return {
            "close": then_status(self.close_drawer),
            "open": then_status(self.open_drawer),
            "jam": then_status(lambda: self.jam(True)),
            "unjam": then_status(lambda: self.jam(False)),
            "status": self.describe,
        }

    def describe(self) -> str:
        state = "open" if self.is_open else "closed"
        jammed = ", jammed" if self._jammed else ""
        return f"drawer {state}{jammed} ({self.sensor_line} {self.open_when} = open)"


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m drivers.sim.drawer", description=__doc__)
    parser.add_argument("--host", default="127.0.0.1")
    parser.add_argument("--port", type=int, default=2217)
    parser.add_argument("--auto-close", type=float, default=None, metavar="SECONDS")
    parser.add_argument("--open-sequence", default="07", help="hex bytes, default 07 (BEL)")
    parser.add_argument("--sensor", choices=["CTS", "DSR", "RI", "CD"], default="CTS")
    parser.add_argument("--open-when", choices=["high", "low"], default="high")
    parser.add_argument("--control-port", type=int, default=2218, help="0: any free port")
    args = parser.parse_args(argv)
    sim = DrawerSimulator(
        host=args.host,
        port=args.port,
        open_sequence=bytes.fromhex(args.open_sequence),
        sensor_line=args.sensor,
        open_when=args.open_when,
        auto_close_s=args.auto_close,
    )
    control = ControlServer(sim.control_commands(), args.host, args.control_port)
    banner = [
        f"serial cash drawer simulator on {sim.url} ({args.sensor} {args.open_when} = open)",
        f"  COUNTER_DRAWER__BACKEND=serial COUNTER_DRAWER__URL={sim.url}",
        f"  control: echo close | nc {control.server.host} {control.server.port}  "
        f"(words: {' '.join(control.commands)})",
    ]
    return serve_until_signal(sim, control, banner)


if __name__ == "__main__":
    raise SystemExit(main())
