"""The five end-of-day reports of a 5,000-payment day, read and rendered to PDF.

    python benchmarks/reports.py [--payments 5000] [--runs 3] [--database-url URL]

Builds a fresh migrated database (default: an SQLite file in a temporary folder) with 300
accounts (water, sewer and trash owed on each), three drawers at W01-W03 and a supervisor,
then plays the day through the services: ``--payments`` payments posted with
``posting.post_within`` (500 to a unit of work; cash with change, checks, money orders and
cards in turn, every tenth paying two accounts), one in a hundred voided, paid-ins,
paid-outs, drops and a no-sale in each drawer; each drawer counted (one $3.00 short,
approved) and all three deposited on one slip.

Then times, ``--runs`` times, each report as the CLI makes it (``report_pdfs.make_report``:
the read, services, and the PDF, reports) and prints each one's pages, wall-clock and CPU
milliseconds (the machine may be shared: CPU time is what the reports themselves cost) and
the five together, with PASS / FAIL against the target: all five ≤ 2 s.
"""

from __future__ import annotations

import argparse
import dataclasses
import datetime as dt
import statistics
import tempfile
import time
from pathlib import Path

from sqlalchemy import insert, select

from counter_app.app import build_passwords
from counter_app.config import load_settings
from counter_app.db import migrate
from counter_app.db.engine import Database
from counter_app.db.models import Account, Charge
from counter_app.domain.counts import DrawerCount
from counter_app.domain.money import Money
from counter_app.domain.overrides import OverrideAction
from counter_app.domain.receipt import TenderKind
from counter_app.domain.search_keys import name_key
from counter_app.domain.sessions import MovementKind
from counter_app.domain.tenders import TenderEntry
from counter_app.domain.users import Role
from counter_app.services import closeout, deposits, overrides, sessions, users
from counter_app.services.context import Context
from counter_app.services.posting import (
    PaymentRequest,
    check_requests,
    digest_of,
    new_idempotency_key,
    post_within,
)
from counter_app.services.report_pdfs import ReportKind, ReportRequest, make_report
from counter_app.services.voids import void_receipt, void_subject

ACCOUNTS = 300
PER_UNIT = 500
FLOAT = {"20": 5, "10": 5, "5": 4, "1": 20, "0.25": 40}
TARGET_MS = 2000.0
NOW = dt.datetime(2026, 11, 23, 15, 0, tzinfo=dt.UTC)  # 9:00 in Chicago


class Clock:
    def __init__(self) -> None:
        self.now = NOW

    def __call__(self) -> dt.datetime:
        self.now += dt.timedelta(milliseconds=200)
        return self.now


def _accounts(db: Database) -> list[str]:
    numbers = [f"{200000 + i:06d}-01" for i in range(ACCOUNTS)]
    with db.write() as s:
        s.execute(
            insert(Account),
            [
                {
                    "number": n,
                    "number_key": n.replace("-", ""),
                    "customer_name": f"Customer {i}",
                    "name_key": name_key(f"Customer {i}"),
                    "name_alt_key": name_key(f"Customer {i}"),
                    "service_address": f"{i} Main St",
                    "address_key": f"{i} MAIN ST",
                    "street_key": f"MAIN ST {i}",
                    "meter_key": "",
                    "phone_key": "",
                }
                for i, n in enumerate(numbers)
            ],
        )
        ids = s.execute(select(Account.id).order_by(Account.id)).scalars().all()
        s.execute(
            insert(Charge),
            [
                {
                    "external_id": f"{aid}-{kind}",
                    "account_id": aid,
                    "kind": kind,
                    "bill_date": dt.date(2026, 11, 1),
                    "due_date": dt.date(2026, 11, 22),
                    "amount_cents": cents,
                    "open_cents": cents,
                }
                for aid in ids
                for kind, cents in (("water", 90000), ("sewer", 60000), ("trash", 30000))
            ],
        )
    return numbers


def _tender(n: int, amount: Money) -> TenderEntry:
    kind = (TenderKind.CASH, TenderKind.CHECK, TenderKind.MONEY_ORDER, TenderKind.CARD)[n % 4]
    if kind is TenderKind.CASH:
        return TenderEntry(kind, amount + Money(500))  # $5.00 change
    if kind is TenderKind.CARD:
        return TenderEntry(kind, amount, card_last4="4242", auth_code=f"A{n:05d}")
    return TenderEntry(kind, amount, reference=f"{10000 + n}", bank="First Bank")


