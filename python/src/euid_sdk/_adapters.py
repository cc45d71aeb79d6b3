"""The publisher's store and listener as the library's foreign traits.

An exception raised by either crosses into the library as the generated ``EuidError.Store``,
with the exception's type and message as they are: the core takes the user key and the
identity's tokens out of the message (its one redaction rule) before it goes into an error or a
log.
"""

from __future__ import annotations

from typing import Any

from . import _native
from ._identity import IdentityStatus
from ._listener import StatusListener
from ._memory_store import MemoryStore
from ._store import IdentityStore


def _failure(method: str, err: Exception) -> Exception:
    """The library's store error for ``err``, raised by the publisher's ``method``."""
    text = str(err)
    message = f"{method}() raised {type(err).__name__}" + (f": {text}" if text else "")
    info = _native.ErrorInfo(
        kind=_native.ErrorKind.STORE,
        message=message,
        is_retryable=False,
        http_status=None,
        operator_status=None,
        retry_after_ms=None,
    )
    failure: Exception = _native.EuidError.Store(info)
    return failure


class _NativeStore(_native.IdentityStore):  # type: ignore[misc]
    """A publisher's :class:`IdentityStore` as the generated foreign trait."""

    def __init__(self, store: IdentityStore) -> None:
        self._store = store

    def load(self, user: str) -> str | None:
        try:
            found = self._store.load(user)
            if found is not None and not isinstance(found, str):
                raise TypeError(f"load() must return str or None, not {type(found).__name__}")
            return found
        except Exception as err:
            raise _failure("load", err) from None

    def save(self, user: str, identity_json: str) -> None:
        try:
            self._store.save(user, identity_json)
        except Exception as err:
            raise _failure("save", err) from None

    def delete(self, user: str) -> None:
        try:
            self._store.delete(user)
        except Exception as err:
            raise _failure("delete", err) from None

    def is_opted_out(self, user: str) -> bool:
        try:
            return bool(self._store.is_opted_out(user))
        except Exception as err:
            raise _failure("is_opted_out", err) from None

    def set_opted_out(self, user: str) -> None:
        try:
            self._store.set_opted_out(user)
        except Exception as err:
            raise _failure("set_opted_out", err) from None


class _NativeListener(_native.StatusListener):  # type: ignore[misc]
    """A publisher's :class:`StatusListener` as the generated foreign trait."""

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
            raise _failure("status_changed", err) from None


def native_manager(
    client: Any, store: IdentityStore | None, clock: Any, listener: StatusListener | None
) -> _native.IdentityManager:
    """The native manager over ``client``: a plain :class:`MemoryStore` (or none given: a new
    one) stays in Rust; any other store, a subclass of MemoryStore included, is called through
    its Python methods."""
    if store is not None and not isinstance(store, IdentityStore):
        raise TypeError(f"store must be an euid_sdk.IdentityStore, not {type(store).__name__}")
    if listener is not None and not isinstance(listener, StatusListener):
        raise TypeError(
            f"listener must be an euid_sdk.StatusListener, not {type(listener).__name__}"
        )
    native_listener = None if listener is None else _NativeListener(listener)
    if store is None:
        store = MemoryStore()
    if type(store) is MemoryStore:
        return _native.IdentityManager.with_memory_store(
            client, store._inner, clock, native_listener
        )
    return _native.IdentityManager(client, _NativeStore(store), clock, native_listener)
