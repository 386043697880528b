"""Stations and imports as separate processes on one database, as figures.

    python benchmarks/concurrency.py [--posts 300] [--stations 8] [--import-rows 10000]
                                     [--kills 50] [--big-rows 600000] [--skip-sqlite]
                                     [--skip-pg] [--parts throughput,behind,crashes,memory]

On a fresh PostgreSQL database (and a SQLite file, 4 stations):
* throughput: ``--stations`` processes × ``--posts`` posts on the same few accounts, with
  two imports and a drawer opening racing them: posts/s and each post's p50 / p95 / max;
* the counter behind an import: one station posting while an import of ``--import-rows``
  rows runs (PostgreSQL: another station; SQLite: every writer shares the file): p95 and
  max of the posts made while it ran (target p95 ≤ 100 ms);
* crashes: a posting and an importing process SIGKILLed ``--kills`` times at random points,
  then run to the end: each key posted once;
* memory: the peak RSS of reading and checking a file of ``--big-rows`` rows, streamed as
  the import does and whole as it did before.
After each part the money invariants of ``tests/load.py`` are checked (PASS / FAIL).
``--parts`` runs only the parts named (all four by default).
"""

from __future__ import annotations

import argparse
import os
import random
import signal
import statistics
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from sqlalchemy import text

from counter_app.db import migrate
from counter_app.db.engine import make_engine
from counter_app.services.context import Context
from tests.helpers import NOW, Clock, PostgresServer, context_for
from tests.load import (
    GO,
    broken_invariants,
    finish,
    payments_file,
    spawn,
    wait_posted,
    wait_ready,
)
from tests.services.test_concurrency import _city

PG_DEFAULT = "postgresql+psycopg://postgres@127.0.0.1:5432/postgres"


def percentiles(ms: list[float]) -> str:
    ms = sorted(ms)
    p95 = ms[min(len(ms) - 1, int(len(ms) * 0.95))]
    return f"p50 {statistics.median(ms):.1f} ms, p95 {p95:.1f} ms, max {ms[-1]:.1f} ms"


def invariants(ctx: Context) -> str:
    with ctx.db.connect() as conn:
        broken = broken_invariants(conn)
    return "PASS invariants hold" if not broken else "FAIL " + "; ".join(broken)


def _context(url: str) -> Context:
    from counter_app.config import load_settings
    from counter_app.db.engine import Database

    settings = load_settings().model_copy(update={"database_url": url, "station": "W02"})
    return context_for(Database.from_url(url), settings, Clock(NOW))


PARTS = ("throughput", "behind", "crashes", "memory")


def run(url: str, args: argparse.Namespace, stations: int, folder: Path) -> None:
    ctx = _context(url)
    drawers = _city(ctx, stations + 1)
    if "throughput" in args.parts:
        throughput(ctx, url, args, stations, drawers, folder)
    if "behind" in args.parts:
        behind_an_import(ctx, url, args, drawers[stations], folder)
    if "crashes" in args.parts:
        crashes(ctx, url, args, drawers[stations], folder)
    ctx.db.dispose()


Drawer = tuple[str, int, int]  # station, cashier id, open session id


def throughput(
    ctx: Context,
    url: str,
    args: argparse.Namespace,
    stations: int,
    drawers: list[Drawer],
    folder: Path,
) -> None:
    """``stations`` posting processes, two imports and a drawer opening at once."""
    from counter_app.domain.users import Role
    from counter_app.services import users

    late = users.add_user(ctx, "late", "cashier-password", Role.CASHIER, "Late")
    files = [payments_file(folder / f"race{i}.csv", 200, f"R{i}") for i in range(2)]
    go = folder / "go"
    os.environ[GO] = str(go)  # the posters wait for it, once started and ready
    try:
        posters = [
            spawn("post", url, s, str(u), str(d), str(args.posts), "bench")
            for s, u, d in drawers[:stations]
        ]
        others = [spawn("import", url, f"B{i}", f"clerk{i}", str(files[i])) for i in range(2)]
        others.append(spawn("drawer", url, "W40", str(late.id)))
        for child in posters + others:
            wait_ready(child)
    finally:
        del os.environ[GO]
    go.touch()
    reports = [finish(c, timeout=3600) for c in posters]
    for other in others:
        finish(other, timeout=3600)
    seconds = max(float(r["seconds"]) for r in reports)  # type: ignore[arg-type]
    ms = [m for r in reports for m in r["ms"]]  # type: ignore[attr-defined]
    print(
        f"  {stations} stations x {args.posts} posts + 2 imports + a drawer: "
        f"{len(ms) / seconds:.0f} posts/s ({len(ms)} posts in {seconds:.1f} s from the start "
        f"signal to the last post; every process started first); {percentiles(ms)}"
    )
    print(f"  {invariants(ctx)}")


