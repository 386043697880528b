"""The end of day under the audit digests, on both databases: the counts (with their lines
and ticked checks), the session steps and the deposits (with their lines and sessions) are
money records, so ``counter-app check`` reports each edit a tamperer with only database
access would make to hide a short."""

from __future__ import annotations

import pytest
from sqlalchemy import select, text

from counter_app.db.models import AuditEvent
from counter_app.domain.counts import DrawerCount
from counter_app.domain.money import Money
from counter_app.services import check, closeout, deposits
from counter_app.services.context import Context
from tests.helpers import Town, cash, pay
from tests.helpers import check as check_tender

SHORT_3 = {"20": 10, "10": 5, "1": 5}  # $255.00: $3.00 short of $258.00
BALANCED = {"20": 10, "10": 5, "1": 8}  # $258.00 = $200.00 float + $58.00 cash

LAST_CLOSE = "(SELECT max(id) FROM drawer_counts WHERE kind = 'close')"
FIRST_CLOSE = "(SELECT min(id) FROM drawer_counts WHERE kind = 'close')"
OPENING = "(SELECT min(id) FROM drawer_counts WHERE kind = 'open')"


def _count(ctx: Context, town: Town, cash_counts: dict[str, int]) -> closeout.CloseResult:
    sheet = closeout.count_sheet(ctx, town.session_id, town.cashier.id)
    ticked = frozenset(i.tender_id for i in sheet.items)
    return closeout.submit_count(
        ctx, town.session_id, town.cashier.id, DrawerCount(cash_counts, ticked)
    )


@pytest.fixture
def deposited(ctx: Context, town: Town) -> Town:
    """$58.00 cash and checks #1043 $84.10, #1044 $50.00; counted $3.00 short, approved by
    the supervisor, reopened, recounted balanced (closed), deposited: every end-of-day
    event, and ``check`` clean."""
    pay(ctx, town, [("001234-01", "58.00")], [cash("58.00")])
    pay(ctx, town, [("010002-01", "84.10")], [check_tender("84.10", "1043")])
    pay(ctx, town, [("001234-01", "50.00")], [check_tender("50.00", "1044")])
    assert not _count(ctx, town, SHORT_3).closed
    closeout.approve_variance(ctx, town.session_id, town.supervisor.id, reason="counted twice")
    closeout.reopen(ctx, town.session_id, town.supervisor.id, reason="found the $3")
    assert _count(ctx, town, BALANCED).closed
    deposits.make_deposit(ctx, ctx.today(), [town.session_id], town.supervisor.id)
    assert check.run_check(ctx).breaches == []
    return town


def _tamper(ctx: Context, statement: str) -> None:
    """What someone with only database access does: a plain statement, no service."""
    with ctx.db.write() as s:
        assert s.execute(text(statement)).rowcount == 1  # type: ignore[attr-defined]


def _digest_breaches(ctx: Context) -> list[str]:
    return [b.text for b in check.run_check(ctx).breaches if b.rule == "row digests"]


def test_every_end_of_day_event_carries_the_digest_of_the_rows_it_wrote(
    ctx: Context, deposited: Town
) -> None:
    with ctx.db.read() as s:
        covered = [
            (action, sorted(details["rows"]["of"]))
            for action, details in s.execute(
                select(AuditEvent.action, AuditEvent.details)
                .where(AuditEvent.action.like("session.%") | AuditEvent.action.like("deposit.%"))
                .order_by(AuditEvent.id)
            )
        ]
    count = ["drawer_count_items", "drawer_count_lines", "drawer_counts", "session_steps"]
    assert covered == [
        ("session.open", ["drawer_count_lines", "drawer_counts", "drawer_sessions"]),
        ("session.count", count),  # its step to counted
        ("session.approve", ["session_steps"]),
        ("session.reopen", ["session_steps"]),
        ("session.close", ["session_steps"]),  # the recount balanced: closed, its own event
        ("session.count", count),
        ("deposit.make", ["deposit_lines", "deposit_sessions", "deposits", "session_steps"]),
    ]


