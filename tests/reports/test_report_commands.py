"""``counter-app report …`` through the real entry point on the generated day: a supervisor
signs in and gets the PDF; a cashier, a bad date and a day without a deposit are refused
with a message and exit status 1."""

from __future__ import annotations

import io
from pathlib import Path

import pytest

from counter_app.cli import main
from counter_app.services.context import Context
from tests.reports.conftest import Day, pdf_text

AS_SAM = ["--as", "sam", "--password-stdin"]


@pytest.fixture
def on_day(day: Day, db_url: str, ctx: Context, monkeypatch: pytest.MonkeyPatch) -> Day:
    monkeypatch.setenv("COUNTER_DATABASE_URL", db_url)
    return day


def _stdin(monkeypatch: pytest.MonkeyPatch, text: str) -> None:
    monkeypatch.setattr("sys.stdin", io.StringIO(text))


@pytest.mark.parametrize(
    ("argv", "title", "said"),
    [
        (
            ["drawer", "--session", "MARIA"],
            "Drawer Balancing",
            "Z of session #MARIA: collected $347.65",
        ),
        (["deposit", "--date", "2026-11-23"], "Deposit Slip", "total $344.55"),
        (["daily", "--date", "2026-11-23"], "Daily Cash Report", "net collections $362.55"),
        (["payments", "--date", "2026-11-23"], "Payment Register", "11 receipts, net $362.55"),
        (["checks", "--date", "2026-11-23"], "Check Register", "4 items, to deposit $277.55"),
    ],
)
def test_a_supervisor_gets_each_report_as_a_pdf(
    on_day: Day,
    argv: list[str],
    title: str,
    said: str,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    out = tmp_path / "out.pdf"
    argv = [a.replace("MARIA", str(on_day.maria_session)) for a in argv]
    said = said.replace("MARIA", str(on_day.maria_session))
    _stdin(monkeypatch, "supervisor123\n")
    assert main(["report", *argv, "--out", str(out), *AS_SAM]) == 0
    printed = capsys.readouterr().out
    assert printed.startswith(f"Wrote {out} — ") and said in printed
    assert title in pdf_text(out.read_bytes(), tmp_path)


@pytest.mark.parametrize(
    ("argv", "stdin", "message"),
    [
        (
            ["daily", "--date", "2026-11-23", "--as", "maria", "--password-stdin"],
            "cashier123\n",
            "maria is a cashier: only an admin or supervisor may read end-of-day reports",
        ),
        (["daily", "--date", "11/23/2026", *AS_SAM], "", "write the business date as YYYY-MM-DD"),
        (
            ["deposit", "--date", "2026-11-20", *AS_SAM],
            "supervisor123\n",
            "No deposit was made for 11/20/2026",
        ),
        (["drawer", "--session", "1"], "", "To read end-of-day reports, say who you are"),
    ],
)
def test_refusals_say_why_and_exit_1(
    on_day: Day,
    argv: list[str],
    stdin: str,
    message: str,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    _stdin(monkeypatch, stdin)
    assert main(["report", *argv, "--out", str(tmp_path / "x.pdf")]) == 1
    assert message in capsys.readouterr().err
    assert not (tmp_path / "x.pdf").exists()
