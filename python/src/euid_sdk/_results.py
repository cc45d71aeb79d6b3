"""The answers of generate and refresh: typed results, not strings.

Use ``match`` (Python 3.10+) or ``isinstance``, or the ``is_success`` flag and ``identity``:

>>> match client.generate_token(email="user@example.com"):  # doctest: +SKIP
...     case GenerateSuccess(identity=identity):
...         store(identity.to_json())
...     case OptOut():
...         remember_opt_out()
...     case InsufficientConsent():
...         pass
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Union

from . import _native
from ._identity import Identity


@dataclass(frozen=True)
class GenerateSuccess:
    """Generate succeeded: store ``identity`` with the user."""

    identity: Identity
    is_success = True


@dataclass(frozen=True)
class RefreshSuccess:
    """Refresh succeeded: replace the stored identity with ``identity``."""

    identity: Identity
    is_success = True


@dataclass(frozen=True)
class OptOut:
    """The user opted out: delete any identity and never generate one for them again."""

    identity = None
    is_success = False


@dataclass(frozen=True)
class InsufficientConsent:
    """The TCF consent string does not allow EUID: no token."""

    identity = None
    is_success = False


@dataclass(frozen=True)
class ExpiredToken:
    """The refresh token expired: generate a new identity when the user signs in."""

    identity = None
    is_success = False


@dataclass(frozen=True)
class InvalidToken:
    """The refresh token is not valid: generate a new identity when the user signs in."""

    identity = None
    is_success = False


GenerateResult = Union[GenerateSuccess, OptOut, InsufficientConsent]
"""What ``generate_token`` returns."""

RefreshResult = Union[RefreshSuccess, OptOut, ExpiredToken, InvalidToken]
"""What ``refresh_token`` returns."""


def generate_result(outcome: _native.GenerateOutcome) -> GenerateResult:
    if outcome.is_SUCCESS():
        return GenerateSuccess(Identity._wrap(outcome.identity))
    if outcome.is_OPT_OUT():
        return OptOut()
    return InsufficientConsent()


def refresh_result(outcome: _native.RefreshOutcome) -> RefreshResult:
    if outcome.is_REFRESHED():
        return RefreshSuccess(Identity._wrap(outcome.identity))
    if outcome.is_OPT_OUT():
        return OptOut()
    if outcome.is_EXPIRED_TOKEN():
        return ExpiredToken()
    return InvalidToken()


def generate_outcome(result: GenerateResult) -> _native.GenerateOutcome:
    if isinstance(result, GenerateSuccess):
        return _native.GenerateOutcome.SUCCESS(result.identity._record)
    if isinstance(result, OptOut):
        return _native.GenerateOutcome.OPT_OUT()
    return _native.GenerateOutcome.INSUFFICIENT_CONSENT()


def refresh_outcome(result: RefreshResult) -> _native.RefreshOutcome:
    if isinstance(result, RefreshSuccess):
        return _native.RefreshOutcome.REFRESHED(result.identity._record)
    if isinstance(result, OptOut):
        return _native.RefreshOutcome.OPT_OUT()
    if isinstance(result, ExpiredToken):
        return _native.RefreshOutcome.EXPIRED_TOKEN()
    return _native.RefreshOutcome.INVALID_TOKEN()
