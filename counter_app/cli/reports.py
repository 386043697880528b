"""Commands: report drawer / deposit / daily / payments / checks — the end-of-day PDFs.

Every report shows money of the whole office or expected cash, so each asks a supervisor
(or admin) to sign in (``--as USER``, password asked or ``--password-stdin``). Each writes
one PDF (``--out``, default a file named after the report in the current folder) and says
where, with the figure its totals come to."""

from __future__ import annotations

import argparse
import datetime as dt
from collections.abc import Callable
from pathlib import Path

from counter_app.cli.common import add_sign_in, context, sign_in
from counter_app.domain.errors import ValidationError
from counter_app.domain.users import Role
from counter_app.services.report_pdfs import ReportKind, ReportRequest, make_report

READERS = (Role.SUPERVISOR, Role.ADMIN)


def _date(text: str) -> dt.date:
    try:
        return dt.date.fromisoformat(text.strip())
    except ValueError:
        raise ValidationError(
            f"--date {text!r} is not a date: write the business date as YYYY-MM-DD"
        ) from None


def _run(kind: ReportKind) -> Callable[[argparse.Namespace], int]:
    def handler(args: argparse.Namespace) -> int:
        day = _date(args.date) if "date" in args else None  # before anyone types a password
        ctx = context()
        user = sign_in(
            ctx, args.as_user, args.password_stdin, roles=READERS, doing="read end-of-day reports"
        )
        request = ReportRequest(kind, user.id, day, getattr(args, "session", None))
        made = make_report(ctx, request, ctx.now())
        out = Path(args.out) if args.out else Path(made.filename)
        try:
            out.write_bytes(made.pdf)
        except OSError as exc:
            raise ValidationError(
                f"Cannot write {out}: {exc.strerror}; choose another --out"
            ) from exc
        print(f"Wrote {out} — {made.said}")
        return 0

    return handler


def register(sub: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    cmd = sub.add_parser("report", help="end-of-day reports as PDF (a supervisor signs in)")
    kinds = cmd.add_subparsers(dest="report", required=True, metavar="REPORT")
    specs: tuple[tuple[ReportKind, str], ...] = (
        (ReportKind.DRAWER, "drawer balancing of one session (X read while open, Z once counted)"),
        (ReportKind.DEPOSIT, "the deposit slip(s) of a business date"),
        (ReportKind.DAILY, "daily cash report: sessions, net collections, GL distribution"),
        (ReportKind.PAYMENTS, "payment register: every receipt of a business date"),
        (ReportKind.CHECKS, "check register: every check and money order of a business date"),
    )
    for kind, help_text in specs:
        name = kind.value
        one = kinds.add_parser(name, help=help_text)
        if name == "drawer":
            one.add_argument("--session", type=int, required=True, metavar="ID", help="session id")
        else:
            one.add_argument("--date", required=True, metavar="YYYY-MM-DD", help="business date")
        one.add_argument("--out", metavar="FILE.pdf", help=f"where to write it ({name}-….pdf)")
        add_sign_in(one, "a supervisor or admin")
        one.set_defaults(handler=_run(kind))
