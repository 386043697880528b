"""Lookup on realistic input: queries drawn at random from the city itself, timed as the
counter runs them, against the same SQL raw; p50/p95/p99/max per kind, the worst queries,
and PASS / FAIL against p99 ≤ 25 ms (judged at 1 M accounts) and ≤ 2× raw.

    python benchmarks/lookup_drawn.py [--queries 1800] [--seed 11] [--accounts 1000000]
                                      [--sqlite-file PATH] [--pg-database NAME] [--drop-pg]
                                      [--cold N] [--skip-sqlite] [--skip-pg]

Each query is typed as a cashier would, from a random account: its number, "lastname
firstname", "j smith", "firstname lastname", the service address with and without the house
number, the meter, the phone (as stored, digits only, or the last seven), one word from the
middle of the name or address ("bakery", "birch"), or two ("riverside birch", "maria
oak"). One query is ``lookup.search`` and, when the first page is full, ``lookup.count`` —
what the counter runs on Enter (``ui/controllers/lookup.py``). Raw runs the statements the
service sent for that query (caught on the engine) straight on the driver. Each query is run
once untimed (to catch its SQL), then ours and raw turn about, each first every other time.

Build the 1 M city once and reuse it: ``--sqlite-file`` keeps the SQLite file; ``--pg-database``
keeps a PostgreSQL database of that name on the test server (``--drop-pg`` drops it at the end).

Cold cache (``--cold N``, SQLite): before each of N drawn queries the database file's pages are
evicted from the OS page cache (``posix_fadvise(POSIX_FADV_DONTNEED)`` on the file: no root
needed, and no other program's cache is touched) and the pool's connections are closed, so
SQLite's own page cache starts empty too; a new connection is opened before the clock starts.
"""

from __future__ import annotations

import argparse
import os
import random
import statistics
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import NamedTuple

from lookup_posting import MILLION, clock, open_city, postgres_database, verdict  # beside it
from lookup_sql import replay, sql_of
from sqlalchemy import select, text

from counter_app.db.models import Account
from counter_app.services import lookup
from counter_app.services.context import Context

P99_MS = 25.0
RATIO = 2.0
WORST = 12
KINDS = (
    "number",
    "last first",
    "j smith",
    "first last",
    "address",
    "street",
    "meter",
    "phone",
    "one word",
    "two words",
)


class Drawable(NamedTuple):
    """What a query is typed from."""

    id: int
    number: str
    customer_name: str
    service_address: str
    meter_number: str
    phone: str


@dataclass(frozen=True)
class Drawn:
    kind: str
    query: str


