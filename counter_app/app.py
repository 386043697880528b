"""The one place that wires concrete parts together: settings → database → services → GUI."""

from __future__ import annotations

from argon2 import Parameters

from counter_app.config import Settings, load_settings
from counter_app.db import migrate
from counter_app.db.engine import Database, DatabaseUnavailable, reported_as_unavailable
from counter_app.domain.errors import ConfigError
from counter_app.services.context import Context
from counter_app.services.passwords import Passwords


def build_passwords(cost: Parameters | None = None) -> Passwords:
    """The password hasher: argon2's recommended cost, or ``cost`` (tests pass a cheap one)."""
    return Passwords(cost)


def build_context(
    settings: Settings | None = None,
    *,
    upgrade: bool = True,
    password_cost: Parameters | None = None,
) -> Context:
    """Load settings and open the database, migrated to the newest schema unless ``upgrade``
    is false (to look at it as it is); passwords are hashed at ``password_cost`` (default:
    argon2's recommended). A database that cannot be opened raises ``DatabaseUnavailable``
    naming the setting."""
    settings = settings or load_settings()
    url = settings.effective_database_url
    try:
        db = Database.open(url)
    except DatabaseUnavailable as exc:
        if settings.database_url:
            raise
        raise ConfigError(
            f"Setting data_dir (COUNTER_DATA_DIR): cannot open the embedded database in "
            f"{settings.data_dir} ({exc.reason}); point COUNTER_DATA_DIR at a folder this "
            "user can write to, or set COUNTER_DATABASE_URL"
        ) from exc
    if upgrade:
        with reported_as_unavailable(url):
            migrate.upgrade(db.engine)
    return Context(db=db, settings=settings, passwords=build_passwords(password_cost))


def start(settings: Settings | None = None) -> Context:
    """What the window opens on: the migrated database, with the demo city loaded into it
    if ``demo_accounts`` is set and the database has no accounts yet."""
    ctx = build_context(settings)
    if ctx.settings.demo_accounts:
        load_demo_on_first_start(ctx)
    return ctx


def load_demo_on_first_start(ctx: Context) -> None:
    """An empty database gets the demo city (``demo_accounts``) and its users, once."""
    from counter_app.services.demo_data import DEMO_USERS, ensure_demo_city

    print(f"Checking for data in {ctx.db.engine.url} …", flush=True)
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

    ctx = start(settings)
    s = ctx.settings
    printer = make_printer(s.printer, tz=s.zone, office_name=s.office.name)
    drawer = make_drawer(s.drawer, printer)
    devices = Devices(printer, drawer, drawer_via_printer=s.drawer.backend == "printer")
    return run(ctx, devices)
