"""``counter-app printer test`` / ``drawer test``: exit 0 with a device, 1 and a message without."""

from __future__ import annotations

import pytest

from counter_app.cli import main
from drivers.sim.drawer import DrawerSimulator
from drivers.sim.printer import PrinterSimulator


def _closed_port_url(scheme: str) -> str:
    with PrinterSimulator() as sim:
        return f"{scheme}://127.0.0.1:{sim.port}"


@pytest.fixture(autouse=True)
def _short_timeouts(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("COUNTER_PRINTER__TIMEOUT_S", "0.5")
    monkeypatch.setenv("COUNTER_DRAWER__TIMEOUT_S", "0.4")


def test_printer_test_prints_the_status_and_a_test_page(
    printer_sim: PrinterSimulator, monkeypatch, capsys
) -> None:
    monkeypatch.setenv("COUNTER_PRINTER__URL", printer_sim.url)
    assert main(["printer", "test"]) == 0
    assert "online" in capsys.readouterr().out
    [job] = printer_sim.wait_for_jobs(1)
    assert "PRINTER TEST" in job.lines
    assert job.cut


def test_printer_test_without_a_printer_exits_1_with_a_message(monkeypatch, capsys) -> None:
    monkeypatch.setenv("COUNTER_PRINTER__URL", _closed_port_url("tcp"))
    assert main(["printer", "test"]) == 1
    assert "Printer: offline (cannot connect" in capsys.readouterr().err


def test_printer_test_on_a_printer_out_of_paper_exits_1(printer_sim, monkeypatch, capsys):
    monkeypatch.setenv("COUNTER_PRINTER__URL", printer_sim.url)
    printer_sim.set_state(paper_out=True)
    assert main(["printer", "test"]) == 1
    assert "paper out — load paper" in capsys.readouterr().err
    assert printer_sim.jobs == []


def test_drawer_test_opens_a_serial_drawer_and_shows_its_state(monkeypatch, capsys) -> None:
    with DrawerSimulator() as sim:
        monkeypatch.setenv("COUNTER_DRAWER__BACKEND", "serial")
        monkeypatch.setenv("COUNTER_DRAWER__URL", sim.url)
        assert main(["drawer", "test"]) == 0
        assert sim.is_open
    assert "sensor: open" in capsys.readouterr().out


def test_drawer_test_through_the_printer_kick(printer_sim, monkeypatch, capsys) -> None:
    monkeypatch.setenv("COUNTER_PRINTER__URL", printer_sim.url)
    assert main(["drawer", "test"]) == 0
    assert len(printer_sim.pulses) == 1
    assert "sensor: open" in capsys.readouterr().out


def test_drawer_test_without_a_drawer_exits_1_with_a_message(monkeypatch, capsys) -> None:
    monkeypatch.setenv("COUNTER_DRAWER__BACKEND", "serial")
    monkeypatch.setenv("COUNTER_DRAWER__URL", _closed_port_url("rfc2217"))
    assert main(["drawer", "test"]) == 1
    assert "Cash drawer: not connected at rfc2217://127.0.0.1" in capsys.readouterr().err


def test_drawer_test_with_no_drawer_configured_exits_1_saying_so(monkeypatch, capsys) -> None:
    monkeypatch.setenv("COUNTER_DRAWER__BACKEND", "none")
    assert main(["drawer", "test"]) == 1
    assert "no cash drawer configured (drawer.backend = none)" in capsys.readouterr().err


def test_drawer_test_on_the_default_dummy_printer_kicks_and_reports_the_state_unknown(
    monkeypatch, capsys
) -> None:
    monkeypatch.delenv("COUNTER_PRINTER__URL", raising=False)
    monkeypatch.delenv("COUNTER_DRAWER__BACKEND", raising=False)
    assert main(["drawer", "test"]) == 0
    assert "sensor: unknown" in capsys.readouterr().out
