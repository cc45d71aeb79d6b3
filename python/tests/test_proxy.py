"""Forward proxies, against a real squid on loopback: explicit (``proxy=``) and from the
environment, credentials right and wrong, a refused tunnel, the proxy down, ``NO_PROXY`` and
``DIRECT``. Only squid resolves ``operator.euid.test``, so a success there went through it."""

from __future__ import annotations

import asyncio
import time
from typing import Any, Iterator

import pytest
from conftest import Emulator, start_emulator
from network import PASSWORD, PROXY_VARIABLES, USER, Pki, Squid, closed_port_url

import euid_sdk


@pytest.fixture(scope="module")
def pki(tmp_path_factory: pytest.TempPathFactory) -> Pki:
    return Pki(tmp_path_factory.mktemp("pki"))


@pytest.fixture(scope="module")
def squid() -> Iterator[Squid]:
    proxy = Squid()
    yield proxy
    proxy.stop()


@pytest.fixture
def tls_emulator(pki: Pki) -> Iterator[Emulator]:
    """An HTTPS emulator of the test's own, so that its port names its tunnels in the log."""
    emulator = start_emulator(*pki.emulator_args())
    yield emulator
    emulator.stop()


@pytest.fixture(autouse=True)
def no_proxy_environment(monkeypatch: pytest.MonkeyPatch) -> pytest.MonkeyPatch:
    for name in PROXY_VARIABLES:
        monkeypatch.delenv(name, raising=False)
    return monkeypatch


def port(emulator: Emulator) -> str:
    return emulator.url.rsplit(":", 1)[1]


def client(emulator: Emulator, pki: Pki, host: str, **options: Any) -> euid_sdk.PublisherClient:
    return euid_sdk.PublisherClient(
        f"https://{host}:{port(emulator)}",
        emulator.api_key,
        emulator.client_secret,
        ca_certificates_pem=pki.ca_pem,
        **options,
    )


def generate_and_refresh(client: euid_sdk.PublisherClient) -> None:
    with client:
        result = client.generate_token(email="jane.doe@example.com")
        assert isinstance(result, euid_sdk.GenerateSuccess)
        assert isinstance(client.refresh_token(result.identity), euid_sdk.RefreshSuccess)


def tunnels(squid: Squid, emulator: Emulator, count: int = 1, status: str = "TCP_TUNNEL/200") -> list[str]:
    return squid.lines_with(f"{status} ", f" CONNECT operator.euid.test:{port(emulator)} ", count=count)


def test_an_explicit_proxy_tunnels_generate_and_refresh(
    squid: Squid, pki: Pki, tls_emulator: Emulator
) -> None:
    generate_and_refresh(client(tls_emulator, pki, "operator.euid.test", proxy=squid.open_url))
    assert len(tunnels(squid, tls_emulator)) == 1


def test_the_async_client_takes_the_proxy_too(squid: Squid, pki: Pki, tls_emulator: Emulator) -> None:
    async def flow() -> None:
        async with euid_sdk.AsyncPublisherClient(
            f"https://operator.euid.test:{port(tls_emulator)}",
            tls_emulator.api_key,
            tls_emulator.client_secret,
            proxy=squid.auth_url(USER, PASSWORD),
            ca_certificates_pem=pki.ca_pem,
        ) as async_client:
            result = await async_client.generate_token(email="jane.doe@example.com")
            assert isinstance(result, euid_sdk.GenerateSuccess)
            refreshed = await async_client.refresh_token(result.identity)
            assert isinstance(refreshed, euid_sdk.RefreshSuccess)

    asyncio.run(flow())
    line = squid.lines_with(f" CONNECT operator.euid.test:{port(tls_emulator)} {USER} ")
    assert len(line) == 1 and "TCP_TUNNEL/200" in line[0]


@pytest.mark.parametrize("name", ["HTTPS_PROXY", "https_proxy", "ALL_PROXY", "all_proxy"])
def test_the_environment_selects_the_proxy(
    squid: Squid, pki: Pki, tls_emulator: Emulator, no_proxy_environment: pytest.MonkeyPatch, name: str
) -> None:
    no_proxy_environment.setenv(name, squid.open_url)
    generate_and_refresh(client(tls_emulator, pki, "operator.euid.test"))
    assert len(tunnels(squid, tls_emulator)) == 1


