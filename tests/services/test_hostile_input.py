"""Hostile input at every door — the search box and each CSV importer: SQL metacharacters,
10 kB, control characters, NUL, emoji, wrong encodings, spreadsheet formula prefixes. Each
gets a clear refusal or is handled; none crashes, and a refused one changes no row."""

import csv
import io
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from sqlalchemy import func, select

from counter_app.db.models import Account, AuditEvent, Charge, DrawerSession, Payment, Tender
from counter_app.domain.errors import CounterError, ImportFailed
from counter_app.domain.search_keys import MAX_QUERY_WORDS
from counter_app.domain.text import first_control, looks_like_card_number
from counter_app.services import importing, lookup
from counter_app.services.context import Context
from counter_app.services.payment_import import import_payments
from tests.helpers import Town

NASTY = [
    "'; DROP TABLE accounts; --",
    '" OR 1=1 --',
    "%",
    "_%_",
    "\\",
    '=HYPERLINK("http://x")',
    "+1+1",
    "-2+3",
    "@SUM(A1:A9)",
    "\x00",
    "smith\x00",
    "\x1bp\x00\x19\xfa",  # ESC p: a drawer pulse
    "\x1dV\x00",  # GS V: a cut
    "\u202eevil",  # right-to-left override
    "\x85next line",  # C1
    "😀" * 5,
    "x" * 10_000,
    "4111 1111 1111 1111",
    " ",
    "",
]
hostile = st.one_of(
    st.sampled_from(NASTY),
    st.text(max_size=40),
    st.builds(lambda a, b: a + b, st.sampled_from(NASTY), st.text(max_size=10)),
)
# Hypothesis re-runs the test body with the same database: each example compares its own
# before and after, so what an earlier example stored does not matter.
examples = settings(
    max_examples=25, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)


def snapshot(ctx: Context) -> tuple[int, ...]:
    """Row counts and money sums of every table an input could change."""
    with ctx.db.read() as session:
        return tuple(
            session.execute(select(expr)).scalar_one() or 0
            for expr in (
                func.count(Account.id),
                func.sum(Account.credit_cents),
                func.max(Account.updated_at).is_(None),
                func.count(Charge.id),
                func.sum(Charge.open_cents),
                func.count(Payment.id),
                func.count(Tender.id),
                func.count(DrawerSession.id),
                func.count(AuditEvent.id),
            )
        )


def written(tmp_path: Path, rows: list[list[str]]) -> Path:
    out = io.StringIO()
    csv.writer(out, lineterminator="\n").writerows(rows)
    path = tmp_path / "hostile.csv"
    path.write_text(out.getvalue(), encoding="utf-8", errors="surrogatepass")
    return path


def assert_clean(text: str) -> None:
    """What was stored from untrusted text: no control character, no card number."""
    assert first_control(text) is None
    assert not looks_like_card_number(text)


@examples
@given(query=hostile)
def test_the_search_box_answers_or_refuses_any_text_and_changes_nothing(
    ctx: Context, town: Town, query: str
) -> None:
    before = snapshot(ctx)
    try:
        lookup.search(ctx, query)
        lookup.count(ctx, query)
    except CounterError as refused:
        assert str(refused)
    assert snapshot(ctx) == before


def test_a_pasted_2000_word_search_reads_only_its_first_words(ctx: Context, town: Town) -> None:
    result = lookup.search(ctx, " ".join(["smith"] + ["oak"] * 1999))
    assert result.cut
    assert "001234-01" in [h.number for h in result.hits]
    assert lookup.count(ctx, "smith " * 2000).total >= 1
    assert not lookup.search(ctx, "smith john").cut


def test_a_search_is_cut_to_its_first_words(ctx: Context, town: Town) -> None:
    words = [f"w{i}" for i in range(MAX_QUERY_WORDS + 3)]
    assert lookup.search(ctx, " ".join(words)).cut


@examples
@given(name=hostile, address=hostile, meter=hostile, phone=hostile)
def test_an_accounts_file_with_hostile_text_is_refused_or_stored_clean(
    ctx: Context, town: Town, tmp_path: Path, name: str, address: str, meter: str, phone: str
) -> None:
    path = written(
        tmp_path,
        [
            ["account_number", "customer_name", "service_address", "meter_number", "phone"],
            ["077777-01", name, address, meter, phone],
        ],
    )
    before = snapshot(ctx)
    try:
        importing.import_accounts(ctx, path)
    except ImportFailed as refused:
        assert refused.problems or str(refused)
        assert snapshot(ctx) == before
        return
    stored = lookup.get_account(ctx, "077777-01")
    for text in (stored.customer_name, stored.service_address):
        assert_clean(text)


@examples
@given(charge_id=hostile, description=hostile, amount=hostile)
def test_a_charges_file_with_hostile_text_is_refused_or_stored_clean(
    ctx: Context, town: Town, tmp_path: Path, charge_id: str, description: str, amount: str
) -> None:
    header = ["charge_id", "account_number", "kind", "description", "bill_date", "due_date"]
    path = written(
        tmp_path,
        [
            [*header, "amount", "open_amount"],
            [
                charge_id,
                "001234-01",
                "water",
                description,
                "2026-11-01",
                "2026-11-22",
                amount,
                amount,
            ],
        ],
    )
    before = snapshot(ctx)
    try:
        importing.import_charges(ctx, path)
    except ImportFailed:
        assert snapshot(ctx) == before
        return
    with ctx.db.read() as session:
        row = session.execute(select(Charge).where(Charge.external_id == charge_id)).scalar_one()
    assert_clean(row.external_id)
    assert_clean(row.description)


@examples
@given(account=hostile, amount=hostile, reference=hostile, key=hostile)
def test_a_payments_file_with_hostile_cells_is_refused_or_posted_clean(
    ctx: Context, town: Town, account: str, amount: str, reference: str, key: str
) -> None:
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(["account_number", "amount", "tender", "reference", "idempotency_key"])
    writer.writerow([account, amount, "check", reference, key])
    before = snapshot(ctx)
    try:
        result = import_payments(ctx, out.getvalue().splitlines(keepends=True), "h.csv", "maria")
    except CounterError as refused:
        assert str(refused)
        assert snapshot(ctx) == before
        return
    assert result.posted + result.already_posted == 1
    with ctx.db.read() as session:
        refs = session.execute(select(Tender.reference)).scalars().all()
    for ref in refs:
        assert_clean(ref)


@pytest.mark.parametrize(
    "encoded",
    [
        "account_number,customer_name,service_address\n077777-01,Núñez,1 Elm\n".encode("latin-1"),
        "account_number,customer_name,service_address\n077777-01,Ann,1 Elm\n".encode("utf-16"),
        b"account_number,customer_name,service_address\n" + bytes(range(128, 256)),
        b"\xff\xfe\x00\x00garbage",
    ],
    ids=["latin-1", "utf-16", "high-bytes", "bad-bom"],
)
def test_a_file_in_another_encoding_is_refused_saying_which_was_expected(
    ctx: Context, town: Town, tmp_path: Path, encoded: bytes
) -> None:
    path = tmp_path / "wrong.csv"
    path.write_bytes(encoded)
    before = snapshot(ctx)
    with pytest.raises(ImportFailed) as refused:
        importing.import_accounts(ctx, path)
    assert "UTF-8" in str(refused.value)
    assert snapshot(ctx) == before
