"""The daily cash report of a generated day: its figures equal sums written here in SQL,
and the PDF's text holds them."""

from __future__ import annotations

from pathlib import Path

import pytest
from sqlalchemy import text

from counter_app.domain.errors import PermissionDenied
from counter_app.domain.money import Money
from counter_app.domain.receipt import TenderKind
from counter_app.domain.sessions import SessionState
from counter_app.reports.daily import daily_report_pdf
from counter_app.services import reports_data
from counter_app.services.context import Context
from tests.reports.conftest import TODAY, Day, line_with, pdf_text
from tests.reports.office import OFFICE

DAY_TXNS = """
    FROM transactions t JOIN drawer_sessions s ON s.id = t.session_id
    WHERE s.business_date = :d
"""


def _cents(ctx: Context, sql: str, **params: object) -> Money:
    with ctx.db.read() as s:
        return Money(int(s.execute(text(sql), {"d": TODAY, **params}).scalar_one() or 0))


def test_net_collections_are_payments_less_voids_and_returned_checks(
    ctx: Context, day: Day
) -> None:
    report = reports_data.daily_cash(ctx, TODAY, day.town.supervisor.id)
    kind_sum = "SELECT SUM(t.total_cents) " + DAY_TXNS + " AND t.kind = :k"
    assert report.payments == _cents(ctx, kind_sum, k="payment")
    assert sum((e.amount for e in report.voids), Money(0)) == _cents(ctx, kind_sum, k="void")
    returned = sum((e.amount for e in report.returned_checks), Money(0))
    assert returned == _cents(ctx, kind_sum, k="nsf_reversal") == -Money.parse("60.00")
    assert report.net_collections == _cents(ctx, "SELECT SUM(t.total_cents) " + DAY_TXNS)
    assert [e.reverses for e in report.voids] == list(day.voided)
    assert [e.reverses for e in report.returned_checks] == [day.returned]


def test_totals_by_tender_add_up_to_net_collections(ctx: Context, day: Day) -> None:
    report = reports_data.daily_cash(ctx, TODAY, day.town.supervisor.id)
    tendered = "SELECT SUM(d.amount_cents) FROM tenders d JOIN transactions t ON t.id = d.transaction_id JOIN drawer_sessions s ON s.id = t.session_id WHERE s.business_date = :d AND d.kind = :k AND t.kind <> 'nsf_reversal'"  # noqa: E501
    change = _cents(ctx, "SELECT SUM(t.change_cents) " + DAY_TXNS)
    by_tender = dict(report.by_tender)
    assert by_tender[TenderKind.CASH] == _cents(ctx, tendered, k="cash") - change
    for kind in (TenderKind.CHECK, TenderKind.MONEY_ORDER, TenderKind.CARD):
        assert by_tender[kind] == _cents(ctx, tendered, k=kind.value)
    total = sum(by_tender.values(), Money(0)) + report.activity.returned_checks
    assert total == report.net_collections


def test_the_distribution_splits_net_collections_exactly_by_gl_code(ctx: Context, day: Day) -> None:
    report = reports_data.daily_cash(ctx, TODAY, day.town.supervisor.id)
    gl = ctx.settings.gl
    applied = "SELECT SUM(a.amount_cents) FROM allocations a JOIN payments p ON p.id = a.payment_id JOIN transactions t ON t.id = p.transaction_id JOIN drawer_sessions s ON s.id = t.session_id LEFT JOIN charges c ON c.id = a.charge_id WHERE s.business_date = :d"  # noqa: E501
    lines = {line.code: line.amount for line in report.distribution.revenue}
    assert lines[gl.water] == _cents(ctx, applied + " AND c.kind = 'water'")
    assert lines[gl.sewer] == _cents(ctx, applied + " AND c.kind = 'sewer'")
    assert lines[gl.fees] == _cents(ctx, applied + " AND c.kind IN ('late_fee', 'nsf_fee')")
    assert lines[gl.unapplied_credit] == _cents(ctx, applied + " AND a.charge_id IS NULL")
    assert lines[gl.unapplied_credit] >= Money.parse("20.00")  # José's card payment
    assert report.distribution.collections == report.net_collections
    assert report.distribution.over_short.amount == -Money.parse("3.00")
    assert report.distribution.total == report.net_collections - Money.parse("3.00")


def test_every_session_of_the_day_is_listed_with_its_state(ctx: Context, day: Day) -> None:
    report = reports_data.daily_cash(ctx, TODAY, day.town.supervisor.id)
    states = {s.id: s.state for s in report.sessions}
    assert states == {
        day.maria_session: SessionState.DEPOSITED,
        day.lee_session: SessionState.DEPOSITED,
        day.batch_session: SessionState.OPEN,
    }
    assert report.deposits[0][0] == day.deposit_slip
    deposited = _cents(
        ctx,
        "SELECT SUM(l.cents) FROM deposit_lines l JOIN deposits d ON d.id = l.deposit_id "
        "WHERE d.business_date = :d",
    )
    assert report.deposits[0][1] == deposited


def test_the_chain_head_is_the_last_audit_event_of_the_day(ctx: Context, day: Day) -> None:
    report = reports_data.daily_cash(ctx, TODAY, day.town.supervisor.id)
    with ctx.db.read() as s:
        last = s.execute(text("SELECT id, hash FROM audit_events ORDER BY id DESC")).first()
    assert report.chain_head is not None and last is not None
    assert (report.chain_head.event_id, report.chain_head.hash) == (last.id, last.hash)


def test_a_cashier_cannot_read_the_daily_report(ctx: Context, day: Day) -> None:
    with pytest.raises(PermissionDenied):
        reports_data.daily_cash(ctx, TODAY, day.town.cashier.id)


def test_the_pdf_holds_the_figures(ctx: Context, day: Day, tmp_path: Path) -> None:
    report = reports_data.daily_cash(ctx, TODAY, day.town.supervisor.id)
    shown = pdf_text(daily_report_pdf(report, OFFICE, ctx.now()), tmp_path)
    assert "Daily Cash Report" in shown and "Monday 11/23/2026" in shown
    net = report.net_collections.format()
    assert line_with(shown, "NET COLLECTIONS (payments less reversals)").endswith(net)
    assert line_with(shown, "Total to account for").endswith(report.distribution.total.format())
    assert line_with(shown, ctx.settings.gl.over_short).endswith("-$3.00")
    for receipt in (*day.voided, day.returned):
        assert receipt in shown
    assert report.chain_head is not None and report.chain_head.short in shown
    assert "Page 1 of 1" in shown or "Page 1 of 2" in shown
