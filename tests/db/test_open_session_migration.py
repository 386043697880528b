"""Migration 0005 (at most one open session of each sort) on a database that already holds
rival open sessions: it stops, names them and changes nothing; once they are closed it runs."""

from __future__ import annotations

import pytest
from sqlalchemy import select, update

from counter_app.cli import main
from counter_app.db import migrate
from counter_app.db.engine import Database
from counter_app.db.models import DrawerSession
from counter_app.domain.errors import CounterError
from counter_app.domain.sessions import SessionKind, SessionState
from counter_app.services.context import Context
from tests.helpers import Town


def _rival(ctx: Context, kind: SessionKind, user_id: int, station: str) -> int:
    with ctx.db.write() as session:
        row = DrawerSession(
            kind=kind,
            user_id=user_id,
            station=station,
            business_date=ctx.today(),
            state=SessionState.OPEN,
            opened_at=ctx.now(),
            opening_float_cents=0,
            opening_count={},
        )
        session.add(row)
        session.flush()
        return row.id


def _open_ids(ctx: Context) -> list[int]:
    with ctx.db.read() as session:
        return list(
            session.execute(
                select(DrawerSession.id)
                .where(DrawerSession.state == SessionState.OPEN)
                .order_by(DrawerSession.id)
            ).scalars()
        )


def test_rival_open_sessions_stop_the_upgrade_with_their_names_until_they_are_closed(
    db: Database,
    ctx: Context,
    town: Town,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    migrate.downgrade(db.engine, "0004")
    sam_here = _rival(ctx, SessionKind.DRAWER, town.supervisor.id, "W02")
    sam_there = _rival(ctx, SessionKind.DRAWER, town.supervisor.id, "W03")
    batches = [_rival(ctx, SessionKind.BATCH, town.cashier.id, "W02") for _ in range(2)]
    before = _open_ids(ctx)

    with pytest.raises(CounterError) as stopped:
        migrate.upgrade(db.engine)
    message = str(stopped.value)
    assert f"station W02 has 2 open drawers: #{town.session_id} (Maria Lopez), #{sam_here}" in (
        message
    )
    assert f"Sam Ortega has 2 open drawers: #{sam_here} (W02), #{sam_there} (W03)" in message
    assert (
        f"Maria Lopez has 2 open batch sessions for 2026-11-23: #{batches[0]}, #{batches[1]}"
        in message
    )
    assert message.endswith("then run counter-app db upgrade again; nothing was changed")
    assert migrate.current_revision(db.engine) == "0004"
    assert _open_ids(ctx) == before

    monkeypatch.setenv("COUNTER_DATABASE_URL", ctx.settings.effective_database_url)
    assert main(["db", "upgrade"]) == 1
    err = capsys.readouterr().err
    assert "rival open sessions" in err and "Traceback" not in err

    with ctx.db.write() as session:  # the supervisor counts and closes the extras
        extras = [sam_here, sam_there, batches[1]]
        session.execute(
            update(DrawerSession)
            .where(DrawerSession.id.in_(extras))
            .values(state=SessionState.COUNTED)
        )
    migrate.upgrade(db.engine)
    assert migrate.is_up_to_date(db.engine)
    assert _open_ids(ctx) == [town.session_id, batches[0]]
