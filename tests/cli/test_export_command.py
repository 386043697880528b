"""``counter-app export payments`` asks a supervisor's or an admin's password and writes the
day's file; ``export list`` shows every export; every refusal is a message and status 1."""

from __future__ import annotations

import hashlib
import io
from pathlib import Path

import pytest

from counter_app.cli import main
from counter_app.services import export
from counter_app.services.context import Context
from tests.helpers import Town, cash, pay


@pytest.fixture
def office(ctx: Context, town: Town, monkeypatch: pytest.MonkeyPatch) -> Town:
    """The town with a payment on 11/23; the command line points at its database."""
    monkeypatch.setenv("COUNTER_DATABASE_URL", ctx.settings.effective_database_url)
    monkeypatch.setenv("COUNTER_STATION", "W02")
    pay(ctx, town, [("001234-01", "84.10")], [cash("100.00")])
    return town


def _stdin(monkeypatch: pytest.MonkeyPatch, text: str) -> None:
    monkeypatch.setattr("sys.stdin", io.StringIO(text))


def test_a_supervisor_exports_the_day_after_typing_their_password(
    ctx: Context,
    office: Town,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    prompts: list[str] = []
    monkeypatch.setattr("getpass.getpass", lambda prompt: prompts.append(prompt) or "supervisor123")
    out = tmp_path / "payments-2026-11-23.csv"
    assert (
        main(["export", "payments", "--date", "2026-11-23", "--out", str(out), "--as", "sam"]) == 0
    )
    assert prompts == ["Password for sam: "]
    digest = hashlib.sha256(out.read_bytes()).hexdigest()
    printed = capsys.readouterr().out
    assert (
        f"Exported 1 payment rows of 2026-11-23 to {out} (export #1, sha256 {digest})." in printed
    )
    assert "1 session(s) of 2026-11-23 are still open" in printed
    assert main(["export", "list"]) == 0
    listed = capsys.readouterr().out.split()
    [made] = export.list_exports(ctx)
    at = made.created_at.astimezone(ctx.settings.zone)  # written now, by the wall clock
    assert listed == [
        "#1",
        "2026-11-23",
        "1",
        "rows",
        f"{at:%Y-%m-%d}",
        f"{at:%H:%M}",
        "sam",
        "payments-2026-11-23.csv",
        "sha256",
        digest,
    ]
    assert main(["export", "list", "--date", "2026-11-22"]) == 0
    assert capsys.readouterr().out == "No exports of 2026-11-22.\n"


@pytest.mark.parametrize(
    ("who", "password", "message"),
    [
        (
            "maria",
            "cashier123",
            "maria is a cashier: only an admin or supervisor may export payments",
        ),
        ("sam", "wrong-password", "Wrong username or password"),
        ("nobody", "whatever-it-is", "Wrong username or password"),
    ],
)
def test_only_a_supervisor_or_an_admin_with_their_password_may_export(
    ctx: Context,
    office: Town,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
    who: str,
    password: str,
    message: str,
) -> None:
    _stdin(monkeypatch, f"{password}\n")
    out = tmp_path / "p.csv"
    args = ["export", "payments", "--date", "2026-11-23", "--out", str(out)]
    assert main([*args, "--as", who, "--password-stdin"]) == 1
    err = capsys.readouterr().err
    assert message in err and "Traceback" not in err
    assert not out.exists()
    assert export.list_exports(ctx) == []


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--date", "11/23/2026"], '--date "11/23/2026" is not a date: write it as YYYY-MM-DD'),
        (["--date", "2026-11-23", "--as", " "], "To export payments, say who you are: --as USER"),
        (
            ["--date", "2026-11-23", "--as", "sam", "--out", "{missing}"],
            "{missing}: cannot write the file (No such file or directory); nothing was exported",
        ),
    ],
)
def test_a_bad_command_line_is_a_message_and_status_1(
    ctx: Context,
    office: Town,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
    args: list[str],
    message: str,
) -> None:
    _stdin(monkeypatch, "supervisor123\n")
    missing = str(tmp_path / "no-such-folder" / "p.csv")
    args = [a.format(missing=missing) for a in args]
    if "--out" not in args:
        args += ["--out", str(tmp_path / "p.csv")]
    assert main(["export", "payments", *args, "--password-stdin"]) == 1
    err = capsys.readouterr().err
    assert message.format(missing=missing) in err and "Traceback" not in err
    assert export.list_exports(ctx) == []
