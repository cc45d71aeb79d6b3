"""Shared fixtures: the shared test vectors and the local EUID operator emulator.

The tests run against the INSTALLED wheel; nothing here imports the source tree.
"""

from __future__ import annotations

import json
import os
import subprocess
import urllib.request
from pathlib import Path
from typing import Any, Iterator

import pytest

import euid_sdk

# The manager.json runner is shared by two test modules; rewrite its asserts as pytest does.
pytest.register_assert_rewrite("manager_scenarios")

REPO = Path(__file__).resolve().parents[2]
VECTORS_DIR = Path(os.environ.get("EUID_VECTORS_DIR", REPO / "tests" / "vectors"))
EMULATOR_BIN = Path(os.environ.get("EUID_EMULATOR_BIN", REPO / "target" / "release" / "euid-emulator"))


def load_vectors(name: str) -> list[dict[str, Any]]:
    """The cases of ``tests/vectors/<name>.json``."""
    with open(VECTORS_DIR / f"{name}.json", encoding="utf-8") as f:
        cases: list[dict[str, Any]] = json.load(f)["cases"]
    return cases


class Emulator:
    """A running ``euid-emulator`` process and its control API."""

    def __init__(self, process: subprocess.Popen[str], info: dict[str, str]) -> None:
        self.process = process
        self.url: str = info["url"]
        self.api_key: str = info["api_key"]
        self.client_secret: str = info["client_secret"]

    def control(self, method: str, path: str, body: Any = None) -> Any:
        data = None if body is None else json.dumps(body).encode()
        request = urllib.request.Request(
            f"{self.url}/emulator/{path}",
            data=data,
            method=method,
            headers={"Content-Type": "application/json"},
        )
        with urllib.request.urlopen(request, timeout=10) as response:
            text = response.read().decode()
        return json.loads(text) if text else None

    def reset(self) -> None:
        self.control("POST", "reset")

    def advance_clock(self, ms: int) -> None:
        self.control("POST", "clock", {"advance_ms": ms})

    def now_ms(self) -> int:
        return int(self.control("GET", "clock")["now_ms"])

    def opt_out(self, **identifier: str) -> None:
        self.control("POST", "optout", identifier)

    def faults(self, *faults: dict[str, Any]) -> None:
        self.control("POST", "faults", {"faults": list(faults)})

    def clear_faults(self) -> None:
        self.control("DELETE", "faults")

    def counters(self, endpoint: str) -> dict[str, Any]:
        counters: dict[str, Any] = self.control("GET", "counters")[endpoint]
        return counters

    def requests(self) -> dict[str, int]:
        """The cumulative request count of every endpoint (``generate``, ``refresh``...)."""
        counters = self.control("GET", "counters")
        return {endpoint: int(counters[endpoint]["requests"]) for endpoint in counters}

    def client(self, **options: Any) -> euid_sdk.PublisherClient:
        return euid_sdk.PublisherClient(self.url, self.api_key, self.client_secret, **options)

    def async_client(self, **options: Any) -> euid_sdk.AsyncPublisherClient:
        return euid_sdk.AsyncPublisherClient(
            self.url, self.api_key, self.client_secret, **options
        )


@pytest.fixture(scope="session")
def emulator_process() -> Iterator[Emulator]:
    if not EMULATOR_BIN.exists():
        pytest.fail(f"the emulator binary is missing: {EMULATOR_BIN} (run `make test`)")
    process = subprocess.Popen(
        [str(EMULATOR_BIN), "--port", "0"],
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        text=True,
    )
    assert process.stdout is not None
    line = process.stdout.readline()
    if not line:
        process.kill()
        pytest.fail("the emulator exited before printing its address")
    try:
        yield Emulator(process, json.loads(line))
    finally:
        assert process.stdin is not None
        process.stdin.close()
        try:
            process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()


@pytest.fixture
def emulator(emulator_process: Emulator) -> Emulator:
    """The session's emulator, reset before the test."""
    emulator_process.reset()
    return emulator_process