def draw(ctx: Context, n: int, seed: int) -> list[Drawn]:
    """``n`` queries, as many of each kind, each typed from a random account of the city."""
    rng = random.Random(seed)
    with ctx.db.read() as s:
        top = s.execute(text("SELECT max(id) FROM accounts")).scalar_one()
        ids = [rng.randint(1, top) for _ in range(n * 3)]
        columns = [getattr(Account, f) for f in Drawable._fields]
        found = {a.id: Drawable(*a) for a in s.execute(select(*columns).where(Account.id.in_(ids)))}
    accounts = [found[i] for i in ids if i in found]
    people = [a for a in accounts if ", " in a.customer_name]
    per_kind = -(-n // len(KINDS))
    drawn: list[Drawn] = []
    for k, kind in enumerate(KINDS):
        pool = people if kind in ("last first", "j smith", "first last") else accounts
        made = 0
        for a in pool[k * per_kind :] + pool[: k * per_kind]:
            query = typed(kind, a, rng)
            if query:
                drawn.append(Drawn(kind, query))
                made += 1
            if made == per_kind:
                break
    rng.shuffle(drawn)
    return drawn[:n]


def typed(kind: str, a: Drawable, rng: random.Random) -> str:
    """What a cashier types to find ``a`` by ``kind`` (lower case, as typed), or "" when
    ``a`` has no such thing (no phone, no first name)."""
    last, _, first = a.customer_name.lower().partition(", ")
    given = first.split()
    house, _, street = a.service_address.lower().partition(" ")
    street_name = street.split()[0]
    if kind == "number":
        return rng.choice((a.number, a.number.replace("-", "")))
    if kind == "last first":
        return f"{last} {given[0]}"
    if kind == "j smith":
        return f"{given[0][0]} {last}"
    if kind == "first last":
        return f"{given[0]} {last}"
    if kind == "address":
        return rng.choice((f"{house} {street}", f"{house} {street_name}"))
    if kind == "street":
        return rng.choice((street, street_name))
    if kind == "meter":
        return rng.choice((a.meter_number, a.meter_number.replace("-", "")))
    if kind == "phone":
        digits = "".join(c for c in a.phone if c.isdigit())
        if not digits:
            return ""
        return rng.choice((a.phone, digits, f"{digits[3:6]}-{digits[6:]}"))
    middle = [w for w in middle_words(a) if len(w) >= 2]
    if kind == "one word":
        return rng.choice(middle) if middle else ""
    name_words = [w for w in a.customer_name.lower().replace(",", "").split() if len(w) >= 2]
    return f"{rng.choice(name_words)} {street_name}"  # "riverside birch", "maria oak"


def middle_words(a: Drawable) -> list[str]:
    """The words only the word index finds: a person's given names, a business's words
    after the first, the street's name."""
    name = a.customer_name.lower()
    _, comma, first = name.partition(", ")
    words = first.split() if comma else name.split()[1:]
    return [*words, a.service_address.lower().split()[1]]


def at_the_counter(ctx: Context, query: str) -> None:
    """What the counter runs on Enter: the first page, and the count when it is full."""
    result = lookup.search(ctx, query)
    if result.more:
        lookup.count(ctx, query)


def p(samples: Sequence[float], q: int) -> float:
    """The ``q``-th percentile (of 100)."""
    if len(samples) < 2:
        return samples[0] if samples else float("nan")
    return statistics.quantiles(samples, n=100, method="inclusive")[q - 1]


@dataclass
class Timed:
    drawn: Drawn
    ours: float
    raw: float


def warm(ctx: Context, drawn: Sequence[Drawn]) -> list[Timed]:
    """Each query once to catch its SQL, then ours and raw turn about."""
    engine = ctx.db.engine
    out = []
    for i, d in enumerate(drawn):
        statements = sql_of(engine, lambda d=d: at_the_counter(ctx, d.query))
        ours: Callable[[], object] = lambda d=d: at_the_counter(ctx, d.query)  # noqa: E731
        raw: Callable[[], object] = lambda s=statements: replay(engine, s)  # noqa: E731
        if i % 2:
            r = clock(raw)
            o = clock(ours)
        else:
            o = clock(ours)
            r = clock(raw)
        out.append(Timed(d, o, r))
    return out


def evict(path: Path) -> None:
    """Drop ``path`` (and its WAL) from the OS page cache."""
    for name in (path, Path(f"{path}-wal")):
        if name.exists():
            fd = os.open(name, os.O_RDONLY)
            try:
                os.posix_fadvise(fd, 0, 0, os.POSIX_FADV_DONTNEED)
            finally:
                os.close(fd)


def cold(ctx: Context, path: Path, drawn: Sequence[Drawn]) -> list[Timed]:
    """Each query from a cold cache: ours, then raw (each after its own eviction)."""
    engine = ctx.db.engine
    out = []

    def from_cold(call: Callable[[], object]) -> float:
        engine.dispose()
        evict(path)
        engine.connect().close()  # the connection opened before the clock starts
        return clock(call)

    for d in drawn:
        statements = sql_of(engine, lambda d=d: at_the_counter(ctx, d.query))
        o = from_cold(lambda d=d: at_the_counter(ctx, d.query))
        r = from_cold(lambda s=statements: replay(engine, s))
        out.append(Timed(d, o, r))
    return out


def report(label: str, timed: Sequence[Timed], accounts: int, *, judged: bool) -> None:
    print(f"  {label}: {len(timed):,} drawn queries (search, and count when the page is full)")
    print(
        f"    {'kind':<11} {'n':>4} {'p50':>7} {'p95':>7} {'p99':>7} {'max':>7}"
        f" {'raw p99':>8} {'ratio':>6}"
    )
    verdicts = []
    for kind in KINDS:
        rows = [t for t in timed if t.drawn.kind == kind]
        if not rows:
            continue
        ours = [t.ours for t in rows]
        raws = [t.raw for t in rows]
        p99, raw99 = p(ours, 99), p(raws, 99)
        ratio = p99 / raw99
        print(
            f"    {kind:<11} {len(rows):>4} {p(ours, 50):7.2f} {p(ours, 95):7.2f} {p99:7.2f}"
            f" {max(ours):7.2f} {raw99:8.2f} {ratio:5.2f}x"
        )
        verdicts.append((kind, p99, ratio))
    everything = [t.ours for t in timed]
    print(f"    {'all':<11} {len(timed):>4} {p(everything, 50):7.2f} {p(everything, 95):7.2f}"
          f" {p(everything, 99):7.2f} {max(everything):7.2f}")  # fmt: skip
    print(f"    slowest {WORST}:")
    for t in sorted(timed, key=lambda t: -t.ours)[:WORST]:
        print(f"      {t.ours:7.2f} ms (raw {t.raw:6.2f})  {t.drawn.kind:<10} {t.drawn.query!r}")
    if not judged:
        return
    for kind, p99, ratio in verdicts:
        if accounts >= MILLION:
            verdict(p99 <= P99_MS, f"{kind} p99 {p99:.2f} ms ≤ {P99_MS:.0f} ms at 1 M")
        verdict(ratio <= RATIO, f"{kind} p99 {ratio:.2f}x ≤ {RATIO:.0f}x raw")


def bench(ctx: Context, label: str, args: argparse.Namespace, sqlite: Path | None) -> None:
    with ctx.db.read() as s:
        accounts = s.execute(text("SELECT count(*) FROM accounts")).scalar_one()
    if accounts < MILLION:
        print(f"  (p99 ≤ 25 ms is judged at 1 M accounts; this city has {accounts:,})")
    drawn = draw(ctx, args.queries, args.seed)
    start = time.perf_counter()
    report(f"{label}, warm", warm(ctx, drawn), accounts, judged=True)
    print(f"  ({time.perf_counter() - start:.0f} s)")
    if sqlite is not None and args.cold:
        with ctx.db.engine.connect() as conn:  # the WAL folded in: the file is all there is
            conn.exec_driver_sql("PRAGMA wal_checkpoint(TRUNCATE)")
        sample = random.Random(args.seed + 1).sample(drawn, min(args.cold, len(drawn)))
        report(f"{label}, cold OS and SQLite cache", cold(ctx, sqlite, sample), accounts,
               judged=False)  # fmt: skip


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--queries", type=int, default=1_800)
    parser.add_argument("--seed", type=int, default=11)
    parser.add_argument("--accounts", type=int, default=MILLION, help="to load an empty city")
    parser.add_argument("--sqlite-file", type=Path, help="the SQLite city (loaded when empty)")
    parser.add_argument("--pg-database", default="counter_bench_1m")
    parser.add_argument("--drop-pg", action="store_true", help="drop it afterwards")
    parser.add_argument("--cold", type=int, default=300, help="queries from a cold cache")
    parser.add_argument("--skip-sqlite", action="store_true")
    parser.add_argument("--skip-pg", action="store_true")
    args = parser.parse_args()
    if not args.skip_sqlite:
        path = args.sqlite_file or Path("lookup_drawn.db")
        ctx = open_city(f"sqlite:///{path}", args.accounts, "SQLite")
        bench(ctx, "SQLite", args, path)
        ctx.db.dispose()
    if not args.skip_pg:
        with postgres_database(args.pg_database, keep=not args.drop_pg) as url:
            ctx = open_city(url, args.accounts, "PostgreSQL")
            bench(ctx, "PostgreSQL", args, None)
            ctx.db.dispose()


if __name__ == "__main__":
    main()
