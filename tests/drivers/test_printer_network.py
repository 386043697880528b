"""python-escpos Network printer → the simulator over TCP: what the simulator decoded."""

from __future__ import annotations

import socket
import time

import pytest

from counter_app.app import receipt_printer
from counter_app.domain.receipt import Receipt, ReceiptVariant
from counter_app.printing.samples import SAMPLE_NUMBER, sample_receipt
from drivers.errors import PrinterOffline, PrinterTimeout
from drivers.sim.printer import PrinterSimulator
from drivers.status import Paper
from tests.helpers import FAST, OFFICE_TZ, printer_settings


def test_a_receipt_prints_office_accounts_amounts_total_and_change(
    printer_sim: PrinterSimulator, open_printer
) -> None:
    open_printer.print_receipt(sample_receipt())
    [job] = printer_sim.wait_for_jobs(1)
    lines = job.lines
    assert "City of Riverton Utilities" in lines
    assert "100 Main St, Riverton" in lines
    assert job.line_with("001234-01").text.endswith("001234-01")
    assert job.line_with("004567-02").text.startswith("Account")
    assert job.line_with("Amount applied").text.endswith("$84.10")
    assert job.line_with("TOTAL").text.endswith("$184.10")
    assert job.line_with("TOTAL").bold
    assert job.line_with("Check #1043").text.endswith("$50.00")
    assert job.line_with("Card ****1234 auth 123456").text.endswith("$100.00")
    assert job.line_with("Tendered").text.endswith("$200.00")
    assert job.line_with("Change").text.endswith("$15.90")
    assert "  Shut-off stopped" in lines


@pytest.mark.parametrize(("profile", "width"), [("TM-T88V", 42), ("TM-T20II", 48)])
def test_on_80_mm_paper_amounts_end_at_the_edge_of_the_profiles_font_a_line(
    printer_sim, profile: str, width: int
) -> None:
    printer = receipt_printer(printer_settings(printer_sim.url, profile=profile), tz=OFFICE_TZ)
    printer.open()
    printer.print_receipt(sample_receipt())
    printer.close()
    [job] = printer_sim.wait_for_jobs(1)
    money = [line for line in job.text_lines if "$" in line.text]
    assert len(money) >= 8
    assert {len(line.text) for line in money} == {width}
    assert {line.font for line in job.text_lines} == {0}  # font A throughout


def test_explicit_columns_win_and_print_in_font_b_when_only_b_fits(printer_sim) -> None:
    printer = receipt_printer(printer_settings(printer_sim.url, columns=56), tz=OFFICE_TZ)
    printer.open()
    printer.print_receipt(sample_receipt())
    printer.close()
    [job] = printer_sim.wait_for_jobs(1)
    assert job.line_with("TOTAL").text == "TOTAL" + "$184.10".rjust(51)
    assert {line.font for line in job.text_lines} == {1}  # font B on every line


def test_the_date_is_shown_in_the_office_time_zone(printer_sim, open_printer) -> None:
    open_printer.print_receipt(sample_receipt())  # posted_at 20:05 UTC
    [job] = printer_sim.wait_for_jobs(1)
    assert job.line_with("Date").text.endswith("11/23/2026 02:05 PM CST")


def test_the_barcode_holds_the_receipt_number_and_the_job_ends_with_a_cut(
    printer_sim, open_printer
) -> None:
    open_printer.print_receipt(sample_receipt())
    [job] = printer_sim.wait_for_jobs(1)
    assert [(b.symbology, b.content) for b in job.barcodes] == [("CODE128", SAMPLE_NUMBER)]
    assert job.cut


def test_the_logo_is_sent_as_a_raster_image(printer_sim, open_printer) -> None:
    open_printer.print_receipt(sample_receipt())
    [job] = printer_sim.wait_for_jobs(1)
    [logo] = job.images
    assert (logo.width, logo.height) == (288, 80)
    assert any(logo.dot(x, 50) for x in range(logo.width))


def test_accented_names_decode_right_through_the_code_pages_the_printer_switched_to(
    printer_sim, open_printer
) -> None:
    open_printer.print_receipt(sample_receipt())
    [job] = printer_sim.wait_for_jobs(1)
    assert "José Núñez" in job.lines
    assert "João Müller-Brontë" in job.lines
    # ã is not in code page 437: the printer had to be switched (ESC t) mid-line and back
    assert len(job.line_with("João").code_pages) >= 2


