"""The blocking client end to end against the emulator."""

from __future__ import annotations

import time

import pytest

import euid_sdk
from conftest import Emulator

# Consent strings of the official SDKs' tests (protocol notes, section 3).
CONSENTING_TCF = "CPhJRpMPhJRpMABAMBFRACBoALAAAEJAAIYgAKwAQAKgArABAAqAAA"
INSUFFICIENT_TCF = "CPehXK9PehXK9ABAMBFRACBoADAAAEJAAIYgAKwAQAKgArABAAqAAA"
HOUR_MS = 3_600_000
DAY_MS = 24 * HOUR_MS


def generate(client: euid_sdk.PublisherClient, **dii: str) -> euid_sdk.Identity:
    result = client.generate_token(**dii)
    assert isinstance(result, euid_sdk.GenerateSuccess), result
    return result.identity


def test_generate_returns_a_usable_identity_with_production_lifetimes(emulator: Emulator) -> None:
    with emulator.client() as client:
        identity = generate(client, email="jane.doe@example.com")
    now = emulator.now_ms()
    assert identity.advertising_token
    assert len(identity.refresh_token) == 388
    assert identity.refresh_from - now == pytest.approx(HOUR_MS, abs=5_000)
    assert identity.identity_expires - now == pytest.approx(3 * DAY_MS, abs=5_000)
    assert identity.refresh_expires - now == pytest.approx(30 * DAY_MS, abs=5_000)
    assert identity.status() is euid_sdk.IdentityStatus.ESTABLISHED
    assert identity.advice() is euid_sdk.Advice.USE_AS_IS
    assert emulator.counters("generate")["outcomes"]["success"] == 1


@pytest.mark.parametrize(
    "dii",
    [
        {"phone": "+12345678901"},
        {"email_hash": euid_sdk.hash_email("user@example.com")},
        {"phone_hash": euid_sdk.hash_phone("+12345678901")},
        {"email": "user@example.com", "send_unhashed": True},
    ],
    ids=["phone", "email_hash", "phone_hash", "raw_email"],
)
def test_every_identifier_kind_generates(emulator: Emulator, dii: dict[str, object]) -> None:
    with emulator.client() as client:
        assert client.generate_token(**dii).is_success  # type: ignore[arg-type]


def test_binary_envelopes_work_too(emulator: Emulator) -> None:
    with emulator.client(binary_envelopes=True) as client:
        assert client.generate_token(email="user@example.com").is_success


def test_an_identity_survives_json_storage_and_refreshes(emulator: Emulator) -> None:
    with emulator.client() as client:
        identity = generate(client, email="user@example.com")
        stored = identity.to_json()
        emulator.advance_clock(HOUR_MS + 1_000)
        result = client.refresh_token(euid_sdk.Identity.from_json(stored))
        assert isinstance(result, euid_sdk.RefreshSuccess)
        assert result.identity.refresh_token != identity.refresh_token
        assert result.identity.refresh_response_key != identity.refresh_response_key
        assert result.identity.identity_expires > identity.identity_expires
        # The chain goes on with the new identity.
        assert client.refresh_token(result.identity).is_success


def test_opt_out_on_generate(emulator: Emulator) -> None:
    with emulator.client() as client:
        assert isinstance(client.generate_token(email="optout@example.com"), euid_sdk.OptOut)
        assert isinstance(client.generate_token(phone="+00000000000"), euid_sdk.OptOut)


def test_opt_out_on_refresh_ends_the_chain(emulator: Emulator) -> None:
    with emulator.client() as client:
        identity = generate(client, email="refresh-optout@example.com")
        assert isinstance(client.refresh_token(identity), euid_sdk.OptOut)


def test_a_user_opted_out_later_gets_opt_out_on_refresh(emulator: Emulator) -> None:
    with emulator.client() as client:
        identity = generate(client, email="later@example.com")
        emulator.opt_out(email="later@example.com")
        assert isinstance(client.refresh_token(identity), euid_sdk.OptOut)
        assert isinstance(client.generate_token(email="later@example.com"), euid_sdk.OptOut)


