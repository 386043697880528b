import datetime as dt
import io

import pytest
from sqlalchemy import select, update

from counter_app.db.models import Account, AuditEvent
from counter_app.domain.errors import AuthenticationFailed, PermissionDenied, ValidationError
from counter_app.domain.money import Money
from counter_app.domain.overrides import OverrideAction
from counter_app.domain.receipt import ReceiptVariant
from counter_app.services import lookup, receipts
from counter_app.services.context import Context
from counter_app.services.voids import (
    reverse_returned_check_as_supervisor,
    void_receipt,
    void_subject,
)
from tests.helpers import (
    Clock,
    Town,
    cash,
    check,
    count_drawer,
    evening_drawer,
    grant,
    pay,
    returned_with_grant,
    with_settings,
)

pytestmark = pytest.mark.usefixtures("checked")  # every test ends with a clean check


def open_charges(ctx: Context, number: str) -> list[tuple[int, Money]]:
    return [(c.id, c.open) for c in lookup.get_account(ctx, number).open_charges]


def test_void_restores_charges_status_and_credit_exactly(ctx: Context, town: Town) -> None:
    before = {n: open_charges(ctx, n) for n in ("001234-01", "010002-01")}
    posted = pay(
        ctx,
        town,
        [("001234-01", "150.00"), ("010002-01", "212.55")],
        [check("200.00", "1043"), cash("200.00")],
    )
    assert lookup.get_account(ctx, "010002-01").status.value == "active"
    number = posted.receipt.number
    void = void_receipt(
        ctx,
        receipt_number=number,
        user_id=town.cashier.id,
        grant_id=grant(ctx, town, OverrideAction.VOID, void_subject(number)),
        reason_code="Wrong account",
        note="keyed the wrong stub",
    )
    assert void.receipt.variant is ReceiptVariant.VOID
    assert void.receipt.original_number == number
    assert void.receipt.total == Money(-36255)
    # cash handed back is what the drawer kept after change; the check goes back too
    assert sorted(t.amount.cents for t in void.receipt.tenders) == [-20000, -16255]
    for n, charges in before.items():
        assert open_charges(ctx, n) == charges
    john = lookup.get_account(ctx, "001234-01")
    assert john.credit == Money(0)
    assert john.last_payments[0].voided
    jk = lookup.get_account(ctx, "010002-01")
    assert jk.status.value == "shutoff_pending"
    assert jk.shutoff_date is not None


def test_void_requires_supervisor_override(ctx: Context, town: Town) -> None:
    number = pay(ctx, town, [("001234-01", "10.00")], [cash("10.00")]).receipt.number
    with pytest.raises(PermissionDenied, match="needs a supervisor override"):
        void_receipt(
            ctx,
            receipt_number=number,
            user_id=town.cashier.id,
            grant_id=None,
            reason_code="Wrong amount",
        )
    assert lookup.get_account(ctx, "001234-01").balance == Money.parse("94.10")


def test_a_cashier_cannot_approve_an_override(ctx: Context, town: Town) -> None:
    with pytest.raises(PermissionDenied, match="a supervisor must approve"):
        grant(ctx, town, OverrideAction.VOID, "X", supervisor="maria", password="cashier123")


def test_override_with_a_wrong_password_is_refused(ctx: Context, town: Town) -> None:
    with pytest.raises(AuthenticationFailed):
        grant(ctx, town, OverrideAction.VOID, "X", password="nope")


def test_an_override_grants_one_action_once(ctx: Context, town: Town) -> None:
    a = pay(ctx, town, [("001234-01", "1.00")], [cash("1.00")]).receipt.number
    b = pay(ctx, town, [("001234-01", "1.00")], [cash("1.00")]).receipt.number
    g = grant(ctx, town, OverrideAction.VOID, a)
    with pytest.raises(PermissionDenied, match="does not cover"):
        void_receipt(
            ctx, receipt_number=b, user_id=town.cashier.id, grant_id=g, reason_code="Wrong amount"
        )
    void_receipt(
        ctx, receipt_number=a, user_id=town.cashier.id, grant_id=g, reason_code="Wrong amount"
    )
    with pytest.raises(ValidationError, match="already void"):
        void_receipt(
            ctx, receipt_number=a, user_id=town.cashier.id, grant_id=g, reason_code="Wrong amount"
        )