@pytest.mark.parametrize(
    ("receipt", "banner"),
    [
        (sample_receipt().as_reprint(), "REPRINT"),
        (sample_receipt(ReceiptVariant.VOID), "VOID"),
        (sample_receipt(ReceiptVariant.NSF), "RETURNED"),
    ],
    ids=["reprint", "void", "returned-check"],
)
def test_reprint_void_and_returned_check_print_a_big_banner(
    printer_sim, open_printer, receipt: Receipt, banner: str
) -> None:
    open_printer.print_receipt(receipt)
    [job] = printer_sim.wait_for_jobs(1)
    big = [line for line in job.text_lines if line.text and line.width >= 2 and line.height >= 2]
    assert banner in big[0].text
    assert (big[0].align, big[0].bold, big[0].width) == ("center", True, 3)
    assert banner in big[-1].text  # and again at the foot of the slip


@pytest.mark.parametrize(
    ("variant", "words", "reason"),
    [
        (ReceiptVariant.VOID, ["VOID"], "Reason: Wrong amount"),
        (ReceiptVariant.NSF, ["RETURNED CHECK"], ""),
    ],
)
def test_a_reprinted_void_or_returned_check_slip_keeps_its_banner_and_what_it_reverses(
    printer_sim, open_printer, variant: ReceiptVariant, words: list[str], reason: str
) -> None:
    open_printer.print_receipt(sample_receipt(variant).as_reprint())
    [job] = printer_sim.wait_for_jobs(1)
    top = [line.text for line in job.text_lines if line.text and line.width == 3]
    assert top == [*words, "REPRINT"]
    assert "Reverses receipt W02-20261123-0042" in job.lines
    assert not reason or reason in job.lines
    foot = [line.text for line in job.text_lines if line.text and line.width == 2]
    assert " ".join(foot) == f"{' '.join(words)} REPRINT"
    assert max(len(line.text) * line.width for line in job.text_lines) <= 42


def test_a_void_slip_names_the_receipt_it_reverses_and_the_reason(printer_sim, open_printer):
    open_printer.print_receipt(sample_receipt(ReceiptVariant.VOID))
    [job] = printer_sim.wait_for_jobs(1)
    assert "Reverses receipt W02-20261123-0042" in job.lines
    assert "Reason: Wrong amount" in job.lines
    assert job.line_with("TOTAL").text.endswith("-$184.10")


def test_an_original_receipt_has_no_banner(printer_sim, open_printer) -> None:
    open_printer.print_receipt(sample_receipt())
    [job] = printer_sim.wait_for_jobs(1)
    assert all(line.width == 1 for line in job.text_lines)


def test_58_mm_paper_keeps_every_line_within_32_columns(printer_sim) -> None:
    printer = receipt_printer(printer_settings(printer_sim.url, paper_mm=58), tz=OFFICE_TZ)
    printer.open()
    printer.print_receipt(sample_receipt().as_reprint())
    printer.close()
    [job] = printer_sim.wait_for_jobs(1)
    assert max(len(line.text) * line.width for line in job.text_lines) == 32
    assert job.line_with("TOTAL").text == "TOTAL" + "$184.10".rjust(27)


def test_on_58_mm_a_card_tender_too_long_for_one_line_keeps_every_character(printer_sim):
    printer = receipt_printer(printer_settings(printer_sim.url, paper_mm=58), tz=OFFICE_TZ)
    printer.open()
    printer.print_receipt(sample_receipt())
    printer.close()
    [job] = printer_sim.wait_for_jobs(1)
    card = job.lines.index("Card ****1234 auth 123456")  # the whole label, on its own line
    assert job.lines[card + 1] == "$100.00".rjust(32)  # its amount right below, at the edge
    assert job.line_with("Check #1043").text == "Check #1043" + "$50.00".rjust(21)


def test_qr_setting_prints_the_receipt_number_as_a_qr_code(printer_sim) -> None:
    printer = receipt_printer(printer_settings(printer_sim.url, barcode="qr", logo=False))
    printer.open()
    printer.print_receipt(sample_receipt())
    printer.close()
    [job] = printer_sim.wait_for_jobs(1)
    assert [q.content for q in job.qr_codes] == [SAMPLE_NUMBER]
    assert job.barcodes == [] and job.images == []


