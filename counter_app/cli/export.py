"""Commands: export payments (the day's file for the billing system), export list."""

from __future__ import annotations

import argparse
import datetime as dt

from counter_app.cli.common import add_sign_in, context, sign_in
from counter_app.domain.errors import ValidationError
from counter_app.services import export


def register(sub: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    exp = sub.add_parser("export", help="files for the billing system")
    kinds = exp.add_subparsers(dest="export_kind", required=True, metavar="KIND")
    pay = kinds.add_parser(
        "payments",
        help="write a business date's payments as CSV (see docs/import-formats.md)",
    )
    pay.add_argument("--date", required=True, metavar="YYYY-MM-DD", help="the business date")
    pay.add_argument("--out", required=True, metavar="FILE.csv", help="the file to write")
    add_sign_in(pay, "a supervisor or an admin")
    pay.set_defaults(handler=_export_payments)
    listed = kinds.add_parser("list", help="the exports written, newest first")
    listed.add_argument("--date", metavar="YYYY-MM-DD", help="only this business date's")
    listed.set_defaults(handler=_export_list)


def _date(text: str) -> dt.date:
    """A business date as typed; refused with the form to use."""
    try:
        return dt.date.fromisoformat(text.strip())
    except ValueError:
        raise ValidationError(
            f'--date "{text}" is not a date: write it as YYYY-MM-DD, e.g. 2026-11-23; '
            "nothing was exported"
        ) from None


def _export_payments(args: argparse.Namespace) -> int:
    day = _date(args.date)
    ctx = context()
    user = sign_in(
        ctx, args.as_user, args.password_stdin, roles=export.MAY_EXPORT, doing="export payments"
    )
    done = export.export_payments(ctx, day, args.out, user)
    print(
        f"Exported {done.rows:,} payment rows of {done.business_date} to {args.out} "
        f"(export #{done.id}, sha256 {done.sha256})."
    )
    if done.open_sessions:
        print(
            f"Note: {done.open_sessions} session(s) of {done.business_date} are still open; "
            "payments they take later are not in this file: export the day again after the "
            "close."
        )
    return 0


def _export_list(args: argparse.Namespace) -> int:
    day = _date(args.date) if args.date else None
    ctx = context()
    found = export.list_exports(ctx, day)
    if not found:
        print("No exports yet." if day is None else f"No exports of {day}.")
        return 0
    zone = ctx.settings.zone
    for e in found:
        at = e.created_at.astimezone(zone)
        print(
            f"#{e.id:<4} {e.business_date}  {e.rows:>6,} rows  {at:%Y-%m-%d %H:%M}  "
            f"{e.username:<12} {e.file_name}  sha256 {e.sha256}"
        )
    return 0
