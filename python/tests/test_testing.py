"""The test kit, euid_sdk.testing: the emulator in this process, its controls through the SDK
itself, and the pytest plugin the wheel registers."""

from __future__ import annotations

import socket
import time
import urllib.request
from pathlib import Path
from typing import Iterator
from urllib.parse import urlsplit

import pytest

import euid_sdk
from euid_sdk import ExpiredToken, GenerateSuccess, OptOut, PublisherClient, ServerError
from euid_sdk.testing import Clock, EmulatorError, EndpointCounts, Fault
from euid_sdk.testing import Emulator as KitEmulator

DAY_MS = 24 * 3_600_000
SECRET = "AAECAwQFBgcICQoLDA0ODxAREhMUFRYXGBkaGxwdHh8="


@pytest.fixture(scope="module")
def kit() -> Iterator[KitEmulator]:
    with KitEmulator() as emulator:
        yield emulator


@pytest.fixture
def emulator(kit: KitEmulator) -> KitEmulator:
    kit.reset()
    return kit


@pytest.fixture
def client(emulator: KitEmulator) -> Iterator[PublisherClient]:
    with PublisherClient(
        emulator.url, emulator.api_key, emulator.client_secret, max_retries=0
    ) as client:
        yield client


def port(url: str) -> int:
    parsed = urlsplit(url).port
    assert parsed is not None
    return parsed


def test_it_serves_on_loopback_with_random_credentials_until_closed() -> None:
    emulator = KitEmulator()
    assert emulator.url.startswith("http://127.0.0.1:")
    assert emulator.api_key.startswith("EUID-emulator-")
    assert len(emulator.client_secret) == 44
    with PublisherClient(emulator.url, emulator.api_key, emulator.client_secret) as client:
        assert isinstance(client.generate_token(email="jane@example.com"), GenerateSuccess)
    emulator.close()
    with pytest.raises(ConnectionRefusedError):
        socket.create_connection(("127.0.0.1", port(emulator.url)), timeout=5).close()
    emulator.close()  # again: nothing happens
    with pytest.raises(EmulatorError) as closed:
        emulator.counters()
    assert closed.value.kind == "not_running"
    assert repr(emulator) == f"Emulator(url={emulator.url!r}, closed)"


def test_two_emulators_are_independent() -> None:
    with KitEmulator() as first, KitEmulator() as second:
        assert first.url != second.url and first.client_secret != second.client_secret
        first.opt_out_email("jane@example.com")
        with PublisherClient(second.url, second.api_key, second.client_secret) as client:
            assert isinstance(client.generate_token(email="jane@example.com"), GenerateSuccess)
        assert second.counters().generate.requests == 1
        assert first.counters().generate.requests == 0


def test_the_settings_are_used() -> None:
    with KitEmulator(
        api_key="publisher-test-key",
        client_secret=SECRET,
        identity_lifetime_ms=600_000,
        refresh_lifetime_ms=1_200_000,
        refresh_from_ms=60_000,
        date_header=True,
    ) as emulator:
        assert (emulator.api_key, emulator.client_secret) == ("publisher-test-key", SECRET)
        assert emulator.clock().date_header
        with PublisherClient(emulator.url, "publisher-test-key", SECRET) as client:
            result = client.generate_token(email="jane@example.com")
        assert isinstance(result, GenerateSuccess)
        identity = result.identity
        assert identity.identity_expires - identity.refresh_from == 540_000
        assert identity.refresh_expires - identity.identity_expires == 600_000


@pytest.mark.parametrize(
    ("settings", "message"),
    [
        (
            {"refresh_from_ms": 2_000, "identity_lifetime_ms": 1_000},
            "invalid emulator configuration: refresh_from_ms must not exceed identity_lifetime_ms",
        ),
        (
            {"client_secret": "c2VjcmV0"},
            "invalid emulator configuration: configuration error: "
            "the client secret must decode to 32 bytes, got 6",
        ),
        (
            {"api_key": "two words"},
            "invalid emulator configuration: the API key must be non-empty visible ASCII",
        ),
        (
            {"tcf_vendor_id": 70_000},
            "invalid emulator configuration: invalid value: integer `70000`, expected u16",
        ),
        (
            {"refresh_from_ms": 2**63},
            "invalid emulator configuration: invalid value: integer `9223372036854775808`, "
            "expected i64",
        ),
    ],
)
def test_invalid_settings_are_config_errors_naming_the_rule(
    settings: dict[str, object], message: str
) -> None:
    with pytest.raises(EmulatorError) as err:
        KitEmulator(**settings)  # type: ignore[arg-type]
    assert err.value.kind == "config"
    assert str(err.value).startswith(message)


def test_the_clock_moves_freezes_and_ticks_again(emulator: KitEmulator) -> None:
    frozen = emulator.freeze_clock_at(1_900_000_000_000)
    assert frozen == Clock(1_900_000_000_000, frozen.offset_ms, frozen=True, date_header=False)
    time.sleep(0.005)
    assert emulator.clock().now_ms == 1_900_000_000_000
    assert emulator.advance_clock_ms(1_000).now_ms == 1_900_000_001_000
    assert not emulator.unfreeze_clock().frozen
    assert 2_000_000_000_000 <= emulator.set_now_ms(2_000_000_000_000).now_ms < 2_000_000_060_000
    emulator.reset()
    assert abs(emulator.clock().offset_ms) < 1_000


def test_the_sdk_sees_the_emulators_clock(emulator: KitEmulator, client: PublisherClient) -> None:
    result = client.generate_token(email="jane@example.com")
    assert isinstance(result, GenerateSuccess)
    emulator.advance_clock_ms(31 * DAY_MS)  # past refresh_expires
    assert isinstance(client.refresh_token(result.identity), ExpiredToken)


