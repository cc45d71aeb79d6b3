"""Shared fixtures: the shared test vectors and the local EUID operator emulator.

The tests run against the INSTALLED wheel; nothing here imports the source tree.
"""

from __future__ import annotations

import json
import os
import subprocess
import urllib.request
from pathlib import Path
from typing import Any, Callable, Iterator

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

    def stop(self) -> None:
        """Stops the process (closing its stdin) and waits for it; killed if it lingers."""
        if self.process.stdin is not None and not self.process.stdin.closed:
            self.process.stdin.close()
        try:
            self.process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            self.process.kill()
            self.process.wait()
        if self.process.stdout is not None:
            self.process.stdout.close()

    def kill(self) -> None:
        """Kills the process at once, as an operator that crashes: nothing answers any more."""
        self.process.kill()
        self.process.wait()
        self.stop()

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

    def date_header(self, on: bool) -> None:
        """Sends a ``Date`` header on every answer (as a load balancer in front of the operator
        may; the operator sends none), until :meth:`reset`."""
        self.control("POST", "clock", {"date_header": on})

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


def start_emulator(*args: str) -> Emulator:
    """Starts a new ``euid-emulator`` process with extra command-line ``args``
    (``--api-key``, ``--client-secret``...). Stop it with :meth:`Emulator.stop`."""
    if not EMULATOR_BIN.exists():
        pytest.fail(f"the emulator binary is missing: {EMULATOR_BIN} (run `make test`)")
    process = subprocess.Popen(
        [str(EMULATOR_BIN), "--port", "0", *args],
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        text=True,
    )
    assert process.stdout is not None
    line = process.stdout.readline()
    if not line:
        process.kill()
        process.wait()
        pytest.fail("the emulator exited before printing its address")
    return Emulator(process, json.loads(line))


@pytest.fixture(scope="session")
def emulator_process() -> Iterator[Emulator]:
    emulator = start_emulator()
    try:
        yield emulator
    finally:
        emulator.stop()


@pytest.fixture
def emulator(emulator_process: Emulator) -> Emulator:
    """The session's emulator, reset before the test."""
    emulator_process.reset()
    return emulator_process


@pytest.fixture
def new_emulator() -> Iterator[Callable[..., Emulator]]:
    """Starts emulator processes of the test's own (``new_emulator("--api-key", key)``), each
    stopped after the test: for tests that kill the operator or need known credentials."""
    started: list[Emulator] = []

    def start(*args: str) -> Emulator:
        started.append(start_emulator(*args))
        return started[-1]

    yield start
    for emulator in started:
        emulator.stop()
