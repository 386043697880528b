"""Stations as separate processes against one database, and the money invariants checked
afterwards in plain SQL: for the concurrency and crash tests (tests/services/
test_concurrency.py) and ``benchmarks/concurrency.py``.

    python -m tests.load post URL STATION USER_ID SESSION_ID COUNT SEED
    python -m tests.load import URL STATION USERNAME FILE
    python -m tests.load drawer URL STATION USER_ID
    python -m tests.load read FILE stream|whole

Each prints ``ready`` once it is about to work (a crash test kills it some time after),
then one JSON line: what it did, and each post's latency in ms. A post's key is made from
its station, seed and number, and its request from the same seed: run again, the process
replays what was posted and posts the rest.
"""

from __future__ import annotations

import json
import os
import random
import resource
import subprocess
import sys
import time
from pathlib import Path
from typing import TYPE_CHECKING, Any

from sqlalchemy import Connection, text

if TYPE_CHECKING:
    from counter_app.services.context import Context

ROOT = Path(__file__).resolve().parents[1]
HOT = [f"{500 + i:06d}-01" for i in range(6)]  # every station pays these
COLD = [f"{600 + i:06d}-01" for i in range(40)]
ACCOUNTS = HOT + COLD


def payments_file(path: Path, rows: int, tag: str) -> Path:
    """A lockbox file of ``rows`` check payments, half of them on the hot accounts."""
    rng = random.Random(tag)
    lines = ["account_number,amount,tender,reference,idempotency_key"]
    for i in range(rows):
        number = rng.choice(HOT if i % 2 else COLD)
        lines.append(f"{number},{rng.randint(100, 5000) / 100:.2f},check,{tag}{i},{tag}-{i}")
    path.write_text("\n".join(lines) + "\n")
    return path


def spawn(*args: str) -> subprocess.Popen[str]:
    """``python -m tests.load ARGS`` in a child process, its output piped."""
    return subprocess.Popen(
        [sys.executable, "-m", "tests.load", *args],
        cwd=ROOT,
        env={**os.environ, "PYTHONPATH": str(ROOT)},
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )


def wait_ready(child: subprocess.Popen[str]) -> None:
    """Wait for the child's "ready" line. Read a byte at a time from the pipe itself: a
    buffered ``readline`` could take its report too, which ``finish`` would then miss."""
    assert child.stdout is not None
    line = b""
    while not line.endswith(b"\n") and (byte := os.read(child.stdout.fileno(), 1)):
        line += byte
    assert line.strip() == b"ready", (line, child.stderr and child.stderr.read())


def wait_posted(
    conn: Connection, like: str, beyond: int, child: subprocess.Popen[str], timeout: float = 120
) -> int:
    """Wait until more than ``beyond`` transactions have keys ``LIKE like`` (an importer is
    past its check and committing chunks) or ``child`` ended; how many there are."""
    deadline = time.monotonic() + timeout
    while True:
        count = conn.execute(
            text("SELECT COUNT(*) FROM transactions WHERE idempotency_key LIKE :k"), {"k": like}
        ).scalar_one()
        conn.rollback()
        if count > beyond or child.poll() is not None or time.monotonic() > deadline:
            return int(count)
        time.sleep(0.02)


def finish(child: subprocess.Popen[str], timeout: float = 600) -> dict[str, object]:
    """The child's report; its stderr must be empty (no traceback, no driver noise)."""
    out, err = child.communicate(timeout=timeout)
    assert child.returncode == 0 and err == "", err
    report: dict[str, object] = json.loads(out.strip().splitlines()[-1])
    return report


# --- the invariants, in SQL of their own (not the services') -----------------------------
INVARIANTS = {
    "a charge's open amount is its amount less its allocations": """
        SELECT c.id FROM charges c
        LEFT JOIN (SELECT charge_id, SUM(amount_cents) AS paid FROM allocations
                   WHERE charge_id IS NOT NULL GROUP BY charge_id) a ON a.charge_id = c.id
        WHERE c.open_cents <> c.amount_cents - COALESCE(a.paid, 0)""",
    "a payment is its allocations": """
        SELECT p.id FROM payments p
        LEFT JOIN (SELECT payment_id, SUM(amount_cents) AS s FROM allocations
                   GROUP BY payment_id) a ON a.payment_id = p.id
        WHERE p.amount_cents <> COALESCE(a.s, 0)""",
    "a transaction's tenders less change are its payments": """
        SELECT t.id FROM transactions t
        LEFT JOIN (SELECT transaction_id, SUM(amount_cents) AS s FROM tenders
                   GROUP BY transaction_id) n ON n.transaction_id = t.id
        LEFT JOIN (SELECT transaction_id, SUM(amount_cents) AS s FROM payments
                   GROUP BY transaction_id) p ON p.transaction_id = t.id
        WHERE COALESCE(n.s, 0) - t.change_cents <> COALESCE(p.s, 0)""",
    # the load's accounts open with no credit
    "an account's credit is its credit allocations": """
        SELECT a.id FROM accounts a
        LEFT JOIN (SELECT p.account_id, SUM(l.amount_cents) AS s FROM allocations l
                   JOIN payments p ON p.id = l.payment_id WHERE l.charge_id IS NULL
                   GROUP BY p.account_id) c ON c.account_id = a.id
        WHERE a.credit_cents <> COALESCE(c.s, 0)
          AND (a.number LIKE '0005%' OR a.number LIKE '0006%')""",
    "receipt numbers are gapless per station and day": """
        SELECT s.station FROM receipt_sequences s
        WHERE s.last_value <> (SELECT COUNT(*) FROM receipts r
                               WHERE r.number LIKE s.station || '-%'
                                 AND r.station = s.station)""",
    # grouped once, not counted per transaction (SQLite has no index to count them by)
    "each posting has one audit event": """
        SELECT t.id FROM transactions t
        LEFT JOIN (SELECT entity_id, COUNT(*) AS n FROM audit_events
                   WHERE action = 'transaction.post' GROUP BY entity_id) e
               ON e.entity_id = CAST(t.id AS VARCHAR(40))
        WHERE t.kind = 'payment' AND COALESCE(e.n, 0) <> 1""",
}


