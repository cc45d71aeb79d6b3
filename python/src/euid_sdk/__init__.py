"""EUID (European Unified ID) publisher SDK.

Normalize and hash emails, generate and refresh EUID tokens through the operator's v2
encrypted API, and follow the token lifecycle. One Rust implementation underneath, shared
with the Kotlin/JVM package.

>>> import euid_sdk
>>> euid_sdk.hash_email("  Jane.Doe+home@GMail.com ")
'1hFzBkhe0OUK+rOshx6Y+BaZFR8wKBUn1j/18jNlbGk='
"""

from ._client import (
    INTEGRATION_URL,
    PRODUCTION_URL,
    AsyncPublisherClient,
    OffsetClock,
    PublisherClient,
)
from ._errors import (
    ClientError,
    ClockDriftError,
    ConfigError,
    EuidError,
    EuidTimeoutError,
    InternalError,
    InvalidIdentityError,
    InvalidInputError,
    NetworkError,
    ProtocolError,
    RateLimitedError,
    ServerError,
    StoreError,
    UnauthorizedError,
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

__version__ = "0.1.0"

__all__ = [
    "INTEGRATION_URL",
    "PRODUCTION_URL",
    "Advice",
    "AsyncPublisherClient",
    "ClientError",
    "ClockDriftError",
    "ConfigError",
    "EuidError",
    "EuidTimeoutError",
    "ExpiredToken",
    "GenerateResult",
    "GenerateSuccess",
    "Identity",
    "IdentityStatus",
    "InsufficientConsent",
    "InternalError",
    "InvalidIdentityError",
    "InvalidInputError",
    "InvalidToken",
    "NetworkError",
    "OffsetClock",
    "OptOut",
    "ProtocolError",
    "PublisherClient",
    "RateLimitedError",
    "RefreshResult",
    "RefreshSuccess",
    "ServerError",
    "StoreError",
    "UnauthorizedError",
    "hash_email",
    "hash_emails",
    "hash_phone",
    "normalize_email",
    "normalize_email_hash",
    "normalize_phone",
    "normalize_phone_hash",
]
