"""The drivers on their own: plain parameters in, printer-neutral lines onto the simulator's
paper; no Counter settings or receipts involved."""

from __future__ import annotations

import pytest

from drivers.errors import BadParameter
from drivers.paper import Code, Cut, Feed, Text
from drivers.params import DrawerParams, PrinterParams
from drivers.printer import make_printer
from drivers.sim.printer import PrinterSimulator
from tests.helpers import FAST


def test_a_printer_made_from_its_own_parameters_prints_neutral_lines(
    printer_sim: PrinterSimulator,
) -> None:
    printer = make_printer(PrinterParams(url=printer_sim.url, timeout_s=FAST))
    printer.open()
    try:
        printer.print_lines(
            [
                Text("HELLO", "center", bold=True, size=2),
                Text("left and plain"),
                Feed(2),
                Code("W09-1", "qr"),
                Cut(),
            ]
        )
    finally:
        printer.close()
    [job] = printer_sim.wait_for_jobs(1)
    hello = job.line_with("HELLO")
    assert (hello.align, hello.bold, hello.width) == ("center", True, 2)
    assert not job.line_with("left and plain").bold
    assert [qr.content for qr in job.qr_codes] == ["W09-1"]
    assert job.cut


@pytest.mark.parametrize(
    ("params", "field"),
    [(PrinterParams(url="lpt1"), "url"), (PrinterParams(profile="TM-NOPE"), "profile")],
)
def test_a_bad_printer_parameter_is_a_bad_parameter_naming_the_field(
    params: PrinterParams, field: str
) -> None:
    with pytest.raises(BadParameter) as caught:
        make_printer(params)
    assert caught.value.field == field
    assert str(caught.value).startswith(f"{field}: ")


def test_a_serial_drawer_without_a_port_is_a_bad_parameter_naming_the_url() -> None:
    from drivers.drawer import make_drawer

    with pytest.raises(BadParameter, match="^url: empty; name the drawer's port"):
        make_drawer(DrawerParams(backend="serial"), None)
