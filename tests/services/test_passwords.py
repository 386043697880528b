"""The password hasher: argon2 at the cost the composition root chooses."""

from __future__ import annotations

import dataclasses

from argon2.profiles import CHEAPEST, get_default_parameters

from counter_app.app import build_passwords
from counter_app.services.passwords import Passwords


def test_a_station_hashes_at_argon2s_recommended_cost() -> None:
    assert build_passwords().parameters == get_default_parameters()
    assert build_passwords(CHEAPEST).parameters == CHEAPEST


def test_a_password_verifies_and_a_wrong_one_or_a_malformed_hash_does_not() -> None:
    passwords = Passwords(CHEAPEST)
    stored = passwords.hash("cashier123")
    assert stored.startswith("$argon2id$") and "cashier123" not in stored
    assert passwords.verify(stored, "cashier123")
    assert not passwords.verify(stored, "cashier124")
    assert not passwords.verify("not a hash", "cashier123")
    passwords.verify_nobody("cashier123")  # spends the time, answers nothing


def test_a_hash_made_at_another_cost_still_verifies_and_asks_to_be_rehashed() -> None:
    cheap = Passwords(CHEAPEST)
    dearer = Passwords(dataclasses.replace(CHEAPEST, time_cost=2))
    stored = cheap.hash("supervisor123")
    assert dearer.verify(stored, "supervisor123")
    assert dearer.needs_rehash(stored)
    assert not cheap.needs_rehash(stored)
