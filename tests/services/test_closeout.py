"""Closing a drawer on both databases: the blind count stored before its result, tolerance,
recounts kept, approval and reopening by a supervisor, dual control, a batch's tape, the X
read and the Z, and a closed session that takes nothing more."""

from __future__ import annotations

import pytest
from sqlalchemy import func, select

from counter_app.db.models import AuditEvent, DrawerCountLine, DrawerCountRow, SessionStep
from counter_app.domain.closeout import Tape
from counter_app.domain.counts import CountKind, DrawerCount
from counter_app.domain.errors import AuthenticationFailed, PermissionDenied, ValidationError
from counter_app.domain.money import Money
from counter_app.domain.overrides import OverrideAction
from counter_app.domain.receipt import TenderKind
from counter_app.domain.sessions import MovementKind, SessionState
from counter_app.domain.users import Role
from counter_app.services import closeout, sessions, users
from counter_app.services.context import Context
from counter_app.services.payment_import import import_payments
from counter_app.services.voids import reverse_returned_check
from tests.helpers import (
    FLOAT,
    Clock,
    Town,
    cash,
    check,
    grant,
    pay,
    void_with_grant,
    with_settings,
)

M = Money.parse
CASH, CHECK = TenderKind.CASH, TenderKind.CHECK


pytestmark = pytest.mark.usefixtures("checked")  # every test ends with a clean check


def _day(ctx: Context, town: Town) -> dict[str, str]:
    """Sale 75 paid 100 (change 25), a $84.10 check, a voided $40.00 cash receipt, a
    paid-out, a drop and a no-sale: expected cash $200 + 75 − 20 − 100 = $155.00."""
    pay(ctx, town, [("001234-01", "75.00")], [cash("100.00")])
    checked = pay(ctx, town, [("010002-01", "84.10")], [check("84.10", "1043")])
    voided = pay(ctx, town, [("004410-02", "40.00")], [cash("40.00")]).receipt.number
    void_with_grant(ctx, town, voided)
    for kind, amount in (("paid_out", "20.00"), ("drop", "100.00"), ("no_sale", "0")):
        sessions.record_movement(
            ctx, town.session_id, town.cashier.id, MovementKind(kind), M(amount), "reason"
        )
    return {"check": checked.receipt.number, "voided": voided}


def _count(
    ctx: Context, town: Town, cash_counts: dict[str, int], *, ticked: bool = True, **kwargs: str
) -> closeout.CloseResult:
    sheet = closeout.count_sheet(ctx, town.session_id, town.cashier.id)
    ids = frozenset(i.tender_id for i in sheet.items) if ticked else frozenset()
    return closeout.submit_count(
        ctx, town.session_id, town.cashier.id, DrawerCount(cash_counts, ids), **kwargs
    )


BALANCED = {"20": 5, "10": 3, "5": 4, "1": 5}  # $155.00
SHORT_3 = {"20": 5, "10": 3, "5": 4, "1": 2}  # $152.00


def test_the_x_read_shows_the_expected_figures_of_the_day(ctx: Context, town: Town) -> None:
    told = _day(ctx, town)
    report = closeout.x_read(ctx, town.session_id, town.supervisor.id)
    assert report.expected == {
        CASH: M("155.00"),
        CHECK: M("84.10"),
        TenderKind.MONEY_ORDER: Money(0),
        TenderKind.CARD: Money(0),
    }
    assert report.receipts == 3
    assert [v.receipt for v in report.voids] == [told["voided"]]
    assert report.voids[0].amount == M("40.00") and report.voids[0].approved_by == "Sam Ortega"
    assert [m.kind for m in report.no_sales] == [MovementKind.NO_SALE]
    assert not report.balance.counted


def test_a_cashier_cannot_take_an_x_read(ctx: Context, town: Town) -> None:
    with pytest.raises(PermissionDenied, match="X read shows expected cash"):
        closeout.x_read(ctx, town.session_id, town.cashier.id)


def test_the_count_sheet_lists_the_checks_to_tick_but_not_the_voided_ones(
    ctx: Context, town: Town
) -> None:
    pay(ctx, town, [("001234-01", "10.00")], [check("10.00", "2001")])
    gone = pay(ctx, town, [("010002-01", "20.00")], [check("20.00", "2002")]).receipt.number
    void_with_grant(ctx, town, gone)
    sheet = closeout.count_sheet(ctx, town.session_id, town.cashier.id)
    assert [(i.number, i.amount, i.accounts) for i in sheet.items] == [
        ("2001", M("10.00"), ("001234-01",))
    ]


