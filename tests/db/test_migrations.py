"""The migrations are the schema: they match the models and run down and up again."""

from alembic.autogenerate import compare_metadata
from alembic.runtime.migration import MigrationContext
from sqlalchemy import select

from counter_app.db import migrate
from counter_app.db.engine import Database
from counter_app.db.models import Base, Receipt
from counter_app.services import lookup, receipts
from counter_app.services.context import Context
from tests.helpers import Town, cash, expected_words, pay, stored_words


def _differences(db: Database) -> list[object]:
    with db.engine.connect() as conn:
        ctx = MigrationContext.configure(conn, opts={"compare_type": True})
        return compare_metadata(ctx, Base.metadata)


def test_migrated_schema_equals_the_models(db: Database) -> None:
    assert migrate.is_up_to_date(db.engine)
    assert _differences(db) == []


def test_downgrade_to_nothing_then_upgrade_gives_the_same_schema(db: Database) -> None:
    migrate.downgrade(db.engine, "base")
    assert migrate.current_revision(db.engine) is None
    migrate.upgrade(db.engine)
    assert migrate.is_up_to_date(db.engine)
    assert _differences(db) == []


def test_the_word_index_migration_gives_existing_accounts_their_words(
    db: Database, ctx: Context, town: Town
) -> None:
    migrate.downgrade(db.engine, "0002")
    migrate.upgrade(db.engine)
    assert stored_words(ctx) == expected_words(ctx)
    assert [h.number for h in lookup.search(ctx, "mill").hits] == ["010002-01"]


def test_the_receipt_station_migration_gives_existing_receipts_their_drawers_station(
    db: Database, ctx: Context, town: Town
) -> None:
    posted = pay(ctx, town, [("001234-01", "10.00")], [cash("10.00")])
    migrate.downgrade(db.engine, "0003")
    migrate.upgrade(db.engine)
    with ctx.db.read() as session:
        stored = session.execute(select(Receipt.station)).scalars().all()
    assert stored == [ctx.station]
    assert receipts.get_receipt(ctx, posted.receipt.number).station == ctx.station
