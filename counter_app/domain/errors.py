"""Domain exceptions. Every message is one a cashier or supervisor can act on."""

from __future__ import annotations


class CounterError(Exception):
    """Base of every error Counter shows to a person; ``str(err)`` is the message."""


class ValidationError(CounterError):
    """Input that cannot be accepted as typed; nothing was changed."""


class InvalidMoney(ValidationError):
    """Text or a number that is not an exact amount of cents."""


class InvalidAccountNumber(ValidationError):
    """An account number that is malformed or fails its check digit."""


class NotFound(CounterError):
    """The thing asked for does not exist."""


class PermissionDenied(CounterError):
    """The user's role does not allow the action (an override may)."""


class AuthenticationFailed(CounterError):
    """Wrong username or password, a disabled user, or a locked-out user."""


class ConfigError(CounterError):
    """A setting that cannot be used; the message names the setting and the fix."""


class StorageUnavailable(ConfigError):
    """The database cannot be reached or opened (server down, file unreadable, locked):
    nothing was changed, and trying again later may work."""

    reason = ""  # what the database or its driver said, in brief

    @classmethod
    def no_answer(cls, waited_s: float) -> StorageUnavailable:
        """The database was asked and has not answered for ``waited_s`` seconds."""
        error = cls(
            f"The database has not answered for {waited_s:.1f} s: check the database server "
            "and the network"
        )
        error.reason = f"no answer in {waited_s:.1f} s"
        return error


class OutcomeUnknown(CounterError):
    """The connection failed while the database committed (COMMIT sent, no answer): the
    change may or may not have been made. Never do it again blindly: ask the database (a
    post by its idempotency key) once it answers."""

    def __init__(self, reason: str, receipt: str = "") -> None:
        self.reason = reason
        self.receipt = receipt
        if receipt:
            message = (
                f"The database did not say whether receipt {receipt} was posted ({reason}): "
                "checking… keep the customer's money and the transaction as they are"
            )
        else:
            message = (
                f"The database did not say whether the change was saved ({reason}): it may "
                "have been. Look before doing it again (a payments import may be run again: "
                "its keys post at most once)"
            )
        super().__init__(message)

    def of_receipt(self, receipt: str) -> OutcomeUnknown:
        """The same unknown outcome, for the post that would be receipt ``receipt``."""
        return OutcomeUnknown(self.reason, receipt)


class ImportFailed(CounterError):
    """A file import that was rejected whole; ``problems`` lists (line, reason)."""

    def __init__(self, path: str, problems: list[tuple[int, str]]) -> None:
        self.path = path
        self.problems = problems
        shown = "\n".join(f"  line {line}: {reason}" for line, reason in problems[:50])
        more = f"\n  … and {len(problems) - 50} more problems" if len(problems) > 50 else ""
        rows = len({line for line, _ in problems})
        super().__init__(f"{path}: {rows} bad row(s); nothing was imported.\n{shown}{more}")