def broken_invariants(conn: Connection) -> list[str]:
    """Each invariant that does not hold, with up to five of the rows that break it."""
    broken = []
    for name, query in INVARIANTS.items():
        rows = [row[0] for row in conn.execute(text(query)).fetchmany(5)]
        if rows:
            broken.append(f"{name}: {rows}")
    return broken


# --- the child processes -----------------------------------------------------------------
def _context(url: str, station: str) -> Context:
    from counter_app.config import load_settings
    from counter_app.db.engine import Database
    from counter_app.services.context import Context

    settings = load_settings().model_copy(update={"database_url": url, "station": station})
    return Context(db=Database.from_url(url), settings=settings)  # no login: no hasher cost


def _post(
    url: str, station: str, user_id: str, session_id: str, count: str, seed: str
) -> dict[str, Any]:
    from counter_app.domain.money import Money
    from counter_app.domain.receipt import TenderKind
    from counter_app.domain.tenders import TenderEntry
    from counter_app.services.posting import PaymentRequest, post_transaction

    ctx = _context(url, station)
    rng = random.Random(f"{station}-{seed}")
    plans = []
    for i in range(int(count)):
        numbers = rng.sample(HOT, 1) + rng.sample(COLD, rng.randint(0, 1))
        cents = [rng.randint(100, 4000) for _ in numbers]
        total = Money(sum(cents))
        tender = (
            TenderEntry(TenderKind.CASH, Money(total.cents + 500))
            if i % 3
            else TenderEntry(TenderKind.CHECK, total, reference=f"{i}")
        )
        plans.append((f"{station}-{seed}-{i}", numbers, cents, tender))
    print("ready", flush=True)
    started_at = _wait_for_go()
    latencies, replayed = [], 0
    try:
        for key, numbers, cents, tender in plans:
            started = time.perf_counter()
            posted = post_transaction(
                ctx,
                session_id=int(session_id),
                user_id=int(user_id),
                payments=[PaymentRequest(n, Money(c)) for n, c in zip(numbers, cents, strict=True)],
                tenders=[tender],
                idempotency_key=key,
            )
            latencies.append((time.perf_counter() - started) * 1000)
            replayed += posted.replayed
    except KeyboardInterrupt:  # SIGINT: stop here and report (benchmarks/concurrency.py)
        pass
    return {
        "posted": len(latencies) - replayed,
        "replayed": replayed,
        "ms": latencies,
        "seconds": time.time() - started_at,
    }


GO = "LOAD_TEST_GO"  # a file: once it exists, the children start (all at once)


def _wait_for_go() -> float:
    """When the environment names a ``GO`` file, wait for it to appear; the time then."""
    go = os.environ.get(GO)
    while go and not os.path.exists(go):
        time.sleep(0.001)
    return time.time()


def _import(url: str, station: str, username: str, path: str) -> dict[str, Any]:
    from counter_app.services import importing, payment_import

    ctx = _context(url, station)
    lines = importing.read_lines(Path(path))
    print("ready", flush=True)
    _wait_for_go()
    started = time.perf_counter()
    result = payment_import.import_payments(ctx, lines, path, username)
    return {
        "posted": result.posted,
        "already": result.already_posted,
        "seconds": time.perf_counter() - started,
        "peak_rss_mb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024,
    }


def _drawer(url: str, station: str, user_id: str) -> dict[str, Any]:
    from counter_app.services import sessions

    ctx = _context(url, station)
    print("ready", flush=True)
    _wait_for_go()
    return {"session": sessions.open_session(ctx, int(user_id), {"20": 10}).id}


def _read(path: str, how: str) -> dict[str, Any]:
    """Read and check a payments file as the import does (``stream``), or as it did before
    (``whole``: every line, then every row, in memory): its peak RSS."""
    from counter_app.domain.csv_rows import ParsedFile, read_csv_rows, stream_csv_rows
    from counter_app.domain.payment_rows import PAYMENTS
    from counter_app.services import importing

    lines = importing.read_lines(Path(path))
    if how == "whole":
        rows = len(read_csv_rows(list(lines), PAYMENTS).rows)
    else:
        rows = sum(1 for _ in stream_csv_rows(lines, PAYMENTS, ParsedFile()))
    return {"rows": rows, "peak_rss_mb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024}


if __name__ == "__main__":
    role, *rest = sys.argv[1:]
    run = {"post": _post, "import": _import, "drawer": _drawer, "read": _read}[role]
    print(json.dumps(run(*rest)), flush=True)
