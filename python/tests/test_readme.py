"""The README's Python quick starts, run as pasted against the emulator (only the environment
URL and the credentials are swapped in)."""

from __future__ import annotations

import asyncio
import re
import textwrap
from pathlib import Path
from typing import Any

import pytest
from conftest import REPO, Emulator
from network import Pki, closed_port_url

HOUR_MS = 3_600_000


def python_blocks() -> list[str]:
    readme = Path(REPO / "README.md").read_text(encoding="utf-8")
    section = readme.split("\n## Python\n", 1)[1].split("\n## ", 1)[0]
    return re.findall(r"```python\n(.*?)```", section, flags=re.S)


def namespace(emulator: Emulator) -> dict[str, Any]:
    return {
        "EMULATOR_URL": emulator.url,
        "API_KEY": emulator.api_key,
        "CLIENT_SECRET": emulator.client_secret,
        "session": {},
    }


def pasted(block: str) -> str:
    for environment in ("PublisherClient.INTEGRATION_URL", "euid_sdk.PRODUCTION_URL"):
        block = block.replace(environment, "EMULATOR_URL")
    return block


def test_the_quick_start_generates_stores_and_refreshes(emulator: Emulator) -> None:
    # The operator's clock runs two hours behind: the new identity is due for refresh at once
    # on this machine's clock, so the quick start takes its refresh branch.
    # Its Date header (as a load balancer's) lets the client correct that drift.
    emulator.advance_clock(-2 * HOUR_MS)
    emulator.date_header(True)
    names = namespace(emulator)
    exec(pasted(python_blocks()[0]), names)
    assert names["session"]["euid"] != names["identity"].to_json()
    assert emulator.counters("generate")["outcomes"]["success"] == 1
    assert emulator.counters("refresh")["outcomes"]["success"] == 1


def test_the_asyncio_quick_start_runs(emulator: Emulator) -> None:
    names = namespace(emulator)
    body = textwrap.indent(pasted(python_blocks()[1]), "    ")
    exec(f"import euid_sdk\nasync def main():\n{body}\n    return refreshed\n", names)
    refreshed = asyncio.run(names["main"]())
    assert refreshed.is_success


def test_the_proxy_block_reports_an_unreachable_proxy(
    emulator: Emulator, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    # The block as pasted, with its proxy on a loopback port nothing listens on and a private CA.
    block = next(b for b in python_blocks() if "ca_certificates_pem" in b)
    block = block.replace("proxy.internal:3128", closed_port_url().removeprefix("http://"))
    names = namespace(emulator) | {"PRIVATE_CA_PEM": Pki(tmp_path).ca_pem}
    exec(pasted(block), names)
    printed = capsys.readouterr().out
    assert printed.startswith("proxy_unreachable proxy error: cannot reach the proxy"), printed
    assert "password" not in printed
