"""Command: returned-check — the back office reverses a check the bank returned."""

from __future__ import annotations

import argparse
import getpass
import sys

from counter_app.cli.common import context
from counter_app.services import voids


def register(sub: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    cmd = sub.add_parser(
        "returned-check",
        help="reverse a check the bank returned (NSF): reopen what it paid, add the fee",
    )
    cmd.add_argument("receipt", help="the receipt number the check was taken on")
    cmd.add_argument("--check-number", required=True, help="the returned check's number")
    cmd.add_argument("--supervisor", required=True, help="the supervisor doing the reversal")
    cmd.add_argument("--reason", required=True, help="why, e.g. the bank's return reason")
    cmd.add_argument("--password-stdin", action="store_true", help="read the password from stdin")
    cmd.set_defaults(handler=_returned_check)


def _returned_check(args: argparse.Namespace) -> int:
    password = (
        sys.stdin.readline().rstrip("\n")
        if args.password_stdin
        else getpass.getpass(f"Password for {args.supervisor}: ")
    )
    posted = voids.reverse_returned_check_as_supervisor(
        context(),
        receipt_number=args.receipt,
        check_number=args.check_number,
        supervisor=args.supervisor,
        password=password,
        reason=args.reason,
    )
    slip = posted.receipt
    print(
        f"Returned check #{args.check_number.strip()} on {slip.original_number}: slip {slip.number}"
    )
    for line in slip.lines:
        note = f" — {line.status_note}" if line.status_note else ""
        print(
            f"  {line.account_number} {line.amount.format()} "
            f"balance {line.balance_after.format()}{note}"
        )
    return 0
