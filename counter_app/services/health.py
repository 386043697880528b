"""Whether the database answers at all: the Database light asks when nothing else has."""

from __future__ import annotations

from sqlalchemy import text

from counter_app.services.context import Context


def ping(ctx: Context) -> None:
    """One trivial statement; ``DatabaseUnavailable`` when the database does not answer."""
    with ctx.db.connect() as conn:
        conn.execute(text("SELECT 1"))
