"""Page 1 of each report of the generated day as a PNG (``COUNTER_SCREENSHOTS=docs/reports``
writes the README's pictures): Letter at 80 dpi, and no word off the page on any page."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest
from PIL import Image

from counter_app.reports.checks import check_register_pdf
from counter_app.reports.daily import daily_report_pdf
from counter_app.reports.deposit import deposit_slips_pdf
from counter_app.reports.drawer import drawer_report_pdf
from counter_app.reports.payments import payment_register_pdf
from counter_app.services import closeout, deposits, reports_data
from counter_app.services.context import Context
from tests.reports.conftest import TODAY, Day
from tests.reports.office import OFFICE
from tests.reports.pages import page_one_png, words_off_the_page

REPORTS: dict[str, Callable[[Context, Day], bytes]] = {
    "drawer": lambda ctx, day: drawer_report_pdf(
        closeout.z_read(ctx, day.maria_session, day.town.supervisor.id), OFFICE, ctx.now()
    ),
    "deposit": lambda ctx, day: deposit_slips_pdf(
        deposits.deposits_of(ctx, TODAY), TODAY, OFFICE, ctx.now()
    ),
    "daily": lambda ctx, day: daily_report_pdf(
        reports_data.daily_cash(ctx, TODAY, day.town.supervisor.id), OFFICE, ctx.now()
    ),
    "payments": lambda ctx, day: payment_register_pdf(
        reports_data.payment_register(ctx, TODAY, day.town.supervisor.id), OFFICE, ctx.now()
    ),
    "checks": lambda ctx, day: check_register_pdf(
        reports_data.check_register(ctx, TODAY, day.town.supervisor.id), OFFICE, ctx.now()
    ),
}


@pytest.mark.parametrize("name", sorted(REPORTS))
def test_page_one_is_letter_with_nothing_off_the_page(
    name: str, ctx: Context, day: Day, tmp_path: Path
) -> None:
    if ctx.db.is_postgres:
        pytest.skip("the pictures come from the SQLite run; PostgreSQL's figures are the same")
    pdf = tmp_path / f"{name}.pdf"
    pdf.write_bytes(REPORTS[name](ctx, day))
    assert words_off_the_page(pdf) == []
    with Image.open(page_one_png(pdf, name)) as page:
        assert page.size == (680, 880)  # 8.5 × 11 in at 80 dpi
