"""Commands that change users or post money ask who is running them and check the password
and the role; the first admin of a database comes from ``user bootstrap-admin``, once."""

from __future__ import annotations

import io

import pytest
from sqlalchemy import select

from counter_app.cli import main
from counter_app.db.models import AuditEvent
from counter_app.domain.money import Money
from counter_app.services import lookup, users
from counter_app.services.context import Context
from tests.helpers import Town

ROOT_PASSWORD = "root-password"
GOOD = "account_number,amount,tender,reference\n001234-01,84.10,check,5001\n"
CHANGES = {
    "add": ["user", "add", "mallory", "--role", "admin"],
    "disable": ["user", "disable", "maria"],
}


@pytest.fixture
def office(ctx: Context, town: Town, monkeypatch: pytest.MonkeyPatch) -> int:
    """The town with an admin, ``root``; the command line points at its database. The
    admin's id."""
    monkeypatch.setenv("COUNTER_DATABASE_URL", ctx.settings.effective_database_url)
    monkeypatch.setenv("COUNTER_STATION", "W02")
    return users.bootstrap_admin(ctx, "root", ROOT_PASSWORD).id


def _stdin(monkeypatch: pytest.MonkeyPatch, text: str) -> None:
    monkeypatch.setattr("sys.stdin", io.StringIO(text))


def _users(ctx: Context) -> dict[str, bool]:
    return {u.username: u.active for u in users.list_users(ctx)}


def _events(ctx: Context, action: str) -> list[tuple[int | None, dict[str, object]]]:
    with ctx.db.read() as session:
        rows = session.execute(
            select(AuditEvent.user_id, AuditEvent.details)
            .where(AuditEvent.action == action)
            .order_by(AuditEvent.id)
        )
        return [(user_id, details) for user_id, details in rows]


UNCHANGED = {"maria": True, "root": True, "sam": True}


