"""Session kinds and states, and the steps a session may take (domain/sessions.py)."""

import pytest

from counter_app.domain.errors import ValidationError
from counter_app.domain.money import Money
from counter_app.domain.sessions import (
    OVERRIDE_STEPS,
    SESSION_STEPS,
    MovementKind,
    SessionState,
    SessionStepRefused,
    check_movement,
    check_step,
)
from counter_app.domain.transactions import TransactionKind

OPEN, COUNTED, CLOSED, DEPOSITED = SessionState


def test_a_session_moves_open_counted_closed_deposited_one_step_at_a_time() -> None:
    assert check_step(OPEN, COUNTED) is COUNTED
    assert check_step(COUNTED, CLOSED) is CLOSED
    assert check_step(CLOSED, DEPOSITED) is DEPOSITED


@pytest.mark.parametrize(
    ("current", "target"),
    [(OPEN, CLOSED), (OPEN, DEPOSITED), (COUNTED, DEPOSITED), (OPEN, OPEN), (DEPOSITED, OPEN)],
)
def test_a_session_cannot_skip_a_step_or_leave_deposited(
    current: SessionState, target: SessionState
) -> None:
    with pytest.raises(SessionStepRefused, match="cannot become") as refused:
        check_step(current, target, override=True)
    assert not refused.value.needs_override


@pytest.mark.parametrize("current", [COUNTED, CLOSED])
def test_reopening_needs_an_override(current: SessionState) -> None:
    with pytest.raises(SessionStepRefused, match="needs a supervisor override") as refused:
        check_step(current, OPEN)
    assert refused.value.needs_override
    assert check_step(current, OPEN, override=True) is OPEN


def test_every_state_has_its_steps_and_no_step_back_is_also_a_step_forward() -> None:
    assert set(SESSION_STEPS) == set(SessionState)
    for state, back in OVERRIDE_STEPS.items():
        assert not back & SESSION_STEPS[state]


def test_the_stored_values_are_the_strings_the_database_holds() -> None:
    assert [s.value for s in SessionState] == ["open", "counted", "approved", "deposited"]
    assert CLOSED.label == "closed" and OPEN.label == "open"
    assert [k.value for k in TransactionKind] == ["payment", "void", "nsf_reversal", "refund"]


def test_each_transaction_kind_prints_as_its_slip_and_says_how_it_reversed() -> None:
    assert [k.variant.value for k in TransactionKind] == ["original", "void", "nsf", "refund"]
    assert TransactionKind.VOID.reversed_as == "voided"
    assert TransactionKind.NSF_REVERSAL.reversed_as == "reversed as a returned check"
    assert TransactionKind.REFUND.reversed_as == ""  # a refund reverses no receipt


def test_a_cash_movement_needs_a_reason_and_an_amount_except_a_no_sale() -> None:
    assert check_movement(MovementKind.PAID_IN, Money(500), " float top-up ") == (
        Money(500),
        "float top-up",
    )
    assert check_movement(MovementKind.NO_SALE, Money(999), "change for a $20") == (
        Money(0),
        "change for a $20",
    )
    with pytest.raises(ValidationError, match="Paid-out: enter the reason"):
        check_movement(MovementKind.PAID_OUT, Money(500), "  ")
    with pytest.raises(ValidationError, match="Drop: the amount must be more than zero"):
        check_movement(MovementKind.DROP, Money(0), "to the safe")
