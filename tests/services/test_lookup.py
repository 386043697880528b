import pytest

from counter_app.domain.account_number import with_check_digit
from counter_app.domain.errors import NotFound, ValidationError
from counter_app.domain.money import Money
from counter_app.domain.scanline import make_scanline
from counter_app.services import lookup
from counter_app.services.context import Context
from tests.helpers import Town, add_account, cash, expected_words, pay, stored_words


def numbers(ctx: Context, query: str) -> list[str]:
    return [h.number for h in lookup.search(ctx, query).hits]


@pytest.mark.parametrize(
    "query", ["001234-01", "00123401", with_check_digit("001234-01"), "0012340"]
)
def test_account_number_is_found_with_or_without_dash_or_check_digit(
    ctx: Context, town: Town, query: str
) -> None:
    assert numbers(ctx, query)[0] == "001234-01"


@pytest.mark.parametrize("query", ["smith j", "SMITH, J", "j smith", "john smi"])
def test_names_are_found_last_or_first_name_first(ctx: Context, town: Town, query: str) -> None:
    assert "001234-01" in numbers(ctx, query)


def test_smith_finds_every_smith_and_none_else(ctx: Context, town: Town) -> None:
    assert set(numbers(ctx, "smith")) == {"001234-01", "010002-01", "004410-02"}


def test_closed_accounts_come_after_active_ones(ctx: Context, town: Town) -> None:
    add_account(ctx, "020002-01", "Brown, Cy", "9 Pine St")
    assert numbers(ctx, "brown") == ["020002-01", "020000-01", "020001-01"]
    assert numbers(ctx, "pine") == ["020002-01", "020000-01", "020001-01"]


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("1200 oak", "001234-01"),
        ("1200 Oak Street", "001234-01"),
        ("oak", "001234-01"),
        ("77-20931", "001234-01"),
        ("7720931", "001234-01"),
        ("(555) 010-2000", "001234-01"),
        ("010-2000", "001234-01"),
        ("nunez", "030000-01"),
        ("Núñez", "030000-01"),
    ],
)
def test_address_meter_and_phone_find_the_account(
    ctx: Context, town: Town, query: str, expected: str
) -> None:
    assert numbers(ctx, query)[0] == expected


def test_results_show_the_balance_after_credit(ctx: Context, town: Town) -> None:
    hit = lookup.search(ctx, "001234-01").hits[0]
    assert hit.balance == Money.parse("104.10")
    assert lookup.search(ctx, "030000-01").hits[0].balance == Money(-1500)


def test_a_scanned_stub_is_parsed_for_the_cashier_to_confirm(ctx: Context, town: Town) -> None:
    line = make_scanline("010002-01", Money.parse("212.55"), ctx.settings.scanline)
    result = lookup.search(ctx, line)
    assert result.scan is not None
    assert result.scan.account_number == "010002-01"
    assert result.scan.amount_due == Money.parse("212.55")
    assert [h.number for h in result.hits] == ["010002-01"]


def test_a_damaged_scan_is_refused(ctx: Context, town: Town) -> None:
    line = make_scanline("010002-01", Money.parse("212.55"), ctx.settings.scanline)
    damaged = line[:-1] + str((int(line[-1]) + 1) % 10)
    with pytest.raises(ValidationError, match="scan it again"):
        lookup.search(ctx, damaged)


def test_a_stub_for_an_unknown_account_says_so(ctx: Context, town: Town) -> None:
    line = make_scanline("777777-01", Money(100), ctx.settings.scanline)
    with pytest.raises(NotFound, match="not on file"):
        lookup.search(ctx, line)


def test_too_short_queries_explain_what_to_type(ctx: Context, town: Town) -> None:
    with pytest.raises(ValidationError, match="too short"):
        lookup.search(ctx, "1")
    assert lookup.search(ctx, "  ").hits == ()


def test_account_view_shows_aging_past_due_and_shutoff(ctx: Context, town: Town) -> None:
    jk = lookup.get_account(ctx, "010002-01")
    assert jk.balance == Money.parse("252.55")
    assert jk.amount_to_keep_service == Money.parse("212.55")
    assert jk.aging.current == Money.parse("40.00")
    assert jk.aging.days_31_60 == Money.parse("100.00")
    assert jk.aging.days_61_90 == Money.parse("112.55")
    assert jk.due_date is not None and jk.due_date.isoformat() == "2026-12-06"
    texts = [b.text for b in jk.badges()]
    assert texts == ["SHUT-OFF 11/30 — $212.55 stops it"]
    jane = lookup.get_account(ctx, "004410-02")
    assert "CHECKS NOT ACCEPTED — cash or certified funds only" in [b.text for b in jane.badges()]
    john = lookup.get_account(ctx, "001234-01")
    assert john.deposit == Money.parse("100.00")


def test_a_paid_up_account_still_shows_its_last_bill_and_due_date(ctx: Context, town: Town) -> None:
    pay(ctx, town, [("004410-02", "50.00")], [cash("50.00")])
    jane = lookup.get_account(ctx, "004410-02")
    assert jane.balance == Money(0)
    assert (str(jane.last_bill_date), str(jane.due_date), jane.last_bill_amount) == (
        "2026-11-15",
        "2026-12-06",
        Money.parse("50.00"),
    )


