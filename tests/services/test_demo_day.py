"""A demo day of 5,000 payments played through the services (``counter-app demo-day``):
three drawers on three stations and a mail batch, voids, a returned check, paid-ins and
-outs, drops, one drawer short and approved, one dual-controlled close, all deposited.

Every figure the closeout and deposit services and the reports give equals a sum written
here in SQL, the PDFs' text says the same figures, and ``counter-app check`` finds no broken
invariant. The day is played once per database for the module (it takes a while: see the
module fixture), the checks read it; the few tests that write add to another date.

A payment racing the close from other processes on PostgreSQL is
``tests/services/test_close_races.py`` (eod-core's); here a closed session of the day
refuses a posting after the fact.
"""

from __future__ import annotations

import datetime as dt
import os
import shutil
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest
from sqlalchemy import func, select, text

from counter_app.config import AuditSettings, Settings
from counter_app.db.engine import Database
from counter_app.db.models import Transaction
from counter_app.domain.counts import DrawerCount
from counter_app.domain.errors import PermissionDenied, ValidationError
from counter_app.domain.money import Money
from counter_app.domain.receipt import TenderKind
from counter_app.domain.sessions import MovementKind, SessionState
from counter_app.reports.checks import check_register_pdf
from counter_app.reports.daily import daily_report_pdf
from counter_app.reports.deposit import deposit_slips_pdf
from counter_app.reports.drawer import drawer_report_pdf
from counter_app.reports.payments import payment_register_pdf
from counter_app.services import (
    check,
    closeout,
    demo_data,
    deposits,
    posting,
    reports_data,
    sessions,
    users,
)
from counter_app.services.context import Context
from counter_app.services.demo_day import DemoDay, play_demo_day
from tests.helpers import NOW, Clock, PostgresServer, cash, context_for
from tests.reports.conftest import line_with, pdf_text
from tests.reports.office import OFFICE

DAY = dt.date(2026, 11, 20)  # a Friday; the clock outside the day is Monday 11/23
# the 5,000-payment day on SQLite (the station's own database); on PostgreSQL the same
# checks on a smaller day, so the module costs the suite one long day, not two
PAYMENTS = {"sqlite": 5_000, "postgresql": 1_000}
SEED = 3
ACCOUNTS = 300
DAY_TXNS = (
    "FROM transactions t JOIN drawer_sessions s ON s.id = t.session_id WHERE s.business_date = :d"
)


@dataclass(frozen=True)
class Played:
    database: str
    ctx: Context
    day: DemoDay
    supervisor: int
    cashier: int

    @property
    def payments(self) -> int:
        return self.day.payments


def _database(request: pytest.FixtureRequest, folder: Path) -> Iterator[str]:
    """A migrated database for the module: a copy of the SQLite template, or a new
    PostgreSQL database made from the template (dropped afterwards)."""
    if request.param == "sqlite":
        path = folder / "day.db"
        shutil.copyfile(request.getfixturevalue("sqlite_template"), path)
        yield f"sqlite:///{path}"
        return
    server = request.getfixturevalue("postgres_server")
    if not isinstance(server, PostgresServer):
        if os.environ.get("COUNTER_REQUIRE_POSTGRES") == "1":
            pytest.fail(server)
        pytest.skip(server)
    name = server.new_database()
    try:
        yield server.url_for(name)
    finally:
        server.drop(name)


