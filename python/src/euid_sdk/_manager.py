"""``IdentityManager``: each user's identity kept, refreshed once when due, dropped on opt-out
and logout; and what it shares with the asyncio form."""

from __future__ import annotations

from types import TracebackType
from typing import Any

from . import _door, _logging
from ._adapters import native_manager
from ._answers import TokenAnswer, token_answer
from ._client import ClientBase, PublisherClient
from ._dii import dii_input
from ._errors import translated
from ._identity import Identity, IdentityStatus
from ._listener import StatusListener
from ._results import GenerateResult, generate_result
from ._store import IdentityStore

__all__ = ["IdentityManager"]


def identity_of(record: Any) -> Identity | None:
    return None if record is None else Identity._wrap(record)


class ManagerBase:
    """The native manager and its door target; the store given and ``close``."""

    __slots__ = ("_inner", "_target", "_store")

    def __init__(
        self,
        client: ClientBase,
        store: IdentityStore | None = None,
        *,
        clock: Any = None,
        listener: StatusListener | None = None,
    ) -> None:
        if not isinstance(client, ClientBase):
            raise TypeError(f"client must be an euid_sdk client, not {type(client).__name__}")
        _logging.sync_level()
        self._store = store
        self._inner = translated(native_manager)(client._inner, store, clock, listener)
        self._target: int = self._inner.target()

    @property
    def store(self) -> IdentityStore | None:
        """The store given, or None for the SDK's built-in in-memory store."""
        return self._store

    def close(self) -> None:
        """Releases the manager. Later calls raise :class:`ClientClosedError`; calls already
        running finish."""
        self._inner.close_target()

    def __repr__(self) -> str:
        store = "built-in MemoryStore" if self._store is None else type(self._store).__name__
        return f"{type(self).__name__}(store={store})"


class IdentityManager(ManagerBase):
    """Keeps each user's EUID identity: the per-user logic every publisher otherwise writes.

    - :meth:`establish` generates an identity at sign-in and stores it. An opt-out stores the
      opt-out marker instead, and later calls for that user make no request.
    - :meth:`advertising_token` answers the token to send now, refreshing first when it is due.
      Concurrent calls for one user share a single refresh; users never wait for each other.
    - Nothing is lost: a failed refresh keeps the identity (and answers its token while it is
      still valid); an opt-out deletes it and sets the marker; an expired or invalid refresh
      token deletes it.
    - :meth:`logout` deletes the identity without a request (the marker stays).

    Thread-safe: create one per process, over one client, and share it. Every call blocks the
    calling thread (the GIL is released meanwhile); in asyncio code use
    :class:`AsyncIdentityManager`.

    >>> manager = IdentityManager(client, RedisStore(redis.Redis()))  # doctest: +SKIP
    >>> manager.establish(user_id, email="jane.doe@example.com")  # doctest: +SKIP
    GenerateSuccess(identity=Identity(..., tokens=<redacted>))
    >>> manager.advertising_token(user_id)  # doctest: +SKIP
    TokenReady(advertising_token=<redacted>)

    Args:
        client: The client requests go through.
        store: Where identities live. Default: an in-memory store inside the SDK (lost at
            restart; pass :class:`MemoryStore` to look into it).
        clock: An ``OffsetClock`` (tests and demos move it with the emulator's). Default: the
            system clock.
        listener: Hears every status change. Default: none.

    Raises:
        TypeError: ``client``, ``store`` or ``listener`` is of the wrong type.
        ClientClosedError: the client is closed.

    After :meth:`close`, calls raise :class:`ClientClosedError`.
    """

    __slots__ = ()

    def __init__(
        self,
        client: PublisherClient,
        store: IdentityStore | None = None,
        *,
        clock: Any = None,
        listener: StatusListener | None = None,
    ) -> None:
        super().__init__(client, store, clock=clock, listener=listener)

    def __enter__(self) -> IdentityManager:
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        traceback: TracebackType | None,
    ) -> None:
        self.close()

    def establish(
        self,
        user: str,
        *,
        email: str | None = None,
        phone: str | None = None,
        email_hash: str | None = None,
        phone_hash: str | None = None,
        tcf_consent_string: str | None = None,
        send_unhashed: bool = False,
    ) -> GenerateResult:
        """Generates an identity for ``user`` from exactly one identifier and stores it.

        A user with the opt-out marker gets ``OptOut`` without a request; an ``OptOut`` answer
        sets the marker; ``InsufficientConsent`` deletes any stored identity.

        Args:
            user: The publisher's key for the user.
            email: An email address (normalized and hashed here).
            phone: A phone number in E.164 form (hashed here).
            email_hash: A SHA-256 email hash, base64 or hex.
            phone_hash: A SHA-256 phone hash, base64 or hex.
            tcf_consent_string: The user's TCF consent string, if any.
            send_unhashed: Send the normalized email or phone instead of its hash. Default
                False.

        Returns:
            ``GenerateSuccess`` (stored), ``OptOut`` or ``InsufficientConsent``.

        Raises:
            InvalidInputError: the identifier is invalid, or not exactly one was given.
            StoreError: the store failed.
            EuidError: a subclass for each failure of the request; nothing is stored then.
        """
        dii = dii_input(email, phone, email_hash, phone_hash, send_unhashed)
        return generate_result(
            _door.call(_door.MANAGER_ESTABLISH, self._target, user, dii, tcf_consent_string)
        )

    def advertising_token(self, user: str) -> TokenAnswer:
        """The advertising token to send for ``user`` now, refreshing first when it is due.

        Returns:
            ``TokenReady`` (with ``advertising_token``), ``NoIdentity``, ``UserOptedOut``,
            ``RefreshExpired`` or ``IdentityInvalid``; ``needs_login`` tells whether only a new
            sign-in brings a token back.

        Raises:
            StoreError: the store failed; what it held before is kept.
            EuidError: a refresh failed and the token has expired (``ServerError``,
                ``NetworkError``, ``EuidTimeoutError``...). The identity is kept for the next
                try. While the token is still valid a failed refresh answers it instead.
        """
        return token_answer(_door.call(_door.MANAGER_ADVERTISING_TOKEN, self._target, user))

    def logout(self, user: str) -> None:
        """Deletes ``user``'s identity. The opt-out marker stays, and no request is made.

        Raises:
            StoreError: the store failed.
        """
        _door.call(_door.MANAGER_LOGOUT, self._target, user)

    def status(self, user: str) -> IdentityStatus:
        """``user``'s status now, from the store alone (no request): ``NO_IDENTITY``,
        ``ESTABLISHED``, ``EXPIRED`` (refreshable), ``REFRESH_EXPIRED``, ``OPTOUT``...

        Raises:
            StoreError: the store failed.
        """
        return IdentityStatus._from_native(_door.call(_door.MANAGER_STATUS, self._target, user))

    def identity(self, user: str) -> Identity | None:
        """``user``'s stored identity, e.g. to hand it to the browser SDK
        (:func:`euid_sdk.cookie.identity_cookie`).

        Raises:
            StoreError: the store failed.
            InvalidIdentityError: what the store holds is not identity JSON.
        """
        return identity_of(_door.call(_door.MANAGER_IDENTITY, self._target, user))
