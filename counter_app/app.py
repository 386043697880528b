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


def load_demo_on_first_start(ctx: Context) -> None:
    """An empty database gets the demo city (``demo_accounts``) and its users, once."""
    from counter_app.services.demo_data import DEMO_USERS, ensure_demo_city

    print(f"Checking for data in {ctx.settings.effective_database_url} …", flush=True)
    if ensure_demo_city(ctx, ctx.settings.demo_accounts):
        print(f"Loaded the demo city: {ctx.settings.demo_accounts:,} accounts. Demo users:")
        for user in DEMO_USERS:
            print(f"  {user.role.value:<10} {user.username} / {user.password}  ({user.full_name})")


def run_gui(settings: Settings | None = None) -> int:
    """Open the counter window with the station's printer and drawer; the Qt exit code."""
    from counter_app.ui.application import run
    from counter_app.ui.devices import Devices
    from drivers.drawer import make_drawer
    from drivers.printer import make_printer

    ctx = build_context(settings)
    s = ctx.settings
    if s.demo_accounts:
        load_demo_on_first_start(ctx)
    printer = make_printer(s.printer, tz=s.zone, office_name=s.office.name)
    drawer = make_drawer(s.drawer, printer)
    devices = Devices(printer, drawer, drawer_via_printer=s.drawer.backend == "printer")
    return run(ctx, devices)
