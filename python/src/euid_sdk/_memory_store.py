"""``MemoryStore``: the core's in-memory identity store."""

from __future__ import annotations

from . import _native
from ._errors import translated
from ._store import IdentityStore

__all__ = ["MemoryStore"]


class MemoryStore(IdentityStore):
    """A thread-safe :class:`IdentityStore` in this process's memory: the Rust core's, so a
    manager over it never calls into Python.

    Good for one server, tests and demos; identities are lost at restart and not shared
    between servers (use :class:`RedisStore` for a fleet). It keeps identities, not text: what
    :meth:`save` is given must be identity JSON, and :meth:`load` gives it back as the core
    writes it.

    >>> store = MemoryStore(max_users=100_000)
    >>> store.set_opted_out("olga")
    >>> store.is_opted_out("olga"), len(store)
    (True, 1)

    Args:
        max_users: The most users kept (with an identity or a marker). Beyond it the user
            stored first is evicted, identity and marker. Default: no bound.

    Raises:
        InvalidInputError: ``max_users`` is less than 1 (a ``ValueError``).
        TypeError: ``max_users`` is not an int or None.
    """

    __slots__ = ("_inner",)

    @translated
    def __init__(self, *, max_users: int | None = None) -> None:
        if isinstance(max_users, bool) or not isinstance(max_users, (int, type(None))):
            raise TypeError(f"max_users must be an int or None, not {type(max_users).__name__}")
        # The core refuses a bound below 1; a negative one is passed as 0 to be refused the same.
        self._inner = _native.MemoryStore(None if max_users is None else max(max_users, 0))

    @property
    def max_users(self) -> int | None:
        """The bound on users, or None."""
        bound: int | None = self._inner.max_users()
        return bound

    @translated
    def load(self, user: str) -> str | None:
        found: str | None = self._inner.load(user)
        return found

    @translated
    def save(self, user: str, identity_json: str) -> None:
        self._inner.save(user, identity_json)

    @translated
    def delete(self, user: str) -> None:
        self._inner.delete(user)

    @translated
    def is_opted_out(self, user: str) -> bool:
        return bool(self._inner.is_opted_out(user))

    @translated
    def set_opted_out(self, user: str) -> None:
        self._inner.set_opted_out(user)

    def __len__(self) -> int:
        """The users kept, with an identity or a marker."""
        return int(translated(self._inner.len)())

    def __repr__(self) -> str:
        return f"MemoryStore(users={len(self)}, max_users={self.max_users})"
