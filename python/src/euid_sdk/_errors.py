"""Exceptions: one base class, one subclass per kind of failure a caller acts on."""

from __future__ import annotations

import builtins
import functools
from typing import Any, Awaitable, Callable, TypeVar

from . import _native

T = TypeVar("T")


class EuidError(Exception):
    """Base class of every exception the SDK raises.

    Attributes:
        kind: A stable snake_case name of the failure (``invalid_email``, ``decryption_failed``,
            ``timeout``...), shared with the Rust core, the Kotlin package and the test vectors.
        detail: The message. It never contains a token, key, email or response body.
    """

    def __init__(self, detail: str, *, kind: str) -> None:
        super().__init__(detail)
        self.kind = kind
        self.detail = detail

    def __repr__(self) -> str:
        return f"{type(self).__name__}(kind={self.kind!r}, detail={self.detail!r})"


class InvalidInputError(EuidError, ValueError):
    """An email, phone number, hash or argument is not valid."""


class InvalidIdentityError(EuidError, ValueError):
    """Identity JSON (from storage or a cookie) is malformed."""


class ConfigError(EuidError):
    """The client configuration is invalid (base URL, client secret, timeouts)."""


class UnauthorizedError(EuidError):
    """HTTP 401: the operator rejected the API key."""


class ClientError(EuidError):
    """The operator rejected the request (HTTP 4xx) with a message.

    Attributes:
        http_status: The HTTP status code.
        operator_status: The operator's ``status`` field (``client_error``...), or None when the
            body was not JSON.
    """

    def __init__(
        self, detail: str, *, kind: str, http_status: int, operator_status: str | None
    ) -> None:
        super().__init__(detail, kind=kind)
        self.http_status = http_status
        self.operator_status = operator_status


class ClockDriftError(EuidError):
    """The operator rejected the request time, even after one correction."""


class ServerError(EuidError):
    """HTTP 5xx from the operator or a proxy, after the retries.

    Attributes:
        http_status: The HTTP status code.
    """

    def __init__(self, detail: str, *, kind: str, http_status: int) -> None:
        super().__init__(detail, kind=kind)
        self.http_status = http_status


class RateLimitedError(EuidError):
    """HTTP 429, after the retries.

    Attributes:
        retry_after: Seconds the operator asked to wait, or None.
    """

    def __init__(self, detail: str, *, kind: str, retry_after: float | None) -> None:
        super().__init__(detail, kind=kind)
        self.retry_after = retry_after


class EuidTimeoutError(EuidError, builtins.TimeoutError):
    """The call ran past its timeout or deadline."""


class NetworkError(EuidError, ConnectionError):
    """The operator could not be reached."""


class ProtocolError(EuidError):
    """The operator's answer could not be read (envelope, decryption, nonce, JSON)."""


class StoreError(EuidError):
    """The identity store failed."""


class InternalError(EuidError):
    """A defect in the SDK. Please report it."""


_SIMPLE: dict[str, type[EuidError]] = {
    "InvalidInput": InvalidInputError,
    "InvalidIdentity": InvalidIdentityError,
    "Config": ConfigError,
    "Unauthorized": UnauthorizedError,
    "ClockDrift": ClockDriftError,
    "Timeout": EuidTimeoutError,
    "Network": NetworkError,
    "Protocol": ProtocolError,
    "Store": StoreError,
    "Internal": InternalError,
}


def from_native(err: Any) -> EuidError:
    """The facade exception for an exception raised by the generated module."""
    variant = type(err).__name__
    kind: str = getattr(err, "kind", "internal")
    detail: str = getattr(err, "detail", str(err))
    if variant == "ClientError":
        return ClientError(
            detail, kind=kind, http_status=err.http_status, operator_status=err.operator_status
        )
    if variant == "ServerError":
        return ServerError(detail, kind=kind, http_status=err.http_status)
    if variant == "RateLimited":
        after_ms = err.retry_after_ms
        return RateLimitedError(
            detail, kind=kind, retry_after=None if after_ms is None else after_ms / 1000
        )
    return _SIMPLE.get(variant, InternalError)(detail, kind=kind)


_NATIVE_ERRORS = (_native.EuidError, _native.InternalError)


def translated(fn: Callable[..., T]) -> Callable[..., T]:
    """Runs ``fn`` and re-raises native errors as facade exceptions."""

    @functools.wraps(fn)
    def wrapper(*args: Any, **kwargs: Any) -> T:
        try:
            return fn(*args, **kwargs)
        except _NATIVE_ERRORS as err:
            raise from_native(err) from None

    return wrapper


def translated_async(fn: Callable[..., Awaitable[T]]) -> Callable[..., Awaitable[T]]:
    """The coroutine form of :func:`translated`."""

    @functools.wraps(fn)
    async def wrapper(*args: Any, **kwargs: Any) -> T:
        try:
            return await fn(*args, **kwargs)
        except _NATIVE_ERRORS as err:
            raise from_native(err) from None

    return wrapper
