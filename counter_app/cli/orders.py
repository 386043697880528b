"""Command: orders — the field crew's list of turn-on orders still to do (a supervisor or an
admin signs in: it names customers and their addresses)."""

from __future__ import annotations

import argparse

from counter_app.cli.common import add_sign_in, context, sign_in
from counter_app.services import service_orders
from counter_app.services.context import Context


def register(sub: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    cmd = sub.add_parser(
        "orders", help="turn-on orders for the field crew, oldest first (a supervisor signs in)"
    )
    cmd.add_argument(
        "--all",
        action="store_true",
        dest="everything",
        help="every order placed, with where it stands (done, cancelled, called off)",
    )
    add_sign_in(cmd, "a supervisor or an admin")
    cmd.set_defaults(handler=_orders)


def _orders(args: argparse.Namespace) -> int:
    ctx = context()
    sign_in(
        ctx,
        args.as_user,
        args.password_stdin,
        roles=service_orders.MAY_LIST,
        doing="list the turn-on orders",
    )
    found = service_orders.crew_list(ctx, everything=args.everything)
    if not found:
        print("No turn-on orders." if args.everything else "No turn-on orders to do.")
        return 0
    what = "turn-on order(s)" if args.everything else "turn-on order(s) to do"
    print(f"{len(found)} {what}, oldest first:")
    for order in found:
        print(_line(ctx, order))
    return 0


def _line(ctx: Context, order: service_orders.CrewOrder) -> str:
    at = order.ordered_at.astimezone(ctx.settings.zone)
    fee = f"reconnect fee {order.fee_billed.format()}" if order.fee_billed else "fee paid before"
    return (
        f"  {order.number}  {order.status.label}\n"
        f"    {order.account_number}  {order.customer_name}  {order.service_address}\n"
        f"    phone {order.phone or '—'}  meter {order.meter_number or '—'}  {fee}\n"
        f"    ordered {at:%Y-%m-%d %H:%M} at {order.station} by {order.ordered_by}"
    )
