"""Blocking generate and refresh through the library's plain C entry points (bindings/src/raw.rs).

A UniFFI call from Python clones the client's handle, builds a Rust buffer for each argument,
checks a call status and frees the result buffer: each one more ctypes crossing, about 15-20 µs
per call on top of the request. Here a call is one crossing (the GIL released while the request
runs) with the argument bytes written by the generated converters in UniFFI's own layout, and
one more to free the result once it is copied out. The result is a tag byte then the outcome or
the ``EuidError`` in that layout, read back by the generated converters, so outcomes and errors
are exactly those of the UniFFI calls.

:func:`RawClient.of` returns None when the generated module or the library does not have the
expected shape; the client then makes the UniFFI calls.
"""

from __future__ import annotations

import ctypes
import weakref
from typing import Any, Callable

from . import _speedups
from ._native import euid as _generated

_RESULT_OK = 0
_RESULT_ERR = 1

_CallEntry = Callable[[int, bytes, int, Any], Any]


def _bind() -> Any:
    """The library's functions and the generated converters, or None."""
    if not _speedups.INSTALLED:
        return None
    try:
        library = ctypes.CDLL(_generated._UniffiLib._name)
        generate = library.euid_client_generate_raw
        refresh = library.euid_client_refresh_raw
        release = library.euid_client_release_raw
        free = library.euid_raw_free
        converters = (
            _generated._UniffiFfiConverterTypeDiiInput,
            _generated._UniffiFfiConverterOptionalString,
            _generated._UniffiFfiConverterTypeIdentity,
            _generated._UniffiFfiConverterTypeGenerateOutcome,
            _generated._UniffiFfiConverterTypeRefreshOutcome,
            _generated._UniffiFfiConverterTypeEuidError,
            _generated._UniffiRustBufferStream,
        )
    except (AttributeError, OSError):
        return None
    for entry in (generate, refresh):
        entry.argtypes = (
            ctypes.c_uint64,
            ctypes.c_char_p,
            ctypes.c_size_t,
            ctypes.POINTER(ctypes.c_uint64),
        )
        entry.restype = ctypes.c_void_p
    release.argtypes = (ctypes.c_uint64,)
    release.restype = None
    free.argtypes = (ctypes.c_void_p, ctypes.c_uint64)
    free.restype = None
    return generate, refresh, release, free, converters


_BOUND = _bind()


class RawClient:
    """The blocking calls of one native client. Holds its own reference to the client, given
    back when this object is collected (never while a call runs: the call holds it)."""

    __slots__ = ("_handle", "__weakref__")

    def __init__(self, handle: int) -> None:
        self._handle = handle

    @classmethod
    def of(cls, native_client: Any) -> RawClient | None:
        if _BOUND is None:
            return None
        try:
            handle = native_client._uniffi_clone_handle()
        except AttributeError:
            return None
        raw = cls(handle)
        weakref.finalize(raw, _BOUND[2], handle)
        return raw

    def generate(self, dii: Any, tcf_consent_string: str | None) -> Any:
        """``generate_token_blocking(dii, tcf_consent_string)``."""
        assert _BOUND is not None
        dii_converter, optional_string, _, generate_outcome, _, _, _ = _BOUND[4]
        args = _speedups._Builder()
        dii_converter.write(dii, args)
        optional_string.write(tcf_consent_string, args)
        return self._call(_BOUND[0], bytes(args.buf), generate_outcome)

    def refresh(self, identity: Any) -> Any:
        """``refresh_token_blocking(identity)``."""
        assert _BOUND is not None
        _, _, identity_converter, _, refresh_outcome, _, _ = _BOUND[4]
        args = _speedups._Builder()
        identity_converter.write(identity, args)
        return self._call(_BOUND[1], bytes(args.buf), refresh_outcome)

    def _call(self, entry: _CallEntry, args: bytes, converter: Any) -> Any:
        assert _BOUND is not None
        free, error_converter, stream_type = _BOUND[3], _BOUND[4][5], _BOUND[4][6]
        length = ctypes.c_uint64()
        result = entry(self._handle, args, len(args), ctypes.byref(length))
        if not result:
            raise _generated.InternalError("the native library refused a call")
        try:
            data = ctypes.string_at(result, length.value)
        finally:
            free(result, length.value)
        stream = stream_type(data, len(data))
        tag = stream.read(1)[0]
        if tag == _RESULT_OK:
            value = converter.read(stream)
        elif tag == _RESULT_ERR:
            raise error_converter.read(stream)
        else:
            raise _generated.InternalError("the native library gave an unknown result")
        if stream.remaining():
            raise _generated.InternalError("the native library gave a malformed result")
        return value
