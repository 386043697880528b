"""At most one open session of each sort, kept by the database: one open drawer per station,
one open drawer per cashier, one open batch per user and business date (partial unique
indexes, on SQLite and PostgreSQL alike).

A database that already holds rival open sessions (left by the race this closes) is not
changed: the upgrade stops with a message naming each group of them. A migration cannot
count a drawer, so it cannot close one: the extras hold floats, payments and cash that a
cashier must count and a supervisor approve, and closing or merging them here would take
money out of the open-drawer views, or move posted payments between sessions, with nothing
in the audit trail to say why. Count and close the extras, then upgrade again.

Revision ID: 0005
Revises: 0004
Create Date: 2026-11-27 09:00:00
"""

from __future__ import annotations

from collections import defaultdict

import sqlalchemy as sa
from alembic import op

from counter_app.domain.errors import CounterError

revision = "0005"
down_revision = "0004"
branch_labels = None
depends_on = None

OPEN_DRAWER = "kind = 'drawer' AND state = 'open'"
OPEN_BATCH = "kind = 'batch' AND state = 'open'"
INDEXES = (
    ("uq_drawer_sessions_open_drawer_station", ["station"], OPEN_DRAWER),
    ("uq_drawer_sessions_open_drawer_user", ["user_id"], OPEN_DRAWER),
    ("uq_drawer_sessions_open_batch_user_date", ["user_id", "business_date"], OPEN_BATCH),
)


class RivalOpenSessions(CounterError):
    """Open sessions that break the one-open-session rules; the upgrade changed nothing."""


def rival_groups(connection: sa.Connection) -> list[str]:
    """One line per group of open sessions that the new indexes would refuse."""
    rows = connection.execute(
        sa.text(
            "SELECT s.id, s.kind, s.station, s.business_date, s.user_id, u.full_name "
            "FROM drawer_sessions s JOIN users u ON u.id = s.user_id "
            "WHERE s.state = 'open' ORDER BY s.id"
        )
    ).all()
    by_station: dict[str, list[str]] = defaultdict(list)
    by_cashier: dict[str, list[str]] = defaultdict(list)
    by_batch: dict[tuple[str, str], list[str]] = defaultdict(list)
    for id_, kind, station, business_date, _user_id, full_name in rows:
        if kind == "drawer":
            by_station[station].append(f"#{id_} ({full_name})")
            by_cashier[full_name].append(f"#{id_} ({station})")
        else:
            by_batch[(full_name, str(business_date))].append(f"#{id_}")
    found = [
        f"station {station} has {len(ids)} open drawers: {', '.join(ids)}"
        for station, ids in by_station.items()
        if len(ids) > 1
    ]
    found += [
        f"{name} has {len(ids)} open drawers: {', '.join(ids)}"
        for name, ids in by_cashier.items()
        if len(ids) > 1
    ]
    found += [
        f"{name} has {len(ids)} open batch sessions for {day}: {', '.join(ids)}"
        for (name, day), ids in by_batch.items()
        if len(ids) > 1
    ]
    return found


def upgrade() -> None:
    rivals = rival_groups(op.get_bind())
    if rivals:
        raise RivalOpenSessions(
            "The database cannot be upgraded to one open session per drawer, cashier and "
            "batch day: it already holds rival open sessions — "
            + "; ".join(rivals)
            + ". Count and close all but one of each (a supervisor decides which one stays "
            "open), then run counter-app db upgrade again; nothing was changed"
        )
    for name, columns, where in INDEXES:
        op.create_index(
            name,
            "drawer_sessions",
            columns,
            unique=True,
            sqlite_where=sa.text(where),
            postgresql_where=sa.text(where),
        )


def downgrade() -> None:
    for name, _columns, _where in reversed(INDEXES):
        op.drop_index(name, table_name="drawer_sessions")
