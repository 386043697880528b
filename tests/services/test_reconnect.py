"""Paying what restores service restores it (issue 9, item 1): the reconnect fee billed
once, at the amount shown, and paid first; the account RECONNECT ORDERED with a turn-on
order; a void undoing all of it exactly; a returned check leaving the order standing."""

from __future__ import annotations

import datetime as dt

import pytest
from sqlalchemy import select

from counter_app.db.models import Account, AuditEvent, Charge, ServiceOrder
from counter_app.domain.accounts import AccountStatus
from counter_app.domain.money import Money
from counter_app.domain.users import Role
from counter_app.printing.layout import layout_receipt
from counter_app.services import lookup, sessions, users
from counter_app.services.context import Context
from counter_app.services.posting import (
    PaymentRequest,
    Posted,
    new_idempotency_key,
    post_transaction,
)
from drivers.paper import Text
from tests.helpers import (
    FLOAT,
    OFFICE_TZ,
    Town,
    add_account,
    cash,
    check,
    count_drawer,
    in_parallel,
    pay,
    returned_with_grant,
    void_with_grant,
    with_settings,
)

CUT_OFF = "040000-01"  # no reconnect fee billed yet: the office's $50.00 is asked
BILLED = "040001-01"  # its reconnect fee ($75.00) already billed and open
SHUT_OFF_ON = dt.date(2026, 11, 10)


@pytest.fixture
def cut_off(ctx: Context, town: Town, checked: None) -> Town:
    """Two disconnected accounts in the town: $120.00 past due each way. Whatever a test
    did with them, every money invariant and the audit trail hold after (``counter-app
    check``)."""
    add_account(
        ctx,
        CUT_OFF,
        "Dee, Cut",
        "14 Quarry Road",
        status="disconnected",
        shutoff_date=SHUT_OFF_ON,
        charges=[
            ("water", "2026-10-01", "2026-10-22", 8000, 8000),
            ("sewer", "2026-11-01", "2026-11-22", 4000, 4000),
            ("water", "2026-11-15", "2026-12-06", 3000, 3000),  # current, older than a fee
        ],
    )
    add_account(
        ctx,
        BILLED,
        "Fee, Billed",
        "16 Quarry Road",
        status="disconnected",
        shutoff_date=SHUT_OFF_ON,
        charges=[
            ("water", "2026-10-01", "2026-10-22", 5000, 5000),
            ("reconnect_fee", "2026-11-10", "2026-11-10", 7500, 7500),
        ],
    )
    return town


def _fees(ctx: Context, number: str) -> list[tuple[int, int, int]]:
    """(id, amount, open) of the account's reconnect-fee charges."""
    with ctx.db.read() as s:
        rows = s.execute(
            select(Charge.id, Charge.amount_cents, Charge.open_cents)
            .join(Account, Account.id == Charge.account_id)
            .where(Account.number == number, Charge.kind == "reconnect_fee")
            .order_by(Charge.id)
        ).all()
        return [(id_, amount, open_) for id_, amount, open_ in rows]


def _orders(ctx: Context, number: str) -> list[ServiceOrder]:
    """The account's service orders, as stored (detached, to read after the session)."""
    with ctx.db.read() as s:
        rows = list(
            s.execute(
                select(ServiceOrder)
                .join(Account, Account.id == ServiceOrder.account_id)
                .where(Account.number == number)
                .order_by(ServiceOrder.id)
            ).scalars()
        )
        s.expunge_all()
        return rows


def _audited(ctx: Context, action: str) -> list[str]:
    with ctx.db.read() as s:
        return list(
            s.execute(select(AuditEvent.entity_id).where(AuditEvent.action == action)).scalars()
        )


def _paper(posted: Posted) -> list[str]:
    ops = layout_receipt(posted.receipt, width=42, tz=OFFICE_TZ)
    return [op.text for op in ops if isinstance(op, Text)]


def _as_shown(ctx: Context, number: str) -> tuple[object, ...]:
    """What the account view shows of the account, and what it owes charge by charge."""
    a = lookup.get_account(ctx, number)
    return (
        a.status,
        a.shutoff_date,
        a.balance,
        a.credit,
        a.amount_to_keep_service,
        a.reconnect_fee,
        [(c.id, c.open) for c in a.open_charges],
        [b.text for b in a.badges()],
    )


def _void(ctx: Context, town: Town, posted: Posted) -> Posted:
    number = posted.receipt.number
    return void_with_grant(ctx, town, number)


