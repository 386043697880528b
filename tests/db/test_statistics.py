"""After a bulk load the planner knows the tables' sizes (ANALYZE), and on PostgreSQL the
loaded tables are vacuumed too, so that a word lookup's index-only scan can skip the table
pages instead of visiting one per index entry."""

from __future__ import annotations

from sqlalchemy import text

from counter_app.services import demo_data, lookup
from counter_app.services.context import Context


def test_a_loaded_city_is_analysed_and_on_postgresql_vacuumed(ctx: Context) -> None:
    demo_data.load_demo_city(ctx, 200)
    with ctx.db.read() as session:
        if not ctx.db.is_postgres:
            analysed = session.execute(text("SELECT DISTINCT tbl FROM sqlite_stat1")).scalars()
            assert set(lookup.LOOKUP_TABLES) <= set(analysed)
            return
        rows = session.execute(
            text(
                "SELECT relname, last_vacuum, last_analyze FROM pg_stat_user_tables "
                "WHERE relname = ANY(:tables)"
            ),
            {"tables": list(lookup.LOOKUP_TABLES)},
        ).all()
    assert {r.relname for r in rows} == set(lookup.LOOKUP_TABLES)
    for row in rows:
        assert row.last_vacuum is not None and row.last_analyze is not None, row
