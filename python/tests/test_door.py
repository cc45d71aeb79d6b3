"""The door (python/src/euid_sdk/_door.py): the generated module's private names checked at
import, the argument bytes exactly UniFFI's, results of any size, errors typed, the GIL released
while a request runs."""

from __future__ import annotations

import gc
import importlib
import sys
import threading
import time
from typing import Any, Iterator

import pytest

import euid_sdk
from conftest import Emulator
from euid_sdk import _door, _native
from euid_sdk._native import euid as generated


def reimport_door() -> Any:
    """Imports ``_door`` anew (the loaded module is put back afterwards by the caller's
    monkeypatch)."""
    return importlib.import_module("euid_sdk._door")


@pytest.fixture
def no_collection() -> Iterator[None]:
    """No garbage collection while a name of the generated module is taken away: an object
    collected meanwhile could not free its native half."""
    gc.collect()
    gc.disable()
    try:
        yield
    finally:
        gc.enable()


@pytest.mark.parametrize(
    "name", ["_UniffiRustBufferStream", "_UniffiFfiConverterTypeIdentity", "_UniffiLib"]
)
@pytest.mark.usefixtures("no_collection")
def test_a_missing_private_name_fails_the_import_naming_the_uniffi_version(
    monkeypatch: pytest.MonkeyPatch, name: str
) -> None:
    monkeypatch.delattr(generated, name)
    monkeypatch.delitem(sys.modules, "euid_sdk._door")
    with pytest.raises(ImportError) as caught:
        reimport_door()
    assert name in str(caught.value)
    assert "UniFFI 0.32.2" in str(caught.value)


def test_a_missing_operation_fails_the_import(monkeypatch: pytest.MonkeyPatch) -> None:
    names = [name for name in _native.door_operations() if name != "client_refresh"]
    monkeypatch.setattr(_native, "door_operations", lambda: names)
    monkeypatch.delitem(sys.modules, "euid_sdk._door")
    with pytest.raises(ImportError, match="'client_refresh'.*UniFFI 0.32.2") as caught:
        reimport_door()
    assert f"(library version {_native.library_version()})" in str(caught.value)


def test_a_changed_layout_fails_the_import(monkeypatch: pytest.MonkeyPatch) -> None:
    original = generated._UniffiFfiConverterString.write

    def longer(value: str, buf: Any) -> None:
        buf.write_u8(0)
        original(value, buf)

    monkeypatch.setattr(generated._UniffiFfiConverterString, "write", staticmethod(longer))
    monkeypatch.delitem(sys.modules, "euid_sdk._door")
    with pytest.raises(ImportError, match="layout of _UniffiFfiConverterString"):
        reimport_door()


def test_every_operation_of_the_library_is_bound() -> None:
    bound = {value.name for value in vars(_door).values() if isinstance(value, _door.Op)}
    assert bound == set(_native.door_operations())
    codes = [value.code for value in vars(_door).values() if isinstance(value, _door.Op)]
    assert sorted(codes) == list(range(len(codes)))


IDENTITIES = [
    _native.Identity(
        advertising_token="AT-é",
        refresh_token="RT",
        identity_expires=-1,
        refresh_from=2**62,
        refresh_expires=0,
        refresh_response_key=key,
        extra_json='{"a": "ü"}',
    )
    for key in (None, "", "key=")
]


@pytest.mark.parametrize(
    ("encoder", "converter", "values"),
    [
        (_door._string, "String", ["", "a", "é\U0001f600", "x" * 70_000]),
        (_door._optional_string, "OptionalString", [None, "", "consent"]),
        (_door._bytes, "Bytes", [b"", b"\x00" * 5, bytearray(b"ab"), memoryview(b"cd")]),
        (_door._int64, "Int64", [0, -(2**63), 2**63 - 1]),
        (_door._boolean, "Boolean", [True, False]),
        (
            _door._dii_input,
            "TypeDiiInput",
            [_native.DiiInput(dii_type=kind, value="v é") for kind in _native.DiiType],
        ),
        (_door._identity, "TypeIdentity", IDENTITIES),
    ],
    ids=["string", "optional_string", "bytes", "int64", "boolean", "dii_input", "identity"],
)
def test_the_fast_encoders_write_exactly_what_the_generated_converters_write(
    encoder: Any, converter: str, values: list[Any]
) -> None:
    generated_converter = getattr(generated, f"_UniffiFfiConverter{converter}")
    for value in values:
        assert encoder(value) == _door._through(generated_converter)(value)


def test_the_generated_converters_are_read_and_written_through_the_door() -> None:
    for identity in IDENTITIES:
        data = _door._through(generated._UniffiFfiConverterTypeIdentity)(identity)
        read = _door._read_with(generated._UniffiFfiConverterTypeIdentity)(b"\x00" + data)
        assert read == identity


def test_wrong_argument_types_are_type_errors() -> None:
    with pytest.raises(TypeError):
        euid_sdk.hash_email(b"user@example.com")  # type: ignore[arg-type]
    with pytest.raises(TypeError):
        euid_sdk.envelope.open_request("A" * 43 + "=", "text, not bytes")  # type: ignore[arg-type]
    with pytest.raises(ValueError):
        _door._int64(2**63)


def test_results_larger_than_the_thread_buffer_come_back_whole() -> None:
    emails = [f"user{i}@example.com" for i in range(500)]  # 22 KB of hashes
    hashes = euid_sdk.hash_emails(emails)
    assert len("\n".join(hashes)) > _door._OUT_CAPACITY
    assert hashes == [euid_sdk.hash_email(email) for email in emails]
    key = "ioG3wKxAokmp+rERx6A4kM/13qhyolUXIu14WN16Spo="
    payload = bytes(range(256)) * 4_000  # 1 MB
    sealed = euid_sdk.envelope.seal_request(
        key, payload, timestamp_ms=7, nonce=b"12345678", iv=b"123456789012"
    )
    opened = euid_sdk.envelope.open_request(key, sealed, binary=True)
    assert (opened.payload, opened.nonce, opened.timestamp_ms) == (payload, b"12345678", 7)


def test_an_unknown_target_is_a_closed_error_and_bad_bytes_an_internal_error() -> None:
    dii = _native.DiiInput(dii_type=_native.DiiType.EMAIL, value="user@example.com")
    with pytest.raises(euid_sdk.ClientClosedError, match="the client is closed"):
        _door.call(_door.CLIENT_GENERATE, 2**64 - 1, dii, None)
    with pytest.raises(euid_sdk.ClientClosedError, match="the identity manager is closed"):
        _door.call(_door.MANAGER_STATUS, 2**64 - 1, "user")
    malformed = _door.Op("hash_email", lambda value: b"\x00\x00", _door._read_string, waits=False)
    with pytest.raises(euid_sdk.InternalError, match="malformed arguments for `hash_email`"):
        _door.call(malformed, 0, "ignored")


def test_a_blocking_request_releases_the_gil(emulator: Emulator) -> None:
    emulator.faults({"endpoint": "generate", "kind": "latency", "latency_ms": 500, "count": 1})
    ticks = 0
    done = threading.Event()

    def count() -> None:
        nonlocal ticks
        while not done.is_set():
            ticks += 1
            time.sleep(0.001)

    with emulator.client() as client:
        counter = threading.Thread(target=count)
        counter.start()
        started = time.monotonic()
        try:
            assert client.generate_token(email="user@example.com").is_success
        finally:
            done.set()
            counter.join()
    assert time.monotonic() - started >= 0.5
    assert ticks > 100, f"the other thread ran {ticks} times in 0.5 s"
