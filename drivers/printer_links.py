"""Printer transports: a printer URL → a python-escpos printer object plus a way to read replies.

python-escpos's ``Network``, ``Serial``, ``Usb``, ``File`` and ``Dummy`` share the ``Escpos``
base and differ only in transport; a ``Link`` wraps one of them and adds what 3.1 lacks:
reading exactly one status byte with a timeout, and dropping stale replies first.
"""

from __future__ import annotations

import os
import select
import socket
from typing import TypeVar
from urllib.parse import parse_qs, urlsplit

import serial
from escpos import printer as escpos_printer
from escpos.capabilities import get_profile
from escpos.escpos import Escpos
from escpos.exceptions import DeviceNotFoundError

from drivers.errors import BadParameter
from drivers.params import PrinterParams

_DRAIN_LIMIT = 64  # reads; stale replies are a few bytes
_Device = TypeVar("_Device", socket.socket, serial.Serial)


class Link:
    """A python-escpos printer object and how to talk back to it (base: no replies)."""

    answers_status = False

    def __init__(self, escpos: Escpos, where: str) -> None:
        self.escpos = escpos
        self.where = where

    def open(self) -> None:
        self.escpos.open()  # raises DeviceNotFoundError (not_found defaults to raise)

    def close(self) -> None:
        self.escpos.close()

    def abort(self) -> None:
        """Close after a fault, without waiting for anything still queued to go out."""
        self.close()

    def read_byte(self) -> bytes:
        """One reply byte, or ``b""`` when none came within the timeout."""
        return b""

    def drain(self) -> None:
        """Drop bytes that arrived unasked (late replies), so the next reply is fresh."""

    def _open_device(self, kind: type[_Device]) -> _Device:
        """python-escpos's device: a ``kind`` once the printer is open."""
        device = self.escpos._device
        assert isinstance(device, kind), "the printer is not open"
        return device


class NetworkLink(Link):
    """``tcp://host:port``: a socket with the configured timeout on every call."""

    answers_status = True

    def open(self) -> None:
        super().open()
        # status queries are a few bytes: send them now, not after the last packet's ACK
        self._socket.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)

    @property
    def _socket(self) -> socket.socket:
        return self._open_device(socket.socket)

    def read_byte(self) -> bytes:
        try:
            return self._socket.recv(1)
        except TimeoutError:
            return b""

    def drain(self) -> None:
        sock = self._socket
        for _ in range(_DRAIN_LIMIT):
            readable, _, _ = select.select([sock], [], [], 0)
            if not readable or not sock.recv(256):
                return


class SerialLink(Link):
    """``serial:///dev/ttyS0?baudrate=19200``: read and write both time out."""

    answers_status = True

    def __init__(self, escpos: Escpos, where: str, timeout: float) -> None:
        super().__init__(escpos, where)
        self.timeout = timeout

    @property
    def _port(self) -> serial.Serial:
        return self._open_device(serial.Serial)

    def open(self) -> None:
        super().open()
        self._port.write_timeout = self.timeout  # 3.1 sets only the read timeout

    def abort(self) -> None:
        # closing flushes (tcdrain): a stalled printer would hold that up forever
        device = self.escpos._device
        if isinstance(device, serial.Serial):
            device.reset_output_buffer()
        self.close()

    def read_byte(self) -> bytes:
        return bytes(self._port.read(1))

    def drain(self) -> None:
        self._port.reset_input_buffer()


class DeviceFile(escpos_printer.File):  # type: ignore[misc]  # escpos ships no types
    """python-escpos's ``File`` opened non-blocking, with every write bounded by ``timeout``:
    the ``/dev/usb/lp0`` of a switched-off printer (or a pipe nobody reads) raises
    ``TimeoutError`` instead of hanging the print thread. A missing device is not created."""

    def __init__(self, devfile: str, timeout: float, **kwargs: object) -> None:
        super().__init__(devfile, **kwargs)
        self.timeout = timeout

    def open(self, raise_not_found: bool = True) -> None:
        if self._device:
            self.close()
        flags = os.O_WRONLY | os.O_NONBLOCK | os.O_APPEND | os.O_NOCTTY
        try:
            self.device = os.fdopen(os.open(self.devfile, flags), "wb", buffering=0)
        except OSError as exc:  # ENOENT: unplugged; ENXIO: a pipe with no reader
            raise DeviceNotFoundError(f"{self.devfile}:\n{exc.strerror or exc}") from exc

    def _raw(self, msg: bytes) -> None:
        """Write all of ``msg``; ``TimeoutError`` after ``timeout`` s without progress."""
        fd = self.device.fileno()
        rest = memoryview(msg)
        while rest:
            try:
                rest = rest[os.write(fd, rest) :]
            except BlockingIOError:
                _, writable, _ = select.select([], [fd], [], self.timeout)
                if not writable:
                    raise TimeoutError(f"{self.devfile} took no data") from None

    def flush(self) -> None:
        """Nothing is buffered: every write went straight to the device."""


def _profile(name: str) -> str:
    try:
        get_profile(name)
    except KeyError as exc:
        raise BadParameter(
            "profile",
            f"{name!r} is not a printer profile python-escpos knows; use e.g. TM-T88V, "
            "TM-T20II or default",
        ) from exc
    return name


def _bad_url(url: str, why: str) -> BadParameter:
    return BadParameter("url", f"{url!r} {why}")


def make_link(params: PrinterParams) -> Link:
    """The transport for ``params.url`` (not opened)."""
    url, timeout = params.url, params.timeout_s
    profile = _profile(params.profile)
    parts = urlsplit(url)
    query = parse_qs(parts.query)
    if parts.scheme == "tcp":
        if not parts.hostname:
            raise _bad_url(url, "needs a host, like tcp://192.168.1.50:9100")
        port = parts.port or 9100
        net = escpos_printer.Network(parts.hostname, port, timeout=timeout, profile=profile)
        return NetworkLink(net, f"{parts.hostname}:{port}")
    if parts.scheme == "serial":
        if not parts.path or set(query) - {"baudrate"}:
            raise _bad_url(url, "should look like serial:///dev/ttyS0?baudrate=19200")
        try:
            baudrate = int(query.get("baudrate", ["9600"])[0])
        except ValueError as exc:
            raise _bad_url(url, "has a baudrate that is not a number") from exc
        port_ = escpos_printer.Serial(parts.path, baudrate, timeout=timeout, profile=profile)
        return SerialLink(port_, parts.path, timeout)
    if parts.scheme == "usb":
        try:
            vendor, product = (int(part, 16) for part in parts.netloc.split(":"))
        except ValueError as exc:
            raise _bad_url(url, "should name the USB ids in hex, like usb://04b8:0e15") from exc
        if not escpos_printer.Usb.is_usable():  # python-escpos needs pyusb (and libusb)
            raise _bad_url(
                url,
                "is a USB printer, which needs the pyusb package: install it with `pip install "
                "pyusb` (and the system's libusb-1.0), or use the printer's file:///dev/usb/lp0 "
                "device instead",
            )
        usb = escpos_printer.Usb(vendor, product, timeout=int(timeout * 1000), profile=profile)
        return Link(usb, f"USB {parts.netloc}")
    if parts.scheme == "file":
        if not parts.path:
            raise _bad_url(url, "should name a device file, like file:///dev/usb/lp0")
        return Link(DeviceFile(parts.path, timeout, profile=profile), parts.path)
    if parts.scheme == "dummy":
        return Link(escpos_printer.Dummy(profile=profile), "dummy")
    raise _bad_url(url, "is not tcp://, serial://, usb://, file:// or dummy:")
