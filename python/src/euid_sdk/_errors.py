"""Exceptions: one base class, one subclass per kind of failure a caller acts on, and the one
table from the library's error variants to them."""

from __future__ import annotations

import builtins
import enum
import functools
from typing import Any, Callable, TypeVar

from . import _native

T = TypeVar("T")


class ErrorKind(str, enum.Enum):
    """The stable name of a failure, shared with the Rust core, the Kotlin package and the test
    vectors. A ``str``: ``err.kind == "timeout"`` holds for a timeout."""

    INVALID_EMAIL = "invalid_email"
    INVALID_PHONE = "invalid_phone"
    INVALID_EMAIL_HASH = "invalid_email_hash"
    INVALID_PHONE_HASH = "invalid_phone_hash"
    INVALID_ARGUMENT = "invalid_argument"
    INVALID_IDENTITY = "invalid_identity"
    CONFIG = "config"
    UNAUTHORIZED = "unauthorized"
    CLIENT_ERROR = "client_error"
    CLOCK_DRIFT = "clock_drift"
    SERVER_ERROR = "server_error"
    RATE_LIMITED = "rate_limited"
    TIMEOUT = "timeout"
    NETWORK = "network"
    PROXY_UNREACHABLE = "proxy_unreachable"
    PROXY_AUTH_REQUIRED = "proxy_auth_required"
    PROXY_REFUSED = "proxy_refused"
    UNTRUSTED_CERTIFICATE = "untrusted_certificate"
    ENVELOPE_TOO_SHORT = "envelope_too_short"
    BAD_BASE64 = "bad_base64"
    BAD_VERSION = "bad_version"
    DECRYPTION_FAILED = "decryption_failed"
    NONCE_MISMATCH = "nonce_mismatch"
    INVALID_JSON = "invalid_json"
    UNEXPECTED_RESPONSE = "unexpected_response"
    RESPONSE_TOO_LARGE = "response_too_large"
    STORE = "store"
    CLOSED = "closed"
    INTERNAL = "internal"

    def __str__(self) -> str:
        return self.value


# The core's kinds are the generated enum's; its names in lower case are the core's names.
_KINDS = {native: ErrorKind.__members__.get(native.name) for native in _native.ErrorKind}
if None in _KINDS.values() or len(_KINDS) != len(ErrorKind):
    raise ImportError(
        "euid_sdk: the library's error kinds "
        f"{sorted(native.name.lower() for native in _native.ErrorKind)} are not this package's "
        f"{sorted(kind.value for kind in ErrorKind)}; reinstall a wheel built from one source tree"
    )
if any(kind.value != native.name.lower() for native, kind in _KINDS.items() if kind):
    raise ImportError("euid_sdk: an error kind is not named as in the library")


class EuidError(Exception):
    """Base class of every exception the SDK raises.

    Attributes:
        kind: The :class:`ErrorKind` (``invalid_email``, ``decryption_failed``, ``timeout``...).
        detail: The message. It never contains a token, key, email or response body.
        is_retryable: Whether the same call may succeed later (network failures, an
            unreachable proxy, timeouts, HTTP 5xx and 429).
        http_status: The HTTP status of the operator's answer (or a proxy's 407), or None.
        operator_status: The operator's ``status`` field (``client_error``...), or None.
        retry_after_ms: What the operator's ``Retry-After`` asked to wait, in milliseconds, or
            None (see :attr:`retry_after` for seconds).
    """

    def __init__(
        self,
        detail: str,
        *,
        kind: ErrorKind | str,
        is_retryable: bool = False,
        http_status: int | None = None,
        operator_status: str | None = None,
        retry_after_ms: int | None = None,
    ) -> None:
        super().__init__(detail)
        self.kind = ErrorKind(kind)
        self.detail = detail
        self.is_retryable = is_retryable
        self.http_status = http_status
        self.operator_status = operator_status
        self.retry_after_ms = retry_after_ms

    @property
    def retry_after(self) -> float | None:
        """:attr:`retry_after_ms` in seconds, or None."""
        return None if self.retry_after_ms is None else self.retry_after_ms / 1000

    def __repr__(self) -> str:
        return f"{type(self).__name__}(kind={self.kind.value!r}, detail={self.detail!r})"


class InvalidInputError(EuidError, ValueError):
    """An email, phone number, hash or argument is not valid."""


