"""The wheel is Counter on its own: built from the checkout, installed (not editable) into a
fresh virtual environment, its ``counter-app`` migrates a new SQLite file and prints a test
page on the simulator from a folder outside the checkout, with migrations/ and resources/
found inside the installed package."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import sysconfig
import venv
from collections.abc import Iterator
from pathlib import Path

import pytest

from counter_app.db import migrate
from drivers.sim.printer import PrinterSimulator

ROOT = Path(__file__).resolve().parents[2]
SOURCES = ["pyproject.toml", "setup.py", "README.md", "counter_app", "drivers", "migrations"]
SOURCES.append("resources")  # everything setup.py and pyproject.toml name


def _run(*command: str | Path, cwd: Path, **env: str) -> subprocess.CompletedProcess[str]:
    clean = {k: v for k, v in os.environ.items() if k != "PYTHONPATH"}
    done = subprocess.run(
        [str(c) for c in command],
        cwd=cwd,
        env={**clean, **env},
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert done.returncode == 0, done.stdout + done.stderr
    return done


def _copy_sources(to: Path) -> Path:
    """The files a wheel is built from, copied so the build writes nothing into the checkout."""
    junk = shutil.ignore_patterns("__pycache__", "*.egg-info")
    to.mkdir()
    for name in SOURCES:
        source = ROOT / name
        if source.is_dir():
            shutil.copytree(source, to / name, ignore=junk)
        else:
            shutil.copy2(source, to / name)
    return to


@pytest.fixture(scope="module")
def installed(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Path]:
    """A fresh venv's ``bin/`` with the wheel installed and this venv's libraries visible
    (its site-packages on a .pth line: no editable Counter comes along)."""
    work = tmp_path_factory.mktemp("wheel")
    source = _copy_sources(work / "src")
    pip = (sys.executable, "-m", "pip", "--disable-pip-version-check", "--no-input")
    build = ("wheel", "--no-deps", "--no-build-isolation", "--no-index", "-w", work, source)
    _run(*pip, *build, cwd=work)
    [wheel] = work.glob("counter_app-*.whl")
    env_dir = work / "venv"
    venv.create(env_dir, with_pip=False)
    python = env_dir / "bin" / "python"
    ask = "import sysconfig; print(sysconfig.get_paths()['purelib'])"
    purelib = _run(python, "-c", ask, cwd=work).stdout.strip()
    libraries = {sysconfig.get_paths()["purelib"], sysconfig.get_paths()["platlib"]}
    (Path(purelib) / "test-venv-libraries.pth").write_text("\n".join(sorted(libraries)) + "\n")
    _run(*pip, "--python", python, "install", "--no-deps", "--no-index", wheel, cwd=work)
    yield env_dir / "bin"


def test_the_installed_counter_app_migrates_a_new_sqlite_file_from_outside_the_checkout(
    installed: Path, tmp_path: Path
) -> None:
    database = tmp_path / "x.db"
    url = f"sqlite:///{database}"
    done = _run(installed / "counter-app", "db", "upgrade", cwd=tmp_path, COUNTER_DATABASE_URL=url)
    assert f"to {migrate.head_revision()} (newest)" in done.stdout
    assert database.stat().st_size > 0
    ask = (
        "import counter_app.db.migrate as m, counter_app.printing.layout as p;"
        "print(m.migrations_folder()); print(p.receipt_logo())"
    )
    where = _run(installed / "python", "-c", ask, cwd=tmp_path).stdout.split()
    inside = str(installed.parent / "lib")
    assert [Path(w).name for w in where] == ["migrations", "receipt_logo.png"]
    assert all(w.startswith(inside) for w in where), where


def test_the_installed_counter_app_prints_a_test_page_on_the_simulator(
    installed: Path, tmp_path: Path
) -> None:
    with PrinterSimulator() as sim:
        done = _run(
            installed / "counter-app", "printer", "test", cwd=tmp_path, COUNTER_PRINTER__URL=sim.url
        )
        [job] = sim.wait_for_jobs(1)
    assert "online" in done.stdout
    assert "PRINTER TEST" in job.lines and job.cut