def test_status_reads_the_simulators_bits(printer_sim, open_printer) -> None:
    printer_sim.set_state(near_end=True)
    status = open_printer.status()
    assert printer_sim.status_queries == 3  # DLE EOT 1, 2 and 4
    assert (status.online, status.cover_open, status.paper) == (True, False, Paper.NEAR_END)
    assert "paper near end" in status.summary


def test_each_job_is_one_simulator_job_written_as_text_and_png(tmp_path) -> None:
    with PrinterSimulator(tmp_path / "jobs") as sim:
        printer = receipt_printer(printer_settings(sim.url))
        printer.open()
        printer.print_receipt(sample_receipt())
        printer.print_test_page()
        printer.close()
        jobs = sim.wait_for_jobs(2)
    assert "PRINTER TEST" in jobs[1].lines
    assert (tmp_path / "jobs" / "job-0001.txt").read_text().startswith("[IMAGE 288x80]")
    assert (tmp_path / "jobs" / "job-0002.png").stat().st_size > 1000


def test_a_drawer_kick_on_its_own_is_written_as_a_pulse_line_without_a_picture(tmp_path):
    with PrinterSimulator(tmp_path) as sim:
        printer = receipt_printer(printer_settings(sim.url))
        printer.open()
        printer.print_receipt(sample_receipt())
        printer.driver.kick_drawer(5, 120, 240)
        printer.close()
        receipt, kick = sim.wait_for_jobs(2)
    assert receipt.cut and kick.pulses and not kick.printed
    assert (tmp_path / "job-0002.txt").read_text() == "[drawer pulse pin 5 120/240 ms]\n"
    assert not (tmp_path / "job-0002.png").exists()
    assert (tmp_path / "job-0001.png").exists()


def test_opening_a_printer_nobody_listens_on_raises_printer_offline() -> None:
    with PrinterSimulator() as sim:
        url = sim.url  # a port that was free a moment ago and is closed now
    printer = receipt_printer(printer_settings(url))
    with pytest.raises(PrinterOffline, match="cannot connect to 127.0.0.1") as caught:
        printer.open()
    assert "connection refused; the printer is off, or the address or port is wrong" in str(
        caught.value
    )


def test_a_peer_that_accepts_but_never_reads_raises_printer_timeout() -> None:
    with socket.create_server(("127.0.0.1", 0)) as server:  # the kernel accepts; nobody reads
        port = server.getsockname()[1]
        printer = receipt_printer(printer_settings(f"tcp://127.0.0.1:{port}"))
        printer.open()
        started = time.monotonic()
        with pytest.raises(PrinterTimeout) as caught:
            printer.print_receipt(sample_receipt())
        assert time.monotonic() - started < FAST * 3
    assert str(caught.value) == (
        "Printer: did not answer within 0.5 s — check it is on and has paper, then Reprint"
    )


def test_printing_before_open_raises_instead_of_opening_by_itself(printer_sim) -> None:
    printer = receipt_printer(printer_settings(printer_sim.url))
    with pytest.raises(PrinterOffline, match="open the printer first"):
        printer.print_receipt(sample_receipt())
    assert printer_sim.jobs == []


def test_a_restarted_simulator_numbers_its_jobs_after_the_highest_already_in_the_folder(
    tmp_path,
) -> None:
    """Issue 9 item 17: a restart writing into the same folder overwrote job-0001.png."""

    def print_one() -> list[int]:
        with PrinterSimulator(tmp_path) as sim:
            printer = receipt_printer(printer_settings(sim.url))
            printer.open()
            printer.print_receipt(sample_receipt())
            printer.driver.kick_drawer(5, 120, 240)  # a job with a text file only
            printer.close()
            return [job.number for job in sim.wait_for_jobs(2)]

    assert print_one() == [1, 2]
    first_picture = (tmp_path / "job-0001.png").read_bytes()
    (tmp_path / "job-0002.txt").rename(tmp_path / "job-0007.txt")  # a gap: the highest counts
    assert print_one() == [8, 9]
    assert (tmp_path / "job-0001.png").read_bytes() == first_picture
    assert sorted(p.name for p in tmp_path.iterdir()) == [
        "job-0001.png",
        "job-0001.txt",
        "job-0007.txt",
        "job-0008.png",
        "job-0008.txt",
        "job-0009.txt",
    ]
