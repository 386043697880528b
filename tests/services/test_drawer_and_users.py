import pytest

from counter_app.domain.errors import AuthenticationFailed, PermissionDenied, ValidationError
from counter_app.domain.money import Money
from counter_app.domain.overrides import OverrideAction
from counter_app.domain.sessions import MovementKind
from counter_app.domain.users import Role
from counter_app.services import audit, overrides, sessions, users
from counter_app.services.context import Context
from tests.helpers import FLOAT, Clock, Town


def test_one_open_drawer_per_cashier_and_station(ctx: Context, town: Town) -> None:
    with pytest.raises(ValidationError, match="already has a drawer open"):
        sessions.open_session(ctx, town.cashier.id, FLOAT)
    with pytest.raises(ValidationError, match="Maria Lopez's drawer is still open"):
        sessions.open_session(ctx, town.supervisor.id, FLOAT)
    current = sessions.current_session(ctx, town.cashier.id)
    assert current is not None and current.opening_float == Money.parse("200.00")
    assert current.business_date.isoformat() == "2026-11-23"


def test_bad_counts_are_refused(ctx: Context, town: Town) -> None:
    with pytest.raises(ValidationError, match="whole number"):
        sessions.open_session(ctx, town.supervisor.id, {"20": -1})
    with pytest.raises(ValidationError, match="Unknown denomination"):
        sessions.open_session(ctx, town.supervisor.id, {"3": 1})


def test_paid_in_drop_and_no_sale_are_recorded_with_reasons(ctx: Context, town: Town) -> None:
    sid, uid = town.session_id, town.cashier.id
    assert sessions.record_movement(ctx, sid, uid, MovementKind.PAID_IN, Money(500), "change fund")
    drop = sessions.record_movement(ctx, sid, uid, MovementKind.DROP, Money(50000), "to safe")
    assert drop.amount == Money(50000)
    no_sale = sessions.record_movement(ctx, sid, uid, MovementKind.NO_SALE, Money(999), "jammed")
    assert no_sale.amount == Money(0)
    with pytest.raises(ValidationError, match="enter the reason"):
        sessions.record_movement(ctx, sid, uid, MovementKind.PAID_IN, Money(500), "  ")
    assert audit.verify(ctx).ok


def test_large_paid_out_needs_an_override(ctx: Context, town: Town) -> None:
    sid, uid = town.session_id, town.cashier.id
    small = sessions.record_movement(ctx, sid, uid, MovementKind.PAID_OUT, Money(2500), "stamps")
    assert small.amount == Money(2500)
    big = Money(2501)
    with pytest.raises(PermissionDenied, match="needs a supervisor override"):
        sessions.record_movement(ctx, sid, uid, MovementKind.PAID_OUT, big, "refund")
    grant = overrides.grant(
        ctx,
        requested_by=uid,
        supervisor="sam",
        password="supervisor123",
        action=OverrideAction.PAID_OUT,
        subject=sessions.override_subject(MovementKind.PAID_OUT, big),
        reason="deposit refund",
    )
    done = sessions.record_movement(
        ctx, sid, uid, MovementKind.PAID_OUT, big, "refund", override_id=grant.id
    )
    assert done.amount == big


def test_lockout_after_five_failures_says_minutes_left(
    ctx: Context, town: Town, clock: Clock
) -> None:
    for _ in range(4):
        with pytest.raises(AuthenticationFailed, match="Wrong username or password"):
            users.authenticate(ctx, "maria", "wrong")
    with pytest.raises(AuthenticationFailed, match="locked out for 15 minutes"):
        users.authenticate(ctx, "maria", "wrong")
    clock.advance(minutes=1)
    with pytest.raises(AuthenticationFailed, match="try again in 14 minutes"):
        users.authenticate(ctx, "maria", "cashier123")
    clock.advance(minutes=15)
    assert users.authenticate(ctx, "maria", "cashier123").username == "maria"


def test_disabled_user_cannot_log_in(ctx: Context, town: Town) -> None:
    users.disable_user(ctx, "maria")
    with pytest.raises(AuthenticationFailed):
        users.authenticate(ctx, "maria", "cashier123")


def test_usernames_are_unique_and_passwords_long_enough(ctx: Context, town: Town) -> None:
    with pytest.raises(ValidationError, match="already exists"):
        users.add_user(ctx, "Maria", "whatever123", Role.CASHIER)
    with pytest.raises(ValidationError, match="at least 8"):
        users.add_user(ctx, "new", "short", Role.CASHIER)


def test_a_changed_audit_row_breaks_the_chain(ctx: Context, town: Town) -> None:
    from sqlalchemy import update

    from counter_app.db.models import AuditEvent

    assert audit.verify(ctx).ok
    with ctx.db.write() as s:
        s.execute(update(AuditEvent).where(AuditEvent.id == 2).values(reason="edited"))
    report = audit.verify(ctx)
    assert not report.ok and report.first_bad_id == 2


def test_many_small_paid_outs_past_the_session_limit_need_a_supervisor(
    ctx: Context, town: Town
) -> None:
    """Eight $25.00 paid-outs are no smaller than one of $200.00: the fifth ($125.00 in
    all, over the $100.00 a session may pay out alone) needs an override."""
    twenty_five = Money.parse("25.00")
    for _ in range(4):
        assert sessions.paid_out_override_cause(ctx, town.session_id, twenty_five) is None
        sessions.record_movement(
            ctx, town.session_id, town.cashier.id, MovementKind.PAID_OUT, twenty_five, "postage"
        )
    cause = sessions.paid_out_override_cause(ctx, town.session_id, twenty_five)
    assert cause == (
        "Paid-out $25.00 brings this drawer's paid-outs to $125.00, over the $100.00 a "
        "cashier pays out alone in a session"
    )
    with pytest.raises(PermissionDenied, match="needs a supervisor override"):
        sessions.record_movement(
            ctx, town.session_id, town.cashier.id, MovementKind.PAID_OUT, twenty_five, "postage"
        )
