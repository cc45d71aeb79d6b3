"""The client's settings: the EUID environments, the defaults, and the native configuration
built from a client's options."""

from __future__ import annotations

import enum
from typing import Any, Final, Union

from . import _native
from ._errors import ConfigError, ErrorKind

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


class Direct(enum.Enum):
    """The type of :data:`DIRECT`."""

    DIRECT = "direct"


DIRECT: Final = Direct.DIRECT
"""``proxy=DIRECT``: no proxy, whatever ``HTTPS_PROXY`` and the like say."""

Proxy = Union[str, Direct, None]
"""A client's ``proxy`` option: a URL ``http://[user:password@]host[:port]``, :data:`DIRECT`, or
None for the environment's (``HTTPS_PROXY``, ``ALL_PROXY``, ``NO_PROXY``, as curl reads them)."""


def _proxy(proxy: Proxy) -> _native.ProxyChoice | None:
    if proxy is None:
        return None
    if proxy is DIRECT:
        return _native.ProxyChoice.DIRECT()
    if isinstance(proxy, str):
        return _native.ProxyChoice.URL(url=proxy)
    raise ConfigError("proxy must be a URL string, euid_sdk.DIRECT or None", kind=ErrorKind.CONFIG)


def _ms(seconds: float, name: str) -> int:
    if seconds <= 0:
        raise ConfigError(f"{name} must be greater than zero", kind=ErrorKind.CONFIG)
    return int(seconds * 1000)


def client_config(
    base_url: str,
    api_key: str,
    client_secret: str,
    *,
    timeout: float,
    connect_timeout: float,
    deadline: float,
    max_retries: int,
    binary_envelopes: bool,
    clock: Any,
    proxy: Proxy,
    ca_certificates_pem: str | None,
) -> _native.ClientConfig:
    """The native configuration of a client's options (the core checks the rest)."""
    if max_retries < 0:
        raise ConfigError("max_retries must not be negative", kind=ErrorKind.CONFIG)
    return _native.ClientConfig(
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
        proxy=_proxy(proxy),
        ca_certificates_pem=ca_certificates_pem,
        host_root_certificates=[],
    )