def test_opt_outs_answer_optout(emulator: KitEmulator, client: PublisherClient) -> None:
    emulator.opt_out_email("Jane.Doe@example.com")
    assert isinstance(client.generate_token(email="jane.doe@example.com"), OptOut)
    emulator.opt_out_phone("+33612345678")
    assert isinstance(client.generate_token(phone="+33612345678"), OptOut)
    emulator.opt_out_email_hash(euid_sdk.hash_email("hash@example.com"))
    assert isinstance(client.generate_token(email="hash@example.com"), OptOut)
    emulator.opt_out_phone_hash(euid_sdk.hash_phone("+33687654321"))
    assert isinstance(client.generate_token(phone="+33687654321"), OptOut)
    emulator.reset()
    assert isinstance(client.generate_token(email="jane.doe@example.com"), GenerateSuccess)


def test_a_refused_control_call_raises_with_the_emulators_message(emulator: KitEmulator) -> None:
    with pytest.raises(EmulatorError) as err:
        emulator.opt_out_email("not an email")
    assert (err.value.kind, str(err.value)) == (
        "control",
        "POST /emulator/optout: the identity does not normalize",
    )
    with pytest.raises(EmulatorError) as bad:
        emulator.set_faults(Fault("status", probability=2.0))
    assert bad.value.kind == "control" and "probability must be between 0 and 1" in str(bad.value)


def test_faults_are_injected_listed_with_their_counts_and_cleared(
    emulator: KitEmulator, client: PublisherClient
) -> None:
    outage = Fault("status", endpoint="generate", status=503, retry_after=2, count=1)
    page = Fault("status", endpoint="refresh", status=500, body={"status": "unknown"})
    emulator.set_faults(outage, page)
    assert emulator.faults() == [outage, page]
    with pytest.raises(ServerError) as err:
        client.generate_token(email="jane@example.com")
    assert err.value.http_status == 503
    assert emulator.faults() == [page]  # the 503 was used up
    assert isinstance(client.generate_token(email="jane@example.com"), GenerateSuccess)
    emulator.clear_faults()
    assert emulator.faults() == []


@pytest.mark.parametrize(
    ("fault", "message"),
    [
        (lambda: Fault("close", status=500), "a close fault takes no status"),
        (lambda: Fault("latency"), "a latency fault needs latency_ms"),
        (lambda: Fault("status", latency_ms=5), "a status fault takes no latency_ms"),
        (lambda: Fault("boom"), "unknown fault kind 'boom'"),  # type: ignore[arg-type]
        (lambda: Fault("html", endpoint="token"), "unknown endpoint 'token'"),  # type: ignore[arg-type]
    ],
)
def test_impossible_faults_are_refused_at_once(fault: object, message: str) -> None:
    with pytest.raises(ValueError, match=message):
        fault()  # type: ignore[operator]


def test_counters_count_requests_and_outcomes_until_reset(
    emulator: KitEmulator, client: PublisherClient
) -> None:
    client.generate_token(email="jane@example.com")
    assert isinstance(client.generate_token(email="optout@example.com"), OptOut)
    counters = emulator.counters()
    assert counters.generate.requests == 2
    assert counters.generate.outcome("success") == 1
    assert counters.generate.outcome("optout") == 1
    assert counters.generate.outcome("client_error") == 0
    assert counters.refresh == EndpointCounts(0, {})
    emulator.reset()
    assert emulator.counters().generate.requests == 0


def test_a_date_header_is_added_on_request(emulator: KitEmulator) -> None:
    def date() -> str | None:
        opener = urllib.request.build_opener(urllib.request.ProxyHandler({}))
        with opener.open(f"{emulator.url}/ops/healthcheck", timeout=5) as response:
            value: str | None = response.headers.get("Date")
            return value

    assert date() is None
    assert emulator.set_date_header(True).date_header
    assert date() is not None
    emulator.reset()
    assert date() is None


def test_repr_and_errors_never_show_the_credentials(emulator: KitEmulator) -> None:
    assert repr(emulator) == f"Emulator(url={emulator.url!r}, running)"
    with pytest.raises(EmulatorError) as err:
        KitEmulator(api_key="secret key", client_secret=SECRET[:-4])
    assert "secret key" not in str(err.value) and SECRET[:-4] not in str(err.value)


def test_the_wheel_registers_the_pytest_plugin(request: pytest.FixtureRequest) -> None:
    assert request.config.pluginmanager.has_plugin("euid_sdk")


@pytest.mark.parametrize("turn", [1, 2])
def test_the_fixture_is_one_emulator_reset_before_each_test(
    euid_emulator: KitEmulator, euid_emulator_session: KitEmulator, turn: int
) -> None:
    # Both turns generate once, so whichever runs second sees the reset.
    assert euid_emulator is euid_emulator_session
    assert euid_emulator.counters().generate.requests == 0
    with PublisherClient(
        euid_emulator.url, euid_emulator.api_key, euid_emulator.client_secret
    ) as client:
        assert isinstance(client.generate_token(email=f"turn{turn}@example.com"), GenerateSuccess)
    assert euid_emulator.counters().generate.requests == 1


def test_an_installation_without_the_kit_library_says_so(tmp_path: Path) -> None:
    # The musllinux and Windows wheels and the sdist carry no test kit library.
    from euid_sdk.testing._library import Library

    with pytest.raises(EmulatorError, match="has no test kit library") as raised:
        Library(tmp_path / "libeuid_testing.so")
    assert raised.value.kind == "internal"
