"""Certificates: the platform's store by default, a private CA trusted only when its PEM is
given, never no verification."""

from __future__ import annotations

import asyncio
from pathlib import Path
from typing import Any, Iterator

import pytest
from conftest import Emulator, start_emulator
from network import Pki

import euid_sdk


@pytest.fixture(scope="module")
def pki(tmp_path_factory: pytest.TempPathFactory) -> Pki:
    return Pki(tmp_path_factory.mktemp("pki"))


@pytest.fixture(scope="module")
def tls_emulator(pki: Pki) -> Iterator[Emulator]:
    emulator = start_emulator(*pki.emulator_args())
    yield emulator
    emulator.stop()


def url(emulator: Emulator, host: str) -> str:
    return f"https://{host}:{emulator.url.rsplit(':', 1)[1]}"


def client(emulator: Emulator, host: str, **options: Any) -> euid_sdk.PublisherClient:
    return euid_sdk.PublisherClient(
        url(emulator, host), emulator.api_key, emulator.client_secret, **options
    )


def test_the_emulator_serves_https(tls_emulator: Emulator) -> None:
    assert tls_emulator.url.startswith("https://127.0.0.1:")


@pytest.mark.parametrize("host", ["localhost", "127.0.0.1"])
def test_a_private_ca_is_refused_until_its_pem_is_given(
    tls_emulator: Emulator, pki: Pki, host: str
) -> None:
    with client(tls_emulator, host, max_retries=2) as untrusting:
        with pytest.raises(euid_sdk.UntrustedCertificateError) as caught:
            untrusting.generate_token(email="jane.doe@example.com")
    err = caught.value
    assert isinstance(err, euid_sdk.NetworkError)
    assert err.kind is euid_sdk.ErrorKind.UNTRUSTED_CERTIFICATE
    assert not err.is_retryable
    assert "does not trust" in err.detail and host in err.detail

    with client(tls_emulator, host, ca_certificates_pem=pki.ca_pem) as trusting:
        result = trusting.generate_token(email="jane.doe@example.com")
        assert isinstance(result, euid_sdk.GenerateSuccess)
        assert isinstance(trusting.refresh_token(result.identity), euid_sdk.RefreshSuccess)


def test_the_async_client_takes_the_pem_too(tls_emulator: Emulator, pki: Pki) -> None:
    async def generate() -> euid_sdk.GenerateResult:
        async with euid_sdk.AsyncPublisherClient(
            url(tls_emulator, "localhost"),
            tls_emulator.api_key,
            tls_emulator.client_secret,
            ca_certificates_pem=pki.ca_pem,
        ) as trusting:
            return await trusting.generate_token(email="jane.doe@example.com")

    assert isinstance(asyncio.run(generate()), euid_sdk.GenerateSuccess)


@pytest.mark.parametrize(
    "pem", ["", "not a certificate", "-----BEGIN CERTIFICATE-----\nAAAA\n-----END CERTIFICATE-----\n"]
)
def test_a_pem_without_a_usable_certificate_is_a_config_error(
    tls_emulator: Emulator, pem: str
) -> None:
    with pytest.raises(euid_sdk.ConfigError, match="CERTIFICATE|CA certificate"):
        client(tls_emulator, "localhost", ca_certificates_pem=pem)


def test_the_ca_file_read_as_text_works(tls_emulator: Emulator, pki: Pki) -> None:
    with client(tls_emulator, "localhost", ca_certificates_pem=Path(pki.ca).read_text()) as trusting:
        assert trusting.generate_token(email="jane.doe@example.com").is_success
