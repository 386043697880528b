"""The README's search examples find something in the demo city ``make run`` loads (issue 9
item 18: "1200 oak" and "mill rd" found nothing there).

A demo city of N accounts is the first N accounts of a bigger one with the same seed (each
premise comes from its own seeded generator), so what the small city here finds, the
50,000-account city of ``make run`` finds too."""

from __future__ import annotations

import datetime as dt
import re

import pytest

from counter_app.services import demo_data, lookup
from counter_app.services.context import Context
from tests.helpers import ROOT

ACCOUNTS = 2_000
AS_OF = dt.date(2026, 11, 23)


def _find_row() -> str:
    """The F2 row of the README's key table: where the search examples are."""
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    [row] = [line for line in readme.splitlines() if line.startswith("| F2 |")]
    return row


EXAMPLES = re.findall(r"`([^`]+)`", _find_row())
# "`cafe river` for Riverside Cafe": the example names what it finds.
CLAIMS = dict(re.findall(r"`([^`]+)` for ([^,;()`]+?)(?=[,;)]| —)", _find_row()))


def test_the_readme_names_search_examples() -> None:
    assert len(EXAMPLES) >= 5, EXAMPLES
    assert CLAIMS, "an example that names what it finds"


@pytest.fixture
def demo_city(ctx: Context) -> Context:
    demo_data.load_demo_city(ctx, ACCOUNTS, seed=demo_data.DEFAULT_SEED, as_of=AS_OF)
    return ctx


def test_every_search_example_of_the_readme_finds_an_account_in_the_demo_city(
    demo_city: Context,
) -> None:
    nothing = [q for q in EXAMPLES if not lookup.search(demo_city, q).hits]
    assert not nothing, f"README examples that find nothing in the demo city: {nothing}"
    for query, what in CLAIMS.items():
        shown = [
            f"{h.customer_name} · {h.service_address}" for h in lookup.search(demo_city, query).hits
        ]
        assert any(what.strip() in line for line in shown), (query, what, shown)
