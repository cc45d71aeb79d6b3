"""The Rust core's log records, forwarded to Python's ``logging`` under the ``euid_sdk`` logger.

The sink is installed when the package is imported. Rust sends a record only at or above the
level set here, so a level the logger does not want costs no call into Python. That level
follows the logger's effective level: read at import, again whenever a client or a manager is
created (applications usually configure logging after importing), and on
:func:`set_log_level`.

Records carry no secret: the core never logs a key, token, email or response body.
"""

from __future__ import annotations

import atexit
import logging
import threading

from . import _native

__all__ = ["set_log_level"]

LOGGER_NAME = "euid_sdk"
"""The one logger of the SDK, for Python's own records and the Rust core's."""

TRACE = logging.DEBUG - 5
"""The ``logging`` level of the core's trace records (5): below DEBUG, and unnamed."""

logger = logging.getLogger(LOGGER_NAME)

# Most verbose first: the first level the logger is enabled for is the one forwarded.
_LEVELS = (
    (_native.LogLevel.TRACE, TRACE),
    (_native.LogLevel.DEBUG, logging.DEBUG),
    (_native.LogLevel.INFO, logging.INFO),
    (_native.LogLevel.WARN, logging.WARNING),
    (_native.LogLevel.ERROR, logging.ERROR),
)
_TO_LOGGING = {native: level for native, level in _LEVELS}

_lock = threading.Lock()
_forwarded: object = "unset"


class _LogSink(_native.LogSink):  # type: ignore[misc]
    """Hands each Rust record to the ``euid_sdk`` logger, with the Rust module that logged it
    in the record's ``rust_target`` attribute. Never raises: the record is then dropped."""

    def log(self, record: _native.LogRecord) -> None:
        try:
            level = _TO_LOGGING.get(record.level, logging.DEBUG)
            if logger.isEnabledFor(level):
                logger.log(level, "%s", record.message, extra={"rust_target": record.target})
        except Exception:
            pass  # a log record must never break the call that logged it


def _native_level() -> _native.LogLevel | None:
    """The most verbose Rust level the logger wants now, or None for none."""
    for native, level in _LEVELS:
        if logger.isEnabledFor(level):
            return native
    return None


def sync_level() -> None:
    """Forwards records from the logger's current effective level (an FFI call only when it
    changed)."""
    global _forwarded
    wanted = _native_level()
    with _lock:
        if wanted != _forwarded:
            _native.set_log_level(wanted)
            _forwarded = wanted


def install() -> None:
    """Installs the sink, at the logger's current level, and stops forwarding at exit (when the
    interpreter can no longer take calls from the SDK's threads)."""
    global _forwarded
    wanted = _native_level()
    with _lock:
        _native.set_log_sink(_LogSink(), wanted)
        _forwarded = wanted
    atexit.register(_native.set_log_level, None)


def set_log_level(level: int | None) -> None:
    """Sets the level of the ``euid_sdk`` logger and forwards the Rust core's records from
    that level up.

    The SDK follows the logger's effective level by itself when a client or a manager is
    created; call this to change the level later, or after reconfiguring logging while clients
    already exist.

    >>> import logging, euid_sdk
    >>> euid_sdk.set_log_level(logging.DEBUG)  # request lines, retries, outcomes
    >>> euid_sdk.set_log_level(None)  # back to the level inherited from the root logger

    Args:
        level: A ``logging`` level (``logging.DEBUG``, ``logging.INFO``...), or None to clear
            the logger's own level so that it inherits its parent's (``logging.NOTSET``).
            5 or lower also forwards the core's trace records.

    Raises:
        TypeError: ``level`` is not an int or None.
    """
    if level is not None and (isinstance(level, bool) or not isinstance(level, int)):
        raise TypeError("level must be a logging level (int) or None")
    logger.setLevel(logging.NOTSET if level is None else level)
    sync_level()