class InvalidIdentityError(EuidError, ValueError):
    """Identity JSON (from storage or a cookie) is malformed."""


class ConfigError(EuidError):
    """The client configuration is invalid (base URL, client secret, timeouts)."""


class UnauthorizedError(EuidError):
    """HTTP 401: the operator rejected the API key."""


class ClientError(EuidError):
    """The operator rejected the request (HTTP 4xx) with a message: see ``http_status`` and
    ``operator_status``."""


class ClockDriftError(EuidError):
    """The operator rejected the request time, even after one correction."""


class ServerError(EuidError):
    """HTTP 5xx from the operator or a proxy, after the retries (``http_status``)."""


class RateLimitedError(EuidError):
    """HTTP 429, after the retries (``retry_after_ms``, ``retry_after``)."""


class EuidTimeoutError(EuidError, builtins.TimeoutError):
    """The call ran past its timeout or deadline."""


class NetworkError(EuidError, ConnectionError):
    """The operator could not be reached."""


class ProxyError(NetworkError):
    """The forward proxy could not be used; ``kind`` says why: ``proxy_unreachable`` (retryable),
    ``proxy_auth_required`` (HTTP 407: missing or wrong credentials in the proxy URL) or
    ``proxy_refused`` (it would not open a tunnel to the operator)."""


class UntrustedCertificateError(NetworkError):
    """The operator's TLS certificate is not trusted (unknown issuer, wrong name, expired):
    pass its CA certificate as ``ca_certificates_pem``."""


class ProtocolError(EuidError):
    """The operator's answer could not be read (envelope, decryption, nonce, JSON)."""


class StoreError(EuidError):
    """The identity store failed."""


class ClientClosedError(EuidError):
    """The client or identity manager was closed."""


class InternalError(EuidError):
    """A defect in the SDK. Please report it."""


_Variant = Any  # a generated error variant class
_CLASSES: dict[_Variant, type[EuidError]] = {
    _native.EuidError.InvalidInput: InvalidInputError,
    _native.EuidError.InvalidIdentity: InvalidIdentityError,
    _native.EuidError.Config: ConfigError,
    _native.EuidError.Unauthorized: UnauthorizedError,
    _native.EuidError.ClientError: ClientError,
    _native.EuidError.ClockDrift: ClockDriftError,
    _native.EuidError.ServerError: ServerError,
    _native.EuidError.RateLimited: RateLimitedError,
    _native.EuidError.Timeout: EuidTimeoutError,
    _native.EuidError.Network: NetworkError,
    _native.EuidError.Proxy: ProxyError,
    _native.EuidError.UntrustedCertificate: UntrustedCertificateError,
    _native.EuidError.Protocol: ProtocolError,
    _native.EuidError.Store: StoreError,
    _native.EuidError.Closed: ClientClosedError,
    _native.EuidError.Internal: InternalError,
}
_variants = {
    value
    for value in vars(_native.EuidError).values()
    if isinstance(value, type) and issubclass(value, _native.EuidError)
}
if _variants != set(_CLASSES):
    raise ImportError(
        "euid_sdk: the library's error variants "
        f"{sorted(variant.__name__ for variant in _variants)} are not the ones this package maps"
    )


def from_native(err: Exception) -> EuidError:
    """The exception for an error of the library: a generated variant, or UniFFI's own
    ``InternalError``."""
    cls = _CLASSES.get(type(err))
    if cls is None:
        return InternalError(str(err), kind=ErrorKind.INTERNAL)
    info = err.info  # type: ignore[attr-defined]
    return cls(
        info.message,
        kind=_KINDS[info.kind],  # type: ignore[arg-type]
        is_retryable=info.is_retryable,
        http_status=info.http_status,
        operator_status=info.operator_status,
        retry_after_ms=info.retry_after_ms,
    )


_NATIVE_ERRORS: tuple[type[Exception], ...] = (_native.EuidError, _native.InternalError)


def translated(fn: Callable[..., T]) -> Callable[..., T]:
    """Runs ``fn`` (plain UniFFI calls: constructors, JSON, cookies, lifecycle) and raises the
    library's errors as this module's exceptions."""

    @functools.wraps(fn)
    def wrapper(*args: Any, **kwargs: Any) -> T:
        try:
            return fn(*args, **kwargs)
        except _NATIVE_ERRORS as err:
            raise from_native(err) from None

    return wrapper
