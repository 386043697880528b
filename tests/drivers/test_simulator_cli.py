"""``python -m drivers.sim.printer`` / ``drivers.sim.drawer`` start, serve and stop on SIGTERM."""

from __future__ import annotations

import re
import signal
import socket
import subprocess
import sys
import time
from pathlib import Path

import pytest
from PIL import Image

from counter_app.app import cash_drawer, receipt_printer
from counter_app.config import DrawerSettings, PrinterSettings
from counter_app.printing.samples import sample_receipt
from drivers.sim.render import CELL_W, MARGIN


def _start(*args: str) -> tuple[subprocess.Popen[str], str]:
    proc = subprocess.Popen(
        [sys.executable, "-m", *args, "--port", "0", "--control-port", "0"],
        stdout=subprocess.PIPE,
        text=True,
    )
    assert proc.stdout is not None
    return proc, proc.stdout.readline()


def _stop(proc: subprocess.Popen[str]) -> int:
    proc.send_signal(signal.SIGTERM)
    try:
        return proc.wait(timeout=10)
    except subprocess.TimeoutExpired:
        proc.kill()
        pytest.fail("the simulator did not stop on SIGTERM")


def test_the_printer_simulator_cli_prints_a_job_into_its_folder(tmp_path: Path) -> None:
    proc, banner = _start("drivers.sim.printer", "--out", str(tmp_path), "--pty", "--columns", "32")
    try:
        url = re.search(r"tcp://127\.0\.0\.1:\d+", banner)
        assert url, banner
        printer = receipt_printer(PrinterSettings(url=url.group(0), timeout_s=2, paper_mm=58))
        printer.open()
        printer.print_receipt(sample_receipt())
        printer.close()
    finally:
        assert _stop(proc) == 0
    assert "José Núñez" in (tmp_path / "job-0001.txt").read_text(encoding="utf-8")
    with Image.open(tmp_path / "job-0001.png") as png:
        assert png.width == 32 * CELL_W + 2 * MARGIN  # --columns: 58 mm paper


def test_the_drawer_simulator_cli_serves_a_drawer_that_opens_and_closes_on_command() -> None:
    proc, banner = _start("drivers.sim.drawer", "--sensor", "DSR")
    try:
        url = re.search(r"rfc2217://127\.0\.0\.1:\d+", banner)
        assert url, banner
        assert proc.stdout is not None
        proc.stdout.readline()  # the settings line
        control = re.search(r"nc (127\.0\.0\.1) (\d+)", proc.stdout.readline())
        assert control
        settings = DrawerSettings(backend="serial", url=url.group(0), sensor_line="DSR")
        drawer = cash_drawer(settings, None)
        drawer.connect()
        try:
            assert drawer.is_open() is False
            drawer.open()
            assert drawer.is_open() is True
            assert _control(control.group(1), int(control.group(2)), "close").startswith(
                "drawer closed"
            )
            # pyserial's RFC 2217 client learns of the new line state a moment later: wait
            # for it, or open() could trust the old "open" and return before the drawer popped
            deadline = time.monotonic() + 5
            while drawer.is_open() and time.monotonic() < deadline:
                time.sleep(0.05)
            assert drawer.is_open() is False
            drawer.open()  # and again after it was pushed shut
            assert _control(control.group(1), int(control.group(2)), "status").startswith(
                "drawer open"
            )
        finally:
            drawer.close()
    finally:
        assert _stop(proc) == 0


def _control(host: str, port: int, word: str) -> str:
    with socket.create_connection((host, port), timeout=5) as conn:
        conn.sendall(word.encode() + b"\n")
        return conn.makefile().readline().strip()
