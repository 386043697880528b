"""The one place that wires concrete parts together: settings → database → services → GUI."""

from __future__ import annotations

from counter_app.config import Settings, load_settings
from counter_app.db import migrate
from counter_app.db.engine import Database
from counter_app.services.context import Context


def build_context(settings: Settings | None = None) -> Context:
    """Load settings, open the database and migrate it to the newest schema."""
    settings = settings or load_settings()
    db = Database.from_url(settings.effective_database_url)
    migrate.upgrade(db.engine)
    return Context(db=db, settings=settings)


def run_gui(settings: Settings | None = None) -> int:
    """Open the counter window; returns the Qt exit code."""
    from counter_app.ui.application import run

    return run(build_context(settings))
