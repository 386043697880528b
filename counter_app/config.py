"""Settings: one ``Settings`` object from the environment (prefix ``COUNTER_``) and a TOML file.

Precedence, highest first: arguments to ``load_settings``, environment variables
(``COUNTER_DATABASE_URL``, nested ones as ``COUNTER_PRINTER__URL``), the workstation's TOML
file (``COUNTER_CONFIG_FILE``, default ``~/.config/counter/station.toml``), then defaults.
A bad setting raises ``ConfigError`` naming the setting and the fix, and so does a
``COUNTER_*`` environment variable that sets nothing (a misspelt name is never ignored).
"""

from __future__ import annotations

import difflib
import functools
import os
import re
from pathlib import Path
from typing import Annotated, Any, Literal
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from pydantic import (
    AfterValidator,
    BaseModel,
    Field,
    PlainSerializer,
    PlainValidator,
    field_validator,
    model_validator,
)
from pydantic import ValidationError as PydanticValidationError
from pydantic_settings import (
    BaseSettings,
    PydanticBaseSettingsSource,
    SettingsConfigDict,
    TomlConfigSettingsSource,
)

from counter_app.domain.denominations import check_counts
from counter_app.domain.errors import ConfigError, InvalidMoney, ValidationError
from counter_app.domain.money import Money

ENV_PREFIX = "COUNTER_"
# COUNTER_* variables that are not settings: the station file, and the test suite's server.
NOT_SETTINGS = frozenset(  # the station file, and what the test suite reads
    {
        "COUNTER_CONFIG_FILE",
        "COUNTER_TEST_DATABASE_URL",
        "COUNTER_REQUIRE_POSTGRES",
        "COUNTER_SCREENSHOTS",
    }
)


def _to_money(value: Any) -> Money:
    """A setting's amount: text like "25.00" or a number of dollars; never negative."""
    if isinstance(value, float):  # a TOML number, or an environment value read as JSON
        value = repr(value)  # the shortest text that is this float: 25.1 → "25.1"
    if isinstance(value, int) and not isinstance(value, bool):
        value = Money(value * 100)
    if isinstance(value, str):
        try:
            value = Money.parse(value)
        except InvalidMoney as exc:  # pydantic reports ValueError with the setting's name
            raise ValueError(str(exc)) from exc
    if not isinstance(value, Money):
        raise ValueError(f'{value!r} is not an amount; write it like "25.00"')
    if value.is_negative:
        raise ValueError(f"{value} is negative: write an amount of zero or more, like 25.00")
    return value


SettingMoney = Annotated[Money, PlainValidator(_to_money), PlainSerializer(str)]


def _one_of(allowed: tuple[int, ...], refusal: str) -> AfterValidator:
    """A setting's check: the value is one of ``allowed``, else ``refusal`` says what is."""

    def check(value: int) -> int:
        if value not in allowed:
            raise ValueError(refusal)
        return value

    return AfterValidator(check)


def user_data_dir() -> Path:
    """Where the embedded database and logs live: ``$XDG_DATA_HOME/counter``."""
    base = os.environ.get("XDG_DATA_HOME") or Path.home() / ".local" / "share"
    return Path(base) / "counter"


def user_config_file() -> Path:
    base = os.environ.get("XDG_CONFIG_HOME") or Path.home() / ".config"
    return Path(base) / "counter" / "station.toml"


def user_audit_key_file() -> Path:
    """The office's audit key, next to the station file: ``$XDG_CONFIG_HOME/counter``."""
    return user_config_file().with_name("audit.key")


class AuditSettings(BaseModel):
    """The audit trail's key: a secret kept outside the database (``services/audit_key``)."""

    key_file: Path = Field(default_factory=user_audit_key_file)


class OfficeSettings(BaseModel):
    """What the receipt and reports say about the office."""

    name: str = "City of Riverton Utilities"
    address: str = "100 Main St, Riverton"
    phone: str = "(555) 010-2000"
    receipt_footer: str = "Thank you. Payments post to your account today."


