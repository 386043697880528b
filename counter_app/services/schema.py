"""The database schema's revision: what ``counter-app db current`` and ``db upgrade`` show."""

from __future__ import annotations

from dataclasses import dataclass

from counter_app.db import migrate
from counter_app.db.engine import reported_as_unavailable
from counter_app.services.context import Context


@dataclass(frozen=True)
class Upgrade:
    """A migration run: the revision before (``None``: an empty database) and after."""

    before: str | None
    after: str | None

    @property
    def changed(self) -> bool:
        return self.before != self.after


def current_revision(ctx: Context) -> str | None:
    """The revision the database is at; ``None`` for a database with no schema yet."""
    with reported_as_unavailable(ctx.db.url):
        return migrate.current_revision(ctx.db.engine)


def newest_revision() -> str | None:
    """The newest revision this version of Counter knows."""
    return migrate.head_revision()


def upgrade(ctx: Context) -> Upgrade:
    """Migrate the database to the newest schema."""
    before = current_revision(ctx)
    with reported_as_unavailable(ctx.db.url):
        migrate.upgrade(ctx.db.engine)
    return Upgrade(before, current_revision(ctx))
