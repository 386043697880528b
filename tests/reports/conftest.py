"""A generated business day for the report tests, played through the services on both
databases: yesterday's drawer at W03 (a check taken, closed, deposited); today Maria's drawer
at W02 (cash with change, checks, a money order, a card, two accounts on one receipt, a void,
a paid-in, a paid-out, a drop, a no-sale; counted $3.00 short and approved by Sam) and Lee's
at W03 (a check, a voided check, cash; balanced); Sam's batch with yesterday's check
returned; both drawers deposited on one slip."""

from __future__ import annotations

import dataclasses
import datetime as dt
import shutil
import subprocess
from dataclasses import dataclass
from pathlib import Path

import pytest

from counter_app.domain.counts import DrawerCount
from counter_app.domain.money import Money
from counter_app.domain.overrides import OverrideAction
from counter_app.domain.receipt import TenderKind
from counter_app.domain.sessions import MovementKind
from counter_app.domain.tenders import TenderEntry
from counter_app.domain.users import Role
from counter_app.services import closeout, deposits, sessions, users
from counter_app.services.context import Context
from counter_app.services.voids import (
    nsf_subject,
    reverse_returned_check,
    void_receipt,
    void_subject,
)
from tests.helpers import FLOAT, NOW, Clock, Town, cash, check, grant, pay, with_settings

M = Money.parse
TODAY = NOW.date()  # 11/23/2026 (10:00 in Chicago)
YESTERDAY = TODAY - dt.timedelta(days=1)


@dataclass(frozen=True)
class Day:
    """What the generated day made, for the tests to look up."""

    town: Town
    lee_id: int
    maria_session: int
    lee_session: int
    yesterday_session: int
    batch_session: int
    deposit_slip: str
    voided: tuple[str, ...]  # receipts voided today
    returned: str  # yesterday's receipt whose check came back today


