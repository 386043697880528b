"""A throwaway SQLite database holding a demo city, for the benchmarks that need one."""

from __future__ import annotations

import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from counter_app.config import load_settings
from counter_app.db import migrate
from counter_app.db.engine import Database
from counter_app.services.context import Context
from counter_app.services.demo_data import load_demo_city


@contextmanager
def demo_city_on_sqlite(accounts: int, station: str = "B01") -> Iterator[Context]:
    """A migrated SQLite file in a temporary folder with ``accounts`` demo accounts and the
    demo users; removed afterwards."""
    with tempfile.TemporaryDirectory() as tmp:
        url = f"sqlite:///{Path(tmp) / 'bench.db'}"
        db = Database.from_url(url)
        migrate.upgrade(db.engine)
        ctx = Context(db, load_settings(database_url=url, station=station))
        load_demo_city(ctx, accounts)
        try:
            yield ctx
        finally:
            db.dispose()