def test_override_expires_after_five_minutes(ctx: Context, town: Town, clock: Clock) -> None:
    number = pay(ctx, town, [("001234-01", "1.00")], [cash("1.00")]).receipt.number
    g = grant(ctx, town, OverrideAction.VOID, number)
    clock.advance(minutes=6)
    with pytest.raises(PermissionDenied, match="expired"):
        void_receipt(
            ctx,
            receipt_number=number,
            user_id=town.cashier.id,
            grant_id=g,
            reason_code="Wrong amount",
        )


def test_void_needs_a_reason_from_the_list(ctx: Context, town: Town) -> None:
    number = pay(ctx, town, [("001234-01", "1.00")], [cash("1.00")]).receipt.number
    with pytest.raises(ValidationError, match="Pick a void reason"):
        void_receipt(
            ctx,
            receipt_number=number,
            user_id=town.cashier.id,
            grant_id=None,
            reason_code="because",
        )


def test_yesterdays_receipt_cannot_be_voided(ctx: Context, town: Town, clock: Clock) -> None:
    number = pay(ctx, town, [("001234-01", "1.00")], [cash("1.00")]).receipt.number
    count_drawer(ctx, town.session_id)  # the day is over: counted, checks to the bank
    clock.advance(days=1)
    with pytest.raises(ValidationError, match="earlier day"):
        void_receipt(
            ctx,
            receipt_number=number,
            user_id=town.cashier.id,
            grant_id=grant(ctx, town, OverrideAction.VOID, number),
            reason_code="Wrong amount",
        )


def test_returned_check_reopens_charges_adds_the_fee_and_flags_after_repeat(
    ctx: Context, town: Town, clock: Clock
) -> None:
    fee = ctx.settings.policy.nsf_fee
    first = pay(ctx, town, [("001234-01", "50.00")], [check("50.00", "101")]).receipt.number
    second = pay(ctx, town, [("001234-01", "20.00")], [check("20.00", "102")]).receipt.number
    count_drawer(ctx, town.session_id)  # the day is over: counted, checks to the bank
    clock.advance(days=3)
    slip = returned_with_grant(ctx, town, first, "101")
    assert slip.receipt.variant is ReceiptVariant.NSF
    john = lookup.get_account(ctx, "001234-01")
    assert john.balance == Money.parse("104.10") - Money.parse("20.00") + fee
    assert not john.checks_not_accepted
    returned_with_grant(ctx, town, second, "102")
    john = lookup.get_account(ctx, "001234-01")
    assert john.checks_not_accepted
    assert john.balance == Money.parse("104.10") + fee + fee
    with pytest.raises(ValidationError, match="already reversed"):
        returned_with_grant(ctx, town, second, "102")


def test_reprint_is_marked_only_once_a_copy_has_printed(ctx: Context, town: Town) -> None:
    number = pay(ctx, town, [("001234-01", "1.00")], [cash("1.00")]).receipt.number
    assert not receipts.session_receipts(ctx, town.session_id)[0].printed
    receipts.mark_print_failed(ctx, number, "Printer: paper out")
    assert not receipts.session_receipts(ctx, town.session_id)[0].printed
    first = receipts.reprint(ctx, number, town.cashier.id)  # never printed: the first copy
    assert first.variant is ReceiptVariant.ORIGINAL and first.heading == ""
    receipts.mark_printed(ctx, number)
    assert receipts.session_receipts(ctx, town.session_id)[0].printed
    again = receipts.reprint(ctx, number, town.cashier.id)
    assert again.variant is ReceiptVariant.ORIGINAL and again.reprint
    assert again.heading == "REPRINT"


def void(ctx: Context, town: Town, number: str):
    return void_receipt(
        ctx,
        receipt_number=number,
        user_id=town.cashier.id,
        grant_id=grant(ctx, town, OverrideAction.VOID, void_subject(number)),
        reason_code="Wrong amount",
    )


