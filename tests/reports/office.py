"""The office the report tests print under (the default settings' office)."""

from __future__ import annotations

from counter_app.cli.reports import office_of
from counter_app.config import Settings

OFFICE = office_of(Settings())
