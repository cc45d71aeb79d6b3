"""Hand-off with the EUID browser SDK (``euid-sdk.js``).

The browser SDK keeps the identity in the ``__euid`` cookie, as
``encodeURIComponent(JSON.stringify(identity))``, or in local storage under
``EUID-sdk-identity`` as plain JSON. A server that established an identity can give it to the
browser SDK with a cookie, and take over one the browser established by reading the cookie.

>>> cookie = identity_cookie(manager.identity(user_id))  # doctest: +SKIP
>>> response.set_cookie(**cookie.set_cookie_kwargs())  # Flask, Django, Starlette  # doctest: +SKIP
>>> match parse_browser_identity(request.cookies[COOKIE_NAME]):  # doctest: +SKIP
...     case Identity() as identity: ...
...     case BrowserOptOut(): ...
"""

from __future__ import annotations

import datetime as _dt
from dataclasses import dataclass, field
from typing import Any, Union

from . import _native
from ._errors import translated
from ._identity import Identity, Instant, from_ms, to_ms

__all__ = [
    "COOKIE_NAME",
    "LOCAL_STORAGE_KEY",
    "OPT_OUT_MARKER_MS",
    "BrowserIdentity",
    "BrowserOptOut",
    "Cookie",
    "identity_cookie",
    "opt_out_cookie",
    "parse_browser_identity",
]

COOKIE_NAME = "__euid"
"""The browser SDK's cookie name."""

LOCAL_STORAGE_KEY = "EUID-sdk-identity"
"""The browser SDK's local storage key."""

OPT_OUT_MARKER_MS = 72 * 60 * 60 * 1000
"""How long the browser SDK keeps an opt-out marker: 72 hours, in milliseconds."""


@dataclass(frozen=True)
class Cookie:
    """A ``__euid`` cookie with the attributes the browser SDK expects: ``Path=/``,
    ``Secure``, ``SameSite=Lax``, and not ``HttpOnly`` (the browser SDK reads it).

    Hand it to a framework's ``set_cookie`` in one line (Flask/Werkzeug, Django and Starlette
    share these keyword names)::

        response.set_cookie(**cookie.set_cookie_kwargs())

    or spelled out::

        response.set_cookie(cookie.name, cookie.value, expires=cookie.expires,
                            path=cookie.path, domain=cookie.domain, secure=cookie.secure,
                            httponly=False, samesite=cookie.same_site)

    or as a raw header: ``headers.append(("Set-Cookie", cookie.header()))``.

    ``value`` holds the identity's tokens: ``repr`` does not show it.

    Attributes:
        name: ``__euid``.
        value: The URI-encoded identity JSON.
        expires_ms: When the cookie expires, in epoch milliseconds: the identity's
            ``refresh_expires``.
        path: ``/``.
        domain: The cookie domain (e.g. ``.example.com``), or None for the host only.
        secure: True.
        same_site: ``Lax``.
    """

    name: str
    value: str = field(repr=False)
    expires_ms: int
    path: str = "/"
    domain: str | None = None
    secure: bool = True
    same_site: str = "Lax"

    @property
    def expires(self) -> _dt.datetime:
        """``expires_ms`` as an aware UTC datetime (``tzinfo`` is ``datetime.timezone.utc``)."""
        return from_ms(self.expires_ms)

    def set_cookie_kwargs(self) -> dict[str, Any]:
        """Keyword arguments for ``set_cookie`` of Flask/Werkzeug, Django and Starlette:
        ``key``, ``value``, ``expires``, ``path``, ``domain``, ``secure``, ``httponly``
        (False) and ``samesite``."""
        return {
            "key": self.name,
            "value": self.value,
            "expires": self.expires,
            "path": self.path,
            "domain": self.domain,
            "secure": self.secure,
            "httponly": False,
            "samesite": self.same_site,
        }

    def header(self) -> str:
        """The ``Set-Cookie`` header value, e.g. ``__euid=%7B...; Expires=Sun, 29 Sep 2024
        05:13:14 GMT; Path=/; Secure; SameSite=Lax``."""
        return _native.cookie_header(self._to_native())

    @classmethod
    def _from_native(cls, cookie: _native.Cookie) -> Cookie:
        return cls(
            name=cookie.name,
            value=cookie.value,
            expires_ms=cookie.expires_ms,
            path=cookie.path,
            domain=cookie.domain,
            secure=cookie.secure,
            same_site=cookie.same_site,
        )

    def _to_native(self) -> _native.Cookie:
        return _native.Cookie(
            name=self.name,
            value=self.value,
            expires_ms=self.expires_ms,
            path=self.path,
            domain=self.domain,
            secure=self.secure,
            same_site=self.same_site,
        )


@dataclass(frozen=True)
class BrowserOptOut:
    """The browser SDK's opt-out marker (``"status": "optout"``): the user opted out."""


BrowserIdentity = Union[Identity, BrowserOptOut]
"""What the browser SDK stored: an identity or its opt-out marker."""


@translated
def identity_cookie(identity: Identity, *, domain: str | None = None) -> Cookie:
    """The ``__euid`` cookie for ``identity``, expiring with its refresh token.

    Args:
        identity: The identity to hand to the browser SDK.
        domain: The cookie domain (e.g. ``.example.com``). Default: none (the host only).

    Raises:
        InvalidIdentityError: the identity's ``extra_json`` is not a JSON object.
    """
    return Cookie._from_native(_native.identity_cookie(identity._record, domain))


def opt_out_cookie(*, now: Instant = None, domain: str | None = None) -> Cookie:
    """The browser SDK's opt-out marker cookie, kept 72 hours from ``now`` as the browser SDK
    does.

    Args:
        now: When the marker is set. Default: the current time.
        domain: The cookie domain. Default: none (the host only).
    """
    return Cookie._from_native(_native.opt_out_cookie(to_ms(now), domain))


@translated
def parse_browser_identity(value: str) -> BrowserIdentity:
    """Reads what the browser SDK stored: a ``__euid`` cookie value (URI-encoded, as
    ``request.cookies`` gives it) or an ``EUID-sdk-identity`` local storage value (plain JSON).

    Returns:
        The :class:`Identity`, or :class:`BrowserOptOut` for the opt-out marker.

    Raises:
        InvalidIdentityError: the value is not URI-decodable, not JSON, or neither an identity
            nor the opt-out marker.
    """
    parsed = _native.parse_browser_identity(value)
    if parsed.is_IDENTITY():
        return Identity._wrap(parsed.identity)
    return BrowserOptOut()