def test_a_receipt_reversed_as_a_returned_check_cannot_be_voided_too(
    ctx: Context, town: Town, clock: Clock
) -> None:
    number = pay(ctx, town, [("001234-01", "50.00")], [check("50.00", "101")]).receipt.number
    count_drawer(ctx, town.session_id)  # the day is over: counted, checks to the bank
    clock.advance(days=1)
    returned_with_grant(ctx, town, number, "101")
    balance = lookup.get_account(ctx, "001234-01").balance
    with pytest.raises(
        ValidationError, match=r"already reversed as a returned check on 11/24/2026"
    ):
        void(ctx, town, number)
    assert lookup.get_account(ctx, "001234-01").balance == balance


def test_a_voided_receipt_cannot_then_be_reversed_as_a_returned_check(
    ctx: Context, town: Town, clock: Clock
) -> None:
    number = pay(ctx, town, [("001234-01", "50.00")], [check("50.00", "101")]).receipt.number
    void(ctx, town, number)
    clock.advance(days=2)
    with pytest.raises(ValidationError, match=r"already voided on 11/23/2026"):
        returned_with_grant(ctx, town, number, "101")
    assert lookup.get_account(ctx, "001234-01").balance == Money.parse("104.10")


def test_a_second_check_on_an_already_returned_receipt_is_refused(
    ctx: Context, town: Town, clock: Clock
) -> None:
    number = pay(
        ctx, town, [("001234-01", "60.00")], [check("30.00", "101"), check("30.00", "102")]
    ).receipt.number
    count_drawer(ctx, town.session_id)  # the day is over: counted, checks to the bank
    clock.advance(days=1)
    returned_with_grant(ctx, town, number, "101")
    balance = lookup.get_account(ctx, "001234-01").balance
    with pytest.raises(ValidationError, match="already reversed as a returned check"):
        returned_with_grant(ctx, town, number, "102")
    assert lookup.get_account(ctx, "001234-01").balance == balance


def test_a_check_in_todays_open_drawer_is_voided_not_returned(ctx: Context, town: Town) -> None:
    number = pay(ctx, town, [("001234-01", "50.00")], [check("50.00", "101")]).receipt.number
    with pytest.raises(ValidationError, match="use Void instead"):
        returned_with_grant(ctx, town, number, "101")
    assert lookup.get_account(ctx, "001234-01").balance == Money.parse("54.10")


def test_a_returned_check_that_had_stopped_a_shutoff_puts_it_back(
    ctx: Context, town: Town, clock: Clock
) -> None:
    number = pay(ctx, town, [("010002-01", "212.55")], [check("212.55", "77")]).receipt.number
    assert lookup.get_account(ctx, "010002-01").status.value == "active"
    count_drawer(ctx, town.session_id)  # the day is over: counted, checks to the bank
    clock.advance(days=2)
    slip = returned_with_grant(ctx, town, number, "77")
    jk = lookup.get_account(ctx, "010002-01")
    assert (jk.status.value, jk.shutoff_date) == ("shutoff_pending", dt.date(2026, 11, 30))
    assert "Shut-off pending 11/30 again" in slip.receipt.lines[0].status_note
    details = audit_details(ctx, "transaction.nsf_reversal")[-1]
    assert details["status_restored"] == {"010002-01": "Shut-off pending 11/30 again"}


def test_a_returned_check_leaves_a_status_billing_changed_since_alone(
    ctx: Context, town: Town, clock: Clock
) -> None:
    number = pay(ctx, town, [("010002-01", "212.55")], [check("212.55", "77")]).receipt.number
    with ctx.db.write() as s:
        s.execute(update(Account).values(status="closed").where(Account.number == "010002-01"))
    count_drawer(ctx, town.session_id)  # the day is over: counted, checks to the bank
    clock.advance(days=2)
    returned_with_grant(ctx, town, number, "77")
    assert lookup.get_account(ctx, "010002-01").status.value == "closed"


def audit_details(ctx: Context, action: str) -> list[dict[str, object]]:
    with ctx.db.read() as s:
        return list(
            s.execute(
                select(AuditEvent.details)
                .where(AuditEvent.action == action)
                .order_by(AuditEvent.id)
            ).scalars()
        )


