"""Run alembic migrations from code: ``counter-app db upgrade``, tests and first start."""

from __future__ import annotations

from importlib.resources import files
from pathlib import Path

from alembic import command
from alembic.config import Config
from alembic.runtime.migration import MigrationContext
from alembic.script import ScriptDirectory
from sqlalchemy import Engine

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
    cfg = alembic_config()
    with engine.begin() as conn:
        cfg.attributes["connection"] = conn
        command.upgrade(cfg, revision)


def downgrade(engine: Engine, revision: str) -> None:
    cfg = alembic_config()
    with engine.begin() as conn:
        cfg.attributes["connection"] = conn
        command.downgrade(cfg, revision)


def current_revision(engine: Engine) -> str | None:
    with engine.connect() as conn:
        return MigrationContext.configure(conn).get_current_revision()


def head_revision() -> str | None:
    return ScriptDirectory.from_config(alembic_config()).get_current_head()


def is_up_to_date(engine: Engine) -> bool:
    return current_revision(engine) == head_revision()
