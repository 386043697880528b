"""What every use case needs: the database, the settings, a clock and the password hasher."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass, field

from counter_app.config import Settings
from counter_app.db.engine import Database
from counter_app.services.passwords import Passwords


def system_clock() -> dt.datetime:
    return dt.datetime.now(dt.UTC)


@dataclass(frozen=True)
class Context:
    """Built once by ``app.py`` (or a test) and handed to every service call."""

    db: Database
    settings: Settings
    clock: Callable[[], dt.datetime] = field(default=system_clock)
    # argon2's recommended cost unless the builder chose one (tests choose a cheap one)
    passwords: Passwords = field(default_factory=Passwords, compare=False)

    def now(self) -> dt.datetime:
        """The current time, aware UTC."""
        return self.clock()

    def today(self) -> dt.date:
        """The office's local date now (the calendar's: aging, past due, history). The
        business date of a station is ``sessions.station_business_date``: its open drawer's,
        else this."""
        return self.now().astimezone(self.settings.zone).date()

    @property
    def station(self) -> str:
        return self.settings.station
