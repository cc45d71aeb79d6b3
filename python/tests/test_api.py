"""The hand-written Python layer: names, types, errors and redaction the vectors do not reach."""

from __future__ import annotations

import datetime as dt
import json

import pytest

import euid_sdk
from euid_sdk.lifecycle import Lifecycle

SECRET = "ioG3wKxAokmp+rERx6A4kM/13qhyolUXIu14WN16Spo="
IDENTITY = {
    "advertising_token": "AT-secret-token",
    "refresh_token": "RT-secret-token",
    "identity_expires": 3_000,
    "refresh_from": 2_000,
    "refresh_expires": 4_000,
    "refresh_response_key": "P941vVeuyjaDRVnFQ8DPd0AZnW4bPeiJPXER2K9QXcU=",
}


def test_catching_the_base_class_catches_every_error() -> None:
    for call in (
        lambda: euid_sdk.hash_email("nope"),
        lambda: euid_sdk.Identity.from_json("[]"),
        lambda: euid_sdk.PublisherClient("http://example.com", "key", SECRET),
        lambda: euid_sdk.PublisherClient(euid_sdk.INTEGRATION_URL, "key", "c2hvcnQ="),
    ):
        with pytest.raises(euid_sdk.EuidError):
            call()


def test_input_errors_are_value_errors_with_a_kind_and_no_input() -> None:
    with pytest.raises(ValueError) as caught:
        euid_sdk.normalize_phone("+1 234 567 8901")
    assert isinstance(caught.value, euid_sdk.InvalidInputError)
    assert caught.value.kind == "invalid_phone"
    assert "234" not in str(caught.value)


def test_exactly_one_identifier_is_required() -> None:
    client = euid_sdk.PublisherClient(euid_sdk.PRODUCTION_URL, "key", SECRET)
    with pytest.raises(euid_sdk.InvalidInputError) as caught:
        client.generate_token(email="a@example.com", phone="+12345678901")
    assert caught.value.kind == "invalid_argument"
    with pytest.raises(euid_sdk.InvalidInputError):
        client.generate_token()


def test_identity_exposes_milliseconds_and_utc_datetimes() -> None:
    identity = euid_sdk.Identity.from_json(json.dumps(IDENTITY))
    assert identity.identity_expires == 3_000
    assert identity.identity_expires_at == dt.datetime(1970, 1, 1, 0, 0, 3, tzinfo=dt.timezone.utc)
    assert identity.refresh_from_at.tzinfo is dt.timezone.utc


def test_identity_status_accepts_datetimes_and_milliseconds() -> None:
    identity = euid_sdk.Identity.from_json(json.dumps(IDENTITY))
    assert identity.status(1_999) is euid_sdk.IdentityStatus.ESTABLISHED
    assert identity.advice(2_000) is euid_sdk.Advice.USE_AND_REFRESH
    at_expiry = dt.datetime.fromtimestamp(3, tz=dt.timezone.utc)
    assert identity.status(at_expiry) is euid_sdk.IdentityStatus.EXPIRED
    assert identity.status() is euid_sdk.IdentityStatus.REFRESH_EXPIRED
    assert euid_sdk.IdentityStatus.REFRESH_EXPIRED == -3
    with pytest.raises(TypeError):
        identity.status("now")  # type: ignore[arg-type]


def test_nothing_secret_is_printed() -> None:
    identity = euid_sdk.Identity.from_json(json.dumps(IDENTITY))
    client = euid_sdk.PublisherClient(euid_sdk.PRODUCTION_URL, "key-123456", SECRET)
    for shown in (
        repr(identity),
        str(identity),
        repr(euid_sdk.GenerateSuccess(identity)),
        repr(client),
        repr(Lifecycle.restore(euid_sdk.IdentityStatus.ESTABLISHED, identity, 0)),
    ):
        for secret in ("secret-token", "P941", "123456", SECRET):
            assert secret not in shown


def test_identities_are_immutable_and_compare_by_value() -> None:
    identity = euid_sdk.Identity.from_json(json.dumps(IDENTITY))
    with pytest.raises(AttributeError):
        identity.advertising_token = "other"  # type: ignore[misc]
    assert identity == euid_sdk.Identity(**IDENTITY)
    assert identity != euid_sdk.Identity(**{**IDENTITY, "refresh_from": 1})


def test_results_match_by_class() -> None:
    identity = euid_sdk.Identity(**IDENTITY)
    result: euid_sdk.GenerateResult = euid_sdk.GenerateSuccess(identity)
    assert isinstance(result, euid_sdk.GenerateSuccess) and result.identity is identity
    assert euid_sdk.OptOut().identity is None
    assert not euid_sdk.InsufficientConsent().is_success


def test_hash_emails_raises_on_the_first_invalid_one_by_default() -> None:
    with pytest.raises(euid_sdk.InvalidInputError) as caught:
        euid_sdk.hash_emails(["a@example.com", "broken"])
    assert "index 1" in str(caught.value)
    assert euid_sdk.hash_emails(["a@example.com", "broken"], invalid="none")[1] is None


def test_environment_constants() -> None:
    assert euid_sdk.INTEGRATION_URL == "https://integ.euid.eu"
    assert euid_sdk.PublisherClient.PRODUCTION_URL == "https://prod.euid.eu"
    client = euid_sdk.PublisherClient.integration("key", SECRET)
    assert client.base_url == euid_sdk.INTEGRATION_URL


def test_a_proxy_path_prefix_is_kept() -> None:
    client = euid_sdk.PublisherClient("https://proxy.example.com/euid/", "key", SECRET)
    assert client.base_url == "https://proxy.example.com/euid"


def test_the_batch_agrees_with_one_call_per_address() -> None:
    emails = ["USER@example.com", "  Jane.Doe+x@GMail.com ", "ÄBC@test.com", "a\nb@example.com",
              "broken", "", "x@y", "a@b.c" * 1000]
    batch = euid_sdk.hash_emails(emails, invalid="none")
    assert len(batch) == len(emails)
    for email, batch_hash in zip(emails, batch):
        try:
            expected: str | None = euid_sdk.hash_email(email)
        except euid_sdk.InvalidInputError as err:
            assert err.kind == "invalid_email"
            expected = None
        assert batch_hash == expected
    assert batch[0] == "tMmiiTI7IaAcPpQPFQ65uMVCWH8av9jw4cwf/F5HVRQ="
    with pytest.raises(TypeError, match="index 1"):
        euid_sdk.hash_emails(["a@example.com", 7])  # type: ignore[list-item]
    assert euid_sdk.hash_emails([]) == []
