"""The pure layout: columns, wrapping, time zone, ops for each variant and setting."""

from __future__ import annotations

import dataclasses
import datetime as dt
from zoneinfo import ZoneInfo

from counter_app.domain.money import Money
from counter_app.domain.receipt import ReceiptVariant
from counter_app.printing.layout import columns, layout_receipt, local_time, wrapped
from counter_app.printing.samples import sample_receipt
from drivers.paper import Code, Cut, Logo, Text

CHICAGO = ZoneInfo("America/Chicago")


def test_columns_puts_the_amount_flush_right_and_wraps_a_long_label_without_losing_any() -> None:
    assert columns("TOTAL", "$5.00", 20) == ["TOTAL          $5.00"]
    assert columns("A very long tender description", "$1,200.00", 20) == [
        "A very long tender",
        "description",
        "           $1,200.00",
    ]
    assert columns("Tender to the edge", "$1.00", 20) == [
        "Tender to the edge",
        "               $1.00",
    ]
    assert columns("Receipt", "W02-20261123-0042", 16) == [
        "Receipt",
        "W02-20261123-004",
        "2".rjust(16),
    ]


def test_long_names_wrap_within_the_width() -> None:
    assert wrapped("Maria de los Angeles Gutierrez-Fernandez", 20) == [
        "Maria de los Angeles",
        "Gutierrez-Fernandez",
    ]
    assert wrapped("", 20) == []


def test_local_time_is_in_the_office_zone_across_daylight_saving() -> None:
    summer = dt.datetime(2026, 7, 1, 17, 30, tzinfo=dt.UTC)
    assert local_time(summer, CHICAGO) == "07/01/2026 12:30 PM CDT"
    assert local_time(summer, None) == "07/01/2026 05:30 PM UTC"


def test_every_text_line_fits_the_paper_at_its_size() -> None:
    for width in (32, 42, 48):
        for variant in ReceiptVariant:
            for receipt in (sample_receipt(variant), sample_receipt(variant).as_reprint()):
                ops = layout_receipt(receipt, width=width, tz=CHICAGO)
                texts = [op for op in ops if isinstance(op, Text)]
                assert max(len(t.text) * t.size for t in texts) <= width


def test_barcode_and_logo_settings_choose_the_ops(tmp_path) -> None:
    logo = tmp_path / "logo.png"
    ops = layout_receipt(sample_receipt(), width=48, tz=CHICAGO, barcode="qr", logo=logo)
    assert ops[0] == Logo(logo)
    assert Code("W02-20261123-0042", "qr") in ops
    assert isinstance(ops[-1], Cut)
    bare = layout_receipt(sample_receipt(), width=48, tz=CHICAGO, barcode="none")
    assert not any(isinstance(op, Code | Logo) for op in bare)


def test_reprint_is_a_flag_on_top_of_the_variant() -> None:
    void = sample_receipt(ReceiptVariant.VOID)
    again = void.as_reprint()
    assert (again.variant, again.reprint) == (ReceiptVariant.VOID, True)
    assert again.banners == ("VOID", "REPRINT") and again.heading == "VOID REPRINT"
    assert void.banners == ("VOID",) and not void.reprint
    assert sample_receipt().as_reprint().banners == ("REPRINT",)
    assert sample_receipt().heading == ""


def test_an_overpayment_is_printed_as_credit_on_account_in_words() -> None:
    receipt = sample_receipt()
    line = dataclasses.replace(receipt.lines[0], balance_after=Money(-7586))
    over = dataclasses.replace(receipt, lines=(line, *receipt.lines[1:]))
    texts = [op.text for op in layout_receipt(over, width=42, tz=CHICAGO) if isinstance(op, Text)]
    assert "Credit on account" + "$75.86".rjust(42 - len("Credit on account")) in texts
    assert not any("-$75.86" in t or "−$75.86" in t for t in texts)
