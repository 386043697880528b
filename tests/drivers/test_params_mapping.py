"""app.py maps each device's settings onto the driver's parameter object, field by field."""

from __future__ import annotations

from counter_app.app import drawer_params, printer_params
from counter_app.config import DrawerSettings, PrinterSettings
from drivers.params import DrawerParams, PrinterParams


def test_printer_params_take_each_setting_and_the_laid_out_width():
    settings = PrinterSettings(
        url="tcp://10.0.0.5:9100", profile="TM-T20II", paper_mm=58, timeout_s=2.5,
        status_check=False,
    )  # fmt: skip
    assert printer_params(settings) == PrinterParams(
        url="tcp://10.0.0.5:9100", profile="TM-T20II", columns=32, timeout_s=2.5,
        status_check=False,
    )  # fmt: skip
    assert printer_params(PrinterSettings(columns=30)).columns == 30
    assert printer_params(PrinterSettings()) == PrinterParams()


def test_drawer_params_take_each_setting_and_the_open_sequence_as_bytes():
    settings = DrawerSettings(
        backend="serial", pin=5, pulse_on_ms=50, pulse_off_ms=60, url="loop://",
        baudrate=19200, open_sequence="1b70", sensor_line="RI", sensor_open_when="low",
        require_closed=True, timeout_s=2.0,
    )  # fmt: skip
    assert drawer_params(settings) == DrawerParams(
        backend="serial", pin=5, pulse_on_ms=50, pulse_off_ms=60, url="loop://",
        baudrate=19200, open_sequence=b"\x1bp", sensor_line="RI", printer_sensor="pin3",
        sensor_open_when="low", require_closed=True, timeout_s=2.0,
    )  # fmt: skip
    assert drawer_params(DrawerSettings()) == DrawerParams()
