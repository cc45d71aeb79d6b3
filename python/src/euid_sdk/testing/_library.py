"""The test kit's native library, ``libeuid_testing.so`` (package data of this package, apart
from the SDK's own library): three C symbols that start and stop an emulator in this process
(``testing/src/lib.rs`` in the repository). Its answers are JSON, as the control API's are."""

from __future__ import annotations

import ctypes
import functools
import json
from pathlib import Path
from typing import Any, NamedTuple

from ._errors import EmulatorError, EmulatorErrorKind

_START_KINDS: dict[str, EmulatorErrorKind] = {"config": "config", "io": "io"}


class Started(NamedTuple):
    """A started emulator: its id in the library, its URL and credentials."""

    id: int
    url: str
    api_key: str
    client_secret: str


class Library:
    """The loaded library."""

    def __init__(self, path: Path) -> None:
        if not path.is_file():
            raise EmulatorError(
                "internal",
                f"this installation of euid-sdk has no test kit library ({path.name}): the wheels "
                "for Linux with glibc (manylinux2014, x86_64 and aarch64) carry it; the musllinux, "
                "Windows and macOS wheels do not yet.",
            )
        try:
            lib = ctypes.CDLL(str(path))
        except OSError as err:
            raise EmulatorError(
                "internal",
                f"the test kit's native library cannot be loaded from {path}: {err}. "
                "It ships in the euid-sdk wheel; reinstall it.",
            ) from None
        self._start = lib.euid_testing_start
        self._start.argtypes = [ctypes.c_char_p]
        self._start.restype = ctypes.c_void_p
        self._stop = lib.euid_testing_stop
        self._stop.argtypes = [ctypes.c_uint64]
        self._stop.restype = ctypes.c_int32
        self._free = lib.euid_testing_free
        self._free.argtypes = [ctypes.c_void_p]
        self._free.restype = None

    def start(self, config: dict[str, Any]) -> Started:
        """Starts an emulator with ``config`` (the emulator's settings, by name)."""
        answer = self._start(json.dumps(config).encode("ascii"))
        try:
            data = json.loads(ctypes.string_at(answer))
        finally:
            self._free(answer)
        if "error" in data:
            raise EmulatorError(_START_KINDS.get(data["kind"], "internal"), data["error"])
        return Started(data["id"], data["url"], data["api_key"], data["client_secret"])

    def stop(self, emulator_id: int) -> None:
        """Stops emulator ``emulator_id``; its port is closed when this returns."""
        if self._stop(emulator_id) != 0:
            raise EmulatorError("internal", f"the test kit runs no emulator {emulator_id}")


@functools.lru_cache(maxsize=None)
def library() -> Library:
    """The library next to this module, loaded on first use."""
    return Library(Path(__file__).with_name("libeuid_testing.so"))
