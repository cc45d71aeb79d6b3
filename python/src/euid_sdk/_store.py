"""``IdentityStore``: where the identity manager keeps each user's identity, implemented by the
publisher (or :class:`MemoryStore`, :class:`RedisStore`)."""

from __future__ import annotations

import abc

__all__ = ["IdentityStore"]


class IdentityStore(abc.ABC):
    """Where the identity manager keeps each user's identity between requests.

    Subclass it over a session store, a database or Redis (:class:`RedisStore` ships with the
    SDK; :class:`MemoryStore` keeps everything in the process). Users are the publisher's own
    keys (an account id, a session id); identities cross as their JSON, which holds the
    refresh token: store it as a secret.

    The **opt-out marker is separate from the identity**: :meth:`delete` (logout) removes the
    identity and keeps the marker, so a user who opted out is never generated for again.

    The methods run on the SDK's pool of threads for blocking work, possibly several at once:
    make them thread-safe. A slow store holds up only the calls that wait for it; still, give a
    network store short timeouts. Raise any exception to report a failure: the SDK
    turns it into :class:`StoreError` for the caller (the exception's type and message, the
    user key and the identity's tokens taken out) and keeps what was stored before.

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
