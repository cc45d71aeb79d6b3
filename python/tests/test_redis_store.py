"""``RedisStore`` against a real ``redis-server`` that this module starts on a free loopback
port: the store contract, two servers sharing identities, and every manager.json scenario."""

from __future__ import annotations

import json
import os
import shutil
import socket
import subprocess
import tempfile
import time
from typing import Any, Iterator

import pytest
import redis

import euid_sdk
from conftest import Emulator
from manager_scenarios import case_params, run_case

HOUR_MS = 3_600_000
REDIS_SERVER = os.environ.get("EUID_REDIS_SERVER") or shutil.which("redis-server")


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port: int = sock.getsockname()[1]
        return port


@pytest.fixture(scope="session")
def redis_server() -> Iterator[int]:
    """A private redis-server on a free loopback port (its port); stopped after the session."""
    if REDIS_SERVER is None:
        pytest.fail("redis-server is not installed (scripts/test-python.sh installs it)")
    port = free_port()
    workdir = tempfile.mkdtemp(prefix="euid-redis-")
    command = [REDIS_SERVER, "--port", str(port), "--bind", "127.0.0.1", "--save", "",
               "--appendonly", "no", "--dir", workdir]
    process = subprocess.Popen(command, stdout=subprocess.PIPE, stderr=subprocess.STDOUT)
    client = redis.Redis(port=port, socket_timeout=1)
    deadline = time.monotonic() + 10
    try:
        while True:
            try:
                if client.ping():
                    break
            except redis.ConnectionError:
                pass
            if process.poll() is not None or time.monotonic() > deadline:
                output = process.stdout.read().decode(errors="replace") if process.stdout else ""
                pytest.fail(f"redis-server did not start on port {port}:\n{output}")
            time.sleep(0.05)
        client.close()
        yield port
    finally:
        process.terminate()
        try:
            process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()
        shutil.rmtree(workdir, ignore_errors=True)


@pytest.fixture
def redis_client(redis_server: int) -> Iterator[redis.Redis]:
    """A client of the session's redis-server, its database flushed first."""
    client = redis.Redis(port=redis_server, socket_timeout=2, decode_responses=True)
    client.flushdb()
    yield client
    client.close()


def identity_json(refresh_expires: int, token: str = "AT") -> str:
    return json.dumps(
        {
            "advertising_token": token,
            "refresh_token": "RT",
            "identity_expires": refresh_expires - 1,
            "refresh_from": refresh_expires - 2,
            "refresh_expires": refresh_expires,
        }
    )


def now_ms() -> int:
    return time.time_ns() // 1_000_000


# The store contract.


def test_the_store_keeps_identities_and_markers_under_documented_keys(
    redis_client: redis.Redis,
) -> None:
    store = euid_sdk.RedisStore(redis_client)
    assert store.load("alice") is None and not store.is_opted_out("alice")
    stored = identity_json(now_ms() + 60_000)
    store.save("alice", stored)
    assert store.load("alice") == stored
    assert redis_client.get("euid:identity:alice") == stored
    store.set_opted_out("alice")
    store.delete("alice")
    assert store.load("alice") is None
    assert store.is_opted_out("alice")
    assert redis_client.exists("euid:optout:alice") == 1
    assert redis_client.pttl("euid:optout:alice") == -1, "the marker never expires"
    assert "AT" not in repr(store)


def test_an_identity_expires_at_its_refresh_expires(redis_client: redis.Redis) -> None:
    store = euid_sdk.RedisStore(redis_client, prefix="site-a:")
    refresh_expires = now_ms() + 60_000
    store.save("alice", identity_json(refresh_expires))
    assert store.identity_key("alice") == "site-a:identity:alice"
    assert redis_client.pexpiretime("site-a:identity:alice") == refresh_expires
    assert 50_000 < redis_client.pttl("site-a:identity:alice") <= 60_000
    # Redis drops an identity that can no longer be refreshed by itself.
    store.save("bob", identity_json(now_ms() + 300))
    assert store.load("bob") is not None
    time.sleep(0.5)
    assert store.load("bob") is None
    store.save("carl", identity_json(now_ms() - 1_000))
    assert store.load("carl") is None, "an already expired identity is not kept"


