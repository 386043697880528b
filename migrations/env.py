"""Alembic environment: runs on the connection Counter hands it, or on the settings' URL."""

from __future__ import annotations

from alembic import context
from sqlalchemy import Connection

from counter_app.db.models import Base

target_metadata = Base.metadata


def _run(connection: Connection) -> None:
    context.configure(
        connection=connection,
        target_metadata=target_metadata,
        render_as_batch=connection.dialect.name == "sqlite",
        compare_type=True,
    )
    with context.begin_transaction():
        context.run_migrations()


def run_migrations_online() -> None:
    connection = context.config.attributes.get("connection")
    if connection is not None:
        _run(connection)
        return
    from counter_app.config import load_settings
    from counter_app.db.engine import make_engine

    engine = make_engine(load_settings().effective_database_url)
    with engine.connect() as conn:
        _run(conn)
    engine.dispose()


if context.is_offline_mode():
    raise SystemExit("Counter's migrations run online only: use `counter-app db upgrade`")
run_migrations_online()
