"""``Identity``: the tokens and instants the operator returns, with the lifecycle rules."""

from __future__ import annotations

import datetime as _dt
import enum
import time
from typing import Union

from . import _native
from ._errors import translated

Instant = Union[_dt.datetime, int, None]
"""A point in time: an aware ``datetime``, epoch milliseconds, or None for now."""


def now_ms() -> int:
    """The current time in epoch milliseconds."""
    return time.time_ns() // 1_000_000


def to_ms(instant: Instant) -> int:
    """Epoch milliseconds of ``instant`` (None means now; naive datetimes are taken as UTC)."""
    if instant is None:
        return now_ms()
    if isinstance(instant, _dt.datetime):
        if instant.tzinfo is None:
            instant = instant.replace(tzinfo=_dt.timezone.utc)
        return int(instant.timestamp() * 1000)
    if isinstance(instant, bool) or not isinstance(instant, int):
        raise TypeError("an instant is a datetime, epoch milliseconds (int) or None")
    return instant


def from_ms(epoch_ms: int) -> _dt.datetime:
    """An aware UTC ``datetime`` of epoch milliseconds."""
    return _dt.datetime.fromtimestamp(epoch_ms / 1000, tz=_dt.timezone.utc)


def _code(name: str) -> int:
    """The core's code of the generated status ``name``."""
    code: int = _native.identity_status_code(_native.IdentityStatus[name])
    return code


class IdentityStatus(enum.IntEnum):
    """Where an identity stands; the values are the EUID JavaScript SDK's status codes, from
    the core."""

    ESTABLISHED = _code("ESTABLISHED")
    """A valid identity, newly established."""
    REFRESHED = _code("REFRESHED")
    """A valid identity that replaced an earlier one."""
    EXPIRED = _code("EXPIRED")
    """The advertising token expired; the refresh token is still valid."""
    NO_IDENTITY = _code("NO_IDENTITY")
    """No identity."""
    INVALID = _code("INVALID")
    """The identity is unusable."""
    REFRESH_EXPIRED = _code("REFRESH_EXPIRED")
    """The refresh token expired."""
    OPTOUT = _code("OPT_OUT")  # the JavaScript SDK's name; the core says OPT_OUT
    """The user opted out."""

    @property
    def is_usable(self) -> bool:
        """Whether the advertising token may be sent."""
        return self in (IdentityStatus.ESTABLISHED, IdentityStatus.REFRESHED)

    @classmethod
    def _from_native(cls, status: _native.IdentityStatus) -> IdentityStatus:
        return _PUBLIC_STATUSES[status]

    def _to_native(self) -> _native.IdentityStatus:
        return _NATIVE_STATUSES[self]


# Every generated status has its public one (by code), and each public one a generated one.
_PUBLIC_STATUSES = {native: IdentityStatus(_code(native.name)) for native in _native.IdentityStatus}
_NATIVE_STATUSES = {public: native for native, public in _PUBLIC_STATUSES.items()}
if len(_NATIVE_STATUSES) != len(IdentityStatus):
    raise ImportError("euid_sdk: the library's identity statuses are not this package's")


class Advice(str, enum.Enum):
    """What a server should do with an identity at a given instant."""

    USE_AS_IS = "use_as_is"
    """Send the advertising token; no refresh needed yet."""
    USE_AND_REFRESH = "use_and_refresh"
    """Send the advertising token, and refresh it (``refresh_from`` has passed)."""
    REFRESH_BEFORE_USE = "refresh_before_use"
    """The advertising token expired: refresh, then send the new one."""
    REESTABLISH = "reestablish"
    """No usable identity: generate one from the user's email or phone."""
    DO_NOT_USE = "do_not_use"
    """The user opted out: never send a token for them."""

    @classmethod
    def _from_native(cls, advice: _native.Advice) -> Advice:
        return cls[advice.name]