def test_a_balanced_count_closes_the_session_and_stores_every_line(
    ctx: Context, town: Town
) -> None:
    _day(ctx, town)
    result = _count(ctx, town, BALANCED)
    assert result.closed and result.balance is not None
    assert result.balance.words == ("Every tender balanced",)
    assert result.count.attempt == 1 and result.count.counted_by == "Maria Lopez"
    with ctx.db.read() as s:
        lines = s.execute(
            select(DrawerCountLine.kind, DrawerCountLine.code, DrawerCountLine.quantity)
            .join(DrawerCountRow, DrawerCountRow.id == DrawerCountLine.count_id)
            .where(DrawerCountRow.kind == CountKind.CLOSE.value)
            .order_by(DrawerCountLine.id)
        ).all()
        steps = s.execute(
            select(SessionStep.from_state, SessionStep.to_state).order_by(SessionStep.id)
        ).all()
    assert [(k, c, q) for k, c, q in lines if k == "denomination"] == [
        ("denomination", code, n) for code, n in BALANCED.items()
    ]
    assert {c for k, c, _ in lines if k == "tender"} == {"cash", "check", "money_order", "card"}
    assert steps == [("open", "counted"), ("counted", "approved")]
    assert _events(ctx, "session.count") == 1 and _events(ctx, "session.close") == 1


def _events(ctx: Context, action: str) -> int:
    with ctx.db.read() as s:
        return int(
            s.execute(
                select(func.count(AuditEvent.id)).where(AuditEvent.action == action)
            ).scalar_one()
        )


def test_a_count_short_beyond_tolerance_waits_and_a_recount_keeps_the_first(
    ctx: Context, town: Town
) -> None:
    _day(ctx, town)
    first = _count(ctx, town, SHORT_3)
    assert first.state is SessionState.COUNTED
    assert first.words == (
        "Cash short $3.00 — over tolerance",
        "Over tolerance: recount, or a supervisor approves the difference",
    )
    second = _count(ctx, town, BALANCED)
    assert second.closed and second.count.attempt == 2
    report = closeout.z_read(ctx, town.session_id, town.cashier.id)
    assert [(c.attempt, c.over_short) for c in report.close_counts] == [
        (1, M("-3.00", allow_negative=True)),
        (2, Money(0)),
    ]


def test_a_missing_check_is_named_and_counted_short(ctx: Context, town: Town) -> None:
    told = _day(ctx, town)
    result = _count(ctx, town, BALANCED, ticked=False)
    assert result.state is SessionState.COUNTED
    assert "Not in the drawer: Check #1043 $84.10, 010002-01" in result.words
    assert told["check"]


def test_an_over_tolerance_close_needs_a_supervisor_override_with_a_reason(
    ctx: Context, town: Town
) -> None:
    _day(ctx, town)
    _count(ctx, town, SHORT_3)
    with pytest.raises(PermissionDenied, match="needs a supervisor override"):
        closeout.approve_variance(ctx, town.session_id, town.cashier.id)
    grant_id = grant(
        ctx,
        town,
        OverrideAction.VARIANCE,
        closeout.variance_subject(town.session_id),
        reason="counted twice, $3 short",
    )
    approved = closeout.approve_variance(ctx, town.session_id, town.cashier.id, grant_id=grant_id)
    assert approved.closed
    report = closeout.z_read(ctx, town.session_id, town.supervisor.id)
    assert report.steps[-1].approved_by == "Sam Ortega"
    assert report.steps[-1].reason == "counted twice, $3 short"
    assert report.balance.over_short == M("-3.00", allow_negative=True)
    assert _events(ctx, "session.approve") == 1


def test_a_supervisor_approves_from_their_own_screen_with_a_reason(
    ctx: Context, town: Town
) -> None:
    _day(ctx, town)
    _count(ctx, town, SHORT_3)
    with pytest.raises(ValidationError, match="enter the reason"):
        closeout.approve_variance(ctx, town.session_id, town.supervisor.id)
    result = closeout.approve_variance(ctx, town.session_id, town.supervisor.id, reason="ok")
    assert result.closed


def test_a_closed_session_takes_no_payment_movement_or_void(ctx: Context, town: Town) -> None:
    told = _day(ctx, town)
    _count(ctx, town, BALANCED)
    with pytest.raises(ValidationError, match="This drawer is closed"):
        pay(ctx, town, [("001234-01", "1.00")], [cash("1.00")])
    with pytest.raises(ValidationError, match="This drawer is closed"):
        sessions.record_movement(
            ctx, town.session_id, town.cashier.id, MovementKind.PAID_IN, M("5.00"), "coins"
        )
    with pytest.raises(ValidationError, match="closed session"):
        void_with_grant(ctx, town, told["check"])
    with pytest.raises(ValidationError, match="not counted again unless a supervisor reopens"):
        _count(ctx, town, BALANCED)