def test_paying_what_restores_service_bills_the_fee_pays_it_first_and_orders_the_reconnect(
    ctx: Context, cut_off: Town
) -> None:
    shown = lookup.get_account(ctx, CUT_OFF)
    assert shown.badges()[0].text == (
        "DISCONNECTED — $170.00 restores service (incl. reconnect fee $50.00)"
    )
    posted = pay(ctx, cut_off, [(CUT_OFF, "170.00")], [cash("170.00")])

    [(fee_id, amount, open_)] = _fees(ctx, CUT_OFF)
    assert (amount, open_) == (5000, 0)  # the fee shown, billed once and paid
    after = lookup.get_account(ctx, CUT_OFF)
    # paid first: the current $30.00 water, older than the fee, is what stays open
    assert [(c.kind, c.open) for c in after.open_charges] == [("water", Money(3000))]
    [order] = _orders(ctx, CUT_OFF)
    number = f"SO-{posted.receipt.number}"
    assert (order.number, order.kind, order.state) == (number, "reconnect", "ordered")
    assert (order.transaction_id, order.fee_charge_id) == (posted.transaction_id, fee_id)
    assert (order.created_by_id, order.station) == (cut_off.cashier.id, "W02")
    assert order.created_at == ctx.now()
    assert (after.status, after.shutoff_date) == (AccountStatus.RECONNECT_ORDERED, None)
    assert after.amount_to_keep_service == Money(0) and after.reconnect_fee == Money(0)
    assert [b.text for b in after.badges()] == [
        f"RECONNECT ORDERED {number} — no reconnect fee due; service to be turned on"
    ]
    [line] = posted.receipt.lines
    assert line.status_note == "Paid to restore service (incl. reconnect fee $50.00)"
    assert (line.service_order, line.service_order_cancelled) == (number, False)
    assert ["Reconnect", "ordered:", number] in [text.split() for text in _paper(posted)]
    assert _audited(ctx, "service_order.reconnect") == [number]


def test_an_open_reconnect_fee_is_the_one_paid_and_no_second_fee_is_asked_after(
    ctx: Context, cut_off: Town
) -> None:
    assert lookup.get_account(ctx, BILLED).amount_to_keep_service == Money(12500)
    pay(ctx, cut_off, [(BILLED, "125.00")], [cash("125.00")])
    assert [(amount, open_) for _, amount, open_ in _fees(ctx, BILLED)] == [(7500, 0)]
    [order] = _orders(ctx, BILLED)
    assert order.fee_charge_id is None  # it billed nothing: the open fee was paid
    after = lookup.get_account(ctx, BILLED)
    # not "$50.00 restores service (incl. reconnect fee $50.00)": nothing more is asked
    assert after.status is AccountStatus.RECONNECT_ORDERED
    assert (after.amount_to_keep_service, after.reconnect_fee) == (Money(0), Money(0))


def test_a_later_payment_on_a_reconnect_ordered_account_bills_and_orders_nothing_more(
    ctx: Context, cut_off: Town
) -> None:
    pay(ctx, cut_off, [(CUT_OFF, "170.00")], [cash("170.00")])
    again = pay(ctx, cut_off, [(CUT_OFF, "30.00")], [cash("30.00")])
    assert len(_fees(ctx, CUT_OFF)) == 1 and len(_orders(ctx, CUT_OFF)) == 1
    assert again.receipt.lines[0].service_order == ""
    after = lookup.get_account(ctx, CUT_OFF)
    assert (after.status, after.balance) == (AccountStatus.RECONNECT_ORDERED, Money(0))


def test_a_payment_short_of_what_restores_service_bills_no_fee_and_orders_nothing(
    ctx: Context, cut_off: Town
) -> None:
    posted = pay(ctx, cut_off, [(CUT_OFF, "100.00")], [cash("100.00")])
    assert _fees(ctx, CUT_OFF) == [] and _orders(ctx, CUT_OFF) == []
    after = lookup.get_account(ctx, CUT_OFF)
    assert (after.status, after.shutoff_date) == (AccountStatus.DISCONNECTED, SHUT_OFF_ON)
    assert posted.receipt.lines[0].status_note == "Service disconnected: balance past due"
    # what still restores it, said honestly: the $20.00 past due and the office's fee
    assert after.badges()[0].text == (
        "DISCONNECTED — $70.00 restores service (incl. reconnect fee $50.00)"
    )


def test_two_accounts_restored_on_one_receipt_get_two_orders(ctx: Context, cut_off: Town) -> None:
    posted = pay(ctx, cut_off, [(CUT_OFF, "170.00"), (BILLED, "125.00")], [cash("300.00")])
    receipt = posted.receipt.number
    assert [line.service_order for line in posted.receipt.lines] == [
        f"SO-{receipt}",
        f"SO-{receipt}-2",
    ]


