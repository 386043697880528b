"""``counter-app check``, ``audit verify`` and ``audit init-key`` through the real entry
point: exit codes and what they print."""

from __future__ import annotations

import stat

import pytest
from sqlalchemy import text

from counter_app.app import build_context
from counter_app.cli import main
from counter_app.config import load_settings
from counter_app.domain.users import Role
from counter_app.services import users


@pytest.fixture
def on_db(db_url: str, monkeypatch: pytest.MonkeyPatch) -> str:
    monkeypatch.setenv("COUNTER_DATABASE_URL", db_url)
    return db_url


def test_check_on_a_clean_database_says_so_and_exits_0(
    on_db: str, capsys: pytest.CaptureFixture[str]
) -> None:
    users.bootstrap_admin(build_context(), "root", "root-password")
    assert main(["check"]) == 0
    out = capsys.readouterr().out
    assert out.startswith(
        "Everything checks: 0 charges, 0 payments, 0 transactions, 1 audit_events"
    )


def test_check_lists_each_breach_and_exits_1(
    on_db: str, capsys: pytest.CaptureFixture[str]
) -> None:
    ctx = build_context()
    users.bootstrap_admin(ctx, "root", "root-password")
    users.add_user(ctx, "maria", "cashier123", Role.CASHIER)
    with ctx.db.write() as s:
        s.execute(text("UPDATE users SET role = 'admin' WHERE username = 'maria'"))
        s.execute(text("DELETE FROM audit_events WHERE id = (SELECT max(id) FROM audit_events)"))
    assert main(["check"]) == 1
    lines = capsys.readouterr().out.splitlines()
    assert lines[0].startswith("BREACH [audit chain] The audit trail ends at event 1, but its head")
    assert lines[1].startswith("BREACH [row digests] 1 users row(s) are in no audit event (#2)")
    assert lines[-1].startswith("2 breach(es) found;")


def test_audit_verify_says_an_emptied_trail_is_broken(
    on_db: str, capsys: pytest.CaptureFixture[str]
) -> None:
    ctx = build_context()
    users.bootstrap_admin(ctx, "root", "root-password")
    assert main(["audit", "verify"]) == 0
    assert capsys.readouterr().out == "Audit trail intact and keyed: 1 events.\n"
    with ctx.db.write() as s:
        s.execute(text("DELETE FROM audit_events"))
    assert main(["audit", "verify"]) == 2
    assert "The audit trail is EMPTY but its head names event 1" in capsys.readouterr().out


def test_audit_init_key_makes_the_key_file_once_and_keys_the_chain(
    on_db: str, capsys: pytest.CaptureFixture[str]
) -> None:
    path = load_settings().audit.key_file
    assert main(["audit", "init-key"]) == 0
    first = capsys.readouterr().out
    assert f"in {path} (mode 0600)" in first and "now keyed" in first
    assert stat.S_IMODE(path.stat().st_mode) == 0o600
    assert main(["audit", "init-key"]) == 0
    again = capsys.readouterr().out
    assert again.startswith("Using the audit key") and "already keyed" in again
    assert main(["audit", "verify"]) == 0


def test_a_station_with_a_bad_key_file_gets_a_message_not_a_traceback(
    on_db: str, capsys: pytest.CaptureFixture[str]
) -> None:
    path = load_settings().audit.key_file
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text("not a key\n")
    assert main(["audit", "init-key"]) == 1
    assert "is not a Counter audit key (64 hex digits)" in capsys.readouterr().err