class PrinterSettings(BaseModel):
    """Receipt printer: ``tcp://host:9100``, ``serial:///dev/ttyS0?baudrate=19200``,
    ``usb://04b8:0e15``, ``file:///dev/usb/lp0`` or ``dummy:``."""

    url: str = "dummy:"
    profile: str = "TM-T88V"
    paper_mm: Annotated[int, _one_of((58, 80), "paper width is 58 or 80 (millimetres)")] = 80
    columns: int | None = Field(default=None, ge=24, le=64)  # None: see line_width
    timeout_s: float = Field(default=3.0, gt=0, le=60)
    barcode: Literal["code128", "qr", "none"] = "code128"
    logo: bool = True
    # ask for the real-time status (DLE EOT) before and after each job on tcp/serial; turn off
    # only for print servers that never answer it
    status_check: bool = True
    # the folder a printer simulator writes its jobs to (``make run``: var/printer): the
    # last-receipt window (Ctrl+P) then shows each receipt as the simulator decoded it
    preview_dir: Path | None = None

    @field_validator("url")
    @classmethod
    def _known_scheme(cls, v: str) -> str:
        if not re.match(r"^(tcp|serial|usb|file|dummy):", v):
            raise ValueError(
                "use tcp://host:9100, serial:///dev/ttyS0?baudrate=19200, usb://VID:PID, "
                "file:///dev/usb/lp0 or dummy:"
            )
        return v

    @property
    def line_width(self) -> int:
        """Characters per line: explicit ``columns``, else 32 on 58 mm paper and, on 80 mm,
        the profile's font-A columns (42 on a TM-T88V, 48 on a TM-T20II)."""
        if self.columns:
            return self.columns
        return 32 if self.paper_mm == 58 else _font_a_columns(self.profile)


@functools.cache
def _font_a_columns(profile: str) -> int:
    """Font A characters per line on an 80 mm printer of this python-escpos profile."""
    from escpos.capabilities import NotSupported, get_profile  # a table, loaded when needed

    try:
        return int(get_profile(profile).get_columns("a"))
    except (KeyError, NotSupported):  # unknown profile (make_printer says so) or no fonts
        return 48


class DrawerSettings(BaseModel):
    """Cash drawer: kicked by the printer, or its own serial interface, or none."""

    backend: Literal["printer", "serial", "none"] = "printer"
    # printer kick: ESC p m t1 t2 (pin 2 or 5, on/off times in 2 ms units)
    pin: Annotated[int, _one_of((2, 5), "the drawer kick pin is 2 or 5")] = 2
    pulse_on_ms: int = Field(default=100, ge=2, le=510)
    pulse_off_ms: int = Field(default=200, ge=2, le=510)
    # serial drawer: any pyserial URL (device path, rfc2217://host:port, loop://)
    url: str = ""
    baudrate: int = 9600
    open_sequence: str = "07"  # hex bytes; BEL opens APG / MMF serial interfaces
    # serial drawer only: the modem line its open/closed switch drives
    sensor_line: Literal["CTS", "RI", "DSR", "CD", "none"] = "CTS"
    # printer kick only: the switch on the kick-out connector's pin 3, as the printer reports
    # it (DLE EOT 1); "none" for a drawer without one
    printer_sensor: Literal["pin3", "none"] = "pin3"
    sensor_open_when: Literal["high", "low"] = "high"  # either backend's sensor
    require_closed: bool = False
    # how long the sensor may take to report the drawer open; also the serial port's timeout
    timeout_s: float = Field(default=1.0, gt=0, le=30)

    @field_validator("open_sequence")
    @classmethod
    def _hex(cls, v: str) -> str:
        try:
            if not bytes.fromhex(v):
                raise ValueError
        except ValueError as exc:
            raise ValueError('write the bytes in hex, like "07" or "1b700019fa"') from exc
        return v

    @model_validator(mode="after")
    def _sensor_of_backend(self) -> DrawerSettings:
        if self.backend == "printer" and "sensor_line" in self.model_fields_set:
            raise ValueError(
                "sensor_line is for a serial drawer; a drawer kicked by the printer reports "
                "through the printer: set drawer.printer_sensor to pin3 or none instead"
            )
        if self.backend == "serial" and "printer_sensor" in self.model_fields_set:
            raise ValueError(
                "printer_sensor is for a drawer kicked by the printer; a serial drawer's "
                "sensor is drawer.sensor_line (CTS, RI, DSR, CD or none)"
            )
        return self