def test_void_of_a_restoring_receipt_undoes_the_fee_the_order_and_the_status_exactly(
    ctx: Context, cut_off: Town
) -> None:
    before = _as_shown(ctx, CUT_OFF)
    posted = pay(ctx, cut_off, [(CUT_OFF, "200.00")], [cash("200.00")])  # $30.00 credit too
    void = _void(ctx, cut_off, posted)

    assert _as_shown(ctx, CUT_OFF) == before  # status, shut-off date, balance, fee asked
    [(_, amount, open_)] = _fees(ctx, CUT_OFF)
    assert (amount, open_) == (5000, 0)  # still there (nothing is deleted), owed no more
    [order] = _orders(ctx, CUT_OFF)
    assert order.state == "cancelled"
    assert (order.cancelled_by_id, order.cancelled_at) == (cut_off.cashier.id, ctx.now())
    assert order.cancelled_by_transaction_id == void.transaction_id
    [line] = void.receipt.lines
    assert (line.service_order, line.service_order_cancelled) == (order.number, True)
    assert line.status_note == "Reconnect fee $50.00 cancelled; Disconnected 11/10 again"
    assert ["Reconnect", "cancelled:", order.number] in [text.split() for text in _paper(void)]
    assert _audited(ctx, "service_order.cancel") == [order.number]

    restored_again = pay(ctx, cut_off, [(CUT_OFF, "170.00")], [cash("170.00")])
    assert [o.state for o in _orders(ctx, CUT_OFF)] == ["cancelled", "ordered"]
    assert [open_ for _, _, open_ in _fees(ctx, CUT_OFF)] == [0, 0]
    assert restored_again.receipt.lines[0].service_order == f"SO-{restored_again.receipt.number}"


def test_void_of_a_receipt_that_paid_an_open_fee_reopens_that_fee_and_cancels_the_order(
    ctx: Context, cut_off: Town
) -> None:
    before = _as_shown(ctx, BILLED)
    _void(ctx, cut_off, pay(ctx, cut_off, [(BILLED, "125.00")], [cash("125.00")]))
    assert _as_shown(ctx, BILLED) == before
    assert [(amount, open_) for _, amount, open_ in _fees(ctx, BILLED)] == [(7500, 7500)]
    assert [o.state for o in _orders(ctx, BILLED)] == ["cancelled"]


def test_a_returned_check_that_had_restored_service_leaves_the_order_and_owes_the_fee_again(
    ctx: Context, cut_off: Town
) -> None:
    posted = pay(ctx, cut_off, [(CUT_OFF, "170.00")], [check("170.00", "2001")])
    count_drawer(ctx, cut_off.session_id)  # the check went to the bank
    slip = returned_with_grant(ctx, cut_off, posted.receipt.number, "2001")
    after = lookup.get_account(ctx, CUT_OFF)
    assert (after.status, after.shutoff_date) == (AccountStatus.DISCONNECTED, SHUT_OFF_ON)
    assert "Disconnected 11/10 again" in slip.receipt.lines[0].status_note
    assert [o.state for o in _orders(ctx, CUT_OFF)] == ["ordered"]  # the crew may have gone
    assert [(amount, open_) for _, amount, open_ in _fees(ctx, CUT_OFF)] == [(5000, 5000)]
    assert after.reconnect_fee == Money(5000)  # the billed fee, owed again: not a second one


def test_paying_what_stops_a_shutoff_clears_its_date_and_a_cent_less_does_not(
    ctx: Context, town: Town
) -> None:
    short = pay(ctx, town, [("010002-01", "212.54")], [cash("212.54")])
    jk = lookup.get_account(ctx, "010002-01")
    assert (jk.status, jk.shutoff_date) == (AccountStatus.SHUTOFF_PENDING, dt.date(2026, 11, 30))
    assert short.receipt.lines[0].status_note == "Shut-off 11/30 still pending"
    assert jk.badges()[0].text == "SHUT-OFF 11/30 — $0.01 stops it"
    pay(ctx, town, [("010002-01", "0.01")], [cash("0.01")])
    jk = lookup.get_account(ctx, "010002-01")
    assert (jk.status, jk.shutoff_date) == (AccountStatus.ACTIVE, None)
    assert _orders(ctx, "010002-01") == []


def test_two_stations_restoring_one_account_at_once_bill_one_fee_and_order_one_reconnect(
    ctx: Context, cut_off: Town
) -> None:
    other = users.add_user(ctx, "olga", "cashier456", Role.CASHIER, "Olga Park")
    w03 = with_settings(ctx, station="W03")
    drawers = [
        (ctx, cut_off.cashier.id, cut_off.session_id),
        (w03, other.id, sessions.open_session(w03, other.id, FLOAT).id),
    ]

    def restore(i: int) -> Posted:
        station, user_id, session_id = drawers[i]
        return post_transaction(
            station,
            session_id=session_id,
            user_id=user_id,
            payments=[PaymentRequest(CUT_OFF, Money(17000))],
            tenders=[cash("170.00")],
            idempotency_key=new_idempotency_key(),
        )

    results = in_parallel(2, restore)
    assert all(isinstance(r, Posted) for r in results), results
    assert len(_fees(ctx, CUT_OFF)) == 1 and len(_orders(ctx, CUT_OFF)) == 1
    orders = [
        line.service_order for r in results if isinstance(r, Posted) for line in r.receipt.lines
    ]
    assert sorted(bool(o) for o in orders) == [False, True]
    after = lookup.get_account(ctx, CUT_OFF)
    assert after.status is AccountStatus.RECONNECT_ORDERED
    assert after.credit == Money(17000 - 3000)  # the second payment is credit, not a fee
