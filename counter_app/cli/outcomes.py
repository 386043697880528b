"""Command: unresolved — the supervisor's list of submissions a station found not posted
after the database did not answer their COMMIT, and still holds (or lost)."""

from __future__ import annotations

import argparse

from counter_app.cli.common import context
from counter_app.services import outcomes


def register(sub: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    cmd = sub.add_parser(
        "unresolved",
        help="submissions stations found not posted after a lost connection, across stations",
    )
    cmd.set_defaults(handler=_unresolved)


def _unresolved(_args: argparse.Namespace) -> int:
    found = outcomes.unresolved(context())
    if not found:
        print(
            "No unresolved submissions: every one a station re-checked has posted or was cleared."
        )
        return 0
    print(f"{len(found)} unresolved submission(s): not posted, still held at their station")
    for u in found:
        print(
            f"  {u.station:<8} session {u.session_id:<5} {u.total.format():>12}  "
            f"{', '.join(u.accounts)}  sent {u.sent_at}  key {u.key}"
        )
    print("At each station: Enter completes it (at most once), Esc twice clears it.")
    return 0
