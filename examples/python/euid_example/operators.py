"""Where the site's EUID requests go: the embedded emulator, or a real EUID environment."""

from __future__ import annotations

import json
import os
import subprocess
import time
import urllib.request
from pathlib import Path
from typing import Any, Protocol

import euid_sdk

REPO = Path(__file__).resolve().parents[3]


class Operator(Protocol):
    """An EUID operator and the site's view of its clock."""

    base_url: str
    api_key: str
    client_secret: str
    is_emulator: bool

    @property
    def clock(self) -> euid_sdk.OffsetClock | None:
        """The clock for the site's request timestamps: the operator's time (None: the system's)."""

    def now_ms(self) -> int: ...
    def clock_offset_ms(self) -> int: ...
    def advance_past(self, instant_ms: int) -> None: ...
    def close(self) -> None: ...


class RealOperator:
    """A real EUID environment: its clock is the real one and is never moved."""

    is_emulator = False
    clock = None

    def __init__(self, base_url: str, api_key: str, client_secret: str) -> None:
        self.base_url, self.api_key, self.client_secret = base_url, api_key, client_secret

    def now_ms(self) -> int:
        return time.time_ns() // 1_000_000

    def clock_offset_ms(self) -> int:
        return 0

    def advance_past(self, instant_ms: int) -> None:
        raise RuntimeError("a real operator's clock cannot be moved")

    def close(self) -> None:
        pass


class EmbeddedEmulator:
    """The euid-emulator binary as a child process on an ephemeral loopback port; it stops
    when its stdin closes (also when this process dies). ``clock`` follows the emulator's clock:
    the operator sends no ``Date`` header, so a client on the system clock would be refused as
    drifted once the emulator's clock has moved."""

    is_emulator = True

    def __init__(self, binary: Path) -> None:
        self.clock = euid_sdk.OffsetClock()  # type: ignore[no-untyped-call]  # generated __init__
        self._process = subprocess.Popen(
            [str(binary)], stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True
        )
        assert self._process.stdout is not None
        info = json.loads(self._process.stdout.readline())
        self.base_url: str = info["url"]
        self.api_key: str = info["api_key"]
        self.client_secret: str = info["client_secret"]

    def _control(self, path: str, body: dict[str, Any] | None = None) -> dict[str, Any]:
        data = None if body is None else json.dumps(body).encode()
        request = urllib.request.Request(self.base_url + path, data=data)
        with urllib.request.urlopen(request, timeout=5) as response:
            answer: dict[str, Any] = json.load(response)
            return answer

    def now_ms(self) -> int:
        return int(self._control("/emulator/clock")["now_ms"])

    def clock_offset_ms(self) -> int:
        return int(self._control("/emulator/clock")["offset_ms"])

    def advance_past(self, instant_ms: int) -> None:
        """Moves the emulator's clock one second past ``instant_ms`` (if it is not already)."""
        ahead = instant_ms - self.now_ms() + 1000
        if ahead > 0:
            answer = self._control("/emulator/clock", {"advance_ms": ahead})
            self.clock.set_offset_ms(int(answer["offset_ms"]))

    def close(self) -> None:
        assert self._process.stdin is not None
        self._process.stdin.close()
        self._process.wait(timeout=10)


def from_environment() -> Operator:
    """A real environment when EUID_BASE_URL, EUID_API_KEY and EUID_CLIENT_SECRET are set,
    else the embedded emulator (EUID_EMULATOR_BIN, default target/release/euid-emulator)."""
    names = ("EUID_BASE_URL", "EUID_API_KEY", "EUID_CLIENT_SECRET")
    values = [os.environ.get(name, "") for name in names]
    if all(values):
        return RealOperator(*values)
    if any(values):
        raise SystemExit(f"set all of {', '.join(names)} or none of them")
    binary = Path(os.environ.get("EUID_EMULATOR_BIN", REPO / "target/release/euid-emulator"))
    if not binary.is_file():
        raise SystemExit(f"no emulator at {binary}: run `cargo build --release -p euid-emulator`")
    return EmbeddedEmulator(binary)
