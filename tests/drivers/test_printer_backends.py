"""Backends by URL: serial → the pty simulator, file:// and dummy:, and bad settings."""

from __future__ import annotations

import contextlib
import os
import time
from pathlib import Path

import pytest
from escpos.printer import Serial, Usb

from counter_app.app import receipt_printer
from counter_app.domain.errors import ConfigError
from counter_app.printing.samples import SAMPLE_NUMBER, sample_receipt
from drivers.errors import PaperOut, PrinterOffline, PrinterTimeout
from drivers.sim.escpos_decoder import Barcode, Cut, EscPosDecoder, TextLine
from drivers.sim.printer import PrinterSimulator
from drivers.status import Paper, PrinterStatus
from tests.helpers import FAST, printer_settings


@pytest.fixture
def serial_printer(printer_sim: PrinterSimulator):
    printer = receipt_printer(printer_settings(f"{printer_sim.serial_url}?baudrate=19200"))
    printer.open()
    yield printer
    printer.close()


def test_a_serial_printer_on_the_pty_prints_the_receipt(printer_sim, serial_printer) -> None:
    serial_printer.print_receipt(sample_receipt())
    [job] = printer_sim.wait_for_jobs(1)
    assert "José Núñez" in job.lines
    assert job.line_with("TOTAL").text.endswith("$184.10")
    assert [b.content for b in job.barcodes] == [SAMPLE_NUMBER]
    assert job.cut


def test_a_serial_printer_answers_status_over_the_pty(printer_sim, serial_printer) -> None:
    printer_sim.set_state(near_end=True)
    assert serial_printer.status().paper is Paper.NEAR_END
    printer_sim.set_state(paper_out=True)
    with pytest.raises(PaperOut):
        serial_printer.print_receipt(sample_receipt())
    assert printer_sim.jobs == []


def test_a_serial_printer_that_stalls_mid_job_raises_printer_timeout(
    printer_sim, serial_printer
) -> None:
    printer_sim.fault_after(300, stalled=True)
    started = time.monotonic()
    with pytest.raises(PrinterTimeout):
        serial_printer.print_receipt(sample_receipt())
    assert time.monotonic() - started < FAST * 3


def test_a_job_without_a_cut_on_the_pty_ends_when_the_client_closes_the_port(printer_sim):
    port = Serial(printer_sim.pty_path, 19200, timeout=FAST)
    port.open()
    port.textln("half a receipt")
    port.close()
    [job] = printer_sim.wait_for_jobs(1)
    assert job.lines == ["half a receipt"] and not job.cut
    serial_printer = receipt_printer(printer_settings(printer_sim.serial_url))
    serial_printer.open()  # the next client starts afresh
    serial_printer.print_receipt(sample_receipt())
    serial_printer.close()
    assert printer_sim.wait_for_jobs(2)[1].cut


def test_a_missing_serial_port_raises_printer_offline(tmp_path: Path) -> None:
    printer = receipt_printer(printer_settings(f"serial://{tmp_path}/ttyUSB9"))
    with pytest.raises(PrinterOffline, match="ttyUSB9"):
        printer.open()


def test_a_file_printer_writes_the_job_and_reports_status_unknown(tmp_path: Path) -> None:
    device = tmp_path / "lp0"
    device.touch()
    printer = receipt_printer(printer_settings(f"file://{device}", logo=False))
    printer.open()
    assert printer.status() == PrinterStatus()
    printer.print_receipt(sample_receipt())
    printer.close()
    events = EscPosDecoder().feed(device.read_bytes())
    texts = [e.text for e in events if isinstance(e, TextLine)]
    assert "José Núñez" in texts
    assert Barcode("CODE128", SAMPLE_NUMBER) in events
    assert isinstance(events[-1], Cut)


def test_a_missing_device_file_is_offline_and_is_not_created(tmp_path: Path) -> None:
    device = tmp_path / "lp0"
    printer = receipt_printer(printer_settings(f"file://{device}"))
    with pytest.raises(PrinterOffline, match="lp0: No such file or directory"):
        printer.open()
    assert not device.exists()


