"""Commands: run, db, user, audit, check."""

from __future__ import annotations

import argparse

from counter_app.cli.common import add_sign_in, context, read_password, sign_in
from counter_app.domain.users import parse_role
from counter_app.services import audit, check, schema, users


def register(sub: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    run = sub.add_parser("run", help="open the counter window")
    run.set_defaults(handler=_run)

    db = sub.add_parser("db", help="database schema").add_subparsers(dest="db", required=True)
    db.add_parser("upgrade", help="migrate the database to the newest schema").set_defaults(
        handler=_db_upgrade
    )
    db.add_parser("current", help="show the schema revision").set_defaults(handler=_db_current)

    user = sub.add_parser("user", help="manage users").add_subparsers(dest="user", required=True)
    add = user.add_parser("add", help="add a user (an admin signs in with --as)")
    add.add_argument("name")
    add.add_argument("--role", required=True, help="cashier, supervisor or admin")
    add.add_argument("--full-name", default="")
    add_sign_in(add, "an admin (stdin: your password, then the new user's)")
    add.set_defaults(handler=_user_add)
    user.add_parser("list", help="list users").set_defaults(handler=_user_list)
    disable = user.add_parser("disable", help="disable a user (an admin signs in with --as)")
    disable.add_argument("name")
    add_sign_in(disable, "an admin")
    disable.set_defaults(handler=_user_disable)
    boot = user.add_parser(
        "bootstrap-admin", help="create the first admin of a database that has none"
    )
    boot.add_argument("name")
    boot.add_argument("--full-name", default="")
    boot.add_argument(
        "--password-stdin", action="store_true", help="read the new admin's password from stdin"
    )
    boot.set_defaults(handler=_user_bootstrap_admin)

    aud = sub.add_parser("audit", help="audit trail").add_subparsers(dest="audit", required=True)
    aud.add_parser("verify", help="check the keyed hash chain").set_defaults(handler=_audit_verify)
    aud.add_parser(
        "init-key", help="make this office's audit key file (if none) and key the chain"
    ).set_defaults(handler=_audit_init_key)
    sub.add_parser(
        "check", help="check every money invariant, the row digests and the audit chain"
    ).set_defaults(handler=_check)


def _run(args: argparse.Namespace) -> int:
    from counter_app.app import run_gui

    return run_gui()


def _db_upgrade(args: argparse.Namespace) -> int:
    done = schema.upgrade(context(upgrade=False))
    after = done.after or "empty"
    if done.changed:
        print(f"Database upgraded from revision {done.before or 'empty'} to {after} (newest).")
    else:
        print(f"Database is at revision {after} (newest); nothing to do.")
    return 0


def _db_current(args: argparse.Namespace) -> int:
    ctx = context(upgrade=False)
    current, newest = schema.current_revision(ctx), schema.newest_revision()
    note = "newest" if current == newest else f"newest is {newest}: run counter-app db upgrade"
    print(f"{current or 'empty'} ({note})")
    return 0


def _user_add(args: argparse.Namespace) -> int:
    role = parse_role(args.role)
    ctx = context()
    admin = sign_in(
        ctx, args.as_user, args.password_stdin, roles=users.MAY_CHANGE_USERS, doing="add users"
    )
    password = read_password(args.password_stdin, f"Password for the new user {args.name}: ")
    created = users.add_user(ctx, args.name, password, role, args.full_name, actor_id=admin.id)
    print(f"Added {created.role.value} {created.username} ({created.full_name}).")
    return 0


def _user_list(args: argparse.Namespace) -> int:
    for u in users.list_users(context()):
        state = "active" if u.active else "disabled"
        print(f"{u.username:<20} {u.role.value:<11} {state:<9} {u.full_name}")
    return 0


def _user_disable(args: argparse.Namespace) -> int:
    ctx = context()
    admin = sign_in(
        ctx, args.as_user, args.password_stdin, roles=users.MAY_CHANGE_USERS, doing="disable users"
    )
    u = users.disable_user(ctx, args.name, actor_id=admin.id)
    print(f"Disabled {u.username}.")
    return 0


def _user_bootstrap_admin(args: argparse.Namespace) -> int:
    password = read_password(args.password_stdin, f"Password for the first admin {args.name}: ")
    created = users.bootstrap_admin(context(), args.name, password, args.full_name)
    print(
        f"Added the first admin {created.username} ({created.full_name}). Add the other users "
        f"with: counter-app user add NAME --role ROLE --as {created.username}"
    )
    return 0


def _audit_verify(args: argparse.Namespace) -> int:
    report = audit.verify(context())
    if report.ok:
        print(f"Audit trail intact and keyed: {report.events} events.")
        return 0
    print(f"{report.problem} ({report.events} events read).")
    return 2


def _audit_init_key(args: argparse.Namespace) -> int:
    ctx = context()
    key_id, made, keyed = audit.init_key(ctx)
    path = ctx.settings.audit.key_file
    if made:
        print(
            f"Made the audit key {key_id} in {path} (mode 0600): copy this file to every "
            "station of this database and keep a copy away from the database server."
        )
    else:
        print(f"Using the audit key {key_id} in {path}.")
    print("The audit trail is now keyed." if keyed else "The audit trail was already keyed.")
    return 0


def _check(args: argparse.Namespace) -> int:
    report = check.run_check(context())
    figures = ", ".join(f"{n:,} {table}" for table, n in report.counted.items())
    if report.ok:
        print(f"Everything checks: {figures} ({report.seconds:.1f} s).")
        return 0
    for breach in report.breaches:
        print(f"BREACH [{breach.rule}] {breach.text}")
    print(f"{len(report.breaches)} breach(es) found; {figures} ({report.seconds:.1f} s).")
    return 1
