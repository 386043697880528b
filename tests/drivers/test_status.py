"""DLE EOT replies → PrinterStatus: known bits, and unknown for empty or malformed replies."""

from __future__ import annotations

import pytest

from drivers.errors import CoverOpen, PaperOut, PrinterOffline
from drivers.status import Paper, PrinterStatus, parse_status, query, status_byte


def test_a_ready_printer_reads_online_paper_ok_cover_closed() -> None:
    status = parse_status({1: b"\x12", 2: b"\x12", 4: b"\x12"})
    assert status == PrinterStatus(
        online=True, cover_open=False, paper=Paper.OK, error=False, drawer_pin3_high=False
    )
    status.raise_if_not_ready()


def test_the_drawer_bit_is_bit_2_of_the_printer_status() -> None:
    assert parse_status({1: b"\x16"}).drawer_pin3_high is True
    assert parse_status({1: b"\x12"}).drawer_pin3_high is False


def test_near_end_bits_read_as_paper_near_end() -> None:
    assert parse_status({1: b"\x12", 4: b"\x1e"}).paper is Paper.NEAR_END


def test_paper_end_bits_read_as_paper_out_and_raise_paper_out() -> None:
    status = parse_status({1: b"\x1a", 2: b"\x32", 4: b"\x7e"})
    assert (status.online, status.paper) == (False, Paper.OUT)
    with pytest.raises(PaperOut, match="load paper, then Reprint"):
        status.raise_if_not_ready()


def test_cover_open_bit_raises_cover_open() -> None:
    status = parse_status({1: b"\x1a", 2: b"\x16", 4: b"\x12"})
    assert status.cover_open is True
    with pytest.raises(CoverOpen, match="close the cover"):
        status.raise_if_not_ready()


def test_offline_with_error_bit_raises_printer_offline() -> None:
    status = parse_status({1: b"\x1a", 2: b"\x52", 4: b"\x12"})
    assert (status.online, status.error) == (False, True)
    with pytest.raises(PrinterOffline, match="reports an error"):
        status.raise_if_not_ready()


@pytest.mark.parametrize("reply", [b"", b"\x12\x12", b"\x00", b"\xff", b"\x13", b"\x92"])
def test_an_empty_or_malformed_reply_is_unknown_never_paper_ok(reply: bytes) -> None:
    assert status_byte(reply) is None
    status = parse_status({1: reply, 2: reply, 4: reply})
    assert status == PrinterStatus()
    assert status.paper is Paper.UNKNOWN
    assert not status.known
    assert status.summary == "status unknown"


def test_missing_paper_reply_leaves_paper_unknown_while_online_is_known() -> None:
    status = parse_status({1: b"\x12"})
    assert status.online is True
    assert status.paper is Paper.UNKNOWN


def test_query_builds_dle_eot_n_and_rejects_other_n() -> None:
    assert query(4) == b"\x10\x04\x04"
    with pytest.raises(ValueError):
        query(5)
