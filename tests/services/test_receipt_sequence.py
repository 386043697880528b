"""The first receipts of a station's day, numbered at the same moment by several units of
work: each gets its own number, in order, and none fails (on PostgreSQL two could both find
no counter row for the day and both insert one: a unique violation reached the cashier)."""

from __future__ import annotations

import datetime as dt
import time

from counter_app.services import receipts
from counter_app.services.context import Context
from tests.helpers import in_parallel

UNITS = 4
DAY = dt.date(2026, 12, 2)


def _number_and_hold(ctx: Context) -> str:
    """A receipt number taken in a unit of work that stays open a moment, as a posting
    does while it writes the rest of its rows."""
    with ctx.db.write() as session:
        number = receipts.next_receipt_number(session, "W09", DAY)
        time.sleep(0.2)
    return number


def test_the_first_receipts_of_a_day_numbered_at_once_each_get_their_own_number(
    ctx: Context,
) -> None:
    results = in_parallel(UNITS, lambda _i: _number_and_hold(ctx))
    assert sorted(str(r) for r in results) == [f"W09-20261202-{n:04d}" for n in range(1, 5)]


def test_the_numbers_go_on_from_the_last_one_of_the_day(ctx: Context) -> None:
    first = _number_and_hold(ctx)
    assert (first, _number_and_hold(ctx)) == ("W09-20261202-0001", "W09-20261202-0002")
    with ctx.db.write() as session:
        assert receipts.next_receipt_number(session, "W09", DAY + dt.timedelta(days=1)) == (
            "W09-20261203-0001"
        )