def test_a_supervisor_cannot_approve_their_own_void(ctx: Context, town: Town) -> None:
    with pytest.raises(PermissionDenied, match="another supervisor must approve it"):
        grant(
            ctx,
            town,
            OverrideAction.VOID,
            "W02-20261123-0001",
            requested_by=town.supervisor.id,
            reason="my own mistake",
        )


def test_a_supervisor_may_approve_their_own_returned_check_and_it_is_recorded(
    ctx: Context, town: Town, clock: Clock
) -> None:
    number = pay(ctx, town, [("001234-01", "50.00")], [check("50.00", "101")]).receipt.number
    count_drawer(ctx, town.session_id)  # the day is over: counted, checks to the bank
    clock.advance(days=1)
    returned_with_grant(ctx, town, number, "101")
    assert audit_details(ctx, "override.grant")[-1]["self_approved"] is True


def test_an_override_is_used_only_by_whoever_asked_for_it(ctx: Context, town: Town) -> None:
    number = pay(ctx, town, [("001234-01", "1.00")], [cash("1.00")]).receipt.number
    g = grant(ctx, town, OverrideAction.VOID, void_subject(number))  # maria asked
    with pytest.raises(PermissionDenied, match="granted to another user or station"):
        void_receipt(
            ctx,
            receipt_number=number,
            user_id=town.supervisor.id,
            grant_id=g,
            reason_code="Wrong amount",
        )
    elsewhere = with_settings(ctx, station="W03")
    with pytest.raises(PermissionDenied, match=r"another user or station \(W02\)"):
        void_receipt(
            elsewhere,
            receipt_number=number,
            user_id=town.cashier.id,
            grant_id=g,
            reason_code="Wrong amount",
        )
    void_receipt(
        ctx, receipt_number=number, user_id=town.cashier.id, grant_id=g, reason_code="Wrong amount"
    )


def test_the_back_office_reverses_a_returned_check_from_the_command_line(
    ctx: Context, town: Town, clock: Clock, monkeypatch: pytest.MonkeyPatch, capsys
) -> None:
    from counter_app.cli import main

    number = pay(ctx, town, [("010002-01", "212.55")], [check("212.55", "77")]).receipt.number
    count_drawer(ctx, town.session_id)  # the day is over: counted, checks to the bank
    clock.advance(days=2)
    monkeypatch.setattr(Context, "now", lambda self: clock())
    monkeypatch.setenv("COUNTER_DATABASE_URL", ctx.settings.effective_database_url)
    monkeypatch.setenv("COUNTER_STATION", "BO1")
    argv = ["returned-check", number, "--check-number", "77", "--supervisor", "sam"]
    argv += ["--reason", "NSF", "--password-stdin"]
    monkeypatch.setattr("sys.stdin", io.StringIO("wrong\n"))
    assert main(argv) == 1
    assert "Wrong username or password" in capsys.readouterr().err
    monkeypatch.setattr("sys.stdin", io.StringIO("supervisor123\n"))
    assert main(argv) == 0
    out = capsys.readouterr().out
    assert f"Returned check #77 on {number}: slip BO1-20261125-0001" in out
    assert "Shut-off pending 11/30 again" in out
    jk = lookup.get_account(ctx, "010002-01")
    assert jk.status.value == "shutoff_pending"
    assert jk.balance == Money.parse("252.55") + ctx.settings.policy.nsf_fee


def test_a_cashier_cannot_reverse_a_returned_check_from_the_back_office(
    ctx: Context, town: Town, clock: Clock
) -> None:
    number = pay(ctx, town, [("001234-01", "50.00")], [check("50.00", "101")]).receipt.number
    clock.advance(days=1)
    with pytest.raises(PermissionDenied, match="a supervisor must do this"):
        reverse_returned_check_as_supervisor(
            ctx,
            receipt_number=number,
            check_number="101",
            supervisor="maria",
            password="cashier123",
            reason="NSF",
        )
    assert lookup.get_account(ctx, "001234-01").balance == Money.parse("54.10")