def test_tcf_consent(emulator: Emulator) -> None:
    with emulator.client() as client:
        assert client.generate_token(
            email="user@example.com", tcf_consent_string=CONSENTING_TCF
        ).is_success
        assert isinstance(
            client.generate_token(email="user@example.com", tcf_consent_string=INSUFFICIENT_TCF),
            euid_sdk.InsufficientConsent,
        )
        with pytest.raises(euid_sdk.ClientError) as caught:
            client.generate_token(email="user@example.com", tcf_consent_string="not-a-tc-string")
    assert caught.value.http_status == 400
    assert caught.value.detail.endswith("User consent is invalid")


def test_a_wrong_api_key_is_unauthorized(emulator: Emulator) -> None:
    client = euid_sdk.PublisherClient(emulator.url, "wrong-key", emulator.client_secret)
    with pytest.raises(euid_sdk.UnauthorizedError) as caught:
        client.generate_token(email="user@example.com")
    assert caught.value.kind == "unauthorized"
    assert "wrong-key" not in str(caught.value)


def test_a_wrong_client_secret_is_a_client_error(emulator: Emulator) -> None:
    other_secret = "ioG3wKxAokmp+rERx6A4kM/13qhyolUXIu14WN16Spo="
    client = euid_sdk.PublisherClient(emulator.url, emulator.api_key, other_secret)
    with pytest.raises(euid_sdk.ClientError) as caught:
        client.generate_token(email="user@example.com")
    assert "Check encryption key" in caught.value.detail


def test_validate(emulator: Emulator) -> None:
    with emulator.client() as client:
        identity = generate(client, email="validate@example.com")
        token = identity.advertising_token
        assert client.validate_token(token, email="validate@example.com") is True
        assert client.validate_token(token, email="someone.else@example.com") is False


def test_clock_drift_is_corrected_once_and_remembered(emulator: Emulator) -> None:
    emulator.advance_clock(10 * 60_000)
    emulator.date_header(True)  # the rejection's Date header shows the operator's clock
    with emulator.client() as client:
        assert client.generate_token(email="user@example.com").is_success
        assert client.clock_offset_ms == pytest.approx(10 * 60_000, abs=2_000)
        assert client.generate_token(email="user@example.com").is_success
    outcomes = emulator.counters("generate")["outcomes"]
    # One rejection, then every request carries the corrected time.
    assert outcomes["client_error"] == 1
    assert outcomes["success"] == 2


def test_clock_drift_without_a_date_header_fails_at_once(emulator: Emulator) -> None:
    emulator.advance_clock(10 * 60_000)  # as the operator: no Date header to learn from
    with emulator.client() as client:
        with pytest.raises(euid_sdk.ClockDriftError) as caught:
            client.generate_token(email="user@example.com")
    assert caught.value.kind is euid_sdk.ErrorKind.CLOCK_DRIFT
    assert "synchronize this machine's clock (NTP)" in caught.value.detail
    assert emulator.counters("generate")["requests"] == 1


def test_503_then_success_is_retried(emulator: Emulator) -> None:
    emulator.faults({"endpoint": "generate", "kind": "status", "status": 503, "count": 2})
    with emulator.client(max_retries=2) as client:
        assert client.generate_token(email="user@example.com").is_success
    assert emulator.counters("generate")["requests"] == 3


def test_persistent_503_is_a_server_error_after_bounded_attempts(emulator: Emulator) -> None:
    emulator.faults({"endpoint": "generate", "kind": "status", "status": 503})
    with emulator.client(max_retries=2) as client:
        with pytest.raises(euid_sdk.ServerError) as caught:
            client.generate_token(email="user@example.com")
    assert caught.value.http_status == 503
    assert emulator.counters("generate")["requests"] == 3


def test_a_slow_operator_times_out_within_the_deadline(emulator: Emulator) -> None:
    emulator.faults({"endpoint": "generate", "kind": "latency", "latency_ms": 3_000})
    started = time.monotonic()
    with emulator.client(timeout=0.3, deadline=1.0) as client:
        with pytest.raises(euid_sdk.EuidTimeoutError) as caught:
            client.generate_token(email="user@example.com")
    assert time.monotonic() - started < 2.0
    assert isinstance(caught.value, TimeoutError)


