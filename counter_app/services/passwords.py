"""Password hashing with argon2, at the cost the composition root chooses (``app.py``)."""

from __future__ import annotations

import threading

from argon2 import Parameters, PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError
from argon2.profiles import get_default_parameters


class Passwords:
    """Hashes and checks passwords at one argon2 cost.

    ``parameters`` default to argon2-cffi's recommended ones (what a station uses); tests
    pass a cheap set. Hashes made at another cost still verify, and ``needs_rehash`` says so.
    """

    def __init__(self, parameters: Parameters | None = None) -> None:
        self.parameters = parameters or get_default_parameters()
        self._hasher = PasswordHasher.from_parameters(self.parameters)
        self._dummy_hash: str | None = None
        self._lock = threading.Lock()

    def hash(self, password: str) -> str:
        return self._hasher.hash(password)

    def verify(self, pw_hash: str, password: str) -> bool:
        """Whether ``password`` matches ``pw_hash``; a malformed hash matches nothing."""
        try:
            return self._hasher.verify(pw_hash, password)
        except (VerificationError, InvalidHashError):
            return False

    def needs_rehash(self, pw_hash: str) -> bool:
        """Whether ``pw_hash`` was made at another cost than this one."""
        return self._hasher.check_needs_rehash(pw_hash)

    def verify_nobody(self, password: str) -> None:
        """Spend what checking a real password costs, for a username that does not exist,
        so the time taken does not reveal which usernames do."""
        self.verify(self._dummy(), password)

    def _dummy(self) -> str:
        # made on first use, so building a Passwords (one per Context) costs nothing
        with self._lock:
            if self._dummy_hash is None:
                self._dummy_hash = self.hash("not-a-real-password")
            return self._dummy_hash

    def __repr__(self) -> str:
        p = self.parameters
        return (
            f"Passwords(time_cost={p.time_cost}, memory_cost={p.memory_cost}, "
            f"parallelism={p.parallelism})"
        )
