"""``counter-app orders``: the field crew's list of turn-on orders still to do, oldest first,
for a supervisor or an admin who signs in; ``--all`` says where every order stands (done,
cancelled by a void, called off by a returned check). Refusals are a message and status 1."""

from __future__ import annotations

import datetime as dt
import io

import pytest
from sqlalchemy import update

from counter_app.cli import main
from counter_app.db.models import Account
from counter_app.domain.accounts import AccountStatus
from counter_app.domain.service_orders import CrewStatus, ServiceOrderState, crew_status
from counter_app.services import service_orders
from counter_app.services.context import Context
from tests.helpers import (
    Town,
    add_account,
    cash,
    check,
    count_drawer,
    pay,
    returned_with_grant,
    void_with_grant,
)

CUT_OFF = "040000-01"
ALSO_CUT_OFF = "040001-01"
PAID = "170.00"  # what restores service: $120.00 past due and the $50.00 reconnect fee


@pytest.fixture
def office(ctx: Context, town: Town, monkeypatch: pytest.MonkeyPatch) -> Town:
    """Two disconnected accounts in the town; the command line points at its database."""
    monkeypatch.setenv("COUNTER_DATABASE_URL", ctx.settings.effective_database_url)
    monkeypatch.setenv("COUNTER_STATION", "W02")
    for number, name, address in (
        (CUT_OFF, "Dee, Cut", "14 Quarry Road"),
        (ALSO_CUT_OFF, "Off, Also", "16 Quarry Road"),
    ):
        add_account(
            ctx,
            number,
            name,
            address,
            meter="91-004",
            phone="555-010-4000",
            status="disconnected",
            shutoff_date=dt.date(2026, 11, 10),
            charges=[("water", "2026-10-01", "2026-10-22", 12000, 12000)],
        )
    return town


def _orders(monkeypatch: pytest.MonkeyPatch, *extra: str) -> int:
    monkeypatch.setattr("sys.stdin", io.StringIO("supervisor123\n"))
    return main(["orders", "--as", "sam", "--password-stdin", *extra])


def test_a_supervisor_lists_the_turn_on_orders_to_do_oldest_first(
    ctx: Context, office: Town, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    first = pay(ctx, office, [(CUT_OFF, PAID)], [cash(PAID)]).receipt.number
    second = pay(ctx, office, [(ALSO_CUT_OFF, PAID)], [cash(PAID)]).receipt.number
    assert _orders(monkeypatch) == 0
    printed = capsys.readouterr().out
    assert printed.splitlines()[0] == "2 turn-on order(s) to do, oldest first:"
    assert printed.index(f"SO-{first}  to do") < printed.index(f"SO-{second}  to do")
    assert f"    {CUT_OFF}  Dee, Cut  14 Quarry Road" in printed
    assert "    phone 555-010-4000  meter 91-004  reconnect fee $50.00" in printed
    assert "at W02 by Maria Lopez" in printed


def test_a_voided_or_returned_restore_leaves_the_crews_list_and_all_says_why(
    ctx: Context, office: Town, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    voided = pay(ctx, office, [(CUT_OFF, PAID)], [cash(PAID)]).receipt.number
    void_with_grant(ctx, office, voided)
    bounced = pay(ctx, office, [(ALSO_CUT_OFF, PAID)], [check(PAID, "2001")]).receipt.number
    count_drawer(ctx, office.session_id)  # the check went to the bank, and came back
    returned_with_grant(ctx, office, bounced, "2001")
    assert _orders(monkeypatch) == 0
    assert capsys.readouterr().out == "No turn-on orders to do.\n"
    assert _orders(monkeypatch, "--all") == 0
    printed = capsys.readouterr().out
    assert printed.splitlines()[0] == "2 turn-on order(s), oldest first:"
    assert f"SO-{voided}  cancelled: its receipt was voided" in printed
    assert f"SO-{bounced}  do not go: disconnected again (a returned check)" in printed


def test_the_list_needs_a_supervisors_or_admins_password(
    ctx: Context, office: Town, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    pay(ctx, office, [(CUT_OFF, PAID)], [cash(PAID)])
    assert main(["orders"]) == 1
    assert "To list the turn-on orders, say who you are: --as USER" in capsys.readouterr().err
    monkeypatch.setattr("sys.stdin", io.StringIO("cashier123\n"))
    assert main(["orders", "--as", "maria", "--password-stdin"]) == 1
    refused = capsys.readouterr()
    assert refused.out == "" and "maria" in refused.err and "Dee" not in refused.err
    monkeypatch.setattr("sys.stdin", io.StringIO("wrong-password\n"))
    assert main(["orders", "--as", "sam", "--password-stdin"]) == 1
    assert capsys.readouterr().out == ""


@pytest.mark.parametrize(
    ("state", "account", "status"),
    [
        (ServiceOrderState.ORDERED, AccountStatus.RECONNECT_ORDERED, CrewStatus.TO_DO),
        (ServiceOrderState.ORDERED, AccountStatus.ACTIVE, CrewStatus.CONNECTED),
        (ServiceOrderState.ORDERED, AccountStatus.SHUTOFF_PENDING, CrewStatus.CONNECTED),
        (ServiceOrderState.ORDERED, AccountStatus.DISCONNECTED, CrewStatus.DISCONNECTED),
        (ServiceOrderState.ORDERED, AccountStatus.CLOSED, CrewStatus.CLOSED),
        (ServiceOrderState.CANCELLED, AccountStatus.RECONNECT_ORDERED, CrewStatus.CANCELLED),
    ],
)
def test_an_order_is_to_do_only_while_it_stands_and_its_account_waits_for_it(
    state: ServiceOrderState, account: AccountStatus, status: CrewStatus
) -> None:
    assert crew_status(state, account) is status


def test_an_order_whose_account_the_billing_system_reconnected_is_done(
    ctx: Context, office: Town
) -> None:
    number = pay(ctx, office, [(CUT_OFF, PAID)], [cash(PAID)]).receipt.number
    with ctx.db.write() as s:  # as the billing system's next accounts file says
        s.execute(update(Account).where(Account.number == CUT_OFF).values(status="active"))
    assert service_orders.crew_list(ctx) == []
    [done] = service_orders.crew_list(ctx, everything=True)
    assert (done.number, done.status) == (f"SO-{number}", CrewStatus.CONNECTED)
