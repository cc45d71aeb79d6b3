"""Email and phone normalization and hashing, exactly as the EUID operator does it."""

from __future__ import annotations

import ctypes
from typing import Any, Iterable, Literal, overload

from . import _native
from ._errors import InvalidInputError, translated


def _raw_hash_email() -> Any:
    """The library's plain C entry point for one email (bindings/src/raw.rs), or None.

    A UniFFI call with a string in and out costs three ctypes crossings (about 10 µs); this
    is one, with the bytes borrowed in place and the GIL kept for its 0.2 µs of work.
    """
    try:
        from ._native import euid as generated

        library = ctypes.PyDLL(generated._UniffiLib._name)
        function = library.euid_hash_email_raw
    except (ImportError, AttributeError, OSError):
        return None
    function.argtypes = (ctypes.c_char_p, ctypes.c_size_t, ctypes.c_char_p)
    function.restype = ctypes.c_int
    return function


_hash_email_raw = _raw_hash_email()


@translated
def normalize_email(email: str) -> str:
    """Normalizes an email address as the operator does (ASCII lower-casing, spaces trimmed,
    dots and ``+`` extension removed for gmail.com).

    Raises:
        InvalidInputError: the operator would reject the address.
    """
    return _native.normalize_email(email)


def hash_email(email: str) -> str:
    """Normalizes an email and hashes it: base64 SHA-256, the ``email_hash`` value.

    >>> hash_email("USER@example.com")
    'tMmiiTI7IaAcPpQPFQ65uMVCWH8av9jw4cwf/F5HVRQ='

    Raises:
        InvalidInputError: the operator would reject the address.
    """
    if _hash_email_raw is not None and type(email) is str:
        try:
            encoded = email.encode()
        except UnicodeEncodeError:
            encoded = None
        if encoded is not None:
            out = ctypes.create_string_buffer(44)
            if _hash_email_raw(encoded, len(encoded), out) == 0:
                return out.raw.decode("ascii")
    # Invalid (or not a str): the UniFFI call raises the typed error with its message.
    return _hash_email_checked(email)


@translated
def _hash_email_checked(email: str) -> str:
    return _native.hash_email(email)


@overload
def hash_emails(emails: Iterable[str], *, invalid: Literal["raise"] = "raise") -> list[str]: ...
@overload
def hash_emails(emails: Iterable[str], *, invalid: Literal["none"]) -> list[str | None]: ...


def hash_emails(emails: Iterable[str], *, invalid: str = "raise") -> list[str] | list[str | None]:
    """Normalizes and hashes many emails in one call, in order.

    Args:
        emails: The addresses.
        invalid: ``"raise"`` (the default) raises on the first invalid address; ``"none"``
            puts None in its place instead.

    Raises:
        InvalidInputError: an address is invalid and ``invalid`` is ``"raise"``.
    """
    if invalid not in ("raise", "none"):
        raise ValueError('invalid must be "raise" or "none"')
    items = list(emails)
    hashes: list[str | None]
    try:
        joined: str | None = "\n".join(items)
    except TypeError:
        joined = None  # not all strings: the list call below raises the error
    if not items:
        hashes = []
    elif joined is not None and joined.count("\n") == len(items) - 1:
        # One buffer each way (no address contains a line break): ~0.3 µs an address
        # instead of ~4 µs for a list of strings.
        lines = _native.hash_emails_lines(joined.encode()).decode("ascii").split("\n")
        hashes = [line or None for line in lines] if "" in lines else list(lines)
    else:
        hashes = _native.hash_emails(items)
    if invalid == "raise" and None in hashes:
        index = hashes.index(None)
        raise InvalidInputError(
            f"the email at index {index} is not a valid email address", kind="invalid_email"
        )
    return hashes


@translated
def normalize_phone(phone: str) -> str:
    """Checks that a phone number is normalized: ``+`` then 10 to 15 ASCII digits. Nothing is
    repaired.

    Raises:
        InvalidInputError: anything else.
    """
    return _native.normalize_phone(phone)


@translated
def hash_phone(phone: str) -> str:
    """Validates and hashes a phone number: the ``phone_hash`` value.

    Raises:
        InvalidInputError: the number is not normalized.
    """
    return _native.hash_phone(phone)


@translated
def normalize_email_hash(email_hash: str) -> str:
    """Accepts an email hash as 44-character base64 or 64-character hex; returns base64.

    Raises:
        InvalidInputError: it is not a SHA-256 digest in either form.
    """
    return _native.normalize_email_hash(email_hash)


@translated
def normalize_phone_hash(phone_hash: str) -> str:
    """Accepts a phone hash as 44-character base64 or 64-character hex; returns base64.

    Raises:
        InvalidInputError: it is not a SHA-256 digest in either form.
    """
    return _native.normalize_phone_hash(phone_hash)
