"""A throwaway SQLite database holding a demo city, and the demo cashier's payments on it, for
the benchmarks that need them."""

from __future__ import annotations

import tempfile
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from pathlib import Path

from sqlalchemy import text

from counter_app.config import load_settings
from counter_app.db import migrate
from counter_app.db.engine import Database
from counter_app.domain.money import Money
from counter_app.domain.sessions import SessionInfo
from counter_app.domain.tenders import TenderEntry
from counter_app.domain.users import UserInfo
from counter_app.services import posting, sessions, users
from counter_app.services.context import Context
from counter_app.services.demo_data import load_demo_city


@contextmanager
def demo_city_on_sqlite(accounts: int, station: str = "B01") -> Iterator[Context]:
    """A migrated SQLite file in a temporary folder with ``accounts`` demo accounts and the
    demo users; removed afterwards."""
    with tempfile.TemporaryDirectory() as tmp:
        url = f"sqlite:///{Path(tmp) / 'bench.db'}"
        db = Database.from_url(url)
        migrate.upgrade(db.engine)
        ctx = Context(db, load_settings(database_url=url, station=station))
        load_demo_city(ctx, accounts)
        try:
            yield ctx
        finally:
            db.dispose()


def cashier_on_duty(ctx: Context) -> tuple[UserInfo, SessionInfo]:
    """The demo cashier and their open drawer session (opened on ten $20 bills if none is)."""
    cashier = next(u for u in users.list_users(ctx) if u.role.value == "cashier")
    session = sessions.current_session(ctx, cashier.id) or sessions.open_session(
        ctx, cashier.id, {"20": 10}
    )
    return cashier, session


def payable_accounts(ctx: Context, count: int) -> list[str]:
    """The numbers of the first ``count`` active accounts that accept checks (fewer if the
    city has fewer)."""
    with ctx.db.read() as session:
        return list(
            session.execute(
                text(
                    "SELECT number FROM accounts WHERE status = 'active' "
                    "AND NOT checks_not_accepted ORDER BY id LIMIT :n"
                ),
                {"n": count},
            ).scalars()
        )


def post_two_accounts(
    ctx: Context,
    cashier: UserInfo,
    session: SessionInfo,
    accounts: tuple[str, str],
    tenders: Sequence[TenderEntry],
    idempotency_key: str,
) -> posting.Posted:
    """``post_transaction`` of $25.00 on the first account and $15.00 on the second."""
    first, second = accounts
    return posting.post_transaction(
        ctx,
        session_id=session.id,
        user_id=cashier.id,
        payments=[
            posting.PaymentRequest(first, Money(2500)),
            posting.PaymentRequest(second, Money(1500)),
        ],
        tenders=tenders,
        idempotency_key=idempotency_key,
    )
