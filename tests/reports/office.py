"""The office the report tests print under (the default settings' office)."""

from __future__ import annotations

from counter_app.config import Settings
from counter_app.reports.common import office_of

OFFICE = office_of(Settings())
