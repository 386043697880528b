"""The printing adapter and the preview: the same layout goes to the driver and the screen."""

from __future__ import annotations

import dataclasses
import datetime as dt
from collections.abc import Iterator
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest

from counter_app.printing.layout import ReceiptLayout, receipt_logo
from counter_app.printing.preview import LayoutPreview
from counter_app.printing.printer import StationPrinter
from counter_app.printing.samples import SAMPLE_NUMBER, sample_receipt
from drivers.params import PrinterParams
from drivers.printer import make_printer
from drivers.sim.job import Job
from drivers.sim.printer import PrinterSimulator

CHICAGO = ZoneInfo("America/Chicago")
LAYOUT = ReceiptLayout(width=32, tz=CHICAGO, barcode="qr", logo=receipt_logo(), office_name="Riv")
SUMMER = dt.datetime(2026, 7, 1, 17, 30, tzinfo=dt.UTC)


@pytest.fixture
def printed() -> Iterator[tuple[StationPrinter, PrinterSimulator]]:
    """A station printer (58 mm layout) on the simulator, opened."""
    with PrinterSimulator() as sim:
        driver = make_printer(PrinterParams(url=sim.url, columns=32, timeout_s=0.5))
        printer = StationPrinter(driver, LAYOUT, clock=lambda: SUMMER)
        printer.open()
        yield printer, sim
        printer.close()


def _only_job(sim: PrinterSimulator) -> Job:
    [job] = sim.wait_for_jobs(1)
    return job


def test_print_receipt_lays_the_receipt_out_for_the_station_and_the_driver_prints_it(
    printed: tuple[StationPrinter, PrinterSimulator],
) -> None:
    printer, sim = printed
    printer.print_receipt(sample_receipt())
    job = _only_job(sim)
    assert [qr.content for qr in job.qr_codes] == [SAMPLE_NUMBER]
    assert len(job.images) == 1  # the logo
    assert job.line_with("TOTAL").text == "TOTAL" + "$184.10".rjust(27)
    assert job.cut


def test_the_test_page_names_the_office_and_is_dated_by_the_clock_in_the_office_zone(
    printed: tuple[StationPrinter, PrinterSimulator],
) -> None:
    printer, sim = printed
    printer.print_test_page()
    lines = _only_job(sim).lines
    assert "PRINTER TEST" in lines and "Riv" in lines and "07/01/2026 12:30 PM CDT" in lines


def test_the_shipped_logo_is_found_in_the_installed_package() -> None:
    logo = receipt_logo()
    assert logo is not None and logo.name == "receipt_logo.png" and logo.stat().st_size > 100


def test_the_preview_shows_the_paper_layout_as_text_without_the_logo(tmp_path: Path) -> None:
    picture = tmp_path / "job-0001.png"
    preview = LayoutPreview(LAYOUT, {SAMPLE_NUMBER: picture}.get)
    text = preview.text(sample_receipt())
    assert SAMPLE_NUMBER in text and "[QR W02-20261123-0042]" in text and "[logo]" not in text
    assert max(len(line) for line in text.splitlines()) <= 32
    assert preview.shows_pictures and preview.picture(SAMPLE_NUMBER) == picture
    assert preview.picture("W02-20200101-0001") is None
    assert not LayoutPreview(LAYOUT).shows_pictures


def test_a_name_holding_printer_commands_prints_as_text_and_never_pops_the_drawer(
    printed: tuple[StationPrinter, PrinterSimulator],
) -> None:
    printer, sim = printed
    receipt = sample_receipt()
    hostile = dataclasses.replace(receipt.lines[0], customer_name="Smith\x1bp\x00\x19\x19\x1dV\x00")
    printer.print_receipt(dataclasses.replace(receipt, lines=(hostile, *receipt.lines[1:])))
    job = _only_job(sim)
    assert job.pulses == []  # ESC p reached the paper as text, not as a drawer kick
    assert any("Smith\\x1bp\\x00" in line for line in job.lines)
    assert job.cut  # the one cut at the end
