import re
from pathlib import Path

import pytest

from counter_app.config import environment_names, load_settings
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


def test_no_demo_data_unless_asked_for() -> None:
    assert load_settings().demo_accounts == 0


@pytest.mark.parametrize(("source", "value"), [("env", "-5"), ("env", "-0.01"), ("toml", "-5")])
def test_a_negative_amount_setting_is_refused(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, source: str, value: str
) -> None:
    if source == "env":
        monkeypatch.setenv("COUNTER_POLICY__NSF_FEE", value)
    else:
        toml = tmp_path / "station.toml"
        toml.write_text(f"[policy]\nnsf_fee = {value}\n")
        monkeypatch.setenv("COUNTER_CONFIG_FILE", str(toml))
    with pytest.raises(
        ConfigError, match=r"policy.nsf_fee \(COUNTER_POLICY__NSF_FEE\): .*negative"
    ):
        load_settings()


def test_a_whole_number_amount_setting_is_dollars(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("COUNTER_POLICY__RECONNECT_FEE", "75")
    assert load_settings().policy.reconnect_fee == Money(7500)


@pytest.mark.parametrize(
    ("name", "suggestion"),
    [
        ("COUNTER_DATABSE_URL", "did you mean COUNTER_DATABASE_URL?"),
        ("COUNTER_PRINTER__URLL", "did you mean COUNTER_PRINTER__URL?"),
        ("counter_staton", "did you mean COUNTER_STATION?"),
        ("COUNTER_ZZZ", "check the spelling"),
    ],
)
def test_a_misspelt_environment_variable_is_refused_with_the_closest_name(
    monkeypatch: pytest.MonkeyPatch, name: str, suggestion: str
) -> None:
    monkeypatch.setenv(name, "x")
    with pytest.raises(ConfigError, match=f"Environment variable {name} .*{re.escape(suggestion)}"):
        load_settings()


def test_the_variables_of_the_test_suite_and_the_station_file_are_not_settings_but_allowed(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    toml = tmp_path / "station.toml"
    toml.write_text("")
    monkeypatch.setenv("COUNTER_CONFIG_FILE", str(toml))
    monkeypatch.setenv("COUNTER_TEST_DATABASE_URL", "postgresql+psycopg://x@y/z")
    monkeypatch.setenv("COUNTER_REQUIRE_POSTGRES", "1")
    monkeypatch.setenv("COUNTER_PRINTER", '{"paper_mm": 58}')
    assert load_settings().printer.paper_mm == 58


def test_every_nested_setting_has_an_environment_name() -> None:
    names = environment_names()
    assert {"COUNTER_DATABASE_URL", "COUNTER_POLICY__NSF_FEE", "COUNTER_DRAWER__URL"} <= names
    assert "COUNTER_POLICY__VOID_REASONS__0" not in names


@pytest.mark.parametrize(
    "url", ["sqlite://", "sqlite:///", "sqlite:///:memory:", "sqlite+pysqlite:///?mode=ro"]
)
def test_an_in_memory_sqlite_database_is_refused(monkeypatch: pytest.MonkeyPatch, url: str) -> None:
    monkeypatch.setenv("COUNTER_DATABASE_URL", url)
    with pytest.raises(ConfigError, match=r"database_url \(COUNTER_DATABASE_URL\): .*needs a file"):
        load_settings()


@pytest.mark.parametrize(
    "url", ["postgresql://app@db.local/counter", "postgres://app@db.local/counter"]
)
def test_a_plain_postgresql_url_gets_the_psycopg_driver(
    monkeypatch: pytest.MonkeyPatch, url: str
) -> None:
    monkeypatch.setenv("COUNTER_DATABASE_URL", url)
    assert load_settings().database_url == "postgresql+psycopg://app@db.local/counter"


@pytest.mark.parametrize(("value", "cents"), [("40.00", 4000), ("25.1", 2510), ("0", 0)])
def test_an_amount_from_the_environment_is_read_exactly(
    monkeypatch: pytest.MonkeyPatch, value: str, cents: int
) -> None:
    monkeypatch.setenv("COUNTER_POLICY__NSF_FEE", value)
    assert load_settings().policy.nsf_fee == Money(cents)


def test_an_amount_with_a_fraction_of_a_cent_is_refused_from_the_environment(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setenv("COUNTER_POLICY__NSF_FEE", "0.005")
    with pytest.raises(ConfigError, match="more than two decimal places"):
        load_settings()


def test_a_postgresql_driver_other_than_psycopg_is_refused(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("COUNTER_DATABASE_URL", "postgresql+psycopg2://app@db.local/counter")
    with pytest.raises(ConfigError, match="through psycopg 3, not psycopg2"):
        load_settings()
