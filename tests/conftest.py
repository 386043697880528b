"""Shared fixtures: fresh settings per test, and databases on SQLite and PostgreSQL.

Every database test runs twice, on SQLite and on PostgreSQL, each time in a database in the
state of a template that alembic migrated to ``head`` once per test process (so what is
tested is the migrations, not ``create_all``): a copy of the template file on SQLite, on
PostgreSQL a copy emptied again after each test (``helpers.ScratchDatabase``). PostgreSQL comes from
``COUNTER_TEST_DATABASE_URL`` (default: the local server); when no server answers those
tests skip with the reason — unless ``COUNTER_REQUIRE_POSTGRES=1`` (CI), where they fail.
"""

from __future__ import annotations

import atexit
import gc
import os
import shutil
import tempfile
from collections.abc import Generator, Iterator
from pathlib import Path

import pytest
from sqlalchemy import text
from sqlalchemy.engine import make_url

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

from counter_app.config import Settings, load_settings
from counter_app.db import migrate
from counter_app.db.engine import Database, make_engine
from counter_app.ui.collector import collect_if_due
from tests.helpers import PostgresServer

pytest_plugins = ["tests.town"]

# Nothing a test process runs outside a test's own folders (a module's fixture, a pool
# thread finishing after its test) may write the user's real data or config folders (an
# audit key appeared in ~/.config/counter): the process's own are throw-away folders.
_THROWAWAY_HOME = tempfile.mkdtemp(prefix="counter-tests-home-")
atexit.register(shutil.rmtree, _THROWAWAY_HOME, True)
os.environ["XDG_DATA_HOME"] = os.path.join(_THROWAWAY_HOME, "data")
os.environ["XDG_CONFIG_HOME"] = os.path.join(_THROWAWAY_HOME, "config")

DEFAULT_PG_URL = "postgresql+psycopg://postgres@127.0.0.1:5432/postgres"
_KEEP_ENV = {"COUNTER_TEST_DATABASE_URL", "COUNTER_REQUIRE_POSTGRES"}


@pytest.fixture(autouse=True)
def fresh_settings(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[Settings]:
    """Each test gets its own data and config folders and no COUNTER_* from the shell."""
    for name in list(os.environ):
        if name.startswith("COUNTER_") and name not in _KEEP_ENV:
            monkeypatch.delenv(name)
    monkeypatch.setenv("XDG_DATA_HOME", str(tmp_path / "data"))
    monkeypatch.setenv("XDG_CONFIG_HOME", str(tmp_path / "config"))
    yield load_settings()
    gc.unfreeze()  # a counter started in the test froze what was alive: let it go again


@pytest.fixture(autouse=True)
def collected_on_the_main_thread() -> Iterator[None]:
    """As the counter has it (``counter_app/ui/collector.py``): no automatic collection, so
    none starts on a pool thread mid-test and destroys an earlier test's Qt objects there;
    the main thread collects between tests."""
    gc.disable()
    yield
    collect_if_due()


# --- SQLite -------------------------------------------------------------------------------
@pytest.fixture(scope="session")
def sqlite_template(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("sqlite-template") / "template.db"
    engine = make_engine(f"sqlite:///{path}")
    migrate.upgrade(engine)
    with engine.connect() as conn:
        conn.exec_driver_sql("PRAGMA wal_checkpoint(TRUNCATE)")
    engine.dispose()
    return path


# --- PostgreSQL ---------------------------------------------------------------------------
@pytest.fixture(scope="session")
def postgres_server() -> Iterator[PostgresServer | str]:
    """The server, or the reason there is none (tests then skip or, in CI, fail)."""
    url = os.environ.get("COUNTER_TEST_DATABASE_URL") or DEFAULT_PG_URL
    try:
        server = PostgresServer(url)
        with server.admin.connect() as conn:
            conn.execute(text("SELECT 1"))
        server.build_template()
    except Exception as exc:
        yield (
            f"PostgreSQL not reachable at {make_url(url).render_as_string()} "
            f"({type(exc).__name__}: {str(exc).splitlines()[0] if str(exc) else ''}); "
            "set COUNTER_TEST_DATABASE_URL to a server to run these tests"
        )
        return
    yield server
    server.close()


def _require_postgres() -> bool:
    return os.environ.get("COUNTER_REQUIRE_POSTGRES") == "1"


_REPORTS = pytest.StashKey[list[pytest.TestReport]]()


@pytest.hookimpl(wrapper=True)
def pytest_runtest_makereport(
    item: pytest.Item,
) -> Generator[None, pytest.TestReport, pytest.TestReport]:
    """Keep each phase's report on the test, for fixtures to see how it went."""
    report = yield
    item.stash.setdefault(_REPORTS, []).append(report)
    return report


def _failed(item: pytest.Item) -> bool:
    return any(r.failed for r in item.stash.get(_REPORTS, []))


# --- the fixture tests use ------------------------------------------------------------------
@pytest.fixture(params=["sqlite", "postgresql"])
def db_url(request: pytest.FixtureRequest, tmp_path: Path, sqlite_template: Path) -> Iterator[str]:
    """URL of a migrated database in the template's state: once on SQLite, once on
    PostgreSQL."""
    if request.param == "sqlite":
        path = tmp_path / "counter.db"
        shutil.copyfile(sqlite_template, path)
        yield f"sqlite:///{path}"
        return
    server = request.getfixturevalue("postgres_server")
    if isinstance(server, str):
        if _require_postgres():
            pytest.fail(server)
        pytest.skip(server)
    yield server.scratch.take()
    server.scratch.give_back(passed=not _failed(request.node))


@pytest.fixture
def db(db_url: str) -> Iterator[Database]:
    """A ``Database`` on a fresh migrated database (SQLite and PostgreSQL)."""
    database = Database.from_url(db_url)
    yield database
    database.dispose()


@pytest.fixture
def settings(fresh_settings: Settings, db_url: str) -> Settings:
    """Settings pointing at the test's database."""
    return fresh_settings.model_copy(update={"database_url": db_url})
