"""What the publisher provides to the identity manager: ``IdentityStore`` (with the in-memory
``MemoryStore``) and ``StatusListener``, and the private adapters that hand them to the Rust
core."""

from __future__ import annotations

import abc
import logging
import re
import threading
import traceback
from collections import OrderedDict
from dataclasses import dataclass
from types import MappingProxyType
from typing import Mapping

from . import _native
from ._identity import IdentityStatus

__all__ = ["IdentityStore", "MemoryStore", "StatusListener"]

logger = logging.getLogger("euid_sdk")

_MAX_DETAIL_CHARS = 200


class IdentityStore(abc.ABC):
    """Where the identity manager keeps each user's identity between requests.

    Subclass it over a session store, a database or Redis (:class:`RedisStore` ships with the
    SDK; :class:`MemoryStore` keeps everything in the process). Users are the publisher's own
    keys (an account id, a session id); identities cross as their JSON, which holds the
    refresh token: store it as a secret.

    The **opt-out marker is separate from the identity**: :meth:`delete` (logout) removes the
    identity and keeps the marker, so a user who opted out is never generated for again.

    The methods run on the SDK's threads, possibly several at once: make them thread-safe and
    quick. The SDK has two such threads, so a store call that hangs holds up other users' calls
    too: give a network store short timeouts. Raise any exception to report a failure: the SDK
    turns it into :class:`StoreError` for the caller and keeps what was stored before.

    >>> class SessionStore(IdentityStore):  # doctest: +SKIP
    ...     def load(self, user): return db.get_identity(user)
    ...     ...
    """

    @abc.abstractmethod
    def load(self, user: str) -> str | None:
        """The user's identity JSON, or None when none is stored.

        Args:
            user: The publisher's key for the user.
        """

    @abc.abstractmethod
    def save(self, user: str, identity_json: str) -> None:
        """Stores the user's identity JSON, replacing any earlier one.

        Args:
            user: The publisher's key for the user.
            identity_json: The whole identity; ``refresh_expires`` (epoch milliseconds) says
                when it becomes useless, so a store may let it expire then.
        """

    @abc.abstractmethod
    def delete(self, user: str) -> None:
        """Deletes the user's identity, if any. The opt-out marker stays.

        Args:
            user: The publisher's key for the user.
        """

    @abc.abstractmethod
    def is_opted_out(self, user: str) -> bool:
        """Whether the user's opt-out marker is set.

        Args:
            user: The publisher's key for the user.
        """

    @abc.abstractmethod
    def set_opted_out(self, user: str) -> None:
        """Sets the user's opt-out marker. It never expires and logout keeps it.

        Args:
            user: The publisher's key for the user.
        """


@dataclass
class _Entry:
    identity_json: str | None = None
    opted_out: bool = False


class MemoryStore(IdentityStore):
    """A thread-safe :class:`IdentityStore` in this process's memory.

    Good for one server, tests and demos; identities are lost at restart and not shared
    between servers (use :class:`RedisStore` for a fleet).

    >>> store = MemoryStore(max_users=100_000)
    >>> store.set_opted_out("olga")
    >>> store.opted_out_users
    frozenset({'olga'})

    Args:
        max_users: The most users kept (with an identity or a marker). Beyond it the user
            stored first is evicted, identity and marker. Default: no bound.

    Raises:
        ValueError: ``max_users`` is less than 1.
    """

    def __init__(self, *, max_users: int | None = None) -> None:
        if max_users is not None and max_users < 1:
            raise ValueError("max_users must be at least 1")
        self._max_users = max_users
        self._lock = threading.Lock()
        self._entries: OrderedDict[str, _Entry] = OrderedDict()

    @property
    def max_users(self) -> int | None:
        """The bound on users, or None."""
        return self._max_users

    def load(self, user: str) -> str | None:
        with self._lock:
            entry = self._entries.get(user)
            return None if entry is None else entry.identity_json

    def save(self, user: str, identity_json: str) -> None:
        with self._lock:
            self._update(user).identity_json = identity_json

    def delete(self, user: str) -> None:
        with self._lock:
            if user in self._entries:
                self._entries[user].identity_json = None
                self._forget_if_empty(user)

    def is_opted_out(self, user: str) -> bool:
        with self._lock:
            entry = self._entries.get(user)
            return entry is not None and entry.opted_out

    def set_opted_out(self, user: str) -> None:
        with self._lock:
            self._update(user).opted_out = True

    @property
    def users(self) -> frozenset[str]:
        """Every user with an identity or a marker (a snapshot)."""
        with self._lock:
            return frozenset(self._entries)

    @property
    def opted_out_users(self) -> frozenset[str]:
        """The users whose opt-out marker is set (a snapshot)."""
        with self._lock:
            return frozenset(user for user, entry in self._entries.items() if entry.opted_out)

    def identities(self) -> Mapping[str, str]:
        """A read-only snapshot of the stored identity JSON by user (secrets: do not log)."""
        with self._lock:
            return MappingProxyType(
                {
                    user: entry.identity_json
                    for user, entry in self._entries.items()
                    if entry.identity_json is not None
                }
            )

    def clear(self) -> None:
        """Forgets every identity and marker."""
        with self._lock:
            self._entries.clear()

    def __len__(self) -> int:
        with self._lock:
            return len(self._entries)

    def __contains__(self, user: object) -> bool:
        with self._lock:
            return user in self._entries

    def __repr__(self) -> str:
        return f"MemoryStore(users={len(self)}, max_users={self._max_users})"

    def _update(self, user: str) -> _Entry:
        """The user's entry, created (evicting the oldest users if full) when missing. The lock
        is held."""
        entry = self._entries.get(user)
        if entry is None:
            if self._max_users is not None:
                while len(self._entries) >= self._max_users:
                    self._entries.popitem(last=False)
            entry = self._entries[user] = _Entry()
        return entry

    def _forget_if_empty(self, user: str) -> None:
        entry = self._entries[user]
        if entry.identity_json is None and not entry.opted_out:
            del self._entries[user]


