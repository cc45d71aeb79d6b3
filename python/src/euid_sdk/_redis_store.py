"""``RedisStore``: identities in Redis, shared by every server of a fleet.

redis-py is not a dependency of this package: ``pip install redis`` next to it. Nothing here
imports it; the caller passes its own client.
"""

from __future__ import annotations

import json
from typing import TYPE_CHECKING, Any

from ._store import IdentityStore

if TYPE_CHECKING:
    import redis

__all__ = ["RedisStore", "DEFAULT_REDIS_PREFIX"]

DEFAULT_REDIS_PREFIX = "euid:"
"""The prefix of every key a :class:`RedisStore` writes."""


class RedisStore(IdentityStore):
    """An :class:`IdentityStore` over Redis, so that a fleet of servers shares identities: a
    user established on one server gets their token on any other, and a refresh or opt-out
    seen by one is seen by all.

    Keys (``prefix`` defaults to ``"euid:"``):

    - ``{prefix}identity:{user}`` holds the identity JSON and expires at the identity's
      ``refresh_expires``, so Redis drops identities that can no longer be refreshed by itself;
    - ``{prefix}optout:{user}`` is the opt-out marker, with no expiry.

    Each method is one Redis command. Give the client short timeouts
    (``socket_timeout``, ``socket_connect_timeout``): the SDK calls the store on its own
    threads, and a failure reaches the caller as :class:`StoreError`.

    >>> import redis  # pip install redis
    >>> store = RedisStore(redis.Redis(host="cache", socket_timeout=0.5))  # doctest: +SKIP
    >>> manager = IdentityManager(client, store)  # doctest: +SKIP

    Args:
        client: A ``redis.Redis`` (or ``redis.RedisCluster``) client, with or without
            ``decode_responses``.
        prefix: Prepended to every key. Default ``"euid:"``.
    """

    def __init__(self, client: redis.Redis, *, prefix: str = DEFAULT_REDIS_PREFIX) -> None:
        self._redis: Any = client
        self._prefix = prefix

    @property
    def prefix(self) -> str:
        """The key prefix."""
        return self._prefix

    def identity_key(self, user: str) -> str:
        """The key of ``user``'s identity JSON."""
        return f"{self._prefix}identity:{user}"

    def opt_out_key(self, user: str) -> str:
        """The key of ``user``'s opt-out marker."""
        return f"{self._prefix}optout:{user}"

    def load(self, user: str) -> str | None:
        value = self._redis.get(self.identity_key(user))
        if value is None:
            return None
        if isinstance(value, (bytes, bytearray, memoryview)):
            return bytes(value).decode("utf-8")
        return str(value)

    def save(self, user: str, identity_json: str) -> None:
        refresh_expires = json.loads(identity_json).get("refresh_expires")
        if isinstance(refresh_expires, bool) or not isinstance(refresh_expires, int):
            raise ValueError("the identity has no integer refresh_expires")
        # PXAT: Redis deletes the key when the refresh token expires (at once if it has).
        self._redis.set(self.identity_key(user), identity_json, pxat=max(refresh_expires, 1))

    def delete(self, user: str) -> None:
        self._redis.delete(self.identity_key(user))

    def is_opted_out(self, user: str) -> bool:
        return bool(self._redis.exists(self.opt_out_key(user)))

    def set_opted_out(self, user: str) -> None:
        self._redis.set(self.opt_out_key(user), "1")

    def __repr__(self) -> str:
        return f"RedisStore(prefix={self._prefix!r})"