class ScanLineSettings(BaseModel):
    """Layout of the OCR scan line on the bill stub (what a wedge scanner types)."""

    length: int = Field(default=20, ge=10, le=80)
    account_start: int = Field(default=0, ge=0)
    account_length: int = Field(default=9, ge=8, le=12)  # 8 digits + check digit
    amount_start: int = Field(default=9, ge=0)
    amount_length: int = Field(default=10, ge=4, le=12)
    check_method: Literal["mod10", "dual_mod10", "mod11"] = "mod10"


class PolicySettings(BaseModel):
    """Rules the office chooses."""

    lockout_failures: int = Field(default=5, ge=1, le=50)
    lockout_minutes: int = Field(default=15, ge=1, le=24 * 60)
    paid_out_override_limit: SettingMoney = Money(2500)
    paid_out_session_limit: SettingMoney = Money(10000)  # all of a drawer's paid-outs
    max_tender: SettingMoney = Money(5_000_000)  # $50,000.00: more is a typing mistake
    max_transaction: SettingMoney = Money(10_000_000)  # $100,000.00
    excess_noncash: Literal["credit", "refuse"] = "credit"
    fees_first: bool = True
    nsf_fee: SettingMoney = Money(3500)
    nsf_flag_count: int = Field(default=2, ge=1, le=12)
    reconnect_fee: SettingMoney = Money(5000)
    void_reasons: list[str] = Field(
        default_factory=lambda: [
            "Wrong account",
            "Wrong amount",
            "Wrong tender",
            "Customer cancelled",
            "Duplicate payment",
        ],
        min_length=1,
    )


class CloseoutSettings(BaseModel):
    """End of day: how far a count may be off, who verifies it, what stays in the drawer,
    and where the deposit goes."""

    # over/short a cashier's close may have per tender without a supervisor's approval
    cash_tolerance: SettingMoney = Money(100)
    check_tolerance: SettingMoney = Money(100)
    money_order_tolerance: SettingMoney = Money(100)
    card_tolerance: SettingMoney = Money(100)
    # a second person verifies each close count with their own password
    dual_control: bool = False
    # cash kept back for tomorrow's float: by denomination when set (code → count, like
    # {"20" = 5, "1" = 20}), else this amount, else (neither set) the session's own float
    float_kept: SettingMoney | None = None
    float_kept_by_denomination: dict[str, int] = Field(default_factory=dict)
    bank_name: str = "First Riverton Bank"
    bank_account_name: str = "City of Riverton Utilities - Operating"
    bank_account_number: str = "000123456789"

    @field_validator("float_kept_by_denomination")
    @classmethod
    def _known_denominations(cls, v: dict[str, int]) -> dict[str, int]:
        try:
            return check_counts(v)
        except ValidationError as exc:
            raise ValueError(str(exc)) from exc

    def tolerance(self, kind: str) -> Money:
        """The tolerance of tender ``kind`` (a ``TenderKind`` value)."""
        value = getattr(self, f"{kind}_tolerance")
        assert isinstance(value, Money)
        return value