def behind_an_import(
    ctx: Context, url: str, args: argparse.Namespace, drawer: Drawer, folder: Path
) -> None:
    """One station posting while an import of ``--import-rows`` rows runs."""
    big = payments_file(folder / "import.csv", args.import_rows, "I")
    station, user, session = drawer
    importer = spawn("import", url, "B9", "clerk0", str(big))
    wait_ready(importer)
    counter = spawn("post", url, station, str(user), str(session), "100000", "behind")
    time.sleep(0.5)
    imported = finish(importer, timeout=7200)
    counter.send_signal(signal.SIGINT)  # stop posting and report
    ms = finish(counter)["ms"]
    print(
        f"  counter post while {args.import_rows:,} rows import "
        f"({imported['seconds']:.1f} s): {percentiles(ms) if ms else 'no post'}"
    )
    print(f"  {invariants(ctx)}")


def crashes(ctx: Context, url: str, args: argparse.Namespace, drawer: Drawer, folder: Path) -> None:
    """A posting and an importing process SIGKILLed ``--kills`` times, then run to the end."""
    station, user, session = drawer
    post = ("post", url, station, str(user), str(session), "60", "crash")
    crash_file = payments_file(folder / "crash.csv", 300, "K")
    load = ("import", url, "B8", "clerk1", str(crash_file))
    rng = random.Random(7)
    imported = 0
    for _ in range(args.kills):
        kids = [spawn(*post), spawn(*load)]
        for kid in kids:
            wait_ready(kid)
        with ctx.db.connect() as conn:  # the importer past its check, committing chunks
            imported = wait_posted(conn, "K-%", imported, kids[1])
        time.sleep(rng.uniform(0, 0.3))
        for kid in kids:
            kid.kill()
            kid.wait()
    poster, loader = finish(spawn(*post)), finish(spawn(*load))
    with ctx.db.connect() as conn:
        keys = conn.execute(
            text(
                "SELECT COUNT(*), COUNT(DISTINCT idempotency_key) FROM transactions "
                f"WHERE idempotency_key LIKE '{station}-crash-%' OR idempotency_key LIKE 'K-%'"
            )
        ).one()
    print(
        f"  {args.kills} SIGKILLs of a poster and an importer, then run again: "
        f"{keys[0]} postings for {keys[1]} keys (of 360); replayed {poster['replayed']}, "
        f"already imported {loader['already']}"
    )
    print(f"  {invariants(ctx)}")


def memory(args: argparse.Namespace, folder: Path) -> None:
    """The peak RSS of reading and checking a big payments file, streamed and (as before)
    whole; posting it adds at most a chunk of rows."""
    huge = payments_file(folder / "big.csv", args.big_rows, "G")
    size = huge.stat().st_size / 2**20
    for how in ("stream", "whole"):
        report = finish(spawn("read", str(huge), how), timeout=3600)
        print(
            f"  {how:>6}: {report['rows']:,} rows ({size:.0f} MB file), "
            f"peak RSS {report['peak_rss_mb']:.0f} MB"
        )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--pg-url", default=PG_DEFAULT)
    parser.add_argument("--posts", type=int, default=300)
    parser.add_argument("--stations", type=int, default=8)
    parser.add_argument("--import-rows", type=int, default=10_000)
    parser.add_argument("--kills", type=int, default=50)
    parser.add_argument("--big-rows", type=int, default=600_000)
    parser.add_argument("--skip-sqlite", action="store_true")
    parser.add_argument("--skip-pg", action="store_true")
    parser.add_argument(
        "--parts",
        type=lambda text: [p for p in text.split(",") if p],
        default=list(PARTS),
        help="comma-separated: " + ",".join(PARTS),
    )
    args = parser.parse_args()
    if unknown := set(args.parts) - set(PARTS):
        parser.error(f"--parts: no part {', '.join(sorted(unknown))} (parts: {', '.join(PARTS)})")
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        if "memory" in args.parts:
            print("Reading a payments file (the import's first pass)")
            memory(args, folder)
        if not args.skip_pg:
            server = PostgresServer(args.pg_url)
            server.build_template()
            name = server.new_database()
            print(f"PostgreSQL ({name})")
            try:
                run(server.url_for(name), args, args.stations, folder)
            finally:
                server.drop(name)
                server.close()
        if not args.skip_sqlite:
            url = f"sqlite:///{folder / 'counter.db'}"
            engine = make_engine(url)
            migrate.upgrade(engine)
            engine.dispose()
            print("SQLite (WAL)")
            run(url, args, min(args.stations, 4), folder)


if __name__ == "__main__":
    main()
