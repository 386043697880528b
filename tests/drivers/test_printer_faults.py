"""Faults never lose money: each fault, produced by the simulator, raises a typed error."""

from __future__ import annotations

import time

import pytest

from counter_app.app import receipt_printer
from counter_app.printing.samples import sample_receipt
from drivers.errors import (
    CoverOpen,
    PaperOut,
    PrinterOffline,
    PrinterStatusUnreadable,
    PrinterTimeout,
)
from drivers.sim.printer import PrinterSimulator
from drivers.status import Paper
from tests.helpers import FAST, printer_settings


@pytest.mark.parametrize(
    ("state", "error", "message"),
    [
        ({"offline": True}, PrinterOffline, "Printer: offline"),
        ({"paper_out": True}, PaperOut, "Printer: paper out — load paper, then Reprint"),
        ({"cover_open": True}, CoverOpen, "Printer: cover open — close the cover, then Reprint"),
    ],
)
def test_a_printer_that_is_not_ready_raises_before_the_receipt_is_sent(
    printer_sim: PrinterSimulator, open_printer, state, error, message
) -> None:
    printer_sim.set_state(**state)
    with pytest.raises(error, match=message) as raised:
        open_printer.print_receipt(sample_receipt())
    assert printer_sim.jobs == []
    assert printer_sim.discarded == 0  # not one printable byte of the body arrived
    assert not raised.value.may_have_printed  # the next copy is the first


def test_the_same_printer_prints_again_once_paper_is_loaded(printer_sim, open_printer) -> None:
    printer_sim.set_state(paper_out=True)
    with pytest.raises(PaperOut):
        open_printer.print_receipt(sample_receipt())
    printer_sim.set_state(paper_out=False)
    open_printer.print_receipt(sample_receipt())
    assert printer_sim.wait_for_jobs(1)[0].cut


def test_a_printer_that_stops_reading_mid_job_raises_printer_timeout_within_the_timeout(
    printer_sim, open_printer
) -> None:
    printer_sim.fault_after(400, stalled=True)
    started = time.monotonic()
    with pytest.raises(PrinterTimeout, match="stopped answering during the receipt") as raised:
        open_printer.print_receipt(sample_receipt())
    assert raised.value.may_have_printed  # it may print the rest when it comes back
    assert time.monotonic() - started < FAST * 3
    assert printer_sim.jobs == []


def test_paper_running_out_mid_job_raises_paper_out_for_a_reprint(printer_sim, open_printer):
    printer_sim.fault_after(1500, paper_out=True)
    with pytest.raises(PaperOut, match="while printing; the receipt is incomplete") as raised:
        open_printer.print_receipt(sample_receipt())
    assert raised.value.may_have_printed
    assert printer_sim.jobs == []
    assert printer_sim.discarded > 0


def test_the_cover_opened_mid_job_raises_cover_open(printer_sim, open_printer) -> None:
    printer_sim.fault_after(1500, cover_open=True)
    with pytest.raises(CoverOpen):
        open_printer.print_receipt(sample_receipt())


def test_a_printer_that_never_answers_status_raises_printer_timeout_before_sending(
    printer_sim, open_printer
) -> None:
    printer_sim.set_state(stalled=True)
    with pytest.raises(PrinterTimeout, match="did not answer within 0.5 s"):
        open_printer.print_receipt(sample_receipt())
    printer_sim.set_state(stalled=False)
    assert printer_sim.jobs == []


def test_after_a_timeout_the_printer_is_closed_and_reopens_for_the_reprint(
    printer_sim, open_printer
) -> None:
    printer_sim.fault_after(400, stalled=True)
    with pytest.raises(PrinterTimeout):
        open_printer.print_receipt(sample_receipt())
    with pytest.raises(PrinterOffline, match="open the printer first"):
        open_printer.print_receipt(sample_receipt())
    printer_sim.set_state(stalled=False)
    open_printer.open()
    open_printer.print_receipt(sample_receipt())
    assert printer_sim.wait_for_jobs(1)[-1].cut


def test_status_check_off_prints_without_asking(printer_sim) -> None:
    printer = receipt_printer(printer_settings(printer_sim.url, status_check=False))
    printer.open()
    printer_sim.set_state(near_end=True)
    printer.print_receipt(sample_receipt())
    printer.close()
    assert printer_sim.wait_for_jobs(1)[0].cut
    assert printer_sim.status_queries == 0


def test_a_malformed_status_reply_is_unknown_never_paper_ok(printer_sim, open_printer) -> None:
    printer_sim.set_state(garbled=True)
    status = open_printer.status()
    assert printer_sim.status_queries == 3
    assert (status.online, status.paper, status.summary) == (None, Paper.UNKNOWN, "status unknown")
    with pytest.raises(PrinterStatusUnreadable, match="Printer: status unknown"):
        open_printer.print_receipt(sample_receipt())
    assert printer_sim.jobs == [] and printer_sim.discarded == 0
    printer_sim.set_state(garbled=False)
    assert open_printer.status().paper is Paper.OK
