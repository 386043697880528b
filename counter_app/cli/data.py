"""Commands: demo-data, import accounts, import charges."""

from __future__ import annotations

import argparse
import datetime as dt
import sys
from collections.abc import Callable
from pathlib import Path
from typing import TextIO

from counter_app.cli.common import context, sign_in
from counter_app.services import demo_data, importing, payment_import, users

BAR_WIDTH = 30


class TextProgress:
    """A one-line progress bar on a terminal; silent when the stream is not a terminal."""

    def __init__(self, stream: TextIO | None = None) -> None:
        self.stream = stream or sys.stderr
        self.enabled = self.stream.isatty()
        self._shown = ""

    def __call__(self, stage: str, done: int, total: int) -> None:
        if not self.enabled:
            return
        share = min(1.0, done / total) if total else 1.0
        filled = int(share * BAR_WIDTH)
        line = f"\r{stage:<8} [{'#' * filled}{'.' * (BAR_WIDTH - filled)}] {share:4.0%}"
        if line != self._shown:
            self.stream.write(line)
            self.stream.flush()
            self._shown = line

    def close(self) -> None:
        """End the bar's line, if one was drawn."""
        if self._shown:
            self.stream.write("\n")
            self.stream.flush()
            self._shown = ""


def register(sub: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    demo = sub.add_parser(
        "demo-data", help="fill an empty database with a demo city and demo users"
    )
    demo.add_argument("--accounts", type=int, required=True, help="how many accounts")
    demo.add_argument(
        "--seed", type=int, default=demo_data.DEFAULT_SEED, help="same seed, same city"
    )
    demo.add_argument(
        "--as-of",
        type=_date,
        default=None,
        metavar="YYYY-MM-DD",
        help="bill up to this date (default: today, so the same seed bills other months on "
        "another day; give --as-of to make the very same city again)",
    )
    demo.set_defaults(handler=_demo_data)

    imp = sub.add_parser("import", help="import CSV files from the billing system")
    kinds = imp.add_subparsers(dest="import_kind", required=True, metavar="KIND")
    for kind, run in (
        ("accounts", importing.import_accounts),
        ("charges", importing.import_charges),
    ):
        one = kinds.add_parser(kind, help=f"import a {kind} file (see docs/import-formats.md)")
        one.add_argument("file", help="the CSV file, with a header row")
        one.set_defaults(handler=_importer(run))
    pay = kinds.add_parser(
        "payments", help="post mail / lockbox payments (see docs/import-formats.md)"
    )
    pay.add_argument("file", help="the CSV file, with a header row")
    pay.add_argument(
        "--user",
        required=True,
        help="you: the user whose batch session takes them (your password is asked for)",
    )
    pay.add_argument("--password-stdin", action="store_true", help="read your password from stdin")
    pay.set_defaults(handler=_import_payments)


def _import_payments(args: argparse.Namespace) -> int:
    lines = importing.read_lines(Path(args.file))
    ctx = context()
    poster = sign_in(
        ctx,
        args.user,
        args.password_stdin,
        roles=users.MAY_POST,
        doing="post payments",
        option="--user",
    )
    result = payment_import.import_payments(ctx, lines, args.file, poster.username)
    print(
        f"Posted {result.posted:,} payments totalling {result.total.format()} into batch "
        f"session #{result.session_id}"
        + (
            f" ({result.already_posted:,} already posted, skipped)."
            if result.already_posted
            else "."
        )
    )
    return 0


def _date(text: str) -> dt.date:
    try:
        return dt.date.fromisoformat(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f'"{text}" is not a date like 2026-11-23') from None


def _demo_data(args: argparse.Namespace) -> int:
    progress = TextProgress()
    try:
        loaded = demo_data.load_demo_city(
            context(), args.accounts, seed=args.seed, as_of=args.as_of, progress=progress
        )
    finally:
        progress.close()
    print(
        f"Loaded a demo city of {loaded.accounts:,} accounts and {loaded.charges:,} charges "
        f"(seed {loaded.seed}, billed to {loaded.as_of}) in {loaded.seconds:.1f} s."
    )
    print("Demo users (change these passwords before real use):")
    for user in demo_data.DEMO_USERS:
        note = "" if user.username in loaded.users_created else "  (already existed: unchanged)"
        print(f"  {user.username:<11} password {user.password:<14} {user.full_name}{note}")
    return 0


def _importer(run: Callable[..., importing.ImportResult]) -> Callable[[argparse.Namespace], int]:
    def handler(args: argparse.Namespace) -> int:
        progress = TextProgress()
        try:
            result = run(context(), args.file, progress=progress)
        finally:
            progress.close()
        print(
            f"Imported {result.kind} from {result.path}: "
            f"{result.inserted:,} added, {result.updated:,} updated."
        )
        for note in result.notes:
            print(note)
        return 0

    return handler
