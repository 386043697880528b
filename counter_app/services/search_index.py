"""The word index of account lookup (``search_words``): every word of each account's name
and service address, kept in step with the account by whoever writes the account."""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Sequence

from sqlalchemy import delete
from sqlalchemy.orm import Session

from counter_app.db.models import SearchWord, table_of
from counter_app.domain.search_keys import search_words
from counter_app.services import bulk

WORD_COLUMNS = ("word", "account_id")
DELETE_BATCH = 1_000

Named = tuple[int, str, str]  # (account id, customer name, service address)


def word_rows(accounts: Iterable[Named]) -> Iterator[tuple[str, int]]:
    """The ``search_words`` rows (word, account id) of ``accounts``."""
    for account_id, name, address in accounts:
        for word in search_words(name, address):
            yield word, account_id


def replace_words(session: Session, accounts: Sequence[Named]) -> int:
    """Store the words of ``accounts`` in place of any they had; the number of words."""
    table = table_of(SearchWord)
    for start in range(0, len(accounts), DELETE_BATCH):
        ids = [a[0] for a in accounts[start : start + DELETE_BATCH]]
        session.execute(delete(table).where(table.c.account_id.in_(ids)))
    return bulk.insert_rows(session, table, WORD_COLUMNS, word_rows(accounts))