class GlSettings(BaseModel):
    """The general-ledger codes the daily cash report distributes collections to: each
    charge kind's revenue code, credit left on accounts, and the drawers' over/short."""

    water: str = "4100-WATER"
    sewer: str = "4200-SEWER"
    trash: str = "4300-TRASH"
    stormwater: str = "4400-STORM"
    fees: str = "4500-FEES"  # late, NSF and reconnect fees
    deposits: str = "2200-DEPOSITS"  # customer deposits held (a liability)
    final_bill: str = "4600-FINAL"  # a closed account's final bill
    other: str = "4900-OTHER"
    unapplied_credit: str = "2300-CREDIT"  # paid beyond what was owed (a liability)
    over_short: str = "6900-OVERSHORT"

    @field_validator("*")
    @classmethod
    def _a_code(cls, v: str) -> str:
        v = v.strip()
        if not re.fullmatch(r"[A-Za-z0-9][A-Za-z0-9 ._/-]{0,29}", v):
            raise ValueError("a GL code is 1-30 letters, digits, spaces or . _ / -: 4100-WATER")
        return v


class Settings(BaseSettings):
    """Everything configurable, for one workstation."""

    model_config = SettingsConfigDict(
        env_prefix=ENV_PREFIX,
        env_nested_delimiter="__",
        extra="forbid",
        validate_default=True,
    )

    database_url: str = ""
    data_dir: Path = Field(default_factory=user_data_dir)
    station: str = "W01"
    timezone: str = "America/Chicago"
    # accounts of demo data loaded into an empty database at start; 0 (default) loads none, so
    # a real station never gets demo accounts and demo passwords (``make run`` sets 50,000)
    demo_accounts: int = Field(default=0, ge=0, le=5_000_000)
    office: OfficeSettings = Field(default_factory=OfficeSettings)
    printer: PrinterSettings = Field(default_factory=PrinterSettings)
    drawer: DrawerSettings = Field(default_factory=DrawerSettings)
    scanline: ScanLineSettings = Field(default_factory=ScanLineSettings)
    policy: PolicySettings = Field(default_factory=PolicySettings)
    audit: AuditSettings = Field(default_factory=AuditSettings)
    closeout: CloseoutSettings = Field(default_factory=CloseoutSettings)
    gl: GlSettings = Field(default_factory=GlSettings)

    @field_validator("station")
    @classmethod
    def _station(cls, v: str) -> str:
        v = v.strip().upper()
        if not re.fullmatch(r"[A-Z0-9]{1,8}", v):
            raise ValueError("a station name is 1-8 letters or digits, like W02")
        return v

    @field_validator("timezone")
    @classmethod
    def _zone(cls, v: str) -> str:
        try:
            ZoneInfo(v)
        except (ZoneInfoNotFoundError, ValueError) as exc:
            raise ValueError("use an IANA time zone name, like America/Chicago") from exc
        return v

    @field_validator("database_url")
    @classmethod
    def _db_url(cls, v: str) -> str:
        return normalise_database_url(v)

    @property
    def effective_database_url(self) -> str:
        """The configured URL, or the embedded SQLite file in the data folder."""
        return self.database_url or f"sqlite:///{self.data_dir / 'counter.db'}"

    @property
    def zone(self) -> ZoneInfo:
        return ZoneInfo(self.timezone)

    @classmethod
    def settings_customise_sources(
        cls,
        settings_cls: type[BaseSettings],
        init_settings: PydanticBaseSettingsSource,
        env_settings: PydanticBaseSettingsSource,
        dotenv_settings: PydanticBaseSettingsSource,
        file_secret_settings: PydanticBaseSettingsSource,
    ) -> tuple[PydanticBaseSettingsSource, ...]:
        toml_path = config_file_path()
        sources: list[PydanticBaseSettingsSource] = [init_settings, env_settings]
        if toml_path is not None:
            sources.append(TomlConfigSettingsSource(settings_cls, toml_file=toml_path))
        return tuple(sources)


DATABASE_URL_HELP = "use sqlite:///path/to/counter.db or postgresql+psycopg://user@host/dbname"


