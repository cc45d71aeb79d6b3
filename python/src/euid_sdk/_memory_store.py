"""``MemoryStore``: the core's in-memory identity store."""

from __future__ import annotations

from types import MappingProxyType
from typing import Mapping

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
    >>> store.opted_out_users
    frozenset({'olga'})

    Args:
        max_users: The most users kept (with an identity or a marker). Beyond it the user
            stored first is evicted, identity and marker. Default: no bound.

    Raises:
        InvalidInputError: ``max_users`` is less than 1 (a ``ValueError``).
    """

    __slots__ = ("_inner",)

    @translated
    def __init__(self, *, max_users: int | None = None) -> None:
        self._inner = _native.MemoryStore(max_users)

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

    @property
    def users(self) -> frozenset[str]:
        """Every user with an identity or a marker (a snapshot)."""
        return frozenset(translated(self._inner.users)())

    @property
    def opted_out_users(self) -> frozenset[str]:
        """The users whose opt-out marker is set (a snapshot)."""
        return frozenset(translated(self._inner.opted_out_users)())

    def identities(self) -> Mapping[str, str]:
        """A read-only snapshot of the stored identity JSON by user (secrets: do not log)."""
        return MappingProxyType(dict(translated(self._inner.identities)()))

    @translated
    def clear(self) -> None:
        """Forgets every identity and marker."""
        self._inner.clear()

    def __len__(self) -> int:
        return int(translated(self._inner.len)())

    def __contains__(self, user: object) -> bool:
        return isinstance(user, str) and bool(translated(self._inner.contains)(user))

    def __repr__(self) -> str:
        return f"MemoryStore(users={len(self)}, max_users={self.max_users})"
