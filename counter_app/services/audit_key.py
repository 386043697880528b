"""The office's audit key: a secret kept outside the database (``audit.key_file``).

The audit chain is an HMAC-SHA256 chain under this key (``services/audit.py``), so someone
with only database access cannot recompute it after changing a row. Every station of one
database needs the same key file: the first one to write makes it (or ``counter-app audit
init-key``), and the others get a copy. The file holds 64 hex digits and is mode 0600.
"""

from __future__ import annotations

import functools
import hashlib
import hmac
import os
import secrets
from pathlib import Path

from counter_app.domain.errors import ConfigError

KEY_BYTES = 32


def key_id(key: bytes) -> str:
    """A short name of the key that does not reveal it (shown in messages and events)."""
    return hmac.new(key, b"counter audit key id", hashlib.sha256).hexdigest()[:16]


def read_key(path: Path) -> bytes | None:
    """The key in ``path``, or None when there is no such file. Every audit event needs it,
    so the file is read again only when it changed (another file, size, times)."""
    try:
        found = path.stat()
    except FileNotFoundError:
        return None
    except OSError as exc:
        raise _unreadable(path, exc) from None
    changed = (found.st_ino, found.st_size, found.st_mtime_ns, found.st_ctime_ns)
    return _read_key(path, changed)


def _unreadable(path: Path, exc: Exception) -> ConfigError:
    return ConfigError(
        f"audit.key_file {path}: cannot read the audit key ({exc}): check the file and "
        "its permissions"
    )


@functools.lru_cache(maxsize=8)
def _read_key(path: Path, _changed: tuple[int, ...]) -> bytes | None:
    try:
        text = path.read_text(encoding="ascii").strip()
    except FileNotFoundError:
        return None
    except (OSError, UnicodeDecodeError) as exc:
        raise _unreadable(path, exc) from None
    try:
        key = bytes.fromhex(text)
    except ValueError:
        key = b""
    if len(key) != KEY_BYTES:
        raise ConfigError(
            f"audit.key_file {path} is not a Counter audit key (64 hex digits): put back the "
            "office's key file"
        )
    return key


def create_key(path: Path) -> tuple[bytes, bool]:
    """The key in ``path``, made (mode 0600) when there is none; whether it was made. Two
    processes making it at once end up with the same one (the file appears whole or not)."""
    found = read_key(path)
    if found is not None:
        return found, False
    key = secrets.token_bytes(KEY_BYTES)
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        temp = path.with_name(f".{path.name}.{os.getpid()}.{secrets.token_hex(4)}")
        fd = os.open(temp, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        with os.fdopen(fd, "w", encoding="ascii") as out:
            out.write(key.hex() + "\n")
        try:
            os.link(temp, path)  # fails if another process made it first
        except FileExistsError:
            pass
        finally:
            temp.unlink()
    except OSError as exc:
        raise ConfigError(
            f"audit.key_file {path}: cannot create the audit key ({exc.strerror}): set "
            "audit.key_file to a folder this user may write"
        ) from None
    made = read_key(path)
    assert made is not None
    return made, made == key