@pytest.fixture
def fifo(tmp_path: Path) -> Path:
    path = tmp_path / "lp0"
    os.mkfifo(path)
    return path


def test_a_device_file_nobody_has_open_is_offline_at_once(fifo: Path) -> None:
    printer = receipt_printer(printer_settings(f"file://{fifo}"))
    with pytest.raises(PrinterOffline, match="check power and cable"):
        printer.open()


def test_a_device_file_that_takes_no_data_raises_printer_timeout_instead_of_hanging(
    fifo: Path,
) -> None:
    reader = os.open(fifo, os.O_RDONLY | os.O_NONBLOCK)  # open, but never read: printer off
    filler = os.open(fifo, os.O_WRONLY | os.O_NONBLOCK)
    try:
        with contextlib.suppress(BlockingIOError):
            while os.write(filler, b"\0" * 65536):
                pass  # until the pipe is full
        printer = receipt_printer(printer_settings(f"file://{fifo}", logo=False))
        printer.open()
        started = time.monotonic()
        with pytest.raises(PrinterTimeout, match="did not take the data within 0.5 s"):
            printer.print_receipt(sample_receipt())
        assert time.monotonic() - started < FAST * 3
        printer.close()
    finally:
        os.close(filler)
        os.close(reader)


def test_a_device_file_that_is_read_gets_the_whole_receipt(fifo: Path) -> None:
    reader = os.open(fifo, os.O_RDONLY | os.O_NONBLOCK)
    try:
        printer = receipt_printer(printer_settings(f"file://{fifo}"))
        printer.open()
        printer.print_receipt(sample_receipt())
        printer.close()
        data = b""
        while chunk := os.read(reader, 65536):
            data += chunk
    finally:
        os.close(reader)
    events = EscPosDecoder().feed(data)
    assert "José Núñez" in [e.text for e in events if isinstance(e, TextLine)]
    assert isinstance(events[-1], Cut)


@pytest.mark.skipif(Usb.is_usable(), reason="pyusb is installed here")
def test_a_usb_printer_without_pyusb_is_a_config_error_naming_the_package() -> None:
    with pytest.raises(ConfigError, match="needs the pyusb package: install it with `pip install"):
        receipt_printer(printer_settings("usb://04b8:0e15"))


@pytest.mark.skipif(not Usb.is_usable(), reason="pyusb is not installed here")
def test_a_usb_printer_that_is_not_plugged_in_is_offline() -> None:
    printer = receipt_printer(printer_settings("usb://04b8:0e15"))
    with pytest.raises(PrinterOffline, match="USB 04b8:0e15"):
        printer.open()


def test_a_dummy_printer_accepts_everything_with_unknown_status() -> None:
    printer = receipt_printer(printer_settings("dummy:"))
    printer.open()
    printer.print_receipt(sample_receipt())
    printer.driver.kick_drawer(2, 100, 200)
    assert printer.status().paper is Paper.UNKNOWN


@pytest.mark.parametrize(
    ("url", "message"),
    [
        ("tcp://:9100", "needs a host"),
        ("serial:///dev/ttyS0?speed=9600", "serial:///dev/ttyS0"),
        ("serial:///dev/ttyS0?baudrate=fast", "baudrate"),
        ("usb://epson", "USB ids in hex"),
    ],
)
def test_a_malformed_printer_url_is_a_config_error_naming_the_setting(url, message) -> None:
    with pytest.raises(ConfigError, match=message) as caught:
        receipt_printer(printer_settings(url))
    assert "COUNTER_PRINTER__URL" in str(caught.value)


def test_an_unknown_profile_is_a_config_error() -> None:
    with pytest.raises(ConfigError, match="COUNTER_PRINTER__PROFILE"):
        receipt_printer(printer_settings("dummy:", profile="TM-NOPE"))
