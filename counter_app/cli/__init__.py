"""``counter-app``: headless commands over the same services as the GUI.

Each command group lives in its own module with a ``register(subparsers)`` function.
Errors a person can act on (``CounterError``: bad input, bad settings, a database that
cannot be reached or opened) are printed without a traceback and exit with status 1.
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Sequence

from counter_app.cli import (
    admin,
    data,
    demo_day,
    devices,
    export,
    orders,
    outcomes,
    reports,
    returns,
)
from counter_app.domain.errors import CounterError

GROUPS = (admin, data, demo_day, devices, returns, outcomes, orders, export, reports)


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="counter-app", description="Counter: cashiering for a utility's public counter."
    )
    sub = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")
    for group in GROUPS:
        group.register(sub)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    parser = build_parser()
    args = parser.parse_args(argv)
    try:
        return int(args.handler(args) or 0)
    except CounterError as exc:
        print(f"counter-app: {exc}", file=sys.stderr)
        return 1
    except KeyboardInterrupt:
        print("counter-app: interrupted; nothing was committed", file=sys.stderr)
        return 130


if __name__ == "__main__":
    raise SystemExit(main())
