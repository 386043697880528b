"""Command: demo-day — a whole business day played on the demo city through the services."""

from __future__ import annotations

import argparse

from counter_app.cli.common import context
from counter_app.cli.data import TextProgress, _date
from counter_app.services import demo_day


def register(sub: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    cmd = sub.add_parser(
        "demo-day",
        help="play a business day on the demo city: three drawers and a mail batch, "
        "closed and deposited",
    )
    cmd.add_argument(
        "--date", type=_date, required=True, metavar="YYYY-MM-DD", help="the business date"
    )
    cmd.add_argument(
        "--payments",
        type=int,
        default=demo_day.DEFAULT_PAYMENTS,
        help=f"how many payments (default {demo_day.DEFAULT_PAYMENTS})",
    )
    cmd.add_argument("--seed", type=int, default=demo_day.DEFAULT_SEED, help="same seed, same day")
    cmd.set_defaults(handler=_demo_day)


def _demo_day(args: argparse.Namespace) -> int:
    progress = TextProgress()
    try:
        day = demo_day.play_demo_day(
            context(), args.date, payments=args.payments, seed=args.seed, progress=progress
        )
    finally:
        progress.close()
    print(f"{day.words} in {day.seconds:.1f} s.")
    print(
        f"  sessions {', '.join(f'#{i}' for i in day.session_ids)}; {day.voids} voided, "
        f"{day.returned_checks} returned check, session #{day.short_session} short "
        f"(approved); deposit slip {day.deposit_slip} {day.deposit_total.format()}"
    )
    return 0
