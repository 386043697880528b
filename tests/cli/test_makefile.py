"""The Makefile's checks before it builds .venv: what it says on a machine that lacks things."""

from __future__ import annotations

import shutil
import subprocess
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
MAKE = shutil.which("make") or "make"


def _make(*args: str, path: str | None = None) -> subprocess.CompletedProcess[str]:
    env = {"PATH": path} if path is not None else None
    return subprocess.run(
        [MAKE, "--no-print-directory", *args], cwd=ROOT, capture_output=True, text=True, env=env
    )


def test_without_dpkg_the_packages_to_install_are_listed_not_skipped(tmp_path: Path) -> None:
    done = _make("system-deps", "DEBS=libegl1 xvfb", path=str(tmp_path))
    assert done.returncode == 0
    assert "Not a Debian/Ubuntu system" in done.stdout
    assert "libegl1 xvfb" in done.stdout


def test_a_python_older_than_3_11_stops_with_what_to_do(tmp_path: Path) -> None:
    old = tmp_path / "python3.9"
    old.write_text('#!/bin/sh\n[ "$1" = -V ] && echo "Python 3.9.2"\nexit 1\n')
    old.chmod(0o755)
    done = _make("python-check", f"PYTHON={old}")
    assert done.returncode != 0
    assert f"Counter needs Python 3.11 or newer; {old} is Python 3.9.2." in done.stdout
    assert "make PYTHON=python3.12 run" in done.stdout


def test_a_missing_python_stops_with_what_to_install(tmp_path: Path) -> None:
    done = _make("python-check", f"PYTHON={tmp_path / 'no-such-python'}")
    assert done.returncode != 0
    assert "is not installed" in done.stdout
    assert "apt-get install python3 python3-venv" in done.stdout


def test_make_run_asks_for_the_50000_account_demo_city_unless_told_otherwise() -> None:
    dry = _make("-n", "run")
    assert dry.returncode == 0, dry.stderr
    assert "COUNTER_DEMO_ACCOUNTS=${COUNTER_DEMO_ACCOUNTS:-50000}" in dry.stdout