class Identity:
    """An EUID identity: the ``body`` of a successful generate or refresh.

    Store all of it with the user (``to_json()``): a refresh needs every field. Instants are
    epoch milliseconds (``identity_expires``) with ``datetime`` views (``identity_expires_at``).
    ``repr`` never shows a token or key. Instances are immutable.

    >>> identity = Identity.from_json(stored_json)  # doctest: +SKIP
    >>> identity.status().is_usable  # doctest: +SKIP
    True
    """

    __slots__ = ("_record",)
    _record: _native.Identity

    def __init__(
        self,
        *,
        advertising_token: str,
        refresh_token: str,
        identity_expires: int,
        refresh_from: int,
        refresh_expires: int,
        refresh_response_key: str | None = None,
        extra_json: str = "{}",
    ) -> None:
        object.__setattr__(
            self,
            "_record",
            _native.Identity(
                advertising_token=advertising_token,
                refresh_token=refresh_token,
                identity_expires=identity_expires,
                refresh_from=refresh_from,
                refresh_expires=refresh_expires,
                refresh_response_key=refresh_response_key,
                extra_json=extra_json,
            ),
        )

    @classmethod
    def _wrap(cls, record: _native.Identity) -> Identity:
        identity = cls.__new__(cls)
        object.__setattr__(identity, "_record", record)
        return identity

    @classmethod
    @translated
    def from_json(cls, json: str) -> Identity:
        """Parses identity JSON: the operator's ``body``, a stored identity or the browser
        SDK's ``__euid`` cookie value (URI-decoded).

        Raises:
            InvalidIdentityError: a field is missing or has the wrong type.
        """
        return cls._wrap(_native.identity_from_json(json))

    @translated
    def to_json(self) -> str:
        """The identity as compact JSON in the operator's shape, unknown fields included."""
        return _native.identity_to_json(self._record)

    @property
    def advertising_token(self) -> str:
        """The EUID token for the bidstream: send it to the SSP as is."""
        return self._record.advertising_token

    @property
    def refresh_token(self) -> str:
        """The opaque refresh token."""
        return self._record.refresh_token

    @property
    def refresh_response_key(self) -> str | None:
        """The base64 key of the next refresh answer; None for legacy identities."""
        return self._record.refresh_response_key

    @property
    def identity_expires(self) -> int:
        """When the advertising token expires, in epoch milliseconds."""
        return self._record.identity_expires

    @property
    def refresh_from(self) -> int:
        """From when to refresh, in epoch milliseconds."""
        return self._record.refresh_from

    @property
    def refresh_expires(self) -> int:
        """When the refresh token expires, in epoch milliseconds."""
        return self._record.refresh_expires

    @property
    def identity_expires_at(self) -> _dt.datetime:
        """``identity_expires`` as an aware UTC datetime."""
        return from_ms(self.identity_expires)

    @property
    def refresh_from_at(self) -> _dt.datetime:
        """``refresh_from`` as an aware UTC datetime."""
        return from_ms(self.refresh_from)

    @property
    def refresh_expires_at(self) -> _dt.datetime:
        """``refresh_expires`` as an aware UTC datetime."""
        return from_ms(self.refresh_expires)

    @translated
    def status(self, now: Instant = None) -> IdentityStatus:
        """The identity's status at ``now`` (default: the current time)."""
        return IdentityStatus._from_native(_native.identity_status(self._record, to_ms(now)))

    @translated
    def advice(self, now: Instant = None) -> Advice:
        """What to do with the identity at ``now`` (default: the current time)."""
        return Advice._from_native(_native.identity_advice(self._record, to_ms(now)))

    def __setattr__(self, name: str, value: object) -> None:
        raise AttributeError("Identity is immutable")

    def __eq__(self, other: object) -> bool:
        if not isinstance(other, Identity):
            return NotImplemented
        return bool(self._record == other._record)

    def __hash__(self) -> int:
        return hash((self.advertising_token, self.refresh_token, self.identity_expires))

    def __repr__(self) -> str:
        return (
            f"Identity(identity_expires={self.identity_expires}, "
            f"refresh_from={self.refresh_from}, refresh_expires={self.refresh_expires}, "
            "tokens=<redacted>)"
        )

    __str__ = __repr__
