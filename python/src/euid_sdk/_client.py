"""The operator clients: ``PublisherClient`` (blocking) and ``AsyncPublisherClient`` (asyncio)."""

from __future__ import annotations

import asyncio
import itertools
import weakref
from types import TracebackType
from typing import Any, TypeVar

from . import _logging, _native
from ._errors import ConfigError, InvalidInputError, translated, translated_async
from ._identity import Identity
from ._raw import RawClient
from ._results import GenerateResult, RefreshResult, generate_result, refresh_result

__all__ = ["PublisherClient", "AsyncPublisherClient", "OffsetClock", "INTEGRATION_URL",
           "PRODUCTION_URL"]

INTEGRATION_URL: str = _native.integration_url()
"""The EUID integration environment: ``https://integ.euid.eu``."""

PRODUCTION_URL: str = _native.production_url()
"""The EUID production environment: ``https://prod.euid.eu``."""

OffsetClock = _native.OffsetClock
"""A clock running at an adjustable offset from the system clock (``advance_ms``), for tests
and demos that move the emulator's clock."""

DEFAULT_TIMEOUT = 5.0
"""Seconds allowed for one attempt."""
DEFAULT_CONNECT_TIMEOUT = 2.0
"""Seconds allowed to connect."""
DEFAULT_DEADLINE = 15.0
"""Seconds allowed for a whole call, retries included."""
DEFAULT_MAX_RETRIES = 2
"""Retries of transient failures (network, timeout, 5xx, 429) after the first attempt."""
CLIENT_VERSION = "euid-sdk-python-0.1.0"
"""The ``X-UID2-Client-Version`` this package sends."""

_Self = TypeVar("_Self", bound="_ClientBase")


def _ms(seconds: float, name: str) -> int:
    if seconds <= 0:
        raise ConfigError(f"{name} must be greater than zero", kind="config")
    return int(seconds * 1000)


def dii_input(
    email: str | None,
    phone: str | None,
    email_hash: str | None,
    phone_hash: str | None,
    send_unhashed: bool,
) -> _native.DiiInput:
    """The one identifier given, as the native record."""
    given = [
        (name, value)
        for name, value in (
            ("email", email),
            ("phone", phone),
            ("email_hash", email_hash),
            ("phone_hash", phone_hash),
        )
        if value is not None
    ]
    if len(given) != 1:
        raise InvalidInputError(
            "exactly one of email, phone, email_hash, phone_hash must be given",
            kind="invalid_argument",
        )
    name, value = given[0]
    if not isinstance(value, str):
        raise InvalidInputError(f"{name} must be a string", kind="invalid_argument")
    if send_unhashed and name in ("email", "phone"):
        name = "raw_" + name
    return _native.DiiInput(dii_type=_native.DiiType[name.upper()], value=value)


class _ClientBase:
    __slots__ = ("_inner", "_raw", "_closed")

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
    ) -> None:
        if max_retries < 0:
            raise ConfigError("max_retries must not be negative", kind="config")
        _logging.sync_level()
        config = _native.ClientConfig(
            base_url=base_url,
            api_key=api_key,
            client_secret=client_secret,
            timeout_ms=_ms(timeout, "timeout"),
            connect_timeout_ms=_ms(connect_timeout, "connect_timeout"),
            deadline_ms=_ms(deadline, "deadline"),
            max_retries=max_retries,
            binary_envelopes=binary_envelopes,
            client_version=CLIENT_VERSION,
            clock=clock,
        )
        self._inner = translated(_native.PublisherClient)(config)
        self._raw = RawClient.of(self._inner)
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
        return self._inner.base_url()

    @property
    def clock_offset_ms(self) -> int:
        """The clock correction learned from the operator (0 until a drift was seen)."""
        return self._inner.clock_offset_ms()

    @property
    def closed(self) -> bool:
        """Whether :meth:`close` was called."""
        return self._closed

    def close(self) -> None:
        """Releases the client. Later calls raise ``ConfigError``."""
        self._closed = True

    def _client(self) -> Any:
        if self._closed:
            raise ConfigError("the client is closed", kind="config")
        return self._inner

    def __repr__(self) -> str:
        return f"{type(self).__name__}(base_url={self.base_url!r}, credentials=<redacted>)"


class PublisherClient(_ClientBase):
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

    Raises:
        ConfigError: a setting is invalid (URL, client secret, timeouts).
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

    @translated
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
        client = self._client()
        raw = self._raw
        if raw is not None:
            return generate_result(raw.generate(dii, tcf_consent_string))
        return generate_result(client.generate_token_blocking(dii, tcf_consent_string))

    @translated
    def refresh_token(self, identity: Identity) -> RefreshResult:
        """Refreshes an identity (``POST /v2/token/refresh``).

        Returns:
            ``RefreshSuccess`` (with the new ``identity``), ``OptOut``, ``ExpiredToken`` or
            ``InvalidToken``.

        Raises:
            EuidError: a subclass for each failure; the identity stays valid until it expires.
        """
        client = self._client()
        raw = self._raw
        if raw is not None:
            return refresh_result(raw.refresh(identity._record))
        return refresh_result(client.refresh_token_blocking(identity._record))

    @translated
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
        return self._client().validate_token_blocking(advertising_token, dii)


