"""A database that goes away while Counter runs is a message naming the setting."""

from __future__ import annotations

import os

import pytest

from counter_app.db.engine import Database, DatabaseUnavailable
from tests.helpers import PostgresServer


def test_a_database_dropped_under_a_running_station_is_reported_by_setting(
    postgres_server: PostgresServer | str,
) -> None:
    if isinstance(postgres_server, str):
        if os.environ.get("COUNTER_REQUIRE_POSTGRES") == "1":
            pytest.fail(postgres_server)
        pytest.skip(postgres_server)
    name = postgres_server.new_database()
    db = Database.open(postgres_server.url_for(name))
    try:
        with db.read() as session:
            session.connection()
        postgres_server.drop(name)
        expected = r"COUNTER_DATABASE_URL.*nothing was changed"
        with pytest.raises(DatabaseUnavailable, match=expected), db.write() as session:
            session.connection()
    finally:
        db.dispose()
        postgres_server.drop(name)


def test_a_locked_database_is_reported_as_busy_not_as_a_wrong_address() -> None:
    busy = str(DatabaseUnavailable("sqlite:////srv/counter.db", "database is locked"))
    assert "(database is locked). Another station kept it busy: try again" in busy
    assert "host, port" not in busy
    assert "Setting database_url" not in busy  # a busy database is no setting's fault


def test_the_password_is_never_shown() -> None:
    shown = str(DatabaseUnavailable("postgresql+psycopg://app:s3cret@db/c", "refused"))
    assert "s3cret" not in shown
    assert "postgresql+psycopg://app:***@db/c" in shown
