"""Cash drawers: printer kick → the printer simulator; serial → the RFC 2217 drawer simulator."""

from __future__ import annotations

import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any, Literal

import pytest

from counter_app.app import cash_drawer, receipt_printer
from counter_app.config import DrawerSettings, load_settings
from counter_app.domain.errors import ConfigError
from drivers.drawer import (
    NoDrawer,
    SerialDrawer,
    drawer_is_closed_or_unknown,
)
from drivers.errors import DrawerDidNotOpen, DrawerNotConnected, DrawerStillOpen
from drivers.sim.drawer import DrawerSimulator, SensorLine
from drivers.sim.escpos_decoder import DrawerPulse, EscPosDecoder
from drivers.sim.printer import PrinterSimulator
from tests.helpers import printer_settings

QUICK = 0.4  # seconds the drawer gets to report open in these tests


def drawer_settings(**changes: Any) -> DrawerSettings:
    return DrawerSettings(**{"timeout_s": QUICK, **changes})


# --- kicked by the printer ------------------------------------------------------------------
def test_the_printer_kick_sends_esc_p_with_the_configured_pin_and_times(
    printer_sim: PrinterSimulator, open_printer
) -> None:
    settings = drawer_settings(pin=5, pulse_on_ms=120, pulse_off_ms=240)
    drawer = cash_drawer(settings, open_printer)
    drawer.connect()
    drawer.open()
    assert printer_sim.pulses == [DrawerPulse(pin=5, on_ms=120, off_ms=240)]
    [kick] = printer_sim.jobs  # a record of its own, not part of a receipt
    assert kick.pulses == printer_sim.pulses and not kick.printed


def test_the_drawer_open_bit_is_read_back_from_the_printer(printer_sim, open_printer) -> None:
    drawer = cash_drawer(drawer_settings(), open_printer)
    assert drawer.is_open() is False
    drawer.open()
    assert drawer.is_open() is True
    assert not drawer_is_closed_or_unknown(drawer)
    printer_sim.close_drawer()
    assert drawer.is_open() is False
    assert drawer_is_closed_or_unknown(drawer)


def test_a_kick_that_does_not_open_the_drawer_raises_drawer_did_not_open(
    printer_sim, open_printer
) -> None:
    printer_sim.set_state(drawer_jammed=True)
    drawer = cash_drawer(drawer_settings(), open_printer)
    started = time.monotonic()
    with pytest.raises(DrawerDidNotOpen, match="did not open within 0.4 s"):
        drawer.open()
    assert QUICK <= time.monotonic() - started < QUICK * 3
    assert len(printer_sim.pulses) == 1  # the pulse went out; the drawer did not move


def test_without_a_sensor_the_printer_drawer_state_is_unknown(printer_sim, open_printer) -> None:
    drawer = cash_drawer(drawer_settings(printer_sensor="none"), open_printer)
    drawer.open()
    assert drawer.is_open() is None
    assert drawer_is_closed_or_unknown(drawer)


def test_a_printer_that_is_out_of_paper_cannot_kick_and_says_why(printer_sim, open_printer):
    printer_sim.set_state(paper_out=True)
    drawer = cash_drawer(drawer_settings(), open_printer)
    with pytest.raises(DrawerNotConnected, match="paper out"):
        drawer.open()
    assert printer_sim.pulses == []


# --- its own serial interface, over RFC 2217 ------------------------------------------------
@pytest.fixture
def drawer_sim() -> Iterator[DrawerSimulator]:
    with DrawerSimulator() as sim:
        yield sim


@pytest.fixture
def serial_drawer(drawer_sim: DrawerSimulator):
    drawer = cash_drawer(drawer_settings(backend="serial", url=drawer_sim.url), None)
    drawer.connect()
    yield drawer
    drawer.close()


def test_the_serial_drawer_holds_dtr_and_rts_high_while_connected(drawer_sim, serial_drawer):
    assert drawer_sim.dtr and drawer_sim.rts


def test_the_serial_drawer_sends_the_open_sequence_and_reads_cts_back(
    drawer_sim, serial_drawer
) -> None:
    assert serial_drawer.is_open() is False
    serial_drawer.open()
    assert drawer_sim.received == b"\x07"
    assert drawer_sim.is_open
    assert serial_drawer.is_open() is True
    drawer_sim.close_drawer()
    assert _eventually(lambda: serial_drawer.is_open() is False)


@pytest.mark.parametrize(("line", "open_when"), [("RI", "low"), ("DSR", "high"), ("CD", "low")])
def test_a_configured_open_sequence_and_each_sensor_line_and_polarity_work(
    line: SensorLine, open_when: Literal["high", "low"]
) -> None:
    with DrawerSimulator(open_sequence=b"\x1bp\x00", sensor_line=line, open_when=open_when) as sim:
        settings = drawer_settings(
            backend="serial",
            url=sim.url,
            open_sequence="1b7000",
            sensor_line=line,
            sensor_open_when=open_when,
        )
        drawer = cash_drawer(settings, None)
        drawer.connect()
        assert drawer.is_open() is False
        drawer.open()
        assert sim.received == b"\x1bp\x00"
        assert drawer.is_open() is True
        sim.close_drawer()
        assert _eventually(lambda: drawer.is_open() is False)
        drawer.close()