def test_reopening_needs_an_override_is_audited_and_takes_payments_again(
    ctx: Context, town: Town
) -> None:
    _day(ctx, town)
    _count(ctx, town, BALANCED)
    with pytest.raises(PermissionDenied):
        closeout.reopen(ctx, town.session_id, town.cashier.id)
    grant_id = grant(
        ctx, town, OverrideAction.REOPEN, closeout.reopen_subject(town.session_id), reason="late"
    )
    info = closeout.reopen(ctx, town.session_id, town.cashier.id, grant_id=grant_id)
    assert info.state is SessionState.OPEN
    pay(ctx, town, [("001234-01", "5.00")], [cash("5.00")])
    again = _count(ctx, town, {**BALANCED, "5": 5})
    assert again.closed and again.count.attempt == 2
    assert _events(ctx, "session.reopen") == 1


def test_dual_control_stores_both_names_and_refuses_without_a_second_person(
    ctx: Context, town: Town
) -> None:
    dual = with_settings(
        ctx, closeout=ctx.settings.closeout.model_copy(update={"dual_control": True})
    )
    _day(ctx, town)
    with pytest.raises(ValidationError, match="second person must verify"):
        _count(dual, town, BALANCED)
    with pytest.raises(AuthenticationFailed):
        _count(dual, town, BALANCED, verifier="sam", verifier_password="wrong-password")
    with pytest.raises(ValidationError, match="someone other than its counter"):
        _count(dual, town, BALANCED, verifier="maria", verifier_password="cashier123")
    result = _count(dual, town, BALANCED, verifier="sam", verifier_password="supervisor123")
    assert (result.count.counted_by, result.count.verified_by) == ("Maria Lopez", "Sam Ortega")
    assert result.count.attempt == 1  # the refused tries stored nothing


def test_a_second_close_the_same_day_counts_only_its_own_session(
    ctx: Context, town: Town, clock: Clock
) -> None:
    pay(ctx, town, [("001234-01", "50.00")], [cash("50.00")])
    _count(ctx, town, {**FLOAT, "50": 1})
    clock.advance(hours=2)
    afternoon = sessions.open_session(ctx, town.cashier.id, FLOAT)
    pay(
        ctx,
        Town(town.cashier, town.supervisor, afternoon.id),
        [("010002-01", "70.00")],
        [cash("70.00")],
    )
    report = closeout.x_read(ctx, afternoon.id, town.supervisor.id)
    assert report.expected[CASH] == M("270.00")
    day = closeout.day_summary(ctx, afternoon.business_date, town.supervisor.id)
    assert [(d.id, d.collected, d.state) for d in day] == [
        (town.session_id, M("50.00"), SessionState.CLOSED),
        (afternoon.id, M("70.00"), SessionState.OPEN),
    ]


def test_a_returned_check_never_touches_the_drawer_that_took_it(
    ctx: Context, town: Town, clock: Clock
) -> None:
    number = pay(ctx, town, [("001234-01", "50.00")], [check("50.00", "101")]).receipt.number
    closed = _count(ctx, town, FLOAT)
    assert closed.closed
    before = closeout.z_read(ctx, town.session_id, town.supervisor.id)
    clock.advance(days=1)
    subject = f"{number} check #101"
    reverse_returned_check(
        ctx,
        receipt_number=number,
        check_number="101",
        user_id=town.cashier.id,
        grant_id=grant(ctx, town, OverrideAction.NSF_REVERSAL, subject),
    )
    after = closeout.z_read(ctx, town.session_id, town.supervisor.id)
    assert after.expected == before.expected and after.expected[CHECK] == M("50.00")


def test_a_batch_closes_with_its_tape_when_items_and_total_match(ctx: Context, town: Town) -> None:
    lines = ["account_number,amount,tender,reference\n"] + [
        f"001234-01,{amount},check,{5000 + i}\n" for i, amount in enumerate(["10.00", "22.50"])
    ]
    batch = import_payments(ctx, lines, "mail.csv", "maria").session_id
    off = closeout.submit_tape(ctx, batch, town.cashier.id, Tape(2, M("32.00")))
    assert off.state is SessionState.COUNTED
    assert off.words[0] == "Tape 2 items, $32.00; posted 2 items, $32.50: recount or approve"
    right = closeout.submit_tape(ctx, batch, town.cashier.id, Tape(2, M("32.50")))
    assert right.closed and right.count.attempt == 2
    late = ["account_number,amount,tender,reference\n", "001234-01,1.00,check,6001\n"]
    assert import_payments(ctx, late, "late.csv", "maria").session_id != batch  # a new batch
    with pytest.raises(ValidationError, match="closes with its tape"):
        closeout.submit_count(ctx, batch, town.cashier.id, DrawerCount())


def test_another_cashier_cannot_count_a_drawer_that_is_not_theirs(ctx: Context, town: Town) -> None:
    other = users.add_user(ctx, "lee", "cashier456", Role.CASHIER, "Lee Park")
    with pytest.raises(PermissionDenied, match="another cashier's"):
        closeout.submit_count(ctx, town.session_id, other.id, DrawerCount(FLOAT))
