"""The one place that wires concrete parts together: settings → database → services → GUI,
and settings → device parameters → the station's printer, drawer and receipt preview."""

from __future__ import annotations

import contextlib
import dataclasses
import functools
from collections.abc import Iterator
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, TypeVar
from zoneinfo import ZoneInfo

from argon2 import Parameters
from pydantic import BaseModel

from counter_app.config import ENV_PREFIX, DrawerSettings, PrinterSettings, Settings, load_settings
from counter_app.db import migrate
from counter_app.db.engine import Database, DatabaseUnavailable, reported_as_unavailable
from counter_app.domain.errors import ConfigError
from counter_app.printing.interfaces import CashDrawer, ReceiptPreview
from counter_app.printing.layout import ReceiptLayout, receipt_logo
from counter_app.printing.preview import LayoutPreview
from counter_app.printing.printer import StationPrinter
from counter_app.services.context import Context
from counter_app.services.passwords import Passwords
from drivers.errors import BadParameter
from drivers.params import DrawerParams, PrinterParams

if TYPE_CHECKING:
    from counter_app.ui.devices import Devices


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
    from counter_app.services.demo_data import DEMO_USERS, accounts_on_file, ensure_demo_city

    where = ctx.db.engine.url.render_as_string(hide_password=True)
    if ensure_demo_city(ctx, ctx.settings.demo_accounts):
        print(f"Loaded the demo city: {ctx.settings.demo_accounts:,} accounts into {where}.")
        add_demo_day(ctx)
    else:
        print(f"Demo city: {accounts_on_file(ctx):,} accounts ready in {where}.")
    print("Demo users:")
    for user in DEMO_USERS:
        print(f"  {user.role.value:<10} {user.username} / {user.password}  ({user.full_name})")


def add_demo_day(ctx: Context) -> None:
    """Yesterday's business day on the demo city just loaded (``demo_day_payments``), so
    the supervisor's screen and the reports have a real day to show; one line says so."""
    import datetime as dt

    from counter_app.services.demo_day import play_demo_day

    if ctx.settings.demo_day_payments:
        yesterday = ctx.today() - dt.timedelta(days=1)
        print(play_demo_day(ctx, yesterday, payments=ctx.settings.demo_day_payments).words + ".")


def run_gui(settings: Settings | None = None) -> int:
    """Open the counter window with the station's printer and drawer; the Qt exit code."""
    from counter_app.ui.application import run

    ctx = start(settings)
    return run(ctx, gui_devices(ctx.settings))


# --- the station's devices ------------------------------------------------------------------
@dataclass(frozen=True)
class StationDevices:
    """The station's printer, drawer and receipt preview, built from its settings and not yet
    connected; ``drawer_via_printer``: the drawer is kicked through that printer."""

    printer: StationPrinter
    drawer: CashDrawer
    preview: ReceiptPreview
    drawer_via_printer: bool


def station_devices(settings: Settings) -> StationDevices:
    """The one mapping from settings to devices: the GUI, the CLI and the tests use it."""
    printer = receipt_printer(settings.printer, tz=settings.zone, office_name=settings.office.name)
    pictures = None
    if settings.printer.preview_dir is not None:
        from drivers.sim.render import find_job_picture  # make run: the simulator's pictures

        pictures = functools.partial(find_job_picture, settings.printer.preview_dir)
    return StationDevices(
        printer=printer,
        drawer=cash_drawer(settings.drawer, printer),
        preview=LayoutPreview(printer.layout, pictures),
        drawer_via_printer=settings.drawer.backend == "printer",
    )


def gui_devices(settings: Settings) -> Devices:
    """``station_devices`` behind the GUI's device threads."""
    from counter_app.ui.devices import Devices

    made = station_devices(settings)
    return Devices(
        made.printer,
        made.drawer,
        drawer_via_printer=made.drawer_via_printer,
        preview=made.preview,
    )


def receipt_printer(
    settings: PrinterSettings, *, tz: ZoneInfo | None = None, office_name: str = ""
) -> StationPrinter:
    """The printer ``settings`` name, laying receipts out for its paper, dates in ``tz``
    (None: the receipt's own zone); not yet opened."""
    from drivers.printer import make_printer

    layout = ReceiptLayout(
        width=settings.line_width,
        tz=tz,
        barcode=settings.barcode,
        logo=receipt_logo() if settings.logo else None,
        office_name=office_name,
    )
    with _naming_the_setting("printer"):
        return StationPrinter(make_printer(printer_params(settings)), layout)


def cash_drawer(settings: DrawerSettings, printer: StationPrinter | None) -> CashDrawer:
    """The drawer ``settings`` name (kicked through ``printer``'s driver for the printer
    backend); not yet connected."""
    from drivers.drawer import make_drawer

    with _naming_the_setting("drawer"):
        return make_drawer(drawer_params(settings), printer.driver if printer else None)


def printer_params(settings: PrinterSettings) -> PrinterParams:
    """The printer's parameters: its settings, with ``columns`` the width actually laid out."""
    return _params(PrinterParams, settings, columns=settings.line_width)


def drawer_params(settings: DrawerSettings) -> DrawerParams:
    """The drawer's parameters: its settings, with the open sequence as bytes."""
    return _params(DrawerParams, settings, open_sequence=bytes.fromhex(settings.open_sequence))


_Params = TypeVar("_Params", PrinterParams, DrawerParams)


def _params(kind: type[_Params], settings: BaseModel, **derived: Any) -> _Params:
    """``kind`` with every field taken from the setting of the same name, except ``derived``."""
    values = {
        f.name: getattr(settings, f.name) for f in dataclasses.fields(kind) if f.name not in derived
    }
    return kind(**values, **derived)


@contextlib.contextmanager
def _naming_the_setting(group: str) -> Iterator[None]:
    """A driver's ``BadParameter`` as a ``ConfigError`` that names the setting to change."""
    try:
        yield
    except BadParameter as exc:
        env = f"{ENV_PREFIX}{group.upper()}__{exc.field.upper()}"
        raise ConfigError(f"Setting {group}.{exc.field} ({env}): {exc.problem}") from exc