@pytest.fixture(scope="module", params=["sqlite", "postgresql"])
def played(
    request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[Played]:
    """The demo city and its day of ``PAYMENTS`` payments, played once per database
    (5,000 payments: 60 s to 390 s on SQLite, by how busy the machine is)."""
    folder = tmp_path_factory.mktemp("demo-day")
    for url in _database(request, folder):
        db = Database.from_url(url)
        settings = Settings(
            database_url=url, station="W01", audit=AuditSettings(key_file=folder / "audit.key")
        )
        ctx = context_for(db, settings, Clock(NOW))
        demo_data.load_demo_city(ctx, ACCOUNTS, as_of=DAY)
        day = play_demo_day(ctx, DAY, payments=PAYMENTS[request.param], seed=SEED)
        ids = {u.username: u.id for u in users.list_users(ctx)}
        yield Played(request.param, ctx, day, ids["supervisor"], ids["cashier"])
        db.dispose()


def _sum(played: Played, sql: str, **params: object) -> Money:
    return Money(_one(played, sql, **params))


def _one(played: Played, sql: str, **params: object) -> int:
    with played.ctx.db.read() as s:
        return int(s.execute(text(sql), {"d": DAY, **params}).scalar_one() or 0)


# --- the day ----------------------------------------------------------------------------------
def test_the_day_is_three_drawers_on_three_stations_and_a_mail_batch_all_deposited(
    played: Played,
) -> None:
    with played.ctx.db.read() as s:
        rows = s.execute(
            text(
                "SELECT s.id, s.kind, s.station, s.state, u.username FROM drawer_sessions s "
                "JOIN users u ON u.id = s.user_id WHERE s.business_date = :d ORDER BY s.id"
            ),
            {"d": DAY},
        ).all()
    assert [tuple(r)[1:] for r in rows] == [
        ("drawer", "W01", "deposited", "cashier"),
        ("drawer", "W02", "deposited", "cashier2"),
        ("drawer", "W03", "deposited", "cashier3"),
        ("batch", "MAIL", "deposited", "supervisor"),
    ]
    assert tuple(r[0] for r in rows) == played.day.session_ids
    kinds = "SELECT COUNT(*) " + DAY_TXNS + " AND t.kind = :k"
    assert _one(played, kinds, k="payment") == played.payments == PAYMENTS[played.database]
    assert _one(played, kinds, k="void") == played.day.voids >= played.payments // 500
    assert _one(played, kinds, k="nsf_reversal") == 1
    assert _one(played, kinds + " AND s.kind = 'batch'", k="payment") == played.payments // 10


def test_each_drawer_paid_in_paid_out_dropped_and_opened_for_no_sale(played: Played) -> None:
    for session_id in played.day.session_ids[:3]:
        with played.ctx.db.read() as s:
            kinds = set(
                s.execute(
                    text("SELECT DISTINCT kind FROM cash_movements WHERE session_id = :i"),
                    {"i": session_id},
                ).scalars()
            )
        assert kinds == {k.value for k in MovementKind}


def test_everything_happened_in_office_hours_on_the_day_in_the_office_zone(
    played: Played,
) -> None:
    zone = played.ctx.settings.zone
    with played.ctx.db.read() as s:
        first, last = s.execute(
            select(func.min(Transaction.created_at), func.max(Transaction.created_at))
        ).one()
    opens = dt.datetime.combine(DAY, dt.time(8), tzinfo=zone)
    assert opens <= first < last <= opens + dt.timedelta(hours=10)
    with played.ctx.db.read() as s:
        times = s.execute(text("SELECT COUNT(DISTINCT created_at) FROM transactions")).scalar_one()
    assert times > played.payments * 0.9  # spread over the day, not all at one moment


# --- closeout figures against SQL -------------------------------------------------------------
def _expected_in_sql(played: Played, session_id: int) -> dict[TenderKind, Money]:
    tendered = (
        "SELECT SUM(d.amount_cents) FROM tenders d JOIN transactions t ON t.id = "
        "d.transaction_id WHERE t.session_id = :i AND d.kind = :k AND t.kind <> 'nsf_reversal'"
    )
    moved = "SELECT SUM(amount_cents) FROM cash_movements WHERE session_id = :i AND kind = :k"
    float_ = _sum(
        played, "SELECT opening_float_cents FROM drawer_sessions WHERE id = :i", i=session_id
    )
    change = _sum(
        played, "SELECT SUM(change_cents) FROM transactions WHERE session_id = :i", i=session_id
    )
    cash = (
        float_
        + _sum(played, tendered, i=session_id, k="cash")
        - change
        + _sum(played, moved, i=session_id, k="paid_in")
        - _sum(played, moved, i=session_id, k="paid_out")
        - _sum(played, moved, i=session_id, k="drop")
    )
    return {
        TenderKind.CASH: cash,
        **{
            kind: _sum(played, tendered, i=session_id, k=kind.value)
            for kind in (TenderKind.CHECK, TenderKind.MONEY_ORDER, TenderKind.CARD)
        },
    }


def _counted_in_sql(played: Played, session_id: int, kind: TenderKind) -> Money:
    return _sum(
        played,
        "SELECT l.cents FROM drawer_count_lines l JOIN drawer_counts c ON c.id = l.count_id "
        "WHERE c.session_id = :i AND c.kind = 'close' AND l.kind = 'tender' AND l.code = :k",
        i=session_id,
        k=kind.value,
    )


def test_each_drawers_expected_and_counted_figures_equal_sums_written_in_sql(
    played: Played,
) -> None:
    for session_id in played.day.session_ids[:3]:
        report = closeout.z_read(played.ctx, session_id, played.supervisor)
        expected = _expected_in_sql(played, session_id)
        assert dict(report.expected) == {k: expected[k] for k in report.expected}
        short = played.day.short_session == session_id
        for line in report.balance.lines:
            assert line.counted == _counted_in_sql(played, session_id, line.kind)
            off = line.kind is TenderKind.CASH and short
            assert (line.over_short == Money(0)) is not off, (session_id, line)


def test_the_short_drawer_waited_for_the_supervisor_and_the_dual_close_names_both(
    played: Played,
) -> None:
    short = played.day.short_session
    tolerance = played.ctx.settings.closeout.cash_tolerance
    report = closeout.z_read(played.ctx, short, played.supervisor)
    assert -report.balance.over_short > tolerance
    with played.ctx.db.read() as s:
        steps = s.execute(
            text(
                "SELECT from_state, to_state, approved_by_id, reason FROM session_steps "
                "WHERE session_id = :i ORDER BY id"
            ),
            {"i": short},
        ).all()
        verified = s.execute(
            text(
                "SELECT s.station, c.verified_by_id FROM drawer_counts c JOIN drawer_sessions "
                "s ON s.id = c.session_id WHERE s.business_date = :d AND c.kind = 'close' "
                "ORDER BY s.station"
            ),
            {"d": DAY},
        ).all()
    assert [(f, t) for f, t, _, _ in steps] == [
        ("open", "counted"),
        ("counted", "approved"),
        ("approved", "deposited"),
    ]
    _, _, approver, reason = steps[1]
    assert approver == played.supervisor and "short: approved" in reason
    assert [tuple(v) for v in verified] == [
        ("MAIL", None),
        ("W01", None),
        ("W02", None),
        ("W03", played.supervisor),
    ]


# --- the deposit ------------------------------------------------------------------------------
def test_the_deposit_banks_every_session_the_counted_cash_over_the_floats_and_the_checks(
    played: Played,
) -> None:
    [made] = deposits.deposits_of(played.ctx, DAY)
    assert made.slip_number == played.day.deposit_slip
    assert made.session_ids == tuple(sorted(played.day.session_ids))
    items = (
        "SELECT SUM(d.amount_cents) "
        + DAY_TXNS.replace(
            "FROM transactions t", "FROM tenders d JOIN transactions t ON t.id = d.transaction_id"
        )
        + " AND d.kind IN ('check', 'money_order') AND t.kind <> 'nsf_reversal'"
    )
    assert made.checks == _sum(played, items)  # voids net off; the returned check does not
    counted = sum(
        (_counted_in_sql(played, i, TenderKind.CASH) for i in played.day.session_ids[:3]),
        Money(0),
    )
    floats = _sum(
        played, "SELECT SUM(opening_float_cents) FROM drawer_sessions WHERE business_date = :d"
    )
    assert made.currency + made.coin + made.float_kept == counted
    assert made.float_kept == floats
    stored = "SELECT SUM(l.cents) FROM deposit_lines l WHERE l.deposit_id = :i"
    assert made.total == _sum(played, stored, i=made.id) == played.day.deposit_total


def test_a_deposited_session_cannot_be_deposited_again(played: Played) -> None:
    for session_id in played.day.session_ids:
        with pytest.raises(
            ValidationError, match=f"already on deposit slip {played.day.deposit_slip}"
        ):
            deposits.make_deposit(played.ctx, DAY, [session_id], played.supervisor)
    assert len(deposits.deposits_of(played.ctx, DAY)) == 1


# --- reports ----------------------------------------------------------------------------------
def test_every_reports_totals_equal_sql_sums_and_the_pdfs_say_them(
    played: Played, tmp_path: Path
) -> None:
    ctx, sup = played.ctx, played.supervisor
    net = _sum(played, "SELECT SUM(t.total_cents) " + DAY_TXNS)
    receipts = _one(
        played,
        "SELECT COUNT(*) FROM receipts r JOIN transactions t ON t.id = "
        "r.transaction_id JOIN drawer_sessions s ON s.id = t.session_id "
        "WHERE s.business_date = :d",
    )
    [made] = deposits.deposits_of(ctx, DAY)

    daily = reports_data.daily_cash(ctx, DAY, sup)
    assert daily.net_collections == net
    assert daily.payments == _sum(
        played, "SELECT SUM(t.total_cents) " + DAY_TXNS + " AND t.kind = 'payment'"
    )
    assert dict(daily.deposits) == {made.slip_number: made.total}
    shown = pdf_text(daily_report_pdf(daily, OFFICE, ctx.now()), tmp_path)
    assert line_with(shown, "NET COLLECTIONS (payments less reversals)").endswith(net.format())

    register = reports_data.payment_register(ctx, DAY, sup)
    assert len(register.entries) == receipts == played.payments + played.day.voids + 1
    assert register.net == net
    shown = pdf_text(payment_register_pdf(register, OFFICE, ctx.now()), tmp_path)
    assert line_with(shown, f"{receipts} receipts").endswith(net.format())

    checks = reports_data.check_register(ctx, DAY, sup)
    assert checks.to_deposit == made.checks
    shown = pdf_text(check_register_pdf(checks, OFFICE, ctx.now()), tmp_path)
    taken = checks.count(voided=False)
    assert line_with(shown, f"To deposit ({taken})").endswith(made.checks.format())

    shown = pdf_text(deposit_slips_pdf([made], DAY, OFFICE, ctx.now()), tmp_path)
    assert line_with(shown, "TOTAL DEPOSIT").endswith(made.total.format())

    short = closeout.z_read(ctx, played.day.short_session, sup)
    shown = pdf_text(drawer_report_pdf(short, OFFICE, ctx.now()), tmp_path)
    assert short.balance.over_short.format() in shown


def test_counter_app_check_finds_every_invariant_kept(played: Played) -> None:
    report = check.run_check(played.ctx)
    assert report.breaches == []
    assert report.counted["transactions"] >= played.payments


# --- what a closed day refuses ------------------------------------------------------------------
def test_a_closed_session_of_the_day_refuses_a_posting(played: Played) -> None:
    before = _one(played, "SELECT COUNT(*) FROM transactions")
    with pytest.raises(ValidationError, match="This drawer is closed"):
        posting.post_transaction(
            played.ctx,
            session_id=played.day.session_ids[0],
            user_id=played.cashier,
            payments=[posting.PaymentRequest(_an_account(played), Money(1000))],
            tenders=[cash("10.00")],
            idempotency_key=posting.new_idempotency_key(),
        )
    assert _one(played, "SELECT COUNT(*) FROM transactions") == before


def _an_account(played: Played) -> str:
    with played.ctx.db.read() as s:
        return str(
            s.execute(text("SELECT number FROM accounts WHERE status = 'active'")).first()[0]
        )


def test_an_over_tolerance_close_needs_a_supervisor(played: Played) -> None:
    """Monday at W01 (not the demo day): a drawer counted $5.00 short stays counted; the
    cashier cannot approve it, nor can it be deposited; the supervisor approves it."""
    ctx = played.ctx
    opened = sessions.open_session(ctx, played.cashier, {"20": 10})
    posting.post_transaction(
        ctx,
        session_id=opened.id,
        user_id=played.cashier,
        payments=[posting.PaymentRequest(_an_account(played), Money(5000))],
        tenders=[cash("50.00")],
        idempotency_key=posting.new_idempotency_key(),
    )
    result = closeout.submit_count(ctx, opened.id, played.cashier, DrawerCount({"20": 12, "5": 1}))
    assert result.state is SessionState.COUNTED
    assert result.balance is not None and result.balance.over_short == -Money(500)
    with pytest.raises(PermissionDenied, match="needs a supervisor override"):
        closeout.approve_variance(ctx, opened.id, played.cashier, reason="it was me")
    with pytest.raises(ValidationError, match="only a closed session is deposited"):
        deposits.make_deposit(ctx, opened.business_date, [opened.id], played.supervisor)
    approved = closeout.approve_variance(ctx, opened.id, played.supervisor, reason="short $5")
    assert approved.state is SessionState.CLOSED
    assert check.run_check(ctx).breaches == []
