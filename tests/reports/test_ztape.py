"""The X read and the Z tape on the receipt printer: the drawer report's figures from the
same ``DrawerReport``, 42 columns, voided receipts and no-sales listed, the chain head on
the Z; printed through ``StationPrinter`` to the simulator and decoded there."""

from __future__ import annotations

from collections.abc import Iterator
from zoneinfo import ZoneInfo

import pytest

from counter_app.domain.receipt import TenderKind
from counter_app.printing.layout import ReceiptLayout
from counter_app.printing.printer import StationPrinter
from counter_app.printing.ztape import layout_ztape
from counter_app.services import closeout, reports_data
from counter_app.services.context import Context
from drivers.paper import Text
from drivers.params import PrinterParams
from drivers.printer import make_printer
from drivers.sim.printer import PrinterSimulator
from drivers.sim.render import render_job
from tests.helpers import screenshot_dir
from tests.reports.conftest import TODAY, Day

CHICAGO = ZoneInfo("America/Chicago")
LAYOUT = ReceiptLayout(width=42, tz=CHICAGO, office_name="City of Riverton Utilities")


@pytest.fixture
def printer() -> Iterator[tuple[StationPrinter, PrinterSimulator]]:
    with PrinterSimulator(columns=42) as sim:
        station = StationPrinter(
            make_printer(PrinterParams(url=sim.url, columns=42, timeout_s=2.0)), LAYOUT
        )
        station.open()
        yield station, sim
        station.close()


def test_the_z_tape_prints_the_drawer_reports_figures(
    ctx: Context, day: Day, printer: tuple[StationPrinter, PrinterSimulator]
) -> None:
    station, sim = printer
    z = closeout.z_read(ctx, day.maria_session, day.town.supervisor.id)
    head = reports_data.chain_head(ctx, TODAY)
    assert head is not None
    station.print_ztape(z, head)
    [job] = sim.wait_for_jobs(1)
    assert job.line_with("Z TAPE")
    expected = z.expected[TenderKind.CASH].format()
    assert job.line_with("EXPECTED CASH").text == "EXPECTED CASH" + expected.rjust(42 - 13)
    assert job.line_with("Collected").text.endswith(z.activity.collected.format())
    assert job.line_with("VOIDED RECEIPTS (1)")
    assert job.line_with(day.voided[0]).text.endswith(z.voids[0].amount.format())
    assert job.line_with("NO-SALE OPENINGS (1)") and job.line_with("change for a $20")
    assert job.line_with("Cash short $3.00")
    assert job.line_with(f"Event #{head.event_id}").text.endswith(head.short)
    assert all(len(line) <= 42 for line in job.lines)
    assert job.cut
    if not ctx.db.is_postgres:
        folder = screenshot_dir()
        folder.mkdir(parents=True, exist_ok=True)
        render_job(job, 42).save(folder / "ztape.png")


def test_an_open_session_prints_an_x_read_without_a_count(ctx: Context, day: Day) -> None:
    x = closeout.x_read(ctx, day.batch_session, day.town.supervisor.id)
    lines = [op.text for op in layout_ztape(x, width=42, tz=CHICAGO) if isinstance(op, Text)]
    assert "X READ" in lines
    assert not any("over/short" in line or "AUDIT CHAIN" in line for line in lines)
    assert any(line.startswith("Returned checks") and line.endswith("-$60.00") for line in lines)
