"""Starting Counter: the first start's demo data, and settings that cannot work."""

from __future__ import annotations

from pathlib import Path

import pytest
from sqlalchemy import func, select

from counter_app.app import build_context, start
from counter_app.cli import main
from counter_app.config import Settings
from counter_app.db.models import Account, User
from counter_app.domain.errors import ConfigError


def _counts(settings: Settings) -> tuple[int, int]:
    ctx = build_context(settings)
    with ctx.db.read() as s:
        return (
            s.execute(select(func.count(Account.id))).scalar_one(),
            s.execute(select(func.count(User.id))).scalar_one(),
        )


def test_the_first_start_loads_the_demo_city_when_asked_and_prints_the_passwords(
    settings: Settings, capsys: pytest.CaptureFixture[str]
) -> None:
    start(settings.model_copy(update={"demo_accounts": 30, "demo_day_payments": 0}))
    out = capsys.readouterr().out
    assert "Loaded the demo city: 30 accounts" in out
    assert "supervisor" in out
    assert _counts(settings)[0] == 30


def test_a_second_start_leaves_the_loaded_data_alone(
    settings: Settings, capsys: pytest.CaptureFixture[str]
) -> None:
    start(settings.model_copy(update={"demo_accounts": 30, "demo_day_payments": 0}))
    capsys.readouterr()
    start(settings.model_copy(update={"demo_accounts": 40}))
    out = capsys.readouterr().out
    assert "Loaded the demo city" not in out
    assert out.startswith("Demo city: 30 accounts ready in ")  # says what it found
    assert _counts(settings)[0] == 30


def test_by_default_a_start_loads_no_demo_accounts_and_no_demo_users(
    settings: Settings, capsys: pytest.CaptureFixture[str]
) -> None:
    start(settings)
    assert capsys.readouterr().out == ""
    assert _counts(settings) == (0, 0)


# --- settings that cannot work: a message and exit 1, never a traceback ---------------------
def _fails_naming(capsys: pytest.CaptureFixture[str], argv: list[str], *expected: str) -> None:
    assert main(argv) == 1
    err = capsys.readouterr().err
    assert err.startswith("counter-app: ")
    assert "Traceback" not in err
    for text in expected:
        assert text in err


def test_an_unreachable_database_server_is_named_with_its_setting(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.setenv("COUNTER_DATABASE_URL", "postgresql://counter:pw@127.0.0.1:1/counter")
    _fails_naming(
        capsys,
        ["user", "list"],
        "Setting database_url (COUNTER_DATABASE_URL): cannot use the database at "
        "postgresql+psycopg://counter:***@127.0.0.1:1/counter",
        "nothing was changed",
    )


def test_a_file_that_is_not_a_database_is_named_with_its_setting(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    junk = tmp_path / "notes.db"
    junk.write_bytes(b"these are notes, not a database " * 100)
    monkeypatch.setenv("COUNTER_DATABASE_URL", f"sqlite:///{junk}")
    _fails_naming(capsys, ["db", "current"], "database_url (COUNTER_DATABASE_URL)", "notes.db")


def test_a_database_folder_that_cannot_be_made_is_named_with_its_setting(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    blocker = tmp_path / "a-file"
    blocker.write_text("")
    monkeypatch.setenv("COUNTER_DATABASE_URL", f"sqlite:///{blocker}/counter.db")
    _fails_naming(capsys, ["db", "upgrade"], "database_url (COUNTER_DATABASE_URL)")


@pytest.mark.parametrize(
    ("name", "value", "expected"),
    [
        ("COUNTER_DATABSE_URL", "sqlite:///x.db", "did you mean COUNTER_DATABASE_URL?"),
        ("COUNTER_POLICY__NSF_FEE", "-5", "policy.nsf_fee (COUNTER_POLICY__NSF_FEE)"),
        ("COUNTER_DATABASE_URL", "sqlite://", "needs a file"),
    ],
)
def test_a_bad_setting_stops_every_command_with_a_message(
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
    name: str,
    value: str,
    expected: str,
) -> None:
    monkeypatch.setenv(name, value)
    _fails_naming(capsys, ["user", "list"], "Bad configuration", expected)


def test_build_context_reports_an_unusable_database_as_a_config_error(
    fresh_settings: Settings, tmp_path: Path
) -> None:
    junk = tmp_path / "junk.db"
    junk.write_bytes(b"x" * 4096)
    with pytest.raises(ConfigError, match="COUNTER_DATABASE_URL"):
        build_context(fresh_settings.model_copy(update={"database_url": f"sqlite:///{junk}"}))


def test_an_unusable_data_folder_is_named_when_no_database_url_is_set(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    blocker = tmp_path / "a-file"
    blocker.write_text("")
    monkeypatch.setenv("COUNTER_DATA_DIR", str(blocker / "counter"))
    _fails_naming(capsys, ["user", "list"], "Setting data_dir (COUNTER_DATA_DIR)", "a-file")
