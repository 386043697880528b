"""psycopg's second opinion on a lost connection, kept off the terminal.

When a PostgreSQL connection dies under a statement, psycopg raises the error (which the
services report as ``DatabaseUnavailable``) and then, cleaning up its pipeline, copy or
transaction on the dead connection, fails again and logs that second failure as a warning:
"error ignored terminating <psycopg.Pipeline [BAD]>: the connection is lost". Counter
configures no logging, so Python printed it on the cashier's terminal. Such a record is by
its nature about an error already raised: it is demoted to DEBUG at its source (a filter
on the ``psycopg`` logger), still there for anyone who logs at that level; every other
psycopg warning is untouched.
"""

from __future__ import annotations

import logging

DRIVER_LOGGER = "psycopg"
SECONDARY = "error ignored "  # psycopg's words for a failure while handling another


class _SecondaryErrorsAsDebug(logging.Filter):
    def filter(self, record: logging.LogRecord) -> bool:
        if isinstance(record.msg, str) and record.msg.startswith(SECONDARY):
            record.levelno, record.levelname = logging.DEBUG, logging.getLevelName(logging.DEBUG)
        return True


_FILTER = _SecondaryErrorsAsDebug()


def quiet_secondary_driver_errors() -> None:
    """Demote psycopg's "error ignored …" warnings to DEBUG (once; calling again is harmless)."""
    logging.getLogger(DRIVER_LOGGER).addFilter(_FILTER)
