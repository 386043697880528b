"""``counter-app demo-day`` and ``make run``'s first start: a day played on the demo city,
and every refusal a message with exit status 1 (nothing posted)."""

from __future__ import annotations

import datetime as dt

import pytest
from sqlalchemy import func, select

from counter_app.app import start
from counter_app.cli import main
from counter_app.config import Settings
from counter_app.db.engine import Database
from counter_app.db.models import DrawerSession, Transaction
from counter_app.domain.users import Role
from counter_app.services import demo_data, users
from counter_app.services.context import Context, system_clock
from tests.helpers import context_for

ACCOUNTS = 40


@pytest.fixture
def cli_ctx(db: Database, settings: Settings, monkeypatch: pytest.MonkeyPatch) -> Context:
    """The test's database for the commands (``COUNTER_DATABASE_URL``), on the real clock
    as the commands are; demo users made here are hashed at the tests' cheap cost."""
    monkeypatch.setenv("COUNTER_DATABASE_URL", settings.database_url)
    return context_for(db, settings, system_clock)


def _rows(ctx: Context) -> tuple[int, int]:
    with ctx.db.read() as s:
        return (
            int(s.execute(select(func.count(DrawerSession.id))).scalar_one()),
            int(s.execute(select(func.count(Transaction.id))).scalar_one()),
        )


def _refused(capsys: pytest.CaptureFixture[str], argv: list[str], *expected: str) -> None:
    assert main(argv) == 1
    err = capsys.readouterr().err
    assert err.startswith("counter-app: ") and "Traceback" not in err
    for words in expected:
        assert words in err, err


def test_demo_day_plays_a_day_and_refuses_the_same_date_again(
    cli_ctx: Context, capsys: pytest.CaptureFixture[str]
) -> None:
    demo_data.load_demo_city(cli_ctx, ACCOUNTS)
    day = cli_ctx.today() - dt.timedelta(days=3)
    assert main(["demo-day", "--date", day.isoformat(), "--payments", "40", "--seed", "2"]) == 0
    out = capsys.readouterr().out
    assert out.startswith(
        f"Demo day {day:%m/%d}: 3 drawers and a mail batch, 40 payments, closed and deposited in "
    )
    assert f"deposit slip {day:%Y%m%d}-01 $" in out
    played = _rows(cli_ctx)
    assert played[0] == 4 and played[1] > 40  # the payments, their voids, a returned check
    _refused(
        capsys,
        ["demo-day", "--date", day.isoformat(), "--payments", "40"],
        f"{day:%m/%d/%Y} already has 4 sessions",
        "pick another --date",
    )
    assert _rows(cli_ctx) == played


def test_demo_day_refuses_a_date_after_today_and_a_database_without_a_city(
    cli_ctx: Context, capsys: pytest.CaptureFixture[str]
) -> None:
    tomorrow = cli_ctx.today() + dt.timedelta(days=1)
    _refused(capsys, ["demo-day", "--date", tomorrow.isoformat()], "is after today")
    _refused(capsys, ["demo-day", "--date", cli_ctx.today().isoformat()], "load a demo city")
    _refused(capsys, ["demo-day", "--date", "2026-11-20", "--payments", "5"], "20 to 100,000")
    assert _rows(cli_ctx) == (0, 0)


def test_demo_day_with_the_supervisors_password_changed_posts_nothing(
    cli_ctx: Context, capsys: pytest.CaptureFixture[str]
) -> None:
    users.add_user(cli_ctx, "supervisor", "not-the-demo-one", Role.SUPERVISOR, "Sam Ortega")
    demo_data.load_demo_city(cli_ctx, ACCOUNTS)  # keeps the supervisor as they are
    _refused(
        capsys,
        ["demo-day", "--date", cli_ctx.today().isoformat(), "--payments", "40"],
        "signs in as supervisor with the demo password",
        "nothing was posted",
    )
    assert _rows(cli_ctx) == (0, 0)


def test_the_first_start_of_make_run_adds_yesterdays_day_once(
    settings: Settings, capsys: pytest.CaptureFixture[str]
) -> None:
    first = settings.model_copy(update={"demo_accounts": 30, "demo_day_payments": 40})
    ctx = start(first)
    out = capsys.readouterr().out
    yesterday = ctx.today() - dt.timedelta(days=1)
    assert (
        f"Demo day {yesterday:%m/%d}: 3 drawers and a mail batch, 40 payments, closed and "
        "deposited.\n"
    ) in out
    assert "cashier2 / cashier234" in out  # the day's other cashiers can log in too
    played = _rows(ctx)
    again = start(first)
    assert "Demo day" not in capsys.readouterr().out
    assert _rows(again) == played
