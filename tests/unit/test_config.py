import re
from pathlib import Path

import pytest

from counter_app.config import load_settings
from counter_app.domain.errors import ConfigError
from counter_app.domain.money import Money


def test_default_database_is_a_sqlite_file_in_the_user_data_folder(tmp_path: Path) -> None:
    expected = tmp_path / "data" / "counter" / "counter.db"
    assert load_settings().effective_database_url == f"sqlite:///{expected}"


def test_database_url_from_the_environment_switches_to_postgresql(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setenv("COUNTER_DATABASE_URL", "postgresql+psycopg://app@db.local/counter")
    assert load_settings().effective_database_url == "postgresql+psycopg://app@db.local/counter"


def test_station_toml_file_is_read_and_environment_wins(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    toml = tmp_path / "station.toml"
    toml.write_text(
        'station = "w02"\n[printer]\nurl = "tcp://127.0.0.1:9100"\n[policy]\nnsf_fee = "40.00"\n'
    )
    monkeypatch.setenv("COUNTER_CONFIG_FILE", str(toml))
    monkeypatch.setenv("COUNTER_PRINTER__PAPER_MM", "58")
    settings = load_settings()
    assert settings.station == "W02"
    assert settings.printer.url == "tcp://127.0.0.1:9100"
    assert settings.printer.line_width == 32
    assert settings.policy.nsf_fee == Money(4000)


@pytest.mark.parametrize(
    ("env", "value", "named"),
    [
        ("COUNTER_DATABASE_URL", "mysql://x", "database_url (COUNTER_DATABASE_URL)"),
        ("COUNTER_STATION", "front desk 1", "station (COUNTER_STATION)"),
        ("COUNTER_TIMEZONE", "Mars/Olympus", "timezone (COUNTER_TIMEZONE)"),
        ("COUNTER_PRINTER__URL", "lpt1", "printer.url (COUNTER_PRINTER__URL)"),
        ("COUNTER_POLICY__NSF_FEE", "25.001", "policy.nsf_fee (COUNTER_POLICY__NSF_FEE)"),
        ("COUNTER_DEMO_ACCOUNTS", "lots", "demo_accounts (COUNTER_DEMO_ACCOUNTS)"),
    ],
)
def test_a_bad_setting_fails_naming_the_setting(
    monkeypatch: pytest.MonkeyPatch, env: str, value: str, named: str
) -> None:
    monkeypatch.setenv(env, value)
    with pytest.raises(ConfigError, match=re.escape("Setting " + named)):
        load_settings()


def test_unknown_setting_in_the_station_file_is_named(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    toml = tmp_path / "station.toml"
    toml.write_text('statoin = "W02"\n')
    monkeypatch.setenv("COUNTER_CONFIG_FILE", str(toml))
    with pytest.raises(ConfigError, match="statoin.*not a setting"):
        load_settings()


def test_missing_station_file_is_reported(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("COUNTER_CONFIG_FILE", str(tmp_path / "nope.toml"))
    with pytest.raises(ConfigError, match="does not exist"):
        load_settings()


def test_malformed_station_file_is_reported(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    toml = tmp_path / "station.toml"
    toml.write_text("station = \n")
    monkeypatch.setenv("COUNTER_CONFIG_FILE", str(toml))
    with pytest.raises(ConfigError, match="station.toml"):
        load_settings()
