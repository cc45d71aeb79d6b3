"""Pre-fork servers: a client used in the parent keeps working in forked children (os.fork,
multiprocessing's fork start method, gunicorn --preload). A hang fails the test, it never
hangs the suite."""

from __future__ import annotations

import asyncio
import http.client
import json
import multiprocessing
import os
import signal
import socket
import subprocess
import sys
import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import Any

import pytest

import euid_sdk
from conftest import Emulator

DEADLINE_S = 30.0

# Set before forking; the children inherit them.
_CLIENT: euid_sdk.PublisherClient | None = None
_ASYNC_CLIENT: euid_sdk.AsyncPublisherClient | None = None
_MANAGER: euid_sdk.IdentityManager | None = None


def _child_work(index: int) -> bool:
    """What each child does: sync, asyncio and manager calls."""
    assert _CLIENT is not None and _ASYNC_CLIENT is not None and _MANAGER is not None
    async_client = _ASYNC_CLIENT
    ok = _CLIENT.generate_token(email=f"child{index}@example.com").is_success
    ok &= asyncio.run(async_client.generate_token(email=f"child{index}@example.com")).is_success
    ok &= _MANAGER.establish(f"child{index}", email=f"child{index}@example.com").is_success
    ok &= _MANAGER.advertising_token(f"child{index}").advertising_token is not None
    return ok


@pytest.fixture
def used_in_parent(emulator: Emulator) -> Emulator:
    global _CLIENT, _ASYNC_CLIENT, _MANAGER
    _CLIENT = emulator.client()
    _ASYNC_CLIENT = emulator.async_client()
    _MANAGER = euid_sdk.IdentityManager(_CLIENT)
    # The parent uses every path before forking.
    assert _CLIENT.generate_token(email="parent@example.com").is_success
    assert asyncio.run(_ASYNC_CLIENT.generate_token(email="parent@example.com")).is_success
    assert _MANAGER.establish("parent", email="parent@example.com").is_success
    return emulator


def _wait(pid: int, deadline: float) -> int | str:
    while time.monotonic() < deadline:
        done, status = os.waitpid(pid, os.WNOHANG)
        if done:
            return os.waitstatus_to_exitcode(status)
        time.sleep(0.02)
    os.kill(pid, signal.SIGKILL)
    os.waitpid(pid, 0)
    return "hung"


def test_os_fork_children_call_the_operator(used_in_parent: Emulator) -> None:
    pids = []
    for index in range(4):
        pid = os.fork()
        if pid == 0:  # the child: never return into pytest
            code = 1
            try:
                code = 0 if _child_work(index) else 2
            finally:
                os._exit(code)
        pids.append(pid)
    deadline = time.monotonic() + DEADLINE_S
    assert [_wait(pid, deadline) for pid in pids] == [0, 0, 0, 0]
    # Each child generated twice and established once, after the parent's three calls.
    assert used_in_parent.counters("generate")["outcomes"]["success"] == 3 + 4 * 3


def test_multiprocessing_fork_pool(used_in_parent: Emulator) -> None:
    context = multiprocessing.get_context("fork")
    with context.Pool(4) as pool:
        results = pool.map_async(_child_work, range(4)).get(timeout=DEADLINE_S)
    assert results == [True, True, True, True]
    # The parent still works after its children did.
    assert _CLIENT is not None and _CLIENT.generate_token(email="after@example.com").is_success


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port: int = sock.getsockname()[1]
        return port


def _get(port: int, path: str) -> dict[str, Any]:
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=10)
    try:
        connection.request("GET", path)
        response = connection.getresponse()
        assert response.status == 200, response.read()
        body: dict[str, Any] = json.loads(response.read())
        return body
    finally:
        connection.close()


def test_gunicorn_preload_workers_serve_every_request(emulator: Emulator) -> None:
    port = _free_port()
    env = {
        **os.environ,
        "EUID_URL": emulator.url,
        "EUID_API_KEY": emulator.api_key,
        "EUID_CLIENT_SECRET": emulator.client_secret,
    }
    server = subprocess.Popen(
        [sys.executable, "-m", "gunicorn", "--preload", "--workers", "4",
         "--bind", f"127.0.0.1:{port}", "--timeout", "20", "--log-level", "warning",
         "--chdir", str(Path(__file__).parent), "gunicorn_app:app"],
        env=env,
    )
    try:
        deadline = time.monotonic() + DEADLINE_S
        while True:
            try:
                _get(port, "/ready")
                break
            except (ConnectionError, OSError):
                assert server.poll() is None, "gunicorn exited"
                assert time.monotonic() < deadline, "gunicorn did not start"
                time.sleep(0.1)
        # 200 requests, then more (up to 1,000) until every worker has served one: the kernel
        # spreads connections over the workers unevenly on a busy machine.
        answers: list[dict[str, Any]] = []
        with ThreadPoolExecutor(16) as pool:
            while len(answers) < 1200:
                batch = range(len(answers), len(answers) + (200 if not answers else 100))
                answers += pool.map(lambda i: _get(port, f"/user{i}"), batch)
                if len({answer["pid"] for answer in answers}) == 4:
                    break
    finally:
        server.send_signal(signal.SIGTERM)
        try:
            server.wait(timeout=15)
        except subprocess.TimeoutExpired:
            server.kill()
    assert len(answers) >= 200
    assert all(answer["generated"] and answer["token"] for answer in answers)
    workers = {answer["pid"] for answer in answers}
    assert answers[0]["parent_pid"] not in workers
    assert len(workers) == 4, f"requests reached {len(workers)} of 4 workers"
