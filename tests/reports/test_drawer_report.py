"""The drawer balancing report of a session: the Z's figures from ``closeout``, every void,
no-sale, count and approval listed, three signature lines; an open session's X read."""

from __future__ import annotations

import re
from pathlib import Path

from counter_app.domain.receipt import TenderKind
from counter_app.reports.drawer import drawer_report_pdf
from counter_app.services import closeout
from counter_app.services.context import Context
from tests.reports.conftest import Day, line_with, lines_with, pdf_text
from tests.reports.office import OFFICE
from tests.reports.pages import words_off_the_page


def test_the_z_report_holds_the_figures_of_the_close(
    ctx: Context, day: Day, tmp_path: Path
) -> None:
    z = closeout.z_read(ctx, day.maria_session, day.town.supervisor.id)
    pdf = drawer_report_pdf(z, OFFICE, ctx.now())
    shown = pdf_text(pdf, tmp_path)
    assert f"Session #{day.maria_session} · W02 · 11/23/2026 · Z" in shown
    assert line_with(shown, "Expected cash").endswith(z.expected[TenderKind.CASH].format())
    assert line_with(shown, "Collected").endswith(z.activity.collected.format())
    assert [ln.split()[-1] for ln in lines_with(shown, "Change given")] == ["-$25.00"] * 2
    assert line_with(shown, "All tenders").endswith("-$3.00")
    assert "Cash short $3.00 — over tolerance" in shown
    assert day.voided[0] in shown and "Wrong account" in shown
    assert "change for a $20" in shown  # the no-sale, with its reason
    assert "(4; 1 no-sale)" in shown
    assert "close 1" in shown and "Maria Lopez" in shown
    assert "counted twice, short $3" in shown and "Sam Ortega" in shown  # the approval
    for role in ("Cashier", "Verifier", "Supervisor"):
        assert re.search(rf"^ *{role} +_{{20,}} +Date +_+$", shown, re.MULTILINE), role
    path = tmp_path / "z.pdf"
    path.write_bytes(pdf)
    assert words_off_the_page(path) == []


def test_an_open_session_prints_as_an_x_read(ctx: Context, day: Day, tmp_path: Path) -> None:
    x = closeout.x_read(ctx, day.batch_session, day.town.supervisor.id)
    shown = pdf_text(drawer_report_pdf(x, OFFICE, ctx.now()), tmp_path)
    assert "X read" in shown and "Batch session" in shown
    assert line_with(shown, "Returned checks (never in a drawer)").endswith("-$60.00")
    assert "Not counted yet." in shown
