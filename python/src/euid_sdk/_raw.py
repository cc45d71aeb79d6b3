"""Calls through the library's plain C entry points (bindings/src/raw.rs).

A UniFFI call from Python clones the client's handle, builds a Rust buffer for each argument,
checks a call status and frees the result buffer: each one more ctypes crossing, about 15-20 µs
per client call on top of the request. Here a call is one crossing (the GIL released while it
runs) with the argument bytes written by the generated converters in UniFFI's own layout, and
one more to free the result once it is copied out. The result is a tag byte then the value or
the ``EuidError`` in that layout, read back by the generated converters, so values and errors
are exactly those of the UniFFI calls. The blocking client's generate and refresh and the
envelope functions go this way.

:func:`RawClient.of` and :func:`function` return None when the generated module or the library
does not have the expected shape; callers then make the UniFFI calls.
"""

from __future__ import annotations

import ctypes
import weakref
from typing import Any, Callable

from . import _speedups
from ._native import euid as _generated

_RESULT_OK = 0
_RESULT_ERR = 1


def _load() -> Any:
    if not _speedups.INSTALLED:
        return None
    try:
        library = ctypes.CDLL(_generated._UniffiLib._name)
        library.euid_raw_free.argtypes = (ctypes.c_void_p, ctypes.c_uint64)
        library.euid_raw_free.restype = None
        library.euid_client_release_raw.argtypes = (ctypes.c_uint64,)
        library.euid_client_release_raw.restype = None
    except (AttributeError, OSError):
        return None
    return library


_LIBRARY = _load()


def _entry(name: str, *leading: Any) -> Any:
    """The library function ``name`` taking ``leading`` arguments, then argument bytes."""
    if _LIBRARY is None:
        return None
    try:
        entry = getattr(_LIBRARY, name)
    except AttributeError:
        return None
    entry.argtypes = (*leading, ctypes.c_char_p, ctypes.c_size_t, ctypes.POINTER(ctypes.c_uint64))
    entry.restype = ctypes.c_void_p
    return entry


def _converters(*names: str) -> tuple[Any, ...] | None:
    try:
        return tuple(getattr(_generated, f"_UniffiFfiConverter{name}") for name in names)
    except AttributeError:
        return None


def _encode(converters: tuple[Any, ...], values: tuple[Any, ...]) -> bytes:
    args = _speedups._Builder()
    for converter, value in zip(converters, values):
        converter.check_lower(value)
        converter.write(value, args)
    return bytes(args.buf)


def _decode(result: int | None, length: ctypes.c_uint64, converter: Any) -> Any:
    """Reads and frees a result buffer: its value, or its error raised."""
    assert _LIBRARY is not None
    if not result:
        raise _generated.InternalError("the native library refused a call")
    try:
        data = ctypes.string_at(result, length.value)
    finally:
        _LIBRARY.euid_raw_free(result, length.value)
    stream = _generated._UniffiRustBufferStream(data, len(data))
    tag = stream.read(1)[0]
    if tag == _RESULT_OK:
        value = converter.read(stream)
    elif tag == _RESULT_ERR:
        raise _ERROR_CONVERTER.read(stream)
    else:
        raise _generated.InternalError("the native library gave an unknown result")
    if stream.remaining():
        raise _generated.InternalError("the native library gave a malformed result")
    return value


_ERROR_CONVERTER: Any = getattr(_generated, "_UniffiFfiConverterTypeEuidError", None)


def function(name: str, arguments: tuple[str, ...], result: str) -> Callable[..., Any] | None:
    """The raw function ``euid_<name>_raw``, its arguments and result named by their generated
    converters (``String``, ``Bytes``, ``TypeOpenedRequest``...), or None."""
    entry = _entry(f"euid_{name}_raw")
    converters = _converters(*arguments, result)
    if entry is None or converters is None or _ERROR_CONVERTER is None:
        return None
    *argument_converters, result_converter = converters

    def call(*values: Any) -> Any:
        args = _encode(tuple(argument_converters), values)
        length = ctypes.c_uint64()
        return _decode(entry(args, len(args), ctypes.byref(length)), length, result_converter)

    return call


class RawClient:
    """The blocking calls of one native client. Holds its own reference to the client, given
    back when this object is collected (never while a call runs: the call holds it)."""

    __slots__ = ("_handle", "__weakref__")

    _GENERATE = _entry("euid_client_generate_raw", ctypes.c_uint64)
    _REFRESH = _entry("euid_client_refresh_raw", ctypes.c_uint64)
    _GENERATE_ARGS = _converters("TypeDiiInput", "OptionalString")
    _REFRESH_ARGS = _converters("TypeIdentity")
    _OUTCOMES = _converters("TypeGenerateOutcome", "TypeRefreshOutcome")

    def __init__(self, handle: int) -> None:
        self._handle = handle

    @classmethod
    def of(cls, native_client: Any) -> RawClient | None:
        parts = (cls._GENERATE, cls._REFRESH, cls._GENERATE_ARGS, cls._REFRESH_ARGS, cls._OUTCOMES)
        if _LIBRARY is None or _ERROR_CONVERTER is None or any(part is None for part in parts):
            return None
        try:
            handle = native_client._uniffi_clone_handle()
        except AttributeError:
            return None
        raw = cls(handle)
        weakref.finalize(raw, _LIBRARY.euid_client_release_raw, handle)
        return raw

    def generate(self, dii: Any, tcf_consent_string: str | None) -> Any:
        """``generate_token_blocking(dii, tcf_consent_string)``."""
        assert self._GENERATE_ARGS is not None and self._OUTCOMES is not None
        args = _encode(self._GENERATE_ARGS, (dii, tcf_consent_string))
        length = ctypes.c_uint64()
        result = self._GENERATE(self._handle, args, len(args), ctypes.byref(length))
        return _decode(result, length, self._OUTCOMES[0])

    def refresh(self, identity: Any) -> Any:
        """``refresh_token_blocking(identity)``."""
        assert self._REFRESH_ARGS is not None and self._OUTCOMES is not None
        args = _encode(self._REFRESH_ARGS, (identity,))
        length = ctypes.c_uint64()
        result = self._REFRESH(self._handle, args, len(args), ctypes.byref(length))
        return _decode(result, length, self._OUTCOMES[1])