def build_day(ctx: Context, payments: int) -> tuple[int, list[int]]:
    """The day as the module's docstring says; the supervisor's id and the sessions."""
    numbers = _accounts(ctx.db)
    sam = users.add_user(ctx, "sam", "supervisor123", Role.SUPERVISOR, "Sam Ortega").id
    drawers: list[tuple[Context, int, int]] = []
    for n in range(3):
        station = dataclasses.replace(
            ctx, settings=ctx.settings.model_copy(update={"station": f"W0{n + 1}"})
        )
        cashier = users.add_user(station, f"cashier{n}", "cashier123", Role.CASHIER).id
        drawers.append((station, cashier, sessions.open_session(station, cashier, FLOAT).id))
    posted: list[tuple[Context, int, str]] = []
    for start in range(0, payments, PER_UNIT):
        with ctx.db.write() as s:
            for n in range(start, min(start + PER_UNIT, payments)):
                station, cashier, session_id = drawers[n % 3]
                amount = Money(1000 + (n * 37) % 9000)
                pays = [PaymentRequest(numbers[n % ACCOUNTS], amount)]
                if n % 10 == 0:
                    pays.append(PaymentRequest(numbers[(n + 1) % ACCOUNTS], Money(1500)))
                tender = _tender(n, sum((p.amount for p in pays), Money(0)))
                requests = check_requests(pays)
                done = post_within(
                    s,
                    station,
                    session_id,
                    cashier,
                    requests,
                    [tender],
                    new_idempotency_key(),
                    digest_of(requests, [tender]),
                )
                if n % 100 == 50:
                    posted.append((station, cashier, done.receipt.number))
    for station, cashier, number in posted:
        grant = overrides.grant(
            station,
            requested_by=cashier,
            supervisor="sam",
            password="supervisor123",
            action=OverrideAction.VOID,
            subject=void_subject(number),
            reason="benchmark",
        ).id
        void_receipt(
            station,
            receipt_number=number,
            user_id=cashier,
            grant_id=grant,
            reason_code=ctx.settings.policy.void_reasons[0],
        )
    for station, cashier, session_id in drawers:
        for kind, cents in (("paid_in", 1000), ("paid_out", 1500), ("drop", 50000), ("no_sale", 0)):
            sessions.record_movement(
                station, session_id, cashier, MovementKind(kind), Money(cents), "benchmark"
            )
    for n, (station, cashier, session_id) in enumerate(drawers):
        expected = closeout.x_read(station, session_id, sam).expected
        cents = expected[TenderKind.CASH].cents - (300 if n == 0 else 0)
        sheet = closeout.count_sheet(station, session_id, cashier)
        count = DrawerCount(
            {"100": cents // 10000, "1": cents % 10000 // 100, "0.01": cents % 100},
            frozenset(i.tender_id for i in sheet.items),
            card_batch=expected[TenderKind.CARD],
        )
        if not closeout.submit_count(station, session_id, cashier, count).closed:
            closeout.approve_variance(station, session_id, sam, reason="short $3.00")
    ids = [d[2] for d in drawers]
    deposits.make_deposit(ctx, NOW.date(), ids, sam)
    return sam, ids


def _pages(pdf: bytes) -> int:
    return pdf.count(b"/Type /Page\n") or pdf.count(b"/Type /Page")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--payments", type=int, default=5000)
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--database-url", default="")
    args = parser.parse_args()
    folder = Path(tempfile.mkdtemp(prefix="counter-reports-"))
    url = args.database_url or f"sqlite:///{folder / 'bench.db'}"
    db = Database.open(url)
    migrate.upgrade(db.engine)
    settings = load_settings(database_url=url, data_dir=folder)
    ctx = Context(db=db, settings=settings, clock=Clock(), passwords=build_passwords(None))
    started = time.perf_counter()
    sam, ids = build_day(ctx, args.payments)
    print(
        f"{args.payments} payments on {db.engine.dialect.name}: day built in "
        f"{time.perf_counter() - started:.1f} s"
    )
    day = NOW.date()
    reports: dict[str, ReportRequest] = {
        "drawer": ReportRequest(ReportKind.DRAWER, sam, session_id=ids[0]),
        "deposit": ReportRequest(ReportKind.DEPOSIT, sam, day),
        "daily": ReportRequest(ReportKind.DAILY, sam, day),
        "payments": ReportRequest(ReportKind.PAYMENTS, sam, day),
        "checks": ReportRequest(ReportKind.CHECKS, sam, day),
    }
    walls: dict[str, list[float]] = {name: [] for name in reports}
    cpus: dict[str, list[float]] = {name: [] for name in reports}
    pages: dict[str, int] = {}
    for _ in range(args.runs):
        for name, request in reports.items():
            wall, cpu = time.perf_counter(), time.process_time()
            pdf = make_report(ctx, request, ctx.now()).pdf  # as counter-app report makes it
            walls[name].append((time.perf_counter() - wall) * 1000)
            cpus[name].append((time.process_time() - cpu) * 1000)
            pages[name] = _pages(pdf)
    print(f"{'report':10} {'pages':>6} {'wall ms':>9} {'cpu ms':>9}   (median of {args.runs})")
    for name in reports:
        print(
            f"{name:10} {pages[name]:6d} {statistics.median(walls[name]):9.0f} "
            f"{statistics.median(cpus[name]):9.0f}"
        )
    wall = sum(statistics.median(v) for v in walls.values())
    cpu = sum(statistics.median(v) for v in cpus.values())
    verdict = "PASS" if wall <= TARGET_MS else "FAIL"
    print(
        f"{'all five':10} {sum(pages.values()):6d} {wall:9.0f} {cpu:9.0f}   "
        f"target {TARGET_MS:.0f} ms wall: {verdict}"
    )


if __name__ == "__main__":
    main()
