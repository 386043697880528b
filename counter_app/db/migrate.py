"""Run alembic migrations from code: ``counter-app db upgrade``, tests and first start."""

from __future__ import annotations

from collections.abc import Callable
from importlib.resources import files
from pathlib import Path

from alembic import command
from alembic.config import Config
from alembic.runtime.migration import MigrationContext
from alembic.script import ScriptDirectory
from sqlalchemy import Connection, Engine

from counter_app.domain.errors import ConfigError


def migrations_folder() -> Path:
    """``env.py`` and ``versions/``: the top-level ``migrations/`` folder, installed as the
    package ``counter_app.migrations`` (in the wheel, or mapped there by an editable install)."""
    try:
        folder = Path(str(files("counter_app.migrations")))
    except ModuleNotFoundError as exc:
        raise ConfigError(
            "Counter's database migrations (counter_app.migrations) are not installed: "
            "install Counter with pip (make run and make test do), not by copying its files"
        ) from exc
    if not (folder / "env.py").is_file():
        raise ConfigError(f"Counter's database migrations are incomplete: no env.py in {folder}")
    return folder


def alembic_config() -> Config:
    """Alembic's settings, built here: running Counter needs no alembic.ini (the file is
    for developers' ``alembic revision``), only the migration scripts."""
    cfg = Config()
    cfg.set_main_option("script_location", str(migrations_folder()))
    cfg.set_main_option("path_separator", "os")
    return cfg


def upgrade(engine: Engine, revision: str = "head") -> None:
    """Bring the database at ``engine`` up to ``revision``."""
    _run(engine, lambda cfg: command.upgrade(cfg, revision))


def downgrade(engine: Engine, revision: str) -> None:
    _run(engine, lambda cfg: command.downgrade(cfg, revision))


def _run(engine: Engine, step: Callable[[Config], None]) -> None:
    """Run ``step`` in one transaction. On SQLite the foreign keys are off meanwhile (a
    batch migration rebuilds a table others refer to: drop, then rename the new copy into
    its place) and checked as a whole before the commit."""
    cfg = alembic_config()
    with engine.connect() as conn:
        sqlite = conn.dialect.name == "sqlite"
        if sqlite:  # a pragma that only works outside a transaction
            _pragma(conn, "foreign_keys=OFF")
        try:
            with conn.begin():
                cfg.attributes["connection"] = conn
                step(cfg)
                if sqlite and (broken := conn.exec_driver_sql("PRAGMA foreign_key_check").all()):
                    raise ConfigError(f"A migration left rows that refer to nothing: {broken}")
        finally:
            if sqlite:
                _pragma(conn, "foreign_keys=ON")


def _pragma(conn: Connection, pragma: str) -> None:
    cursor = conn.connection.dbapi_connection.cursor()  # type: ignore[union-attr]
    try:
        cursor.execute(f"PRAGMA {pragma}")
    finally:
        cursor.close()


def current_revision(engine: Engine) -> str | None:
    with engine.connect() as conn:
        return MigrationContext.configure(conn).get_current_revision()


def head_revision() -> str | None:
    return ScriptDirectory.from_config(alembic_config()).get_current_head()


def is_up_to_date(engine: Engine) -> bool:
    return current_revision(engine) == head_revision()
