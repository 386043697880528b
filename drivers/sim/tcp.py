"""A small threaded TCP server the simulators share: one thread per client, clean stop."""

from __future__ import annotations

import contextlib
import signal
import socket
import threading
from collections.abc import Callable
from types import TracebackType
from typing import ClassVar, Self

POLL_S = 0.05  # every blocking call wakes this often to notice stop()


class TcpServer:
    """Accepts clients on ``host:port`` (port 0: any free port) and runs ``handle`` for each.

    ``handle(conn)`` gets a socket with a ``POLL_S`` timeout and must return soon after
    ``stopping`` is set. ``stop()`` closes everything and joins every thread.
    """

    def __init__(
        self,
        handle: Callable[[socket.socket], None],
        host: str = "127.0.0.1",
        port: int = 0,
        name: str = "sim",
        max_clients: int = 8,
    ) -> None:
        self._handle = handle
        self._name = name
        self._max_clients = max_clients
        self._listener = socket.create_server((host, port))
        self._listener.settimeout(POLL_S)
        self.host, self.port = self._listener.getsockname()[:2]
        self.stopping = threading.Event()
        self._threads: list[threading.Thread] = []
        self._clients: set[socket.socket] = set()
        self._lock = threading.Lock()
        self._acceptor = threading.Thread(target=self._accept_loop, name=f"{name}-accept")

    def start(self) -> TcpServer:
        self._acceptor.start()
        return self

    def _accept_loop(self) -> None:
        while not self.stopping.is_set():
            try:
                conn, _ = self._listener.accept()
            except TimeoutError:
                continue
            except OSError:
                return
            with self._lock:
                self._threads = [t for t in self._threads if t.is_alive()]
                if len(self._threads) >= self._max_clients:
                    conn.close()
                    continue
                conn.settimeout(POLL_S)
                self._clients.add(conn)
                thread = threading.Thread(
                    target=self._serve, args=(conn,), name=f"{self._name}-client", daemon=True
                )
                self._threads.append(thread)
            thread.start()

    def _serve(self, conn: socket.socket) -> None:
        try:
            with contextlib.suppress(OSError):  # a client that went away: nothing to report
                self._handle(conn)
        finally:
            with self._lock:
                self._clients.discard(conn)
            conn.close()

    def stop(self, timeout: float = 3.0) -> None:
        """Stop accepting, disconnect every client and join all threads."""
        self.stopping.set()
        self._listener.close()
        if self._acceptor.is_alive():
            self._acceptor.join(timeout)
        with self._lock:
            threads, clients = list(self._threads), list(self._clients)
        for conn in clients:
            with contextlib.suppress(OSError):
                conn.shutdown(socket.SHUT_RDWR)
        for thread in threads:
            thread.join(timeout)


def recv_some(conn: socket.socket, size: int = 4096) -> bytes | None:
    """Bytes available now (``b""`` after a quiet poll interval), or None once closed."""
    try:
        data = conn.recv(size)
    except TimeoutError:
        return b""
    except OSError:
        return None
    return data or None


class ControlServer:
    """Text commands, one per line, for the command-line simulators.

    ``printf 'paper-out\\n' | nc 127.0.0.1 PORT`` runs the command and answers one line.
    """

    def __init__(
        self, commands: dict[str, Callable[[], str]], host: str = "127.0.0.1", port: int = 0
    ) -> None:
        self.commands = commands
        self.server = TcpServer(self._handle, host, port, name="sim-control")

    def start(self) -> ControlServer:
        self.server.start()
        return self

    def stop(self) -> None:
        self.server.stop()

    def run(self, line: str) -> str:
        """Run one command line and return the answer."""
        word = line.strip().lower()
        if not word:
            return ""
        action = self.commands.get(word)
        if action is None:
            return f"unknown command {word!r}; known: {', '.join(sorted(self.commands))}"
        return action()

    def _handle(self, conn: socket.socket) -> None:
        pending = b""
        while not self.server.stopping.is_set() and len(pending) < 4096:
            data = recv_some(conn, 256)
            if data is None:
                return
            pending += data
            while b"\n" in pending:
                line, pending = pending.split(b"\n", 1)
                answer = self.run(line.decode("utf-8", errors="replace"))
                if answer:
                    conn.sendall(answer.encode() + b"\n")


class Simulator:
    """A simulator served on ``host:port`` by a ``TcpServer``; use it as a context manager.

    Subclasses pass their per-client ``handle`` and say which URL scheme clients use; they
    extend ``start`` / ``stop`` when they run more than the server.
    """

    scheme: ClassVar[str]

    def __init__(
        self,
        handle: Callable[[socket.socket], None],
        host: str,
        port: int,
        *,
        name: str,
        max_clients: int = 8,
    ) -> None:
        self._server = TcpServer(handle, host, port, name=name, max_clients=max_clients)
        self.host, self.port = self._server.host, self._server.port

    def start(self) -> Self:
        self._server.start()
        return self

    def stop(self) -> None:
        self._server.stop()

    def __enter__(self) -> Self:
        return self.start()

    def __exit__(
        self, kind: type[BaseException] | None, exc: BaseException | None, tb: TracebackType | None
    ) -> None:
        self.stop()

    @property
    def url(self) -> str:
        """The URL Counter's settings take: ``scheme://host:port``."""
        return f"{self.scheme}://{self.host}:{self.port}"


def serve_until_signal(sim: Simulator, control: ControlServer, banner: list[str]) -> int:
    """Run a simulator and its control port until Ctrl-C or SIGTERM, then stop both."""
    done = threading.Event()
    signal.signal(signal.SIGTERM, lambda *_: done.set())
    signal.signal(signal.SIGINT, lambda *_: done.set())
    sim.start()
    control.start()
    print("\n".join(banner), flush=True)
    try:
        done.wait()
    finally:
        control.stop()
        sim.stop()
    return 0
