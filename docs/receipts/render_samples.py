"""Print the sample receipt and its VOID slip to the simulator and save what came out.

    python docs/receipts/render_samples.py docs/receipts

writes ``receipt.png`` and ``void.png`` (80 mm paper on the default TM-T88V profile: 42
columns of font A; CODE128; logo).
"""

from __future__ import annotations

import sys
from collections.abc import Sequence
from pathlib import Path
from zoneinfo import ZoneInfo

from counter_app.app import receipt_printer
from counter_app.config import PrinterSettings
from counter_app.domain.receipt import ReceiptVariant
from counter_app.printing.samples import sample_receipt
from drivers.sim.printer import PrinterSimulator
from drivers.sim.render import render_job

SAMPLES = {"receipt.png": ReceiptVariant.ORIGINAL, "void.png": ReceiptVariant.VOID}


def render_samples(out_dir: Path) -> list[Path]:
    """Print each sample through the real driver to the simulator; save its rendering."""
    out_dir.mkdir(parents=True, exist_ok=True)
    settings = PrinterSettings(paper_mm=80, barcode="code128", logo=True)
    written = []
    with PrinterSimulator(columns=settings.line_width) as sim:
        printer = receipt_printer(
            settings.model_copy(update={"url": sim.url}), tz=ZoneInfo("America/Chicago")
        )
        printer.open()
        try:
            for n, (name, variant) in enumerate(SAMPLES.items(), start=1):
                printer.print_receipt(sample_receipt(variant))
                job = sim.wait_for_jobs(n)[-1]
                render_job(job, settings.line_width).save(out_dir / name)
                written.append(out_dir / name)
        finally:
            printer.close()
    return written


def main(argv: Sequence[str] | None = None) -> int:
    args = list(sys.argv[1:] if argv is None else argv)
    for path in render_samples(Path(args[0] if args else "docs/receipts")):
        print(path)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
