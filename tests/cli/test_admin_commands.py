"""``counter-app user …`` and ``db …`` through the real command line entry point."""

from __future__ import annotations

import io
from pathlib import Path

import pytest

from counter_app.app import build_context
from counter_app.cli import main
from counter_app.db import migrate
from counter_app.db.engine import Database
from counter_app.services import users


@pytest.fixture
def on_db(db_url: str, monkeypatch: pytest.MonkeyPatch) -> str:
    monkeypatch.setenv("COUNTER_DATABASE_URL", db_url)
    return db_url


@pytest.fixture
def admin(on_db: str) -> str:
    """The database's first admin, who signs in to change users."""
    users.bootstrap_admin(build_context(), "root", ADMIN_PASSWORD)
    return "root"


ADMIN_PASSWORD = "root-password"
AS_ADMIN = ["--as", "root", "--password-stdin"]  # stdin: the admin's password, then the new one


def _stdin(monkeypatch: pytest.MonkeyPatch, text: str) -> None:
    monkeypatch.setattr("sys.stdin", io.StringIO(text))


def test_user_add_reads_the_password_from_stdin_and_the_user_can_log_in(
    admin: str, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    _stdin(monkeypatch, f"{ADMIN_PASSWORD}\ns3cret-enough\n")
    argv = ["user", "add", "Dana", "--role", "Supervisor", "--full-name", "Dana Ortiz"]
    assert main([*argv, *AS_ADMIN]) == 0
    assert capsys.readouterr().out == "Added supervisor dana (Dana Ortiz).\n"
    assert users.authenticate(build_context(), "dana", "s3cret-enough").role.value == "supervisor"


def test_user_list_shows_each_user_with_role_and_state(
    admin: str, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    for name, role in (("ann", "cashier"), ("bo", "admin")):
        _stdin(monkeypatch, f"{ADMIN_PASSWORD}\nlong-password\n")
        assert main(["user", "add", name, "--role", role, *AS_ADMIN]) == 0
    _stdin(monkeypatch, f"{ADMIN_PASSWORD}\n")
    assert main(["user", "disable", "bo", *AS_ADMIN]) == 0
    capsys.readouterr()
    assert main(["user", "list"]) == 0
    rows = [line.split() for line in capsys.readouterr().out.splitlines()]
    assert rows == [
        ["ann", "cashier", "active", "ann"],
        ["bo", "admin", "disabled", "bo"],
        ["root", "admin", "active", "root"],
    ]


def test_a_disabled_user_cannot_log_in(
    admin: str, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    _stdin(monkeypatch, f"{ADMIN_PASSWORD}\nlong-password\n")
    main(["user", "add", "cy", "--role", "cashier", *AS_ADMIN])
    _stdin(monkeypatch, f"{ADMIN_PASSWORD}\n")
    assert main(["user", "disable", "cy", *AS_ADMIN]) == 0
    assert capsys.readouterr().out.endswith("Disabled cy.\n")
    listed = {u.username: u.active for u in users.list_users(build_context())}
    assert listed == {"cy": False, "root": True}


@pytest.mark.parametrize(
    ("argv", "stdin", "message"),
    [
        (["add", "ann", "--role", "boss"], "long-password\n", '"boss" is not a role'),
        (["add", "ann", "--role", "cashier"], "short\n", "Password must be at least"),
        (["add", "9lives", "--role", "cashier"], "long-password\n", "not a usable username"),
        (["disable", "nobody"], "", 'No user "nobody"'),
    ],
)
def test_a_bad_user_command_prints_why_exits_1_and_adds_nobody(
    admin: str,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
    argv: list[str],
    stdin: str,
    message: str,
) -> None:
    _stdin(monkeypatch, f"{ADMIN_PASSWORD}\n{stdin}")
    assert main(["user", *argv, *AS_ADMIN]) == 1
    assert message in capsys.readouterr().err
    assert [u.username for u in users.list_users(build_context())] == ["root"]


def test_adding_a_user_twice_is_refused(
    admin: str, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    for _ in range(2):
        _stdin(monkeypatch, f"{ADMIN_PASSWORD}\nlong-password\n")
        code = main(["user", "add", "Ann", "--role", "cashier", *AS_ADMIN])
    assert code == 1
    assert 'User "ann" already exists' in capsys.readouterr().err
    assert [u.username for u in users.list_users(build_context())] == ["ann", "root"]


# --- db -----------------------------------------------------------------------------------
def _new_sqlite(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Database:
    url = f"sqlite:///{tmp_path / 'fresh.db'}"
    monkeypatch.setenv("COUNTER_DATABASE_URL", url)
    return Database.from_url(url)


def test_db_current_shows_an_empty_database_as_it_is_without_migrating_it(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    db = _new_sqlite(tmp_path, monkeypatch)
    assert main(["db", "current"]) == 0
    head = migrate.head_revision()
    assert capsys.readouterr().out == f"empty (newest is {head}: run counter-app db upgrade)\n"
    assert migrate.current_revision(db.engine) is None


def test_db_upgrade_reports_from_and_to_then_current_shows_the_newest(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    db = _new_sqlite(tmp_path, monkeypatch)
    head = migrate.head_revision()
    assert main(["db", "upgrade"]) == 0
    assert capsys.readouterr().out == f"Database upgraded from revision empty to {head} (newest).\n"
    assert migrate.is_up_to_date(db.engine)
    assert main(["db", "upgrade"]) == 0
    assert capsys.readouterr().out == f"Database is at revision {head} (newest); nothing to do.\n"
    assert main(["db", "current"]) == 0
    assert capsys.readouterr().out == f"{head} (newest)\n"