@pytest.mark.parametrize(
    ("statement", "event"),
    [
        pytest.param(
            "UPDATE drawer_count_lines SET quantity = quantity + 1 WHERE kind = 'denomination' "
            f"AND code = '20' AND count_id = {LAST_CLOSE}",
            "session.count",
            id="a-denomination-counted-edited",
        ),
        pytest.param(
            "UPDATE drawer_count_lines SET cents = expected_cents WHERE kind = 'tender' "
            f"AND code = 'cash' AND count_id = {FIRST_CLOSE}",
            "session.count",
            id="the-short-count-made-to-balance",
        ),
        pytest.param(
            f"DELETE FROM drawer_count_items WHERE count_id = {LAST_CLOSE} AND tender_id = "
            f"(SELECT min(tender_id) FROM drawer_count_items WHERE count_id = {LAST_CLOSE})",
            "session.count",
            id="a-ticked-check-deleted",
        ),
        pytest.param(
            f"UPDATE drawer_counts SET card_batch_cents = 5000 WHERE id = {LAST_CLOSE}",
            "session.count",
            id="the-card-batch-edited",
        ),
        pytest.param(
            "UPDATE drawer_count_lines SET quantity = quantity - 1 WHERE kind = 'denomination' "
            f"AND code = '20' AND count_id = {OPENING}",
            "session.open",
            id="the-opening-float-edited",
        ),
        pytest.param(
            "UPDATE session_steps SET reason = 'within tolerance' WHERE reason = 'counted twice'",
            "session.approve",
            id="an-approval-reason-edited",
        ),
        pytest.param(
            "DELETE FROM session_steps WHERE reason = 'found the $3'",
            "session.reopen",
            id="a-reopen-deleted",
        ),
        pytest.param(
            "UPDATE deposits SET checks_cents = checks_cents - 5000, "
            "total_cents = total_cents - 5000",
            "deposit.make",
            id="a-deposit-total-changed",
        ),
        pytest.param(
            "DELETE FROM deposit_lines WHERE kind = 'check' AND reference = '1044'",
            "deposit.make",
            id="a-deposited-check-deleted",
        ),
        pytest.param(
            "UPDATE deposit_lines SET quantity = quantity + 1 WHERE kind = 'currency' "
            "AND denomination = '20'",
            "deposit.make",
            id="deposited-currency-edited",
        ),
        pytest.param(
            "DELETE FROM deposit_sessions",
            "deposit.make",
            id="a-session-taken-off-its-deposit",
        ),
    ],
)
def test_an_end_of_day_row_edited_or_deleted_is_found(
    ctx: Context, deposited: Town, statement: str, event: str
) -> None:
    _tamper(ctx, statement)
    found = _digest_breaches(ctx)
    assert any(f"({event}" in t for t in found), found


@pytest.mark.parametrize(
    ("statement", "table"),
    [
        pytest.param(
            "INSERT INTO drawer_count_items (count_id, tender_id) SELECT "
            f"{OPENING}, min(id) FROM tenders WHERE kind = 'check'",
            "drawer_count_items",
            id="a-check-ticked-on-the-opening-count",
        ),
        pytest.param(
            "INSERT INTO session_steps (session_id, from_state, to_state, user_id, reason, at) "
            "SELECT id, 'approved', 'deposited', user_id, '', opened_at FROM drawer_sessions",
            "session_steps",
            id="a-step-written-outside-counter",
        ),
    ],
)
def test_an_end_of_day_row_added_outside_counter_is_found(
    ctx: Context, deposited: Town, statement: str, table: str
) -> None:
    _tamper(ctx, statement)
    found = _digest_breaches(ctx)
    assert any(f"{table} row(s) are in no audit event" in t for t in found), found


def test_a_deposit_slip_of_the_clean_day_adds_up(ctx: Context, deposited: Town) -> None:
    [made] = deposits.deposits_of(ctx, ctx.today())
    assert (made.currency, made.checks) == (Money(5800), Money(13410))