def test_a_receipt_that_failed_part_way_through_is_reprinted_as_reprint(
    ctx: Context, town: Town
) -> None:
    number = pay(ctx, town, [("001234-01", "1.00")], [cash("1.00")]).receipt.number
    receipts.mark_print_failed(
        ctx, number, "Printer: paper out while printing", may_have_printed=True
    )
    assert not receipts.session_receipts(ctx, town.session_id)[0].printed  # still to reprint
    again = receipts.reprint(ctx, number, town.cashier.id)  # half a copy went out already
    assert again.reprint and again.heading == "REPRINT"


def test_a_receipt_is_voided_only_at_the_station_whose_drawer_took_it(
    ctx: Context, town: Town
) -> None:
    """Intended: a void hands the money back from the drawer that took it, so another
    station is refused even with a supervisor's grant asked for there."""
    number = pay(ctx, town, [("001234-01", "1.00")], [cash("1.00")]).receipt.number
    elsewhere = with_settings(ctx, station="W03")
    g = grant(elsewhere, town, OverrideAction.VOID, void_subject(number))
    with pytest.raises(ValidationError, match="was taken at station W02: void it there"):
        void_receipt(
            elsewhere,
            receipt_number=number,
            user_id=town.cashier.id,
            grant_id=g,
            reason_code="Wrong amount",
        )
    assert lookup.get_account(ctx, "001234-01").balance == Money.parse("103.10")


# --- midnight: everything at a station belongs to its open drawer's business date ---------
def test_after_midnight_a_receipt_of_the_evening_drawer_is_still_voided_that_day(
    ctx: Context, town: Town, clock: Clock
) -> None:
    evening = evening_drawer(ctx, town, clock)
    number = pay(ctx, evening, [("001234-01", "10.00")], [cash("10.00")]).receipt.number
    clock.advance(minutes=20)  # 12:10 am on 11/24: the drawer of 11/23 is still open
    slip = void(ctx, evening, number)
    assert slip.receipt.number == "W02-20261123-0002"
    assert slip.receipt.business_date == dt.date(2026, 11, 23)
    assert lookup.get_account(ctx, "001234-01").balance == Money.parse("104.10")


def test_after_midnight_a_check_of_the_evening_drawer_is_voided_not_returned(
    ctx: Context, town: Town, clock: Clock
) -> None:
    evening = evening_drawer(ctx, town, clock)
    number = pay(ctx, evening, [("001234-01", "50.00")], [check("50.00", "101")]).receipt.number
    clock.advance(minutes=20)
    with pytest.raises(ValidationError, match=r"business date 11/23/2026.*use Void instead"):
        returned_with_grant(ctx, evening, number, "101")
    assert lookup.get_account(ctx, "001234-01").balance == Money.parse("54.10")


def test_a_returned_check_after_midnight_takes_the_stations_business_date(
    ctx: Context, town: Town, clock: Clock
) -> None:
    first = pay(ctx, town, [("001234-01", "50.00")], [check("50.00", "101")]).receipt.number
    second = pay(ctx, town, [("010002-01", "40.00")], [check("40.00", "7")]).receipt.number
    evening = evening_drawer(ctx, town, clock)  # the morning drawer (and its checks) gone
    late = pay(ctx, evening, [("004410-02", "5.00")], [cash("5.00")]).receipt.number
    assert late == "W02-20261123-0003"
    clock.advance(minutes=20)  # 12:10 am on 11/24; W02 is still on 11/23
    slip = returned_with_grant(ctx, evening, first, "101").receipt
    assert slip.number == "W02-20261123-0004"  # the next of the day's receipts
    assert slip.business_date == dt.date(2026, 11, 23)
    # where no drawer is open (the back office), the station is on the office's date today
    office = with_settings(ctx, station="BO1")
    elsewhere = reverse_returned_check_as_supervisor(
        office,
        receipt_number=second,
        check_number="7",
        supervisor="sam",
        password="supervisor123",
        reason="NSF",
    ).receipt
    assert (elsewhere.number, elsewhere.business_date) == (
        "BO1-20261124-0001",
        dt.date(2026, 11, 24),
    )