def test_a_disconnected_account_owes_the_offices_reconnect_fee_when_none_is_billed(
    ctx: Context, town: Town
) -> None:
    add_account(
        ctx,
        "030001-01",
        "Gray, Dee",
        "3 Ash Ct",
        status="disconnected",
        charges=[("water", "2026-09-01", "2026-09-22", 8000, 8000)],
    )
    dee = lookup.get_account(ctx, "030001-01")
    fee = ctx.settings.policy.reconnect_fee
    assert dee.reconnect_fee == fee
    assert dee.amount_to_keep_service == Money.parse("80.00") + fee
    assert dee.service_at_risk and dee.accepts_checks
    assert f"(incl. reconnect fee {fee.format()})" in dee.badges()[0].text
    amount = dee.amount_to_keep_service.format().removeprefix("$")
    posted = pay(ctx, town, [("030001-01", amount)], [cash(amount)])
    assert posted.receipt.lines[0].status_note == (
        f"Paid to restore service (incl. reconnect fee {fee.format()})"
    )
    after = lookup.get_account(ctx, "030001-01")  # the fee billed and paid, not left as credit
    assert (after.credit, after.balance, after.status.value) == (
        Money(0),
        Money(0),
        "reconnect_ordered",
    )


def test_active_accounts_are_not_pushed_out_by_closed_ones_sorting_first(
    ctx: Context, town: Town
) -> None:
    for i in range(30):  # "Adams A00".."A29" sort before every active Adams
        add_account(ctx, f"05{i:04d}-01", f"Adams, A{i:02d}", f"{i} Fir St", status="closed")
    for i in range(55):
        add_account(ctx, f"06{i:04d}-01", f"Adams, Z{i:02d}", f"{i} Fir St")
    hits = lookup.search(ctx, "adams").hits
    assert len(hits) == lookup.MAX_RESULTS
    assert all(h.status.value == "active" for h in hits)
    assert [h.customer_name for h in hits] == [f"Adams, Z{i:02d}" for i in range(50)]


def test_closed_accounts_fill_the_list_after_every_active_one(ctx: Context, town: Town) -> None:
    for i in range(60):
        add_account(ctx, f"05{i:04d}-01", f"Adams, A{i:02d}", f"{i} Fir St", status="closed")
    add_account(ctx, "060000-01", "Adams, Zoe", "1 Fir St", status="shutoff_pending")
    hits = lookup.search(ctx, "adams").hits
    assert len(hits) == lookup.MAX_RESULTS
    assert hits[0].customer_name == "Adams, Zoe"
    assert [h.customer_name for h in hits[1:]] == [f"Adams, A{i:02d}" for i in range(49)]


def test_a_word_from_the_middle_of_an_address_finds_the_account(ctx: Context, town: Town) -> None:
    add_account(ctx, "070000-01", "Lopez, Ana Mary", "77 Old Mill Rd")
    for query in ("mill rd", "Mill Road", "old mill", "rd mill"):
        hits = lookup.search(ctx, query).hits
        assert "070000-01" in [h.number for h in hits], query
    hit = next(h for h in lookup.search(ctx, "mill rd").hits if h.number == "070000-01")
    assert hit.matched == "address"
    assert "070000-01" not in numbers(ctx, "mill pine")  # every word must match


def test_a_word_from_the_middle_of_a_name_finds_the_account(ctx: Context, town: Town) -> None:
    add_account(ctx, "070000-01", "Lopez, Ana Mary", "77 Old Mill Rd")
    add_account(ctx, "070001-01", "Riverton Bakery LLC", "3 Front St")
    assert numbers(ctx, "mary") == ["070000-01"]
    assert numbers(ctx, "bakery") == ["070001-01"]
    assert numbers(ctx, "bak llc") == ["070001-01"]
    assert [h.matched for h in lookup.search(ctx, "bakery").hits] == ["name"]


def test_an_account_found_by_a_key_and_by_words_is_listed_once(ctx: Context, town: Town) -> None:
    # "mill" is the start of J&K Smith's street key and a word of the address as well.
    assert numbers(ctx, "mill") == ["010002-01"]
    assert lookup.search(ctx, "mill").hits[0].matched == "address"
    hits = numbers(ctx, "smith")
    assert len(hits) == len(set(hits)) == 3


def test_closed_accounts_found_by_a_word_come_after_active_ones(ctx: Context, town: Town) -> None:
    add_account(ctx, "070000-01", "Old Mill Feed", "1 Creek Rd", status="closed")
    add_account(ctx, "070001-01", "Ye Old Mill Cafe", "2 Creek Rd")
    add_account(ctx, "070002-01", "Zed Mill Works", "3 Creek Rd")
    # Added first, the closed one is first in the word index; it is still listed last.
    assert numbers(ctx, "mill") == ["010002-01", "070001-01", "070002-01", "070000-01"]


