"""The identifier a token is generated or validated from: exactly one of an email, a phone
number or their hashes."""

from __future__ import annotations

from . import _native
from ._errors import ErrorKind, InvalidInputError


def dii_input(
    email: str | None,
    phone: str | None,
    email_hash: str | None,
    phone_hash: str | None,
    send_unhashed: bool,
) -> _native.DiiInput:
    """The one identifier given, as the native record."""
    given = [
        (name, value)
        for name, value in (
            ("email", email),
            ("phone", phone),
            ("email_hash", email_hash),
            ("phone_hash", phone_hash),
        )
        if value is not None
    ]
    if len(given) != 1:
        raise InvalidInputError(
            "exactly one of email, phone, email_hash, phone_hash must be given",
            kind=ErrorKind.INVALID_ARGUMENT,
        )
    name, value = given[0]
    if not isinstance(value, str):
        raise InvalidInputError(f"{name} must be a string", kind=ErrorKind.INVALID_ARGUMENT)
    if send_unhashed and name in ("email", "phone"):
        name = "raw_" + name
    return _native.DiiInput(dii_type=_native.DiiType[name.upper()], value=value)