class StatusListener(abc.ABC):
    """Hears every identity status change the manager causes, to log or count them.

    Called on the SDK's threads (or the caller's, for ``logout``); keep it quick. An exception
    raised here is logged on the ``euid_sdk`` logger and otherwise ignored.

    >>> class Counter(StatusListener):  # doctest: +SKIP
    ...     def status_changed(self, user, old, new):
    ...         metrics.increment(f"euid.{new.name.lower()}")
    """

    @abc.abstractmethod
    def status_changed(self, user: str, old: IdentityStatus, new: IdentityStatus) -> None:
        """``user``'s identity went from ``old`` to ``new`` (never equal).

        Args:
            user: The publisher's key for the user.
            old: The status before.
            new: The status after.
        """


def _redacted(err: Exception, user: str, identity_json: str | None) -> str:
    """``err``'s message without the user key (often an email) or the identity JSON, and
    withheld entirely if it still looks like it quotes an identity."""
    text = str(err)
    if identity_json and identity_json in text:
        text = text.replace(identity_json, "<identity>")
    if user:
        # The key where it stands alone, not inside a longer word ("u" in "unique" stays).
        text = re.sub(rf"(?<![\w.@+-]){re.escape(user)}(?![\w.@+-])", "<user>", text)
    if "advertising_token" in text or "refresh_token" in text:
        text = "<message withheld: it may contain an identity>"
    if len(text) > _MAX_DETAIL_CHARS:
        text = text[:_MAX_DETAIL_CHARS] + "..."
    return text


def _where(err: Exception) -> str:
    """Where ``err`` was raised: function, file and line of each frame, innermost first."""
    return " <- ".join(
        f"{frame.name} ({frame.filename}:{frame.lineno})"
        for frame in reversed(traceback.extract_tb(err.__traceback__))
    )


def _store_error(
    method: str, err: Exception, user: str, identity_json: str | None = None
) -> Exception:
    """The native store error for ``err``: its type and message, with neither the user key nor
    the identity JSON."""
    text = _redacted(err, user, identity_json)
    detail = f"{method}() raised {type(err).__name__}" + (f": {text}" if text else "")
    logger.warning(
        "the identity store's %s() raised %s in %s", method, type(err).__name__, _where(err)
    )
    error: Exception = _native.EuidError.Store(kind="store", detail=detail)
    return error


class _NativeStore(_native.IdentityStore):  # type: ignore[misc]
    """A publisher's :class:`IdentityStore` as the generated foreign trait.

    Every exception becomes the generated ``EuidError.Store``, so none crosses into Rust as an
    unexpected error (whose text would be the exception's repr)."""

    def __init__(self, store: IdentityStore) -> None:
        self._store = store

    def load(self, user: str) -> str | None:
        try:
            found = self._store.load(user)
            if found is not None and not isinstance(found, str):
                raise TypeError(f"load() must return str or None, not {type(found).__name__}")
            return found
        except Exception as err:
            raise _store_error("load", err, user) from None

    def save(self, user: str, identity_json: str) -> None:
        try:
            self._store.save(user, identity_json)
        except Exception as err:
            raise _store_error("save", err, user, identity_json) from None

    def delete(self, user: str) -> None:
        try:
            self._store.delete(user)
        except Exception as err:
            raise _store_error("delete", err, user) from None

    def is_opted_out(self, user: str) -> bool:
        try:
            return bool(self._store.is_opted_out(user))
        except Exception as err:
            raise _store_error("is_opted_out", err, user) from None

    def set_opted_out(self, user: str) -> None:
        try:
            self._store.set_opted_out(user)
        except Exception as err:
            raise _store_error("set_opted_out", err, user) from None


class _NativeListener(_native.StatusListener):  # type: ignore[misc]
    """A publisher's :class:`StatusListener` as the generated foreign trait. Exceptions are
    logged and swallowed: the generated code would turn them into a Rust panic."""

    def __init__(self, listener: StatusListener) -> None:
        self._listener = listener

    def status_changed(
        self, user: str, old: _native.IdentityStatus, new: _native.IdentityStatus
    ) -> None:
        try:
            self._listener.status_changed(
                user, IdentityStatus._from_native(old), IdentityStatus._from_native(new)
            )
        except Exception as err:
            # Not logger.exception: the traceback's message could quote the user key.
            text = _redacted(err, user, None)
            logger.error(
                "a StatusListener raised %s%s in %s; the change is not reported again",
                type(err).__name__,
                f": {text}" if text else "",
                _where(err),
            )


def native_store(store: IdentityStore | None) -> _NativeStore | None:
    """The adapter for ``store`` (None keeps the SDK's built-in in-memory store)."""
    if store is None:
        return None
    if not isinstance(store, IdentityStore):
        raise TypeError(f"store must be an euid_sdk.IdentityStore, not {type(store).__name__}")
    return _NativeStore(store)


def native_listener(listener: StatusListener | None) -> _NativeListener | None:
    """The adapter for ``listener``, if any."""
    if listener is None:
        return None
    if not isinstance(listener, StatusListener):
        raise TypeError(
            f"listener must be an euid_sdk.StatusListener, not {type(listener).__name__}"
        )
    return _NativeListener(listener)
