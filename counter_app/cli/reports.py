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
from counter_app.config import Settings
from counter_app.domain.errors import NotFound, ValidationError
from counter_app.domain.money import total
from counter_app.domain.sessions import SessionState
from counter_app.domain.users import Role
from counter_app.reports.checks import check_register_pdf
from counter_app.reports.common import Office
from counter_app.reports.daily import daily_report_pdf
from counter_app.reports.deposit import deposit_slips_pdf
from counter_app.reports.drawer import drawer_report_pdf, read_name
from counter_app.reports.payments import payment_register_pdf
from counter_app.services import closeout, deposits, reports_data
from counter_app.services.context import Context

READERS = (Role.SUPERVISOR, Role.ADMIN)
Report = Callable[[Context, argparse.Namespace, int, Office], tuple[str, bytes, str]]


def office_of(settings: Settings) -> Office:
    """The report header's office, from the settings."""
    o = settings.office
    return Office(o.name, o.address, o.phone, settings.zone)


def _date(text: str) -> dt.date:
    try:
        return dt.date.fromisoformat(text.strip())
    except ValueError:
        raise ValidationError(
            f"--date {text!r} is not a date: write the business date as YYYY-MM-DD"
        ) from None


def _drawer(
    ctx: Context, args: argparse.Namespace, user_id: int, office: Office
) -> tuple[str, bytes, str]:
    try:
        report = closeout.z_read(ctx, args.session, user_id)
    except ValidationError:  # still open: a supervisor's X read
        report = closeout.x_read(ctx, args.session, user_id)
    collected = report.activity.collected.format()
    said = f"{read_name(report)} of session #{args.session}: collected {collected}"
    if report.session.state is not SessionState.OPEN:
        said += f", over/short {report.balance.over_short.format()}"
    return f"drawer-{args.session}.pdf", drawer_report_pdf(report, office, ctx.now()), said


def _deposit(
    ctx: Context, args: argparse.Namespace, user_id: int, office: Office
) -> tuple[str, bytes, str]:
    made = deposits.deposits_of(ctx, args.date)
    if not made:
        raise NotFound(
            f"No deposit was made for {args.date:%m/%d/%Y}: a supervisor builds it from the "
            "day's closed sessions first"
        )
    deposited = total(d.total for d in made)
    slips = ", ".join(d.slip_number for d in made)
    pdf = deposit_slips_pdf(made, args.date, office, ctx.now())
    return f"deposit-{args.date}.pdf", pdf, f"deposit slip {slips}: total {deposited.format()}"


def _daily(
    ctx: Context, args: argparse.Namespace, user_id: int, office: Office
) -> tuple[str, bytes, str]:
    report = reports_data.daily_cash(ctx, args.date, user_id)
    said = f"daily cash report: net collections {report.net_collections.format()}"
    return f"daily-{args.date}.pdf", daily_report_pdf(report, office, ctx.now()), said


def _payments(
    ctx: Context, args: argparse.Namespace, user_id: int, office: Office
) -> tuple[str, bytes, str]:
    register = reports_data.payment_register(ctx, args.date, user_id)
    said = f"payment register: {len(register.entries)} receipts, net {register.net.format()}"
    pdf = payment_register_pdf(register, office, ctx.now())
    return f"payments-{args.date}.pdf", pdf, said


def _checks(
    ctx: Context, args: argparse.Namespace, user_id: int, office: Office
) -> tuple[str, bytes, str]:
    register = reports_data.check_register(ctx, args.date, user_id)
    said = (
        f"check register: {len(register.entries)} items, to deposit {register.to_deposit.format()}"
    )
    return f"checks-{args.date}.pdf", check_register_pdf(register, office, ctx.now()), said


def _run(report: Report) -> Callable[[argparse.Namespace], int]:
    def handler(args: argparse.Namespace) -> int:
        if "date" in args:  # refused before anyone types a password
            args.date = _date(args.date)
        ctx = context()
        user = sign_in(
            ctx, args.as_user, args.password_stdin, roles=READERS, doing="read end-of-day reports"
        )
        name, pdf, said = report(ctx, args, user.id, office_of(ctx.settings))
        out = Path(args.out) if args.out else Path(name)
        try:
            out.write_bytes(pdf)
        except OSError as exc:
            raise ValidationError(
                f"Cannot write {out}: {exc.strerror}; choose another --out"
            ) from exc
        print(f"Wrote {out} — {said}")
        return 0

    return handler


def register(sub: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    cmd = sub.add_parser("report", help="end-of-day reports as PDF (a supervisor signs in)")
    kinds = cmd.add_subparsers(dest="report", required=True, metavar="REPORT")
    specs: tuple[tuple[str, str, Report], ...] = (
        ("drawer", "drawer balancing of one session (X read while open, Z once counted)", _drawer),
        ("deposit", "the deposit slip(s) of a business date", _deposit),
        ("daily", "daily cash report: sessions, net collections, GL distribution", _daily),
        ("payments", "payment register: every receipt of a business date", _payments),
        ("checks", "check register: every check and money order of a business date", _checks),
    )
    for name, help_text, report in specs:
        one = kinds.add_parser(name, help=help_text)
        if name == "drawer":
            one.add_argument("--session", type=int, required=True, metavar="ID", help="session id")
        else:
            one.add_argument("--date", required=True, metavar="YYYY-MM-DD", help="business date")
        one.add_argument("--out", metavar="FILE.pdf", help=f"where to write it ({name}-….pdf)")
        add_sign_in(one, "a supervisor or admin")
        one.set_defaults(handler=_run(report))
