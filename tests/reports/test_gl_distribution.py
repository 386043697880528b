"""The split of collections to GL codes (pure), and the GL codes as settings."""

from __future__ import annotations

import re
import tomllib

import pytest

from counter_app.config import GlSettings, load_settings
from counter_app.domain.errors import ConfigError
from counter_app.domain.money import Money
from counter_app.domain.report_figures import distribute
from tests.helpers import ROOT

M = Money.parse
CODES = GlSettings().model_dump()


def test_each_charge_kind_goes_to_its_category_and_credit_to_its_own() -> None:
    split = distribute(
        {"water": M("30.00"), "late_fee": M("5.00"), "nsf_fee": M("35.00"), None: M("2.50")},
        -M("1.00"),
        CODES,
    )
    assert [(line.code, line.amount) for line in split.revenue] == [
        ("4100-WATER", M("30.00")),
        ("4500-FEES", M("40.00")),
        ("2300-CREDIT", M("2.50")),
    ]
    assert split.collections == M("72.50")
    assert split.total == M("71.50")
    assert split.over_short.code == "6900-OVERSHORT"


def test_categories_that_share_a_code_share_a_line_named_for_both() -> None:
    codes = {**CODES, "final_bill": CODES["water"]}
    split = distribute({"water": M("10.00"), "final_bill": M("4.00")}, Money(0), codes)
    assert [(line.label, line.amount) for line in split.revenue] == [
        ("Water + Final bills", M("14.00"))
    ]


def test_a_reversal_nets_its_category_to_zero_and_keeps_the_line() -> None:
    split = distribute({"sewer": Money(0)}, Money(0), CODES)
    assert [(line.code, line.amount) for line in split.revenue] == [("4200-SEWER", Money(0))]


def test_gl_codes_are_settings(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("COUNTER_GL__WATER", " 01-4100 ")
    assert load_settings().gl.water == "01-4100"


def test_a_gl_code_with_a_control_character_is_refused(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("COUNTER_GL__SEWER", "42\x1b00")
    with pytest.raises(ConfigError, match=r"gl\.sewer .*a GL code is 1-30 letters"):
        load_settings()


def test_the_readme_lists_the_default_gl_codes() -> None:
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    block = re.search(r"```toml\n(\[gl\]\n.*?)```", readme, re.DOTALL)
    assert block is not None
    assert tomllib.loads(block.group(1))["gl"] == GlSettings().model_dump()