def normalise_database_url(url: str) -> str:
    """Check a database URL; a plain ``postgresql://`` gets the installed driver (psycopg 3).

    An SQLite URL must name a file: an in-memory database would lose every payment at exit.
    """
    url = url.strip()
    if not url:
        return url
    plain_pg = re.match(r"^postgres(ql)?://", url)
    if plain_pg:
        return "postgresql+psycopg://" + url[plain_pg.end() :]
    m = re.match(r"^(sqlite|postgresql)(\+\w+)?://", url)
    if m is None:
        raise ValueError(DATABASE_URL_HELP)
    if m.group(1) == "postgresql" and m.group(2) != "+psycopg":
        raise ValueError(
            f"Counter reaches PostgreSQL through psycopg 3, not {m.group(2)[1:]}: "
            "write postgresql+psycopg://user@host/dbname"
        )
    if m.group(1) == "sqlite":
        path = url[m.end() :].split("?", 1)[0].lstrip("/")
        if path in ("", ":memory:"):
            raise ValueError(
                "an SQLite database needs a file (sqlite:///path/to/counter.db); "
                "an in-memory one would lose every payment when Counter closes"
            )
    return url


def config_file_path() -> Path | None:
    """The workstation TOML file to read, if any."""
    named = os.environ.get(f"{ENV_PREFIX}CONFIG_FILE")
    if named:
        return Path(named)
    default = user_config_file()
    return default if default.exists() else None


def _setting_name(loc: tuple[int | str, ...]) -> str:
    dotted = ".".join(str(p) for p in loc)
    env = ENV_PREFIX + "__".join(str(p) for p in loc).upper()
    return f"{dotted} ({env})"


def environment_names(model: type[BaseModel] = Settings, prefix: str = ENV_PREFIX) -> set[str]:
    """Every environment variable that sets something: ``COUNTER_PRINTER__URL``, and
    ``COUNTER_PRINTER`` for the whole group as JSON."""
    names = set()
    for name, info in model.model_fields.items():
        env = prefix + name.upper()
        names.add(env)
        if isinstance(info.annotation, type) and issubclass(info.annotation, BaseModel):
            names |= environment_names(info.annotation, env + "__")
    return names


def _unknown_environment() -> list[str]:
    """A line for each ``COUNTER_*`` variable that sets nothing (a misspelt name would
    otherwise be ignored without a word), suggesting the closest real name."""
    known = environment_names() | NOT_SETTINGS
    lines = []
    for name in sorted(os.environ):
        if not name.upper().startswith(ENV_PREFIX) or name.upper() in known:
            continue
        close = difflib.get_close_matches(name.upper(), sorted(known), n=1, cutoff=0.8)
        fix = f"did you mean {close[0]}?" if close else "check the spelling"
        lines.append(
            f"Environment variable {name} is not a setting Counter knows: {fix} (or unset it)"
        )
    return lines


def load_settings(**overrides: Any) -> Settings:
    """Build the settings, turning every problem into one ``ConfigError`` message."""
    named = os.environ.get(f"{ENV_PREFIX}CONFIG_FILE")
    if named and not Path(named).is_file():
        raise ConfigError(
            f"Setting {ENV_PREFIX}CONFIG_FILE points at {named}, which does not exist: "
            "create the file or unset the variable"
        )
    lines = _unknown_environment()
    try:
        settings = Settings(**overrides)
    except PydanticValidationError as exc:
        for err in exc.errors():
            msg = err["msg"].removeprefix("Value error, ")
            if err["type"] == "extra_forbidden":
                msg = "is not a setting Counter knows: check the spelling or remove it"
            lines.append(f"Setting {_setting_name(tuple(err['loc']))}: {msg}")
        raise ConfigError("Bad configuration:\n  " + "\n  ".join(lines)) from exc
    except (ValueError, OSError) as exc:  # e.g. malformed TOML
        raise ConfigError(f"Bad configuration file {config_file_path()}: {exc}") from exc
    if lines:
        raise ConfigError("Bad configuration:\n  " + "\n  ".join(lines))
    return settings
