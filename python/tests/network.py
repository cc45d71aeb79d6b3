"""The test proxy and the private CA, for the proxy and certificate tests: Debian's squid run by
``tests/proxy/squid.sh`` on loopback, and a CA made by ``tests/tls/make-ca.sh`` (openssl)."""

from __future__ import annotations

import socket
import subprocess
import time
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[2]
USER = "euid"
PASSWORD = "proxy-pass-7f3a"
PROXY_VARIABLES = (
    "HTTPS_PROXY",
    "https_proxy",
    "HTTP_PROXY",
    "http_proxy",
    "ALL_PROXY",
    "all_proxy",
    "NO_PROXY",
    "no_proxy",
)


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port: int = sock.getsockname()[1]
        return port


def closed_port_url() -> str:
    """``http://127.0.0.1:<port>`` where nothing listens: a proxy that is down."""
    return f"http://127.0.0.1:{free_port()}"


class Squid:
    """A running squid: ``open_port`` needs no credentials, ``auth_port`` needs
    ``USER:PASSWORD``. Only it resolves ``operator.euid.test`` and ``blocked.euid.test`` (to
    127.0.0.1), and it refuses tunnels to the latter."""

    def __init__(self) -> None:
        self.open_port = free_port()
        self.auth_port = free_port()
        self.process = subprocess.Popen(
            [
                str(REPO / "tests" / "proxy" / "squid.sh"),
                str(self.open_port),
                str(self.auth_port),
                USER,
                PASSWORD,
            ],
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            text=True,
        )
        assert self.process.stdout is not None
        ready = self.process.stdout.readline().split()
        if len(ready) != 2 or ready[0] != "ready":
            self.stop()
            pytest.fail("squid did not start (tests/proxy/squid.sh printed why)")
        self.log = Path(ready[1])

    @property
    def open_url(self) -> str:
        return f"http://127.0.0.1:{self.open_port}"

    def auth_url(self, user: str, password: str) -> str:
        return f"http://{user}:{password}@127.0.0.1:{self.auth_port}"

    def lines_with(self, *needles: str, count: int = 1) -> list[str]:
        """The access log's lines containing every needle, waiting up to 5 s for ``count`` of
        them (squid logs a tunnel when it closes)."""
        deadline = time.monotonic() + 5
        while True:
            text = self.log.read_text() if self.log.exists() else ""
            lines = [line for line in text.splitlines() if all(n in line for n in needles)]
            if len(lines) >= count or time.monotonic() > deadline:
                return lines
            time.sleep(0.05)

    def stop(self) -> None:
        """Closing its standard input stops squid."""
        assert self.process.stdin is not None
        self.process.stdin.close()
        try:
            self.process.wait(timeout=15)
        except subprocess.TimeoutExpired:
            self.process.kill()
            self.process.wait()
        assert self.process.stdout is not None
        self.process.stdout.close()


class Pki:
    """A private CA (``ca_pem``) and the emulator's certificate it signed (``cert``, ``key``),
    valid for 127.0.0.1, localhost, operator.euid.test and blocked.euid.test."""

    def __init__(self, directory: Path) -> None:
        subprocess.run([str(REPO / "tests" / "tls" / "make-ca.sh"), str(directory)], check=True)
        self.ca = directory / "ca.pem"
        self.ca_pem = self.ca.read_text()
        self.cert = directory / "server.pem"
        self.key = directory / "server.key"

    def emulator_args(self) -> tuple[str, ...]:
        return ("--tls-cert", str(self.cert), "--tls-key", str(self.key))