@pytest.mark.parametrize(
    ("no_proxy", "proxy"),
    [(".euid.test", None), ("localhost,operator.euid.test", None), ("*", None), (None, euid_sdk.DIRECT)],
)
def test_no_proxy_and_direct_bypass_the_environments_proxy(
    squid: Squid,
    pki: Pki,
    tls_emulator: Emulator,
    no_proxy_environment: pytest.MonkeyPatch,
    no_proxy: str | None,
    proxy: euid_sdk.Direct | None,
) -> None:
    no_proxy_environment.setenv("HTTPS_PROXY", squid.open_url)
    if no_proxy is not None:
        no_proxy_environment.setenv("NO_PROXY", no_proxy)
    direct = client(tls_emulator, pki, "operator.euid.test", proxy=proxy, max_retries=0)
    # Straight to a name only the proxy resolves: the lookup fails here.
    with direct, pytest.raises(euid_sdk.NetworkError) as caught:
        direct.generate_token(email="jane.doe@example.com")
    assert type(caught.value) is euid_sdk.NetworkError
    assert "dns error" in caught.value.detail
    assert squid.lines_with(f" CONNECT operator.euid.test:{port(tls_emulator)} ", count=0) == []


def test_loopback_ignores_the_environment(
    emulator: Emulator, pki: Pki, no_proxy_environment: pytest.MonkeyPatch
) -> None:
    down = closed_port_url()
    for name in ("HTTPS_PROXY", "HTTP_PROXY", "ALL_PROXY", "http_proxy"):
        no_proxy_environment.setenv(name, down)
    with emulator.client() as plain:
        assert plain.generate_token(email="jane.doe@example.com").is_success


@pytest.mark.parametrize("sent", [True, False], ids=["wrong-password", "no-credentials"])
def test_a_407_says_so_without_the_password(
    squid: Squid, pki: Pki, tls_emulator: Emulator, sent: bool
) -> None:
    url = squid.auth_url(USER, "wrong-pass-91c2") if sent else f"http://127.0.0.1:{squid.auth_port}"
    denied = client(tls_emulator, pki, "operator.euid.test", proxy=url)
    with denied, pytest.raises(euid_sdk.ProxyError) as caught:
        denied.generate_token(email="jane.doe@example.com")
    err = caught.value
    assert err.kind is euid_sdk.ErrorKind.PROXY_AUTH_REQUIRED
    assert (err.http_status, err.is_retryable) == (407, False)
    assert f"127.0.0.1:{squid.auth_port}" in err.detail
    assert ("rejected the credentials" in err.detail) is sent
    assert "wrong-pass" not in str(err) and "wrong-pass" not in repr(err)
    time.sleep(0.3)  # a retry would be logged by now
    assert len(tunnels(squid, tls_emulator, status="TCP_DENIED/407")) == 1


def test_the_environments_credentials_are_sent(
    squid: Squid, pki: Pki, tls_emulator: Emulator, no_proxy_environment: pytest.MonkeyPatch
) -> None:
    no_proxy_environment.setenv("https_proxy", squid.auth_url(USER, PASSWORD))
    generate_and_refresh(client(tls_emulator, pki, "operator.euid.test"))
    assert len(squid.lines_with(f" CONNECT operator.euid.test:{port(tls_emulator)} {USER} ")) == 1


def test_a_refused_tunnel_is_a_proxy_error(squid: Squid, pki: Pki, tls_emulator: Emulator) -> None:
    refused = client(tls_emulator, pki, "blocked.euid.test", proxy=squid.open_url)
    with refused, pytest.raises(euid_sdk.ProxyError) as caught:
        refused.generate_token(email="jane.doe@example.com")
    assert caught.value.kind is euid_sdk.ErrorKind.PROXY_REFUSED
    assert not caught.value.is_retryable
    assert f"blocked.euid.test:{port(tls_emulator)}" in caught.value.detail


def test_a_proxy_that_is_down_is_retried_within_the_deadline(pki: Pki, tls_emulator: Emulator) -> None:
    down = closed_port_url()
    unreachable = client(tls_emulator, pki, "operator.euid.test", proxy=down, deadline=3)
    started = time.monotonic()
    with unreachable, pytest.raises(euid_sdk.ProxyError) as caught:
        unreachable.generate_token(email="jane.doe@example.com")
    assert time.monotonic() - started < 3
    assert caught.value.kind is euid_sdk.ErrorKind.PROXY_UNREACHABLE
    assert caught.value.is_retryable
    assert caught.value.detail.startswith(f"proxy error: cannot reach the proxy {down}")


@pytest.mark.parametrize(
    "proxy",
    ["socks5://user:secret-9d@127.0.0.1:1080", "https://user:secret-9d@127.0.0.1:3128", 3128],
)
def test_a_proxy_option_that_cannot_work_is_a_config_error(emulator: Emulator, proxy: Any) -> None:
    with pytest.raises(euid_sdk.ConfigError) as caught:
        emulator.client(proxy=proxy)
    assert "secret-9d" not in str(caught.value)
