"""A PostgreSQL backend killed under a running statement: the error is reported, and
psycopg's second failure while cleaning up the dead connection ("error ignored terminating
<psycopg.Pipeline [BAD]>") never reaches the terminal. Run in a child process, as a station
runs: in the test process pytest's log capture would swallow the noise either way."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from counter_app.db.engine import Database

ROOT = Path(__file__).resolve().parents[2]
# The station's engine, statements in a psycopg pipeline, the backend killed between them.
CHILD = """
import sys, time
from sqlalchemy import text
from counter_app.db.engine import make_engine

url = sys.argv[1]
engine = make_engine(url)
admin = make_engine(url, isolation_level="AUTOCOMMIT")
conn = engine.raw_connection().driver_connection
try:
    with conn.pipeline():
        conn.execute("SELECT 1")
        with admin.connect() as c:
            c.execute(text("SELECT pg_terminate_backend(:pid)"), {"pid": conn.info.backend_pid})
        time.sleep(0.3)
        conn.execute("SELECT 2")
except Exception as exc:
    print("reported:", type(exc).__name__)
"""


def test_a_killed_backend_leaves_the_terminal_clean(db: Database) -> None:
    if not db.is_postgres:
        pytest.skip("psycopg's pipeline: PostgreSQL only")
    done = subprocess.run(
        [sys.executable, "-c", CHILD, db.url],
        capture_output=True,
        text=True,
        timeout=60,
        cwd=ROOT,
        env={**os.environ, "PYTHONPATH": str(ROOT)},
    )
    assert "reported: OperationalError" in done.stdout, done.stderr
    assert done.stderr == ""
