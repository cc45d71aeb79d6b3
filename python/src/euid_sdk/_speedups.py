"""Cheaper argument lowering and result lifting for the generated UniFFI module.

UniFFI's Python bindings lower every argument that is not a number (a string, bytes, a record,
an enum with data) into a Rust buffer through a builder that asks Rust to allocate 16 bytes,
then to grow the buffer (one more FFI call each time it is too small), and runs a context
manager for every field written. Lowering an ``Identity`` record took about 30 µs, a short
string about 8 µs. Results are read field by field through a ctypes pointer.

This module keeps the generated code and its wire format as they are and swaps two of its
helpers:

- lowering writes into a Python ``bytearray`` and hands the finished bytes to Rust in one FFI
  call (``rustbuffer_from_bytes``, the library's own copy function);
- lifting copies the Rust buffer into Python ``bytes`` once and reads the fields from there.

The byte layout is the generated code's own (the same ``struct`` formats), so nothing else
changes; the whole Python suite runs through these paths. Imported first by ``euid_sdk``.
"""

from __future__ import annotations

import ctypes
import struct
from typing import Any

from ._native import euid as _generated

_I8 = struct.Struct(">b").pack
_U8 = struct.Struct(">B").pack
_I16 = struct.Struct(">h").pack
_U16 = struct.Struct(">H").pack
_I32 = struct.Struct(">i").pack
_U32 = struct.Struct(">I").pack
_I64 = struct.Struct(">q").pack
_U64 = struct.Struct(">Q").pack
_F32 = struct.Struct(">f").pack
_F64 = struct.Struct(">d").pack
_SIZE_T = struct.Struct("@N").pack
_MAX_FOREIGN_BYTES = 2**31 - 1


def _from_bytes(data: bytes) -> Any:
    """A Rust buffer holding a copy of ``data``: one FFI call."""
    foreign = _generated._UniffiForeignBytes()
    foreign.len = len(data)
    foreign.data = ctypes.cast(ctypes.c_char_p(data), ctypes.POINTER(ctypes.c_char))
    return _generated._uniffi_rust_call(
        _generated._UniffiLib.ffi_euid_ffi_rustbuffer_from_bytes, foreign
    )


class _Builder:
    """Drop-in for the generated ``_UniffiRustBufferBuilder`` and its context manager."""

    __slots__ = ("buf",)

    def __init__(self, *_: Any) -> None:
        self.buf = bytearray()

    def __enter__(self) -> _Builder:
        return self

    def __exit__(self, *_: Any) -> None:
        return None

    def finalize(self) -> Any:
        if len(self.buf) > _MAX_FOREIGN_BYTES:
            return _generated_lower_fallback(bytes(self.buf))
        return _from_bytes(bytes(self.buf))

    def discard(self) -> None:
        self.buf = bytearray()

    def write(self, value: bytes) -> None:
        self.buf += value

    def write_i8(self, v: int) -> None:
        self.buf += _I8(v)

    def write_u8(self, v: int) -> None:
        self.buf += _U8(v)

    def write_i16(self, v: int) -> None:
        self.buf += _I16(v)

    def write_u16(self, v: int) -> None:
        self.buf += _U16(v)

    def write_i32(self, v: int) -> None:
        self.buf += _I32(v)

    def write_u32(self, v: int) -> None:
        self.buf += _U32(v)

    def write_i64(self, v: int) -> None:
        self.buf += _I64(v)

    def write_u64(self, v: int) -> None:
        self.buf += _U64(v)

    def write_float(self, v: float) -> None:
        self.buf += _F32(v)

    def write_double(self, v: float) -> None:
        self.buf += _F64(v)

    def write_c_size_t(self, v: int) -> None:
        self.buf += _SIZE_T(v)


_original_alloc_with_builder = _generated._UniffiRustBuffer.alloc_with_builder


def _generated_lower_fallback(data: bytes) -> Any:
    """The generated builder, for buffers too large for one ``ForeignBytes`` (over 2 GiB)."""
    with _original_alloc_with_builder() as builder:
        builder.write(data)
        return builder.finalize()


def _lower_string(value: str) -> Any:
    data = value.encode("utf-8")
    if len(data) > _MAX_FOREIGN_BYTES:
        return _generated_lower_fallback(data)
    return _from_bytes(data)


def _stream_from_rust_buffer(cls: Any, buf: Any) -> Any:
    length = buf.len
    return cls(ctypes.string_at(buf.data, length) if length else b"", length)


ORIGINALS: dict[str, Any] = {}
"""The generated helpers that were replaced (for comparisons)."""


def _install() -> bool:
    """Swaps the helpers if the generated module has the shape they were written for."""
    needed = (
        "_UniffiRustBuffer",
        "_UniffiRustBufferBuilder",
        "_UniffiRustBufferStream",
        "_UniffiFfiConverterString",
        "_UniffiForeignBytes",
        "_uniffi_rust_call",
    )
    if not all(hasattr(_generated, name) for name in needed) or not hasattr(
        _generated._UniffiLib, "ffi_euid_ffi_rustbuffer_from_bytes"
    ):
        return False
    writers = [name for name in dir(_generated._UniffiRustBufferBuilder) if name.startswith("write")]
    if any(not hasattr(_Builder, name) for name in writers):
        return False  # a writer this module does not know: keep the generated path
    ORIGINALS.update(
        alloc_with_builder=_generated._UniffiRustBuffer.__dict__["alloc_with_builder"],
        lower_string=_generated._UniffiFfiConverterString.__dict__["lower"],
        from_rust_buffer=_generated._UniffiRustBufferStream.__dict__["from_rust_buffer"],
    )
    _generated._UniffiRustBuffer.alloc_with_builder = staticmethod(_Builder)
    _generated._UniffiFfiConverterString.lower = staticmethod(_lower_string)
    _generated._UniffiRustBufferStream.from_rust_buffer = classmethod(_stream_from_rust_buffer)
    return True


INSTALLED = _install()
