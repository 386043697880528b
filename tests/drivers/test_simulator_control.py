"""The simulators' command-line control words, as ``nc`` would send them to the port."""

from __future__ import annotations

import socket

from drivers.sim.drawer import DrawerSimulator
from drivers.sim.printer import PrinterSimulator
from drivers.sim.tcp import ControlServer


def _send(server: ControlServer, line: str) -> str:
    with socket.create_connection((server.server.host, server.server.port), timeout=2) as conn:
        conn.sendall(line.encode() + b"\n")
        return conn.makefile().readline().strip()


def test_the_printer_control_port_changes_the_state_and_answers_it() -> None:
    with PrinterSimulator() as sim:
        control = ControlServer(sim.control_commands()).start()
        try:
            assert _send(control, "paper-out") == "state: paper_out, near_end"
            assert sim.state.paper_out
            assert _send(control, "paper-ok") == "state: ready"
            assert _send(control, "garble") == "state: garbled"
            assert sim.state.reply(4) == b"\x00"
            assert _send(control, "ungarble") == "state: ready"
            assert "unknown command 'jump'" in _send(control, "jump")
        finally:
            control.stop()


def test_the_drawer_control_port_opens_closes_and_jams() -> None:
    with DrawerSimulator() as sim:
        control = ControlServer(sim.control_commands()).start()
        try:
            assert _send(control, "open").startswith("drawer open")
            assert sim.is_open
            assert _send(control, "close").startswith("drawer closed")
            assert _send(control, "jam") == "drawer closed, jammed (CTS high = open)"
        finally:
            control.stop()
