"""The simulator's decoder: bytes split anywhere decode the same; code pages; commands."""

from __future__ import annotations

from escpos.printer import Dummy

from drivers.sim.escpos_decoder import (
    Barcode,
    Cut,
    DrawerPulse,
    EscPosDecoder,
    Image,
    QrCode,
    StatusQuery,
    TextLine,
    decode_code128,
)


def _job_bytes() -> bytes:
    printer = Dummy(profile="TM-T88V")
    printer.set(align="center", bold=True)
    printer.textln("Peña")
    printer.qr("W02-1", native=True)
    printer._hw_barcode("{BW02-1", "CODE128", function_type="B")
    printer._raw(b"\x10\x04\x04")
    printer.cashdraw((27, 112, 1, 60, 120))
    printer.cut(mode="PART")
    return printer.output


def test_a_stream_split_at_every_byte_decodes_like_one_read() -> None:
    data = _job_bytes()
    whole = EscPosDecoder().feed(data)
    decoder = EscPosDecoder()
    pieces = [event for i in range(len(data)) for event in decoder.feed(data[i : i + 1])]
    assert pieces == whole
    assert whole[0] == TextLine("Peña", "center", True, code_pages=(0,))
    assert QrCode("W02-1") in whole
    assert Barcode("CODE128", "W02-1") in whole
    assert StatusQuery(4) in whole
    assert DrawerPulse(pin=5, on_ms=120, off_ms=240) in whole
    assert whole[-1] == Cut(partial=True)


def test_esc_t_switches_the_code_page_used_to_decode_high_bytes() -> None:
    # 0xA4 is ñ in code page 437 and ¤ in 1252 (ESC t 16)
    events = EscPosDecoder().feed(b"\xa4\x1bt\x10\xa4\xf1\n")
    assert events == [TextLine("ñ¤ñ", code_pages=(0, 16))]


def test_esc_at_resets_the_code_page_to_437() -> None:
    events = EscPosDecoder().feed(b"\x1bt\x10\x1b@\xa4\n")
    assert events[0].text == "ñ"


def test_a_raster_image_records_its_size_and_dots() -> None:
    events = EscPosDecoder().feed(b"\x1dv0\x00\x02\x00\x02\x00" + b"\x80\x00\x00\x01")
    [image] = events
    assert isinstance(image, Image)
    assert (image.width, image.height) == (16, 2)
    assert image.dot(0, 0) and image.dot(15, 1) and not image.dot(1, 0)


def test_code128_code_set_c_reads_digit_pairs() -> None:
    assert decode_code128(b"{C\x0c\x22{BA") == "1234A"


def test_the_unfinished_line_is_kept_until_the_stream_ends() -> None:
    decoder = EscPosDecoder()
    assert decoder.feed(b"half a li") == []
    assert decoder.feed(b"ne") == []
    assert decoder.flush() == [TextLine("half a line", code_pages=(0,))]