def test_a_sensor_on_another_line_than_the_drawer_drives_never_reads_open() -> None:
    with DrawerSimulator(sensor_line="DSR") as sim:
        drawer = cash_drawer(drawer_settings(backend="serial", url=sim.url), None)  # CTS
        drawer.connect()
        with pytest.raises(DrawerDidNotOpen):
            drawer.open()
        assert sim.is_open  # it did open: the settings read the wrong line
        drawer.close()


def test_the_drawer_closes_by_itself_after_the_auto_close_time() -> None:
    with DrawerSimulator(auto_close_s=0.2) as sim:
        drawer = cash_drawer(drawer_settings(backend="serial", url=sim.url), None)
        drawer.connect()
        drawer.open()
        assert _eventually(lambda: drawer.is_open() is False, timeout=2.0)
        drawer.close()


def test_a_jammed_serial_drawer_raises_drawer_did_not_open(drawer_sim, serial_drawer) -> None:
    drawer_sim.jam()
    with pytest.raises(DrawerDidNotOpen, match="then open it again"):
        serial_drawer.open()
    assert drawer_sim.pops == 1
    drawer_sim.jam(False)
    serial_drawer.open()  # the cashier's retry
    assert drawer_sim.is_open


def test_require_closed_refuses_the_next_customer_while_the_drawer_is_open(drawer_sim) -> None:
    settings = drawer_settings(backend="serial", url=drawer_sim.url, require_closed=True)
    serial_drawer = cash_drawer(settings, None)
    serial_drawer.connect()
    try:
        serial_drawer.check_closed()
        serial_drawer.open()
        with pytest.raises(DrawerStillOpen, match="close the drawer"):
            serial_drawer.check_closed()
        relaxed = cash_drawer(settings.model_copy(update={"require_closed": False}), None)
        relaxed.check_closed()
    finally:
        serial_drawer.close()


def test_a_drawer_port_nobody_serves_raises_drawer_not_connected() -> None:
    with DrawerSimulator() as sim:
        url = sim.url
    drawer = cash_drawer(drawer_settings(backend="serial", url=url), None)
    with pytest.raises(DrawerNotConnected, match="rfc2217://127.0.0.1"):
        drawer.connect()
    with pytest.raises(DrawerNotConnected, match="connect the drawer first"):
        drawer.open()


def test_a_loop_url_gets_the_open_sequence_with_cts_looped_back_from_rts() -> None:
    drawer = cash_drawer(drawer_settings(backend="serial", url="loop://"), None)
    assert isinstance(drawer, SerialDrawer)
    drawer.connect()
    drawer.open()  # loop:// wires RTS to CTS: held high, the "drawer" reads open
    assert drawer.port.read(1) == b"\x07"  # what was written comes back on loop://
    assert drawer.port.in_waiting == 0
    assert drawer.is_open() is True
    drawer.close()
    no_sensor = cash_drawer(
        drawer_settings(backend="serial", url="loop://", sensor_line="none", open_sequence="1b70"),
        None,
    )
    assert isinstance(no_sensor, SerialDrawer)
    no_sensor.connect()
    no_sensor.open()
    assert no_sensor.port.read(2) == b"\x1bp"
    assert no_sensor.port.in_waiting == 0
    assert no_sensor.is_open() is None
    no_sensor.close()


def test_none_backend_and_missing_settings() -> None:
    assert isinstance(cash_drawer(drawer_settings(backend="none"), None), NoDrawer)
    with pytest.raises(ConfigError, match="COUNTER_DRAWER__URL"):
        cash_drawer(drawer_settings(backend="serial"), None)
    with pytest.raises(ConfigError, match="no receipt printer"):
        cash_drawer(drawer_settings(backend="printer"), None)


@pytest.mark.parametrize("url", ["dummy:", "file"])
def test_with_default_settings_a_printer_that_gives_no_status_kicks_without_error(
    url: str, tmp_path: Path
) -> None:
    device = tmp_path / "lp0"
    device.touch()
    printer = receipt_printer(printer_settings(f"file://{device}" if url == "file" else url))
    printer.open()
    drawer = cash_drawer(DrawerSettings(), printer)  # printer kick, pin 3 sensor: the defaults
    started = time.monotonic()
    drawer.open()  # kicked, state unknown: not "did not open"
    assert time.monotonic() - started < DrawerSettings().timeout_s
    assert drawer.is_open() is None
    assert drawer_is_closed_or_unknown(drawer)
    printer.close()
    if url == "file":
        pulses = [
            e for e in EscPosDecoder().feed(device.read_bytes()) if isinstance(e, DrawerPulse)
        ]
        assert pulses == [DrawerPulse(pin=2, on_ms=100, off_ms=200)]


@pytest.mark.parametrize(
    ("backend", "setting", "value", "use_instead"),
    [
        ("printer", "sensor_line", "CTS", "drawer.printer_sensor"),
        ("serial", "printer_sensor", "pin3", "drawer.sensor_line"),
    ],
)
def test_a_sensor_setting_of_the_other_backend_is_a_config_error_naming_the_right_one(
    monkeypatch: pytest.MonkeyPatch, backend: str, setting: str, value: str, use_instead: str
) -> None:
    monkeypatch.setenv("COUNTER_DRAWER__BACKEND", backend)
    monkeypatch.setenv(f"COUNTER_DRAWER__{setting.upper()}", value)
    with pytest.raises(ConfigError, match=use_instead):
        load_settings()


def _eventually(check, timeout: float = 1.0) -> bool:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if check():
            return True
        time.sleep(0.02)
    return bool(check())
