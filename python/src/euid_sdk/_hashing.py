"""Email and phone normalization and hashing, exactly as the EUID operator does it."""

from __future__ import annotations

from typing import Iterable, Literal, overload

from . import _native
from ._errors import InvalidInputError, translated


@translated
def normalize_email(email: str) -> str:
    """Normalizes an email address as the operator does (ASCII lower-casing, spaces trimmed,
    dots and ``+`` extension removed for gmail.com).

    Raises:
        InvalidInputError: the operator would reject the address.
    """
    return _native.normalize_email(email)


@translated
def hash_email(email: str) -> str:
    """Normalizes an email and hashes it: base64 SHA-256, the ``email_hash`` value.

    >>> hash_email("USER@example.com")
    'tMmiiTI7IaAcPpQPFQ65uMVCWH8av9jw4cwf/F5HVRQ='

    Raises:
        InvalidInputError: the operator would reject the address.
    """
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
    hashes: list[str | None] = _native.hash_emails(list(emails))
    if invalid == "raise":
        for index, value in enumerate(hashes):
            if value is None:
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
