"""Stations, imports and a drawer opening as separate processes on one database — 8 posting
processes on PostgreSQL, 4 on SQLite (WAL), most posts on the same few accounts — and
processes killed (SIGKILL) at random points and run again: no deadlock or busy database
reaches a caller, nothing posts twice, and the money invariants (``tests.load``, in SQL of
their own) hold afterwards. ``benchmarks/concurrency.py`` runs the full sizes (300 posts a
process, 50 kills); here ``COUNTER_LOAD_POSTS`` and ``COUNTER_CRASH_KILLS`` can raise the
CI sizes."""

from __future__ import annotations

import os
import random
import time
from pathlib import Path

from sqlalchemy import select, text

from counter_app.db.models import Transaction
from counter_app.domain.users import Role
from counter_app.services import audit, sessions, users
from counter_app.services.context import Context
from tests.helpers import FLOAT, Town, add_account, with_settings
from tests.load import (
    ACCOUNTS,
    broken_invariants,
    finish,
    payments_file,
    spawn,
    wait_posted,
    wait_ready,
)

POSTS = int(os.environ.get("COUNTER_LOAD_POSTS", "12"))
KILLS = int(os.environ.get("COUNTER_CRASH_KILLS", "2"))
IMPORT_ROWS = 30


def _city(ctx: Context, stations: int) -> list[tuple[str, int, int]]:
    """The load's accounts, two import clerks, and a cashier with an open drawer on each of
    ``stations`` stations: (station, user id, session id)."""
    for number in ACCOUNTS:
        add_account(
            ctx, number, f"Load {number}", f"{number[:6]} Main St",
            charges=[("water", "2026-11-01", "2026-11-22", 5_000_000, 5_000_000)],
        )  # fmt: skip
    for clerk in ("clerk0", "clerk1"):
        users.add_user(ctx, clerk, "clerk-password", Role.CASHIER, clerk.title())
    drawers = []
    for i in range(stations):
        station = f"W{11 + i}"
        cashier = users.add_user(ctx, f"c{i}", "cashier-password", Role.CASHIER, f"C {i}")
        opened = sessions.open_session(with_settings(ctx, station=station), cashier.id, FLOAT)
        drawers.append((station, cashier.id, opened.id))
    return drawers


def _check(ctx: Context) -> None:
    with ctx.db.connect() as conn:
        assert broken_invariants(conn) == []
    assert audit.verify(ctx).ok


def test_stations_imports_and_a_drawer_racing_on_the_same_accounts_keep_the_money_whole(
    ctx: Context, town: Town, tmp_path: Path
) -> None:
    count = 8 if ctx.db.is_postgres else 4
    drawers = _city(ctx, count)
    newcomer = users.add_user(ctx, "late", "cashier-password", Role.CASHIER, "Late Comer")
    url = ctx.db.url
    files = [payments_file(tmp_path / f"mail{i}.csv", IMPORT_ROWS, f"M{i}") for i in range(2)]

    children = [
        spawn("post", url, station, str(user), str(session), str(POSTS), "load")
        for station, user, session in drawers
    ]
    children += [spawn("import", url, f"B{i}", f"clerk{i}", str(files[i])) for i in range(2)]
    children.append(spawn("drawer", url, "W30", str(newcomer.id)))
    reports = [finish(child) for child in children]

    assert [r["posted"] for r in reports[:count]] == [POSTS] * count
    assert [(r["posted"], r["already"]) for r in reports[count : count + 2]] == [
        (IMPORT_ROWS, 0)
    ] * 2
    assert sessions.current_session(with_settings(ctx, station="W30"), newcomer.id) is not None
    with ctx.db.read() as s:
        posted = s.execute(select(Transaction.id).where(Transaction.kind == "payment")).all()
    assert len(posted) == count * POSTS + 2 * IMPORT_ROWS
    _check(ctx)


def test_posting_and_importing_processes_killed_at_random_post_each_key_once_when_run_again(
    ctx: Context, town: Town, tmp_path: Path
) -> None:
    [(station, user, session)] = _city(ctx, 1)
    url = ctx.db.url
    posts, rows = 16, 24
    lines = payments_file(tmp_path / "lockbox.csv", rows, "K")
    post = ("post", url, station, str(user), str(session), str(posts), "crash")
    load = ("import", url, "B0", "clerk0", str(lines))
    rng = random.Random(11)

    imported = 0
    for _ in range(KILLS):
        children = [spawn(*post), spawn(*load)]
        for child in children:
            wait_ready(child)
        with ctx.db.connect() as conn:  # the importer past its check, committing chunks
            imported = wait_posted(conn, "K-%", imported, children[1])
        time.sleep(rng.uniform(0, 0.3))
        for child in children:
            child.kill()
            child.wait()
    poster, importer = finish(spawn(*post)), finish(spawn(*load))

    assert poster["posted"] + poster["replayed"] == posts
    assert importer["posted"] + importer["already"] == rows
    with ctx.db.connect() as conn:
        keys = conn.execute(
            text(
                "SELECT COUNT(*), COUNT(DISTINCT idempotency_key) FROM transactions "
                "WHERE idempotency_key LIKE :a OR idempotency_key LIKE 'K-%'"
            ),
            {"a": f"{station}-crash-%"},
        ).one()
    assert tuple(keys) == (posts + rows, posts + rows)
    _check(ctx)


def test_the_invariant_checks_name_a_changed_row(ctx: Context, town: Town) -> None:
    [(station, user, session)] = _city(ctx, 1)
    finish(spawn("post", ctx.db.url, station, str(user), str(session), "2", "tamper"))
    with ctx.db.connect() as conn:
        assert broken_invariants(conn) == []
    with ctx.db.write() as s:
        s.execute(text("UPDATE charges SET open_cents = open_cents - 1 WHERE id = 1"))
        s.execute(text("UPDATE tenders SET amount_cents = amount_cents + 1 WHERE id = 1"))
    with ctx.db.connect() as conn:
        broken = broken_invariants(conn)
    assert [line.split(":")[0] for line in broken] == [
        "a charge's open amount is its amount less its allocations",
        "a transaction's tenders less change are its payments",
    ]
