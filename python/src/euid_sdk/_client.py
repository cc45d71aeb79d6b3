"""``PublisherClient``: the blocking client of the EUID operator, and what it shares with the
asyncio one."""

from __future__ import annotations

from types import TracebackType
from typing import Any, TypeVar

from . import _door, _logging, _native
from ._config import (
    DEFAULT_CONNECT_TIMEOUT,
    DEFAULT_DEADLINE,
    DEFAULT_MAX_RETRIES,
    DEFAULT_TIMEOUT,
    INTEGRATION_URL,
    PRODUCTION_URL,
    Proxy,
    client_config,
)
from ._dii import dii_input
from ._errors import translated
from ._identity import Identity
from ._results import GenerateResult, RefreshResult, generate_result, refresh_result

__all__ = ["PublisherClient"]

_Self = TypeVar("_Self", bound="ClientBase")


class ClientBase:
    """The native client and its door target; the settings and ``close``."""

    __slots__ = ("_inner", "_target", "_base_url", "_closed")

    INTEGRATION_URL = INTEGRATION_URL
    PRODUCTION_URL = PRODUCTION_URL

    def __init__(
        self,
        base_url: str,
        api_key: str,
        client_secret: str,
        *,
        timeout: float = DEFAULT_TIMEOUT,
        connect_timeout: float = DEFAULT_CONNECT_TIMEOUT,
        deadline: float = DEFAULT_DEADLINE,
        max_retries: int = DEFAULT_MAX_RETRIES,
        binary_envelopes: bool = False,
        clock: Any = None,
        proxy: Proxy = None,
        ca_certificates_pem: str | None = None,
    ) -> None:
        config = client_config(
            base_url,
            api_key,
            client_secret,
            timeout=timeout,
            connect_timeout=connect_timeout,
            deadline=deadline,
            max_retries=max_retries,
            binary_envelopes=binary_envelopes,
            clock=clock,
            proxy=proxy,
            ca_certificates_pem=ca_certificates_pem,
        )
        _logging.sync_level()
        self._inner: _native.PublisherClient = translated(_native.PublisherClient)(config)
        self._target: int = self._inner.target()
        self._base_url: str = self._inner.base_url()
        self._closed = False

    @classmethod
    def integration(cls: type[_Self], api_key: str, client_secret: str, **options: Any) -> _Self:
        """A client of the EUID integration environment."""
        return cls(INTEGRATION_URL, api_key, client_secret, **options)

    @classmethod
    def production(cls: type[_Self], api_key: str, client_secret: str, **options: Any) -> _Self:
        """A client of the EUID production environment."""
        return cls(PRODUCTION_URL, api_key, client_secret, **options)

    @property
    def base_url(self) -> str:
        """The base URL requests go to."""
        return self._base_url

    @property
    @translated
    def clock_offset_ms(self) -> int:
        """The clock correction learned from the operator (0 until a drift was seen)."""
        offset: int = self._inner.clock_offset_ms()
        return offset

    @property
    def closed(self) -> bool:
        """Whether :meth:`close` was called."""
        return self._closed

    def close(self) -> None:
        """Releases the client. Later calls raise :class:`ClientClosedError`; calls already
        running finish, and managers built on it keep working."""
        self._closed = True
        self._inner.close_target()

    def __repr__(self) -> str:
        return f"{type(self).__name__}(base_url={self.base_url!r}, credentials=<redacted>)"


class PublisherClient(ClientBase):
    """A blocking client of the EUID operator, safe to share across threads.

    Create one per process and reuse it (it keeps a connection pool). Each call releases the
    GIL while the request runs. It is also safe under pre-fork servers (gunicorn ``--preload``).

    >>> with PublisherClient.integration(API_KEY, CLIENT_SECRET) as client:  # doctest: +SKIP
    ...     result = client.generate_token(email="user@example.com")

    Args:
        base_url: ``PublisherClient.INTEGRATION_URL``, ``PublisherClient.PRODUCTION_URL``, a
            proxy (its path prefix is kept) or ``http://127.0.0.1:port`` for the emulator.
        api_key: The API key (client key) from the EUID portal.
        client_secret: The base64 client secret from the EUID portal.
        timeout: Seconds for one attempt. Default 5.
        connect_timeout: Seconds to connect. Default 2.
        deadline: Seconds for a whole call, retries and backoff included. Default 15.
        max_retries: Retries of network errors, timeouts, 5xx and 429. Default 2.
        binary_envelopes: Send envelopes as ``application/octet-stream``. Default False.
        clock: An ``OffsetClock`` for request timestamps. Default: the system clock.
        proxy: A forward proxy ``http://[user:password@]host[:port]``, or ``euid_sdk.DIRECT``
            for none. Default None: the environment's (``HTTPS_PROXY``, ``ALL_PROXY`` and
            ``NO_PROXY``, upper or lower case, as curl reads them), read when the client is
            created; loopback hosts are always reached directly unless a proxy is given here.
        ca_certificates_pem: PEM text of CA certificates to trust besides the platform's store (a
            private CA, or a TLS-inspecting proxy's). Certificates are always verified.

    Raises:
        ConfigError: a setting is invalid (URL, client secret, timeouts, proxy URL, PEM).

    After :meth:`close`, calls raise :class:`ClientClosedError`.
    """

    __slots__ = ()

    def __enter__(self) -> PublisherClient:
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        traceback: TracebackType | None,
    ) -> None:
        self.close()

    def generate_token(
        self,
        *,
        email: str | None = None,
        phone: str | None = None,
        email_hash: str | None = None,
        phone_hash: str | None = None,
        tcf_consent_string: str | None = None,
        send_unhashed: bool = False,
    ) -> GenerateResult:
        """Generates an identity (``POST /v2/token/generate``) from exactly one identifier.

        Emails and phone numbers are normalized and hashed here; only the hash is sent unless
        ``send_unhashed`` is True.

        Returns:
            ``GenerateSuccess`` (with ``identity``), ``OptOut`` or ``InsufficientConsent``.

        Raises:
            InvalidInputError: the identifier is invalid, or not exactly one was given.
            EuidError: a subclass for each failure (unauthorized, timeout, network...).
        """
        dii = dii_input(email, phone, email_hash, phone_hash, send_unhashed)
        return generate_result(
            _door.call(_door.CLIENT_GENERATE, self._target, dii, tcf_consent_string)
        )

    def refresh_token(self, identity: Identity) -> RefreshResult:
        """Refreshes an identity (``POST /v2/token/refresh``).

        Returns:
            ``RefreshSuccess`` (with the new ``identity``), ``OptOut``, ``ExpiredToken`` or
            ``InvalidToken``.

        Raises:
            EuidError: a subclass for each failure; the identity stays valid until it expires.
        """
        return refresh_result(_door.call(_door.CLIENT_REFRESH, self._target, identity._record))

    def validate_token(
        self,
        advertising_token: str,
        *,
        email: str | None = None,
        phone: str | None = None,
        email_hash: str | None = None,
        phone_hash: str | None = None,
    ) -> bool:
        """Whether ``advertising_token`` was generated from the identifier
        (``POST /v2/token/validate``; meant for integration tests)."""
        dii = dii_input(email, phone, email_hash, phone_hash, False)
        return bool(_door.call(_door.CLIENT_VALIDATE, self._target, advertising_token, dii))
