"""The v2 envelope and answer decoding, with every random or time-dependent value given.

These are the functions the shared test vectors run; applications use the clients instead.
Keys are standard base64; envelopes and bodies are bytes.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from . import _door, _native
from ._dii import dii_input
from ._errors import translated
from ._results import GenerateResult, RefreshResult, generate_result, refresh_result

__all__ = [
    "OpenedRequest",
    "seal_request",
    "open_request",
    "seal_response",
    "decrypt_generate_response",
    "decrypt_refresh_response",
    "generate_request_json",
]


@dataclass(frozen=True)
class OpenedRequest:
    """A decrypted request envelope, as the operator sees it.

    ``payload`` holds the identifier (a hash, or the email itself when sent unhashed):
    ``repr`` shows neither it nor the nonce.
    """

    timestamp_ms: int
    nonce: bytes = field(repr=False)
    payload: bytes = field(repr=False)


def seal_request(key: str, payload: bytes, *, timestamp_ms: int, nonce: bytes, iv: bytes) -> bytes:
    """The wire bytes of a request envelope (base64-encode them for the default transport)."""
    sealed: bytes = _door.call(
        _door.ENVELOPE_SEAL_REQUEST, 0, key, payload, timestamp_ms, nonce, iv
    )
    return sealed


def open_request(key: str, body: bytes, *, binary: bool = False) -> OpenedRequest:
    """Decodes and decrypts a request body (base64 text, or raw bytes if ``binary``) as the
    operator does, checking length, version and authentication in order."""
    opened = _door.call(_door.ENVELOPE_OPEN_REQUEST, 0, key, body, binary)
    return OpenedRequest(opened.timestamp_ms, bytes(opened.nonce), bytes(opened.payload))


def seal_response(
    key: str, payload: bytes, *, timestamp_ms: int, nonce: bytes, iv: bytes
) -> bytes:
    """The bytes of a generate or validate response (IV, ciphertext, tag)."""
    sealed: bytes = _door.call(
        _door.ENVELOPE_SEAL_RESPONSE, 0, key, payload, timestamp_ms, nonce, iv
    )
    return sealed


def decrypt_generate_response(
    key: str, body: bytes, *, nonce: bytes, binary: bool = False
) -> GenerateResult:
    """Decrypts a generate response body (base64 text, or raw bytes if ``binary``)."""
    return generate_result(_door.call(_door.DECRYPT_GENERATE_RESPONSE, 0, key, body, binary, nonce))


def decrypt_refresh_response(key: str | None, body: bytes) -> RefreshResult:
    """Reads a refresh response: decrypted with ``key``, or plain JSON when it is None."""
    return refresh_result(_door.call(_door.DECRYPT_REFRESH_RESPONSE, 0, key, body))


@translated
def generate_request_json(
    *,
    email: str | None = None,
    phone: str | None = None,
    email_hash: str | None = None,
    phone_hash: str | None = None,
    tcf_consent_string: str | None = None,
    send_unhashed: bool = False,
) -> str:
    """The JSON a generate request carries inside its envelope."""
    dii = dii_input(email, phone, email_hash, phone_hash, send_unhashed)
    return _native.generate_request_json(dii, tcf_consent_string)