class _Completions:
    """The SDK calls in flight on one event loop, by ticket.

    A finished call stores its result in the native queue and writes a byte to a socket that
    the loop watches (``add_reader``); the loop then collects every finished ticket in one
    call. Unlike UniFFI's own async calls, nothing calls into Python from the SDK's threads, so
    they never wait for the GIL and the loop's thread does one call per result instead of
    polls, a foreign callback and a self-pipe write (bindings/src/completion.rs).
    """

    __slots__ = ("queue", "waiting", "tickets", "__weakref__")

    def __init__(self, loop: asyncio.AbstractEventLoop) -> None:
        self.queue = _native.CompletionQueue()
        self.waiting: dict[int, asyncio.Future[None]] = {}
        self.tickets = itertools.count(1)
        loop.add_reader(self.queue.fd(), self._ready)

    def _ready(self) -> None:
        for ticket in self.queue.ready_tickets():
            future = self.waiting.pop(ticket, None)
            if future is None or future.done():  # the caller was cancelled
                self.queue.discard(ticket)
            else:
                future.set_result(None)

    def new(self, loop: asyncio.AbstractEventLoop) -> tuple[int, asyncio.Future[None]]:
        ticket = next(self.tickets)
        future: asyncio.Future[None] = loop.create_future()
        self.waiting[ticket] = future
        return ticket, future


_completions_of: weakref.WeakKeyDictionary[asyncio.AbstractEventLoop, _Completions | None] = (
    weakref.WeakKeyDictionary()
)


def _completions(loop: asyncio.AbstractEventLoop) -> _Completions | None:
    """The running loop's completions, or None for a loop without ``add_reader`` (the calls
    then await UniFFI's own futures)."""
    try:
        return _completions_of[loop]
    except KeyError:
        pass
    completions: _Completions | None
    try:
        completions = _Completions(loop)
    except (NotImplementedError, AttributeError, OSError, ValueError):
        completions = None
    _completions_of[loop] = completions
    return completions


async def _submitted(
    completions: _Completions, loop: asyncio.AbstractEventLoop, submit: Any, take: Any
) -> Any:
    ticket, future = completions.new(loop)
    try:
        submit(completions.queue, ticket)
    except BaseException:
        del completions.waiting[ticket]
        raise
    await future
    return take(ticket)


class AsyncPublisherClient(_ClientBase):
    """The asyncio form of :class:`PublisherClient`: same arguments, same methods, awaited.

    Many calls can be in flight at once; they run on the SDK's own runtime, not on the event
    loop's thread.

    >>> async with AsyncPublisherClient.integration(KEY, SECRET) as client:  # doctest: +SKIP
    ...     result = await client.generate_token(email="user@example.com")
    """

    __slots__ = ()

    async def __aenter__(self) -> AsyncPublisherClient:
        return self

    async def __aexit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        traceback: TracebackType | None,
    ) -> None:
        self.close()

    @translated_async
    async def generate_token(
        self,
        *,
        email: str | None = None,
        phone: str | None = None,
        email_hash: str | None = None,
        phone_hash: str | None = None,
        tcf_consent_string: str | None = None,
        send_unhashed: bool = False,
    ) -> GenerateResult:
        """See :meth:`PublisherClient.generate_token`."""
        dii = dii_input(email, phone, email_hash, phone_hash, send_unhashed)
        client = self._client()
        loop = asyncio.get_running_loop()
        completions = _completions(loop)
        if completions is None:
            return generate_result(await client.generate_token(dii, tcf_consent_string))
        outcome = await _submitted(
            completions,
            loop,
            lambda queue, ticket: client.generate_token_submit(
                queue, ticket, dii, tcf_consent_string
            ),
            completions.queue.take_generate,
        )
        return generate_result(outcome)

    @translated_async
    async def refresh_token(self, identity: Identity) -> RefreshResult:
        """See :meth:`PublisherClient.refresh_token`."""
        client = self._client()
        loop = asyncio.get_running_loop()
        completions = _completions(loop)
        if completions is None:
            return refresh_result(await client.refresh_token(identity._record))
        outcome = await _submitted(
            completions,
            loop,
            lambda queue, ticket: client.refresh_token_submit(queue, ticket, identity._record),
            completions.queue.take_refresh,
        )
        return refresh_result(outcome)

    @translated_async
    async def validate_token(
        self,
        advertising_token: str,
        *,
        email: str | None = None,
        phone: str | None = None,
        email_hash: str | None = None,
        phone_hash: str | None = None,
    ) -> bool:
        """See :meth:`PublisherClient.validate_token`."""
        dii = dii_input(email, phone, email_hash, phone_hash, False)
        client = self._client()
        loop = asyncio.get_running_loop()
        completions = _completions(loop)
        if completions is None:
            return bool(await client.validate_token(advertising_token, dii))
        return bool(
            await _submitted(
                completions,
                loop,
                lambda queue, ticket: client.validate_token_submit(
                    queue, ticket, advertising_token, dii
                ),
                completions.queue.take_validate,
            )
        )
