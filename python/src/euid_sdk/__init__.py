"""EUID (European Unified ID) publisher SDK.

Normalize and hash emails, generate and refresh EUID tokens through the operator's v2
encrypted API, follow the token lifecycle, and keep each user's identity with
``IdentityManager`` (over ``MemoryStore``, ``RedisStore`` or a store of your own). One Rust
implementation underneath, shared with the Kotlin/JVM package.

>>> import euid_sdk
>>> euid_sdk.hash_email("  Jane.Doe+home@GMail.com ")
'1hFzBkhe0OUK+rOshx6Y+BaZFR8wKBUn1j/18jNlbGk='

Errors are subclasses of ``EuidError`` with a stable ``kind`` (an ``ErrorKind``) and the
operator's answer (``http_status``, ``retry_after_ms``...). Logs, the Rust core's included,
go to ``logging.getLogger("euid_sdk")``; see :func:`set_log_level`. Neither ever contains a
key, token, email or response body.
"""

from ._answers import (
    IdentityInvalid,
    NoIdentity,
    RefreshExpired,
    TokenAnswer,
    TokenReady,
    UserOptedOut,
)
from ._async_client import AsyncPublisherClient
from ._async_manager import AsyncIdentityManager
from ._client import PublisherClient
from ._config import DIRECT, INTEGRATION_URL, PRODUCTION_URL, Direct, OffsetClock
from ._errors import (
    ClientClosedError,
    ClientError,
    ClockDriftError,
    ConfigError,
    ErrorKind,
    EuidError,
    EuidTimeoutError,
    InternalError,
    InvalidIdentityError,
    InvalidInputError,
    NetworkError,
    ProtocolError,
    ProxyError,
    RateLimitedError,
    ServerError,
    StoreError,
    UnauthorizedError,
    UntrustedCertificateError,
)
from ._hashing import (
    hash_email,
    hash_emails,
    hash_phone,
    normalize_email,
    normalize_email_hash,
    normalize_phone,
    normalize_phone_hash,
)
from ._identity import Advice, Identity, IdentityStatus
from ._listener import StatusListener
from ._logging import install as _install_log_sink
from ._logging import set_log_level
from ._manager import IdentityManager
from ._memory_store import MemoryStore
from ._redis_store import RedisStore
from ._results import (
    ExpiredToken,
    GenerateResult,
    GenerateSuccess,
    InsufficientConsent,
    InvalidToken,
    OptOut,
    RefreshResult,
    RefreshSuccess,
)
from ._store import IdentityStore

__version__ = "0.1.0"

_install_log_sink()

__all__ = [
    "DIRECT",
    "INTEGRATION_URL",
    "PRODUCTION_URL",
    "Advice",
    "AsyncIdentityManager",
    "AsyncPublisherClient",
    "ClientClosedError",
    "ClientError",
    "ClockDriftError",
    "ConfigError",
    "Direct",
    "ErrorKind",
    "EuidError",
    "EuidTimeoutError",
    "ExpiredToken",
    "GenerateResult",
    "GenerateSuccess",
    "Identity",
    "IdentityInvalid",
    "IdentityManager",
    "IdentityStatus",
    "IdentityStore",
    "InsufficientConsent",
    "InternalError",
    "InvalidIdentityError",
    "InvalidInputError",
    "InvalidToken",
    "MemoryStore",
    "NetworkError",
    "NoIdentity",
    "OffsetClock",
    "OptOut",
    "ProtocolError",
    "ProxyError",
    "PublisherClient",
    "RateLimitedError",
    "RedisStore",
    "RefreshExpired",
    "RefreshResult",
    "RefreshSuccess",
    "ServerError",
    "StatusListener",
    "StoreError",
    "TokenAnswer",
    "TokenReady",
    "UnauthorizedError",
    "UntrustedCertificateError",
    "UserOptedOut",
    "hash_email",
    "hash_emails",
    "hash_phone",
    "normalize_email",
    "normalize_email_hash",
    "normalize_phone",
    "normalize_phone_hash",
    "set_log_level",
]