def test_the_town_has_the_words_of_every_account(ctx: Context, town: Town) -> None:
    assert stored_words(ctx) == expected_words(ctx)


# --- pages and the count (issue 9 item 8) -----------------------------------------------------


def add_jacobs(ctx: Context, n: int, *, closed: int = 0) -> None:
    """``n`` open "Smith, Jacob NN" (who sort before Smith, John) and ``closed`` closed ones."""
    for i in range(n + closed):
        status = "closed" if i >= n else "active"
        add_account(ctx, f"08{i:04d}-01", f"Smith, Jacob {i:03d}", f"{i} Fir St", status=status)


def test_smith_j_answers_one_page_says_more_follow_and_the_next_page_reaches_smith_john(
    ctx: Context, town: Town
) -> None:
    add_jacobs(ctx, 60)
    first = lookup.search(ctx, "smith j")
    assert len(first.hits) == lookup.MAX_RESULTS and first.more and first.first == 1
    jacobs = [f"Smith, Jacob {i:03d}" for i in range(60)]
    assert [h.customer_name for h in first.hits] == ["Smith, J&K", *jacobs[:49]]
    second = lookup.search(ctx, "smith j", page=1)
    assert (second.page, second.first, second.more) == (1, 51, False)
    names = [h.customer_name for h in second.hits]
    assert names == [*jacobs[49:], "Smith, Jane", "Smith, John"]
    assert lookup.search(ctx, "smith j", page=2).hits == ()
    assert lookup.count(ctx, "smith j") == lookup.MatchCount(63)
    assert str(lookup.count(ctx, "smith j")) == "63"


def test_every_plan_together_returns_at_most_one_page_in_plan_order(
    ctx: Context, town: Town
) -> None:
    # "wil": the Wilsons by name, the Willow St accounts by street: 80 different accounts,
    # which the open-accounts pass used to return all at once (50 a plan).
    for i in range(40):
        add_account(ctx, f"09{i:04d}-01", f"Wilson, Amy {i:03d}", f"{i} Fir St")
        add_account(ctx, f"10{i:04d}-01", f"Brown, Bo {i:03d}", f"{i} Willow St")
    first, second = lookup.search(ctx, "wil"), lookup.search(ctx, "wil", page=1)
    assert len(first.hits) == 50 and first.more
    assert len(second.hits) == 30 and not second.more
    names = [h.customer_name for h in (*first.hits, *second.hits)]
    # the name plan's accounts, then the street's (in street-key order): each account once
    assert names[:40] == [f"Wilson, Amy {i:03d}" for i in range(40)]
    assert sorted(names[40:]) == [f"Brown, Bo {i:03d}" for i in range(40)]
    assert lookup.count(ctx, "wil") == lookup.MatchCount(80)


def test_pages_list_every_open_account_before_the_closed_ones(ctx: Context, town: Town) -> None:
    add_jacobs(ctx, 45, closed=20)
    first, second = lookup.search(ctx, "smith j"), lookup.search(ctx, "smith j", page=1)
    statuses = [h.status.value for h in (*first.hits, *second.hits)]
    assert statuses.index("closed") == 48  # 45 Jacobs, John, J&K, Jane: then the closed
    assert set(statuses[48:]) == {"closed"} and len(statuses) == 68
    assert first.more and not second.more
    assert lookup.count(ctx, "smith j").total == 68  # the closed ones count too


def test_a_page_exactly_full_says_no_more(ctx: Context, town: Town) -> None:
    add_jacobs(ctx, 47)  # with John, J&K and Jane: 50
    result = lookup.search(ctx, "smith j")
    assert len(result.hits) == 50 and not result.more
    assert lookup.count(ctx, "smith j") == lookup.MatchCount(50)


def test_the_count_stops_at_its_cap_and_says_more_than(
    ctx: Context, town: Town, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(lookup, "COUNT_CAP", 20)
    add_jacobs(ctx, 25)
    found = lookup.count(ctx, "smith j")
    assert not found.exact and found.total > 20
    assert str(found) == "more than 20"
    assert lookup.count(ctx, "smith jane") == lookup.MatchCount(1)


@pytest.fixture
def small_word_scan(monkeypatch: pytest.MonkeyPatch):
    """``WORD_SCAN`` of 5 (the statements are built once per shape: built again with it)."""
    caches = (lookup._statement, lookup._compiled, lookup._count_statement)
    for cache in caches:
        cache.cache_clear()
    monkeypatch.setattr(lookup, "WORD_SCAN", 5)
    yield
    monkeypatch.undo()
    for cache in caches:
        cache.cache_clear()


def test_a_word_scan_that_stopped_counts_at_least(
    ctx: Context, town: Town, small_word_scan: None
) -> None:
    for i in range(8):
        add_account(ctx, f"09{i:04d}-01", f"Ortiz, Ana {i}", f"{i} Quarry Rd")
    found = lookup.count(ctx, "ana quarry")  # only the word plan finds these
    assert (found.total, found.exact, str(found)) == (5, False, "at least 5")
    assert lookup.count(ctx, "birch") == lookup.MatchCount(1)  # a short range: exact