def test_expired_and_invalid_refresh_tokens_are_outcomes(emulator: Emulator) -> None:
    with emulator.client() as client:
        identity = generate(client, email="user@example.com")
        emulator.advance_clock(31 * DAY_MS)
        assert isinstance(client.refresh_token(identity), euid_sdk.ExpiredToken)
        forged = euid_sdk.Identity(
            advertising_token=identity.advertising_token,
            refresh_token="A" * 388,
            identity_expires=identity.identity_expires,
            refresh_from=identity.refresh_from,
            refresh_expires=identity.refresh_expires,
            refresh_response_key=identity.refresh_response_key,
        )
        with pytest.raises(euid_sdk.ClientError):
            client.refresh_token(forged)
        short = euid_sdk.Identity(
            advertising_token="x",
            refresh_token="not-a-v2-token",
            identity_expires=1,
            refresh_from=1,
            refresh_expires=2,
        )
        assert isinstance(client.refresh_token(short), euid_sdk.InvalidToken)


def test_unreachable_operator_is_a_network_error() -> None:
    secret = "ioG3wKxAokmp+rERx6A4kM/13qhyolUXIu14WN16Spo="
    with euid_sdk.PublisherClient("http://127.0.0.1:9", "key", secret, max_retries=0) as client:
        with pytest.raises(euid_sdk.NetworkError):
            client.generate_token(email="user@example.com")


def test_a_closed_client_refuses_calls(emulator: Emulator) -> None:
    client = emulator.client()
    identity = generate(client, email="user@example.com")
    client.close()
    assert client.closed
    for call in (
        lambda: client.generate_token(email="user@example.com"),
        lambda: client.refresh_token(identity),
        lambda: client.validate_token(identity.advertising_token, email="user@example.com"),
    ):
        with pytest.raises(euid_sdk.ClientClosedError) as caught:
            call()
        assert caught.value.kind is euid_sdk.ErrorKind.CLOSED
        assert caught.value.detail == "the client is closed"
        assert not caught.value.is_retryable
    assert emulator.counters("generate")["requests"] == 1


def test_a_rate_limit_carries_retry_after(emulator: Emulator) -> None:
    emulator.faults({"endpoint": "generate", "kind": "status", "status": 429, "retry_after": 3})
    with emulator.client(max_retries=0) as client:
        with pytest.raises(euid_sdk.RateLimitedError) as caught:
            client.generate_token(email="user@example.com")
    err = caught.value
    assert err.kind is euid_sdk.ErrorKind.RATE_LIMITED and err.kind == "rate_limited"
    assert (err.retry_after_ms, err.retry_after) == (3_000, 3.0)
    assert err.http_status == 429 and err.is_retryable


def test_a_server_error_carries_its_http_status(emulator: Emulator) -> None:
    emulator.faults({"endpoint": "generate", "kind": "status", "status": 502})
    with emulator.client(max_retries=0) as client:
        with pytest.raises(euid_sdk.ServerError) as caught:
            client.generate_token(email="user@example.com")
    err = caught.value
    assert (err.kind, err.http_status, err.is_retryable) == ("server_error", 502, True)
    assert (err.retry_after_ms, err.retry_after) == (None, None)


def test_a_client_error_carries_the_operator_status(emulator: Emulator) -> None:
    emulator.faults(
        {
            "endpoint": "generate",
            "kind": "status",
            "status": 400,
            "body": {"status": "client_error", "message": "Required Parameter Missing"},
        }
    )
    with emulator.client(max_retries=0) as client:
        with pytest.raises(euid_sdk.ClientError) as caught:
            client.generate_token(email="user@example.com")
    err = caught.value
    assert (err.kind, err.http_status, err.operator_status) == ("client_error", 400, "client_error")
    assert not err.is_retryable
    assert err.detail.endswith("Required Parameter Missing")


def test_every_error_has_every_attribute() -> None:
    with pytest.raises(euid_sdk.InvalidInputError) as caught:
        euid_sdk.hash_email("not an email")
    err = caught.value
    assert err.kind is euid_sdk.ErrorKind.INVALID_EMAIL
    assert (err.is_retryable, err.http_status, err.operator_status, err.retry_after_ms) == (
        False, None, None, None
    )
    assert str(err.kind) == f"{err.kind}" == "invalid_email"
    assert repr(err) == f"InvalidInputError(kind='invalid_email', detail={err.detail!r})"
