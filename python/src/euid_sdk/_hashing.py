"""Email and phone normalization and hashing, exactly as the EUID operator does it."""

from __future__ import annotations

import struct
from typing import Iterable, Literal, overload

from . import _door
from ._errors import ErrorKind, InvalidInputError


def normalize_email(email: str) -> str:
    """Normalizes an email address as the operator does (ASCII lower-casing, spaces trimmed,
    dots and ``+`` extension removed for gmail.com).

    Raises:
        InvalidInputError: the operator would reject the address.
    """
    result: str = _door.call(_door.NORMALIZE_EMAIL, 0, email)
    return result


def hash_email(email: str) -> str:
    """Normalizes an email and hashes it: base64 SHA-256, the ``email_hash`` value.

    >>> hash_email("USER@example.com")
    'tMmiiTI7IaAcPpQPFQ65uMVCWH8av9jw4cwf/F5HVRQ='

    Raises:
        InvalidInputError: the operator would reject the address.
    """
    result: str = _door.call(_door.HASH_EMAIL, 0, email)
    return result


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
        TypeError: an address is not a str.
    """
    if invalid not in ("raise", "none"):
        raise ValueError('invalid must be "raise" or "none"')
    items = list(emails)
    if not items:
        return []
    for index, item in enumerate(items):
        if not isinstance(item, str):
            raise TypeError(f"the email at index {index} is a {type(item).__name__}, not a str")
    # The batch: a count, every address's byte length, then the addresses (contract section 2).
    encoded = [item.encode("utf-8") for item in items]
    batch = struct.pack(f">I{len(encoded)}I", len(encoded), *map(len, encoded))
    lines: bytes = _door.call(_door.HASH_EMAILS, 0, batch + b"".join(encoded))
    hashes: list[str | None] = [line or None for line in lines.decode("ascii").split("\n")]
    if invalid == "raise" and None in hashes:
        index = hashes.index(None)
        raise InvalidInputError(
            f"the email at index {index} is not a valid email address",
            kind=ErrorKind.INVALID_EMAIL,
        )
    return hashes


def normalize_phone(phone: str) -> str:
    """Checks that a phone number is normalized: ``+`` then 10 to 15 ASCII digits. Nothing is
    repaired.

    Raises:
        InvalidInputError: anything else.
    """
    result: str = _door.call(_door.NORMALIZE_PHONE, 0, phone)
    return result


def hash_phone(phone: str) -> str:
    """Validates and hashes a phone number: the ``phone_hash`` value.

    Raises:
        InvalidInputError: the number is not normalized.
    """
    result: str = _door.call(_door.HASH_PHONE, 0, phone)
    return result


def normalize_email_hash(email_hash: str) -> str:
    """Accepts an email hash as 44-character base64 or 64-character hex; returns base64.

    Raises:
        InvalidInputError: it is not a SHA-256 digest in either form.
    """
    result: str = _door.call(_door.NORMALIZE_EMAIL_HASH, 0, email_hash)
    return result


def normalize_phone_hash(phone_hash: str) -> str:
    """Accepts a phone hash as 44-character base64 or 64-character hex; returns base64.

    Raises:
        InvalidInputError: it is not a SHA-256 digest in either form.
    """
    result: str = _door.call(_door.NORMALIZE_PHONE_HASH, 0, phone_hash)
    return result