def _count(ctx: Context, session_id: int, user_id: int, short: Money | None = None) -> None:
    """Count the drawer as the supervisor's X read says it should hold, ``short`` less, in
    dollar bills and pennies; tick every listed check and money order; the card batch."""
    expected = closeout.x_read(ctx, session_id, _supervisor(ctx)).expected
    cents = (expected[TenderKind.CASH] - (short or Money(0))).cents
    sheet = closeout.count_sheet(ctx, session_id, user_id)
    closeout.submit_count(
        ctx,
        session_id,
        user_id,
        DrawerCount(
            {"1": cents // 100, "0.01": cents % 100},
            frozenset(i.tender_id for i in sheet.items),
            card_batch=expected[TenderKind.CARD],
        ),
    )


def _supervisor(ctx: Context) -> int:
    return next(u.id for u in users.list_users(ctx) if u.username == "sam")


def _void(ctx: Context, town: Town, number: str, user_id: int) -> str:
    void_receipt(
        ctx,
        receipt_number=number,
        user_id=user_id,
        grant_id=grant(ctx, town, OverrideAction.VOID, void_subject(number), requested_by=user_id),
        reason_code="Wrong account",
    )
    return number


@pytest.fixture
def day(ctx: Context, town: Town, clock: Clock) -> Day:
    w03 = with_settings(ctx, station="W03")
    lee = users.add_user(ctx, "lee", "cashier456", Role.CASHIER, "Lee Chen")
    sam = town.supervisor.id

    # yesterday at W03: one check, counted, closed, deposited
    clock.now = NOW - dt.timedelta(days=1)
    yesterday = sessions.open_session(w03, lee.id, FLOAT)
    at_w03_yesterday = dataclasses.replace(town, cashier=lee, session_id=yesterday.id)
    returned = pay(w03, at_w03_yesterday, [("010002-01", "60.00")], [check("60.00", "777")])
    _count(w03, yesterday.id, lee.id)
    deposits.make_deposit(w03, YESTERDAY, [yesterday.id], sam)

    # today at W02: Maria
    clock.now = NOW + dt.timedelta(minutes=5)
    pay(ctx, town, [("001234-01", "75.00")], [cash("100.00")])  # change $25.00
    pay(
        ctx,
        town,
        [("001234-01", "40.10"), ("010002-01", "112.55")],
        [check("152.65", "1043")],
    )
    pay(
        ctx,
        town,
        [("010002-01", "100.00")],
        [TenderEntry(TenderKind.MONEY_ORDER, M("100.00"), reference="MO-5521")],
    )
    pay(
        ctx,
        town,
        [("030000-01", "20.00")],  # all of it credit: José owes nothing
        [TenderEntry(TenderKind.CARD, M("20.00"), card_last4="4242", auth_code="A1B2C3")],
    )
    maria_void = pay(ctx, town, [("004410-02", "50.00")], [cash("50.00")]).receipt.number
    clock.advance(minutes=10)
    _void(ctx, town, maria_void, town.cashier.id)
    for kind, amount in (("paid_in", "10.00"), ("paid_out", "15.00"), ("drop", "50.00")):
        sessions.record_movement(
            ctx, town.session_id, town.cashier.id, MovementKind(kind), M(amount), f"{kind} note"
        )
    sessions.record_movement(
        ctx, town.session_id, town.cashier.id, MovementKind.NO_SALE, Money(0), "change for a $20"
    )

    # today at W03: Lee
    lee_session = sessions.open_session(w03, lee.id, FLOAT)
    at_w03 = dataclasses.replace(town, cashier=lee, session_id=lee_session.id)
    pay(w03, at_w03, [("004410-02", "50.00")], [cash("60.00")])  # change $10.00
    lee_void = pay(w03, at_w03, [("001234-01", "15.00")], [check("15.00", "2001")]).receipt.number
    pay(w03, at_w03, [("001234-01", "24.90")], [check("24.90", "2002")])
    _void(w03, at_w03, lee_void, lee.id)

    # the bank returns yesterday's check: Sam's batch at W02
    clock.advance(hours=1)
    subject = nsf_subject(returned.receipt.number, "777")
    reverse_returned_check(
        ctx,
        receipt_number=returned.receipt.number,
        check_number="777",
        user_id=sam,
        grant_id=grant(ctx, town, OverrideAction.NSF_REVERSAL, subject, requested_by=sam),
    )
    batch = next(s for s in closeout.day_summary(ctx, TODAY, sam) if s.kind.value == "batch")

    # the close: Maria $3.00 short (approved), Lee balanced; both deposited
    clock.advance(hours=5)
    _count(ctx, town.session_id, town.cashier.id, short=M("3.00"))
    closeout.approve_variance(ctx, town.session_id, sam, reason="counted twice, short $3")
    _count(w03, lee_session.id, lee.id)
    made = deposits.make_deposit(ctx, TODAY, [town.session_id, lee_session.id], sam)
    clock.advance(minutes=30)
    return Day(
        town=town,
        lee_id=lee.id,
        maria_session=town.session_id,
        lee_session=lee_session.id,
        yesterday_session=yesterday.id,
        batch_session=batch.id,
        deposit_slip=made.slip_number,
        voided=(maria_void, lee_void),
        returned=returned.receipt.number,
    )


def pdf_text(pdf: bytes, tmp_path: Path) -> str:
    """The PDF's text as pdftotext lays it out (poppler-utils)."""
    if shutil.which("pdftotext") is None:
        pytest.fail("pdftotext is missing: install poppler-utils (make test does)")
    path = tmp_path / "report.pdf"
    path.write_bytes(pdf)
    return subprocess.run(
        ["pdftotext", "-layout", str(path), "-"], check=True, capture_output=True, text=True
    ).stdout


def lines_with(text: str, label: str) -> list[str]:
    """The lines of ``text`` that start (after spaces) with ``label`` and a column gap."""
    return [ln.strip() for ln in text.splitlines() if ln.strip().startswith(label + "  ")]


def line_with(text: str, label: str) -> str:
    """The one line of ``text`` that starts with ``label`` and a column gap."""
    found = lines_with(text, label)
    assert len(found) == 1, (label, found)
    return found[0]
