"""``python -m drivers.sim.printer`` / ``drivers.sim.drawer`` start, serve and stop on SIGTERM."""

from __future__ import annotations

import re
import signal
import subprocess
import sys
from pathlib import Path

import pytest

from counter_app.config import PrinterSettings
from drivers.printer import make_printer
from drivers.sim.samples import sample_receipt


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
    proc, banner = _start("drivers.sim.printer", "--out", str(tmp_path), "--pty")
    try:
        url = re.search(r"tcp://127\.0\.0\.1:\d+", banner)
        assert url, banner
        printer = make_printer(PrinterSettings(url=url.group(0), timeout_s=2))
        printer.open()
        printer.print_receipt(sample_receipt())
        printer.close()
    finally:
        assert _stop(proc) == 0
    assert "José Núñez" in (tmp_path / "job-0001.txt").read_text(encoding="utf-8")
    assert (tmp_path / "job-0001.png").exists()


def test_the_drawer_simulator_cli_announces_its_rfc2217_url() -> None:
    proc, banner = _start("drivers.sim.drawer", "--auto-close", "2")
    try:
        assert re.search(r"rfc2217://127\.0\.0\.1:\d+", banner), banner
    finally:
        assert _stop(proc) == 0
