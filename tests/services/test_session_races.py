"""Opening drawers and batch sessions at the same moment from many threads, on both
databases: one open session wins, every other caller gets it or is told whose it is, and
the database itself refuses a second open one (partial unique indexes)."""

from __future__ import annotations

import datetime as dt

import pytest
from sqlalchemy import select
from sqlalchemy.exc import IntegrityError

from counter_app.db.models import AuditEvent, DrawerSession
from counter_app.domain.errors import ValidationError
from counter_app.domain.money import Money
from counter_app.domain.sessions import SessionInfo, SessionKind, SessionState
from counter_app.domain.users import Role, UserInfo
from counter_app.services import sessions, users
from counter_app.services.context import Context
from counter_app.services.payment_import import import_payments
from tests.helpers import FLOAT, Town, in_parallel, with_settings

THREADS = 8


def _clerks(ctx: Context, count: int) -> list[UserInfo]:
    return [
        users.add_user(ctx, f"clerk{i}", "clerk-password", Role.CASHIER, f"Clerk {i}")
        for i in range(count)
    ]


def _open(ctx: Context, kind: SessionKind) -> list[tuple[int, int, str]]:
    """(id, user, station) of every open session of ``kind``."""
    with ctx.db.read() as session:
        rows = session.execute(
            select(DrawerSession.id, DrawerSession.user_id, DrawerSession.station)
            .where(DrawerSession.kind == kind, DrawerSession.state == SessionState.OPEN)
            .order_by(DrawerSession.id)
        )
        return [(id_, user_id, station) for id_, user_id, station in rows]


def _audited(ctx: Context, action: str, session_id: int) -> int:
    with ctx.db.read() as session:
        return len(
            session.execute(
                select(AuditEvent.id).where(
                    AuditEvent.action == action, AuditEvent.entity_id == str(session_id)
                )
            ).all()
        )


def test_eight_cashiers_opening_one_station_at_once_leave_one_drawer_and_hear_whose_it_is(
    ctx: Context, town: Town
) -> None:
    station = with_settings(ctx, station="W05")
    clerks = _clerks(ctx, THREADS)

    results = in_parallel(THREADS, lambda i: sessions.open_session(station, clerks[i].id, FLOAT))

    [winner] = [r for r in results if isinstance(r, SessionInfo)]
    refused = [r for r in results if not isinstance(r, SessionInfo)]
    assert all(isinstance(r, ValidationError) for r in refused), refused
    whose = f"{winner.cashier}'s drawer is still open on W05 (session #{winner.id})"
    assert [whose in str(r) for r in refused] == [True] * (THREADS - 1)
    assert [row for row in _open(ctx, SessionKind.DRAWER) if row[2] == "W05"] == [
        (winner.id, winner.user_id, "W05")
    ]
    for clerk in clerks:
        current = sessions.current_session(station, clerk.id)
        assert (current and current.id) == (winner.id if clerk.id == winner.user_id else None)


def test_one_cashier_opening_a_drawer_eight_times_at_once_gets_one_drawer(
    ctx: Context, town: Town
) -> None:
    station = with_settings(ctx, station="W05")
    [clerk] = _clerks(ctx, 1)

    results = in_parallel(THREADS, lambda _: sessions.open_session(station, clerk.id, FLOAT))

    [(session_id, _, _)] = [row for row in _open(ctx, SessionKind.DRAWER) if row[1] == clerk.id]
    told = f"Clerk 0 already has a drawer open on W05 (session #{session_id})"
    for result in results:
        if isinstance(result, SessionInfo):  # the same request twice: the same drawer
            assert (result.id, result.opening_float) == (session_id, Money.parse("200.00"))
        else:
            assert isinstance(result, ValidationError) and told in str(result), result
    current = sessions.current_session(station, clerk.id)
    assert current is not None and current.id == session_id
    assert _audited(ctx, "session.open", session_id) == 1


def test_one_cashier_opening_drawers_on_eight_stations_at_once_gets_one_of_them(
    ctx: Context, town: Town
) -> None:
    [clerk] = _clerks(ctx, 1)
    stations = [with_settings(ctx, station=f"W{10 + i}") for i in range(THREADS)]

    results = in_parallel(THREADS, lambda i: sessions.open_session(stations[i], clerk.id, FLOAT))

    [winner] = [r for r in results if isinstance(r, SessionInfo)]
    told = f"Clerk 0 already has a drawer open on {winner.station} (session #{winner.id})"
    refused = [r for r in results if not isinstance(r, SessionInfo)]
    assert [isinstance(r, ValidationError) and told in str(r) for r in refused] == [True] * (
        THREADS - 1
    ), refused
    assert [row for row in _open(ctx, SessionKind.DRAWER) if row[1] == clerk.id] == [
        (winner.id, clerk.id, winner.station)
    ]
    for station in stations:
        current = sessions.current_session(station, clerk.id)
        assert (current and current.id) == (
            winner.id if station.station == winner.station else None
        )


def test_eight_imports_for_a_new_user_at_once_share_one_batch_session(
    ctx: Context, town: Town
) -> None:
    [clerk] = _clerks(ctx, 1)

    def batch(_: int) -> int:
        with ctx.db.write() as session:
            return sessions.batch_session(session, ctx, clerk.id).id

    results = in_parallel(THREADS, batch)

    [(batch_id, _, _)] = [row for row in _open(ctx, SessionKind.BATCH) if row[1] == clerk.id]
    assert results == [batch_id] * THREADS
    assert _audited(ctx, "session.open_batch", batch_id) == 1
    lines = ["account_number,amount,tender,reference\n", "001234-01,10.00,check,5001\n"]
    assert import_payments(ctx, lines, "mail.csv", "clerk0").session_id == batch_id


@pytest.mark.parametrize(
    ("kind", "station", "who"),
    [
        ("drawer", "W02", "other"),  # a second open drawer on the station
        ("drawer", "W09", "same"),  # a second open drawer for the cashier
        ("batch", "W09", "same"),  # a second open batch for the user and date
    ],
)
def test_the_database_itself_refuses_a_second_open_session(
    ctx: Context, town: Town, kind: str, station: str, who: str
) -> None:
    user_id = town.cashier.id if who == "same" else town.supervisor.id
    if kind == "batch":
        with ctx.db.write() as session:
            sessions.batch_session(session, ctx, user_id)

    def row(state: SessionState, business_date: dt.date) -> DrawerSession:
        return DrawerSession(
            kind=kind,
            user_id=user_id,
            station=station,
            business_date=business_date,
            state=state,
            opened_at=ctx.now(),
            opening_float_cents=0,
            opening_count={},
        )

    with pytest.raises(IntegrityError), ctx.db.write() as session:
        session.add(row(SessionState.OPEN, ctx.today()))
    with ctx.db.write() as session:  # a session no longer open, or another day's batch, is no rival
        session.add(row(SessionState.COUNTED, ctx.today()))
        if kind == "batch":
            session.add(row(SessionState.OPEN, ctx.today() - dt.timedelta(days=1)))