@pytest.mark.parametrize("change", CHANGES)
def test_changing_users_without_saying_who_you_are_is_refused_and_changes_nothing(
    ctx: Context, office: int, change: str, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main([*CHANGES[change], "--password-stdin"]) == 1
    err = capsys.readouterr().err
    assert f"To {change} users, say who you are: --as USER" in err
    assert "Traceback" not in err
    assert _users(ctx) == UNCHANGED


@pytest.mark.parametrize("change", CHANGES)
def test_a_wrong_admin_password_is_refused_counted_and_changes_nothing(
    ctx: Context,
    office: int,
    change: str,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    _stdin(monkeypatch, "not-the-password\nmallory-password\n")
    assert main([*CHANGES[change], "--as", "root", "--password-stdin"]) == 1
    assert "Wrong username or password" in capsys.readouterr().err
    assert _users(ctx) == UNCHANGED
    assert _events(ctx, "user.login_failed") == [(office, {"locked": False})]


@pytest.mark.parametrize("change", CHANGES)
@pytest.mark.parametrize(
    ("who", "password", "role"),
    [("maria", "cashier123", "cashier"), ("sam", "supervisor123", "supervisor")],
)
def test_a_cashier_or_supervisor_with_the_right_password_cannot_change_users(
    ctx: Context,
    office: int,
    change: str,
    who: str,
    password: str,
    role: str,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    _stdin(monkeypatch, f"{password}\nmallory-password\n")
    assert main([*CHANGES[change], "--as", who, "--password-stdin"]) == 1
    assert f"{who} is a {role}: only an admin may {change} users" in capsys.readouterr().err
    assert _users(ctx) == UNCHANGED
    [(_, refused)] = _events(ctx, "user.refused")
    assert refused == {"for": f"{change} users", "role": role}


def test_no_password_on_stdin_is_refused(
    ctx: Context, office: int, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    _stdin(monkeypatch, "")
    assert main([*CHANGES["disable"], "--as", "root", "--password-stdin"]) == 1
    assert "no line on stdin for root's password" in capsys.readouterr().err
    assert _users(ctx) == UNCHANGED


def test_an_admins_changes_are_audited_as_the_admin(
    ctx: Context, office: int, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    prompts: list[str] = []
    answers = iter([ROOT_PASSWORD, "lee-password", "lee-password"])

    def typed(prompt: str) -> str:
        prompts.append(prompt)
        return next(answers)

    monkeypatch.setattr("getpass.getpass", typed)
    assert main(["user", "add", "lee", "--role", "cashier", "--as", "root"]) == 0
    assert prompts == ["Password for root: ", "Password for the new user lee: ", "Again: "]
    _stdin(monkeypatch, f"{ROOT_PASSWORD}\n")
    assert main([*CHANGES["disable"], "--as", "root", "--password-stdin"]) == 0
    assert _users(ctx) == {**UNCHANGED, "lee": True, "maria": False}
    assert [who for who, _ in _events(ctx, "user.add")][-1] == office
    assert [who for who, _ in _events(ctx, "user.disable")] == [office]
    assert users.authenticate(ctx, "lee", "lee-password").username == "lee"


def test_the_first_admin_is_bootstrapped_once(
    db_url: str, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.setenv("COUNTER_DATABASE_URL", db_url)
    _stdin(monkeypatch, f"{ROOT_PASSWORD}\n")
    assert main(["user", "bootstrap-admin", "Root", "--password-stdin"]) == 0
    assert capsys.readouterr().out == (
        "Added the first admin root (root). Add the other users with: "
        "counter-app user add NAME --role ROLE --as root\n"
    )
    _stdin(monkeypatch, "another-password\n")
    assert main(["user", "bootstrap-admin", "mallory", "--password-stdin"]) == 1
    err = capsys.readouterr().err
    assert "This database already has an admin: ask an admin to add users" in err
    assert "Traceback" not in err
    _stdin(monkeypatch, "")
    assert main(["user", "list"]) == 0
    assert capsys.readouterr().out.split() == ["root", "admin", "active", "root"]


def test_importing_payments_needs_the_importing_users_own_password(
    ctx: Context,
    town: Town,
    office: int,
    tmp_path,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    path = tmp_path / "lockbox.csv"
    path.write_text(GOOD)
    before = lookup.get_account(ctx, "001234-01").balance
    for who, password, message in (
        ("sam", "cashier123", "Wrong username or password"),  # maria's password, sam's name
        ("maria", "wrong-password", "Wrong username or password"),
    ):
        _stdin(monkeypatch, f"{password}\n")
        assert main(["import", "payments", str(path), "--user", who, "--password-stdin"]) == 1
        assert message in capsys.readouterr().err
    assert main(["import", "payments", str(path), "--user", " ", "--password-stdin"]) == 1
    assert "To post payments, say who you are: --user USER" in capsys.readouterr().err
    assert lookup.get_account(ctx, "001234-01").balance == before
    assert _events(ctx, "payments.import") == []

    monkeypatch.setattr("getpass.getpass", lambda prompt: "cashier123")
    assert main(["import", "payments", str(path), "--user", "maria"]) == 0
    assert "Posted 1 payments totalling $84.10" in capsys.readouterr().out
    assert lookup.get_account(ctx, "001234-01").balance == before - Money.parse("84.10")
    [(who, _)] = _events(ctx, "payments.import")
    assert who == town.cashier.id


@pytest.mark.parametrize(
    ("encoding", "text"),
    [("latin-1", "Müller"), ("utf-16", "Müller")],
)
def test_a_payments_file_not_in_utf8_is_refused_with_the_encoding_expected(
    ctx: Context,
    town: Town,
    office: int,
    tmp_path,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
    encoding: str,
    text: str,
) -> None:
    path = tmp_path / "lockbox.csv"
    path.write_bytes((GOOD + f"001234-01,1.00,check,5002,{text}\n").encode(encoding))
    before = lookup.get_account(ctx, "001234-01").balance
    _stdin(monkeypatch, "cashier123\n")
    assert main(["import", "payments", str(path), "--user", "maria", "--password-stdin"]) == 1
    err = capsys.readouterr().err
    assert "is not UTF-8 text: save the file as CSV UTF-8" in err and "Traceback" not in err
    assert lookup.get_account(ctx, "001234-01").balance == before