def test_a_client_without_decode_responses_works_too(redis_server: int) -> None:
    client = redis.Redis(port=redis_server, socket_timeout=2)
    client.flushdb()
    store = euid_sdk.RedisStore(client)
    stored = identity_json(now_ms() + 60_000, token="é-token")
    store.save("zoë", stored)
    assert store.load("zoë") == stored
    store.set_opted_out("zoë")
    assert store.is_opted_out("zoë") is True
    client.close()


def test_an_identity_without_refresh_expires_is_refused(redis_client: redis.Redis) -> None:
    store = euid_sdk.RedisStore(redis_client)
    with pytest.raises(ValueError):
        store.save("alice", json.dumps({"advertising_token": "AT"}))
    assert store.load("alice") is None


def test_an_unreachable_redis_is_a_store_error(emulator: Emulator) -> None:
    client = redis.Redis(port=free_port(), socket_connect_timeout=0.5, socket_timeout=0.5)
    manager = euid_sdk.IdentityManager(emulator.client(), euid_sdk.RedisStore(client))
    with pytest.raises(euid_sdk.StoreError) as caught:
        manager.advertising_token("alice")
    assert "ConnectionError" in caught.value.detail
    assert emulator.requests() == {"generate": 0, "refresh": 0, "validate": 0}


# Two servers sharing one Redis.


class Server:
    """One publisher server: its own client, Redis connection and manager."""

    def __init__(self, emulator: Emulator, port: int, clock: Any) -> None:
        self.redis = redis.Redis(port=port, socket_timeout=2)
        self.client = emulator.client(clock=clock, max_retries=0)
        self.manager = euid_sdk.IdentityManager(
            self.client, euid_sdk.RedisStore(self.redis), clock=clock
        )


def test_two_servers_share_identities_refreshes_and_opt_outs(
    emulator: Emulator, redis_client: redis.Redis, redis_server: int
) -> None:
    clock = euid_sdk.OffsetClock()  # both servers read the same time
    a, b = Server(emulator, redis_server, clock), Server(emulator, redis_server, clock)

    established = a.manager.establish("alice", email="alice@example.com")
    assert isinstance(established, euid_sdk.GenerateSuccess)
    first = established.identity.advertising_token
    assert b.manager.advertising_token("alice") == euid_sdk.TokenReady(first)

    emulator.advance_clock(HOUR_MS)
    clock.advance_ms(HOUR_MS)
    refreshed = b.manager.advertising_token("alice")
    assert isinstance(refreshed, euid_sdk.TokenReady) and refreshed.advertising_token != first
    assert a.manager.advertising_token("alice") == refreshed, "A sees B's refresh"
    assert emulator.requests()["refresh"] == 1

    b.manager.establish("rita", email="refresh-optout@example.com")
    emulator.advance_clock(HOUR_MS)
    clock.advance_ms(HOUR_MS)
    assert isinstance(b.manager.advertising_token("rita"), euid_sdk.UserOptedOut)
    assert isinstance(a.manager.advertising_token("rita"), euid_sdk.UserOptedOut)
    assert a.manager.status("rita") is euid_sdk.IdentityStatus.OPTOUT
    assert isinstance(a.manager.establish("rita", email="x@example.com"), euid_sdk.OptOut)
    assert emulator.requests() == {"generate": 2, "refresh": 2, "validate": 0}

    a.manager.logout("alice")
    assert b.manager.identity("alice") is None
    assert redis_client.exists("euid:optout:rita", "euid:identity:alice") == 1


# Every manager scenario again, over Redis.


@pytest.mark.parametrize("case", case_params())
def test_manager_scenario_over_redis(
    emulator: Emulator, redis_client: redis.Redis, case: dict[str, Any]
) -> None:
    run_case(emulator, case, euid_sdk.RedisStore(redis_client))
