"""``counter-app demo-data``: the same seed and date make the very same city."""

from __future__ import annotations

from pathlib import Path

import pytest
from sqlalchemy import select

from counter_app.cli import main
from counter_app.db.engine import Database
from counter_app.db.models import Account, Charge

LOAD_TIMES = {"created_at", "updated_at"}  # when the rows were written, not what they say


def _city(tmp_path: Path, monkeypatch: pytest.MonkeyPatch, name: str, *args: str) -> list[tuple]:
    url = f"sqlite:///{tmp_path / name}"
    monkeypatch.setenv("COUNTER_DATABASE_URL", url)
    assert main(["demo-data", "--accounts", "60", *args]) == 0
    db = Database.from_url(url)
    rows = []
    with db.read() as session:
        for model in (Account, Charge):
            columns = [c for c in model.__table__.columns if c.key not in LOAD_TIMES]
            rows += session.execute(select(*columns).order_by(model.id)).all()
    db.dispose()
    return [tuple(r) for r in rows]


def test_the_same_seed_and_date_make_the_same_city_row_for_row(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    first = _city(tmp_path, monkeypatch, "a.db", "--seed", "3", "--as-of", "2026-11-23")
    again = _city(tmp_path, monkeypatch, "b.db", "--seed", "3", "--as-of", "2026-11-23")
    assert len(first) > 60
    assert first == again


def test_another_date_bills_other_months(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    november = _city(tmp_path, monkeypatch, "a.db", "--seed", "3", "--as-of", "2026-11-23")
    march = _city(tmp_path, monkeypatch, "b.db", "--seed", "3", "--as-of", "2027-03-02")
    assert november != march


def test_the_help_says_the_date_defaults_to_today(capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit) as shown:
        main(["demo-data", "--help"])
    assert shown.value.code == 0
    assert "default: today" in " ".join(capsys.readouterr().out.split())
