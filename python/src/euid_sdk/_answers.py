"""What the identity manager's ``advertising_token`` found for a user: typed answers.

Use ``match`` (Python 3.10+) or ``isinstance``, or the ``advertising_token`` and
``needs_login`` attributes that every answer has:

>>> match manager.advertising_token(user):  # doctest: +SKIP
...     case TokenReady(advertising_token=token):
...         bid_request["euid"] = token
...     case UserOptedOut():
...         pass                                  # never send a token for this user
...     case answer if answer.needs_login:
...         pass                                  # establish again at the next sign-in
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import ClassVar, Union

from . import _native

__all__ = [
    "TokenAnswer",
    "TokenReady",
    "NoIdentity",
    "UserOptedOut",
    "RefreshExpired",
    "IdentityInvalid",
]


@dataclass(frozen=True)
class TokenReady:
    """Send ``advertising_token`` to the SSP as is. ``repr`` does not show it."""

    advertising_token: str
    needs_login: ClassVar[bool] = False
    name: ClassVar[str] = "token"

    def __repr__(self) -> str:
        return "TokenReady(advertising_token=<redacted>)"


@dataclass(frozen=True)
class NoIdentity:
    """No identity is stored for the user: establish one at the next sign-in."""

    advertising_token: ClassVar[None] = None
    needs_login: ClassVar[bool] = True
    name: ClassVar[str] = "no_identity"


@dataclass(frozen=True)
class UserOptedOut:
    """The user opted out: never send a token for them, and do not establish again (the
    manager answers ``OptOut`` without a request)."""

    advertising_token: ClassVar[None] = None
    needs_login: ClassVar[bool] = False
    name: ClassVar[str] = "opted_out"


@dataclass(frozen=True)
class RefreshExpired:
    """The refresh token expired (the identity was deleted): establish again at the next
    sign-in."""

    advertising_token: ClassVar[None] = None
    needs_login: ClassVar[bool] = True
    name: ClassVar[str] = "refresh_expired"


@dataclass(frozen=True)
class IdentityInvalid:
    """The operator said the refresh token is invalid (the identity was deleted): establish
    again at the next sign-in."""

    advertising_token: ClassVar[None] = None
    needs_login: ClassVar[bool] = True
    name: ClassVar[str] = "invalid"


TokenAnswer = Union[TokenReady, NoIdentity, UserOptedOut, RefreshExpired, IdentityInvalid]
"""What ``IdentityManager.advertising_token`` returns."""


def token_answer(answer: _native.TokenAnswer) -> TokenAnswer:
    """The public answer for the generated one."""
    if answer.is_TOKEN():
        return TokenReady(answer.advertising_token)
    if answer.is_NO_IDENTITY():
        return NoIdentity()
    if answer.is_OPTED_OUT():
        return UserOptedOut()
    if answer.is_REFRESH_EXPIRED():
        return RefreshExpired()
    return IdentityInvalid()
