"""Secret hygiene: no public type, result or exception prints a key, a token, a refresh response
key or an email, whatever went into it (the Rust counterpart: core/tests/hygiene/secrets.rs)."""

from __future__ import annotations

import asyncio
import inspect
import json
import logging
import traceback
from typing import Any, Callable, Iterator
from pathlib import Path

import pytest

import euid_sdk
from conftest import Emulator, start_emulator
from network import Pki
from euid_sdk import cookie, envelope, lifecycle

API_KEY = "api-key-SECRET-4f1d"
WRONG_API_KEY = "api-key-SECRET-wrong"
CLIENT_SECRET = "c2VjcmV0LXNlY3JldC1zZWNyZXQtc2VjcmV0LXNlY3I="
TOKEN = "AT-SECRET-advertising-token"
REFRESH = "RT-SECRET-refresh-token"
KEY = "P941vVeuyjaDRVnFQ8DPd0AZnW4bPeiJPXER2K9QXcU="
EMAIL = "secret.person@example.com"

SECRETS = [
    "SECRET",  # in the API keys and both tokens
    API_KEY,
    WRONG_API_KEY,
    CLIENT_SECRET,
    "c2VjcmV0",
    TOKEN,
    REFRESH,
    KEY,
    "P941v",
    EMAIL,
    "secret.person",
]

IDENTITY = {
    "advertising_token": TOKEN,
    "refresh_token": REFRESH,
    "identity_expires": 3_000,
    "refresh_from": 2_000,
    "refresh_expires": 4_000,
    "refresh_response_key": KEY,
    "user_token": TOKEN,
}


def identity() -> euid_sdk.Identity:
    return euid_sdk.Identity.from_json(json.dumps(IDENTITY))


def texts(value: object) -> list[str]:
    """Every way ``value`` is commonly turned into text."""
    return [repr(value), str(value), format(value), f"{value!r:>1}", f"{[value]}"]


def exception_texts(err: BaseException) -> list[str]:
    shown = texts(err) + ["".join(traceback.format_exception_only(type(err), err))]
    shown += [repr(arg) for arg in err.args]
    if isinstance(err, euid_sdk.EuidError):
        shown.append(err.detail)
    # The generated exception it was translated from stays reachable as the context.
    if err.__context__ is not None:
        shown += exception_texts(err.__context__)
    return shown


def assert_clean(what: str, shown: list[str]) -> None:
    for text in shown:
        for secret in SECRETS:
            assert secret not in text, f"{what} shows {secret!r}: {text}"


class FakeRedis:
    """Just enough of redis-py for ``RedisStore``."""

    def __init__(self) -> None:
        self.values: dict[str, Any] = {}

    def get(self, key: str) -> Any:
        return self.values.get(key)

    def set(self, key: str, value: str, **options: Any) -> None:
        self.values[key] = value

    def delete(self, key: str) -> None:
        self.values.pop(key, None)

    def exists(self, key: str) -> int:
        return int(key in self.values)

    def __repr__(self) -> str:
        return "FakeRedis()"


def public_classes() -> set[type]:
    """Every public class of the package and its public modules."""
    found: set[type] = set()
    for module in (euid_sdk, cookie, envelope, lifecycle):
        for name in module.__all__:
            value = getattr(module, name)
            if inspect.isclass(value):
                found.add(value)
    return found


# Abstract: what prints is the publisher's subclass (MemoryStore and RedisStore are covered).
ABSTRACT = {euid_sdk.IdentityStore, euid_sdk.StatusListener}
# No real call raises it (a defect in the SDK); every other exception class is raised below.
NOT_RAISABLE = {euid_sdk.InternalError}


def test_every_public_type_hides_the_secrets_it_holds() -> None:
    client = euid_sdk.PublisherClient(euid_sdk.PRODUCTION_URL, API_KEY, CLIENT_SECRET)
    async_client = euid_sdk.AsyncPublisherClient(euid_sdk.PRODUCTION_URL, API_KEY, CLIENT_SECRET)
    closed = euid_sdk.PublisherClient(euid_sdk.PRODUCTION_URL, API_KEY, CLIENT_SECRET)
    closed.close()
    store = euid_sdk.MemoryStore(max_users=10)
    store.save(EMAIL, identity().to_json())
    store.set_opted_out("other." + EMAIL)
    redis_store = euid_sdk.RedisStore(FakeRedis())  # type: ignore[arg-type]
    redis_store.save(EMAIL, identity().to_json())
    manager = euid_sdk.IdentityManager(client, store)
    built = euid_sdk.Identity(
        advertising_token=TOKEN,
        refresh_token=REFRESH,
        identity_expires=3_000,
        refresh_from=2_000,
        refresh_expires=4_000,
        refresh_response_key=KEY,
        extra_json=json.dumps({"user_token": TOKEN}),
    )
    identity_cookie = cookie.identity_cookie(identity(), domain=".example.com")
    sealed = envelope.seal_request(
        CLIENT_SECRET,
        envelope.generate_request_json(email=EMAIL, send_unhashed=True).encode(),
        timestamp_ms=1,
        nonce=b"12345678",
        iv=b"123456789012",
    )
    opened = envelope.open_request(CLIENT_SECRET, sealed, binary=True)
    assert EMAIL.encode() in opened.payload  # it does hold the raw email
    samples: list[object] = [
        client,
        async_client,
        closed,
        identity(),
        built,
        manager.identity(EMAIL),
        euid_sdk.GenerateSuccess(identity()),
        euid_sdk.RefreshSuccess(identity()),
        euid_sdk.OptOut(),
        euid_sdk.InsufficientConsent(),
        euid_sdk.ExpiredToken(),
        euid_sdk.InvalidToken(),
        euid_sdk.TokenReady(TOKEN),
        euid_sdk.NoIdentity(),
        euid_sdk.UserOptedOut(),
        euid_sdk.RefreshExpired(),
        euid_sdk.IdentityInvalid(),
        identity().status(0),
        identity().advice(0),
        store,
        redis_store,
        manager,
        euid_sdk.IdentityManager(client),
        euid_sdk.AsyncIdentityManager(async_client, redis_store),
        euid_sdk.OffsetClock(),
        identity_cookie,
        cookie.opt_out_cookie(now=0),
        cookie.parse_browser_identity(identity_cookie.value),
        cookie.parse_browser_identity('{"status":"optout"}'),
        lifecycle.Lifecycle.restore(euid_sdk.IdentityStatus.ESTABLISHED, identity(), 0),
        lifecycle.Lifecycle().on_generated(euid_sdk.GenerateSuccess(identity()), now=0),
        opened,
        euid_sdk.ErrorKind.TIMEOUT,
        euid_sdk.DIRECT,
    ]
    for sample in samples:
        assert_clean(type(sample).__name__, texts(sample))

    covered = {type(sample) for sample in samples}
    exceptions = {cls for cls in public_classes() if issubclass(cls, BaseException)}
    missing = public_classes() - covered - exceptions - ABSTRACT
    assert not missing, f"add a sample of {sorted(cls.__name__ for cls in missing)}"


def test_errors_from_bad_input_never_quote_it() -> None:
    no_at = EMAIL.replace("@", "")
    calls: list[Callable[[], object]] = [
        lambda: euid_sdk.PublisherClient(euid_sdk.PRODUCTION_URL, API_KEY + " x", CLIENT_SECRET),
        lambda: euid_sdk.PublisherClient(euid_sdk.PRODUCTION_URL, API_KEY, CLIENT_SECRET[:20]),
        lambda: euid_sdk.PublisherClient(euid_sdk.PRODUCTION_URL, API_KEY, CLIENT_SECRET + "!"),
        lambda: euid_sdk.PublisherClient(f"http://{API_KEY}.example.com", API_KEY, CLIENT_SECRET),
        lambda: euid_sdk.PublisherClient(f"https://e.eu/?{EMAIL}", API_KEY, CLIENT_SECRET),
        lambda: euid_sdk.PublisherClient(f"{API_KEY} {EMAIL}", API_KEY, CLIENT_SECRET),
        lambda: euid_sdk.PublisherClient(
            euid_sdk.PRODUCTION_URL, API_KEY, CLIENT_SECRET, timeout=-1
        ),
        lambda: euid_sdk.hash_email(no_at),
        lambda: euid_sdk.normalize_email(f"{EMAIL} {EMAIL}"),
        lambda: euid_sdk.hash_emails([EMAIL, no_at]),
        lambda: euid_sdk.hash_phone(EMAIL),
        lambda: euid_sdk.normalize_phone(EMAIL),
        lambda: euid_sdk.normalize_email_hash(TOKEN),
        lambda: euid_sdk.normalize_phone_hash(KEY + "x"),
        lambda: euid_sdk.PublisherClient(
            euid_sdk.PRODUCTION_URL, API_KEY, CLIENT_SECRET
        ).generate_token(email=no_at),
        lambda: euid_sdk.PublisherClient(
            euid_sdk.PRODUCTION_URL, API_KEY, CLIENT_SECRET
        ).generate_token(email=EMAIL, phone=EMAIL),
        lambda: euid_sdk.Identity.from_json(json.dumps({**IDENTITY, "advertising_token": 1})),
        lambda: euid_sdk.Identity.from_json(json.dumps(IDENTITY)[:60]),
        lambda: euid_sdk.Identity.from_json(json.dumps(IDENTITY).replace(KEY, "P941v-no-base64")),
        lambda: euid_sdk.Identity.from_json(json.dumps({**IDENTITY, "identity_expires": TOKEN})),
        lambda: euid_sdk.Identity.from_json(json.dumps({"refresh_token": REFRESH})),
        lambda: euid_sdk.Identity(
            advertising_token=TOKEN,
            refresh_token=REFRESH,
            identity_expires=1,
            refresh_from=1,
            refresh_expires=1,
            extra_json=f'{{"user_token": "{TOKEN}"',
        ).to_json(),
        lambda: cookie.parse_browser_identity(f"%7B{TOKEN}%ZZ"),
        lambda: cookie.parse_browser_identity(json.dumps({"status": "x", "token": TOKEN})),
        lambda: envelope.decrypt_refresh_response(KEY, TOKEN.encode()),
        lambda: envelope.open_request(KEY, TOKEN.encode()),
        lambda: envelope.open_request(CLIENT_SECRET[:20], b"x"),
        lambda: lifecycle.Lifecycle.restore(euid_sdk.IdentityStatus.ESTABLISHED, None, TOKEN),
    ]
    for index, call in enumerate(calls):
        with pytest.raises(Exception) as caught:
            call()
        assert_clean(f"call {index}: {type(caught.value).__name__}", exception_texts(caught.value))


@pytest.fixture
def operator(new_emulator: Callable[..., Emulator]) -> Emulator:
    """An emulator that accepts the secret API key and client secret."""
    return new_emulator("--api-key", API_KEY, "--client-secret", CLIENT_SECRET)


class FailingStore(euid_sdk.MemoryStore):
    """A store whose failures quote what it was given, as careless code does."""

    def load(self, user: str) -> str | None:
        raise KeyError(user)

    def save(self, user: str, identity_json: str) -> None:
        raise RuntimeError(f"cannot save {identity_json} for {user}")

    def delete(self, user: str) -> None:
        raise LookupError(f"no identity table for {user!r}")


def raised_by(call: Callable[[], object]) -> BaseException:
    with pytest.raises(euid_sdk.EuidError) as caught:
        call()
    return caught.value


class QuotingListener(euid_sdk.StatusListener):
    """A listener whose failure quotes the user key."""

    def status_changed(
        self, user: str, old: euid_sdk.IdentityStatus, new: euid_sdk.IdentityStatus
    ) -> None:
        raise RuntimeError(f"no metrics for {user}")


@pytest.fixture
def all_logs(caplog: pytest.LogCaptureFixture) -> Iterator[pytest.LogCaptureFixture]:
    """Every record of the ``euid_sdk`` logger, the Rust core's debug records included."""
    caplog.set_level(logging.DEBUG, logger="euid_sdk")
    yield caplog
    euid_sdk.set_log_level(None)


def test_errors_and_logs_of_failing_calls_never_quote_secrets(
    operator: Emulator, all_logs: pytest.LogCaptureFixture, tmp_path: Path
) -> None:
    def client(base_url_suffix: str = "", **options: Any) -> euid_sdk.PublisherClient:
        options.setdefault("max_retries", 0)
        url = operator.url + base_url_suffix
        return euid_sdk.PublisherClient(url, API_KEY, CLIENT_SECRET, **options)

    def with_fault(fault: dict[str, Any], **options: Any) -> BaseException:
        operator.faults(fault)
        try:
            return raised_by(lambda: client(**options).generate_token(email=EMAIL))
        finally:
            operator.clear_faults()

    secret_body = f"<html>{TOKEN} {EMAIL} {API_KEY}</html>"
    errors = [
        raised_by(
            lambda: euid_sdk.PublisherClient(
                operator.url, WRONG_API_KEY, CLIENT_SECRET
            ).generate_token(email=EMAIL)
        ),
        with_fault({"kind": "status", "status": 400, "body": secret_body}),
        with_fault({"kind": "status", "status": 403, "body": {"status": "client_error",
                                                              "token": TOKEN}}),
        with_fault({"kind": "status", "status": 400,
                    "body": {"status": "client_error", "message": "Invalid timestamp"}}),
        with_fault({"kind": "status", "status": 502, "body": secret_body}),
        with_fault({"kind": "status", "status": 500, "body": {"status": "unknown",
                                                              "body": IDENTITY}}),
        with_fault({"kind": "status", "status": 429, "retry_after": 1, "body": secret_body}),
        with_fault({"kind": "latency", "latency_ms": 2_000}, timeout=0.2),
        with_fault({"kind": "close"}),
        with_fault({"kind": "garbage"}),
        with_fault({"kind": "truncate"}),
        with_fault({"kind": "wrong_key"}),
        with_fault({"kind": "wrong_nonce"}),
        with_fault({"kind": "html"}),
        raised_by(
            lambda: euid_sdk.PublisherClient(
                "http://127.0.0.1:9", API_KEY, CLIENT_SECRET, max_retries=0
            ).generate_token(email=EMAIL)
        ),
    ]
    # A proxy whose password is a secret, and that is down; a certificate no CA given signed.
    down = f"http://user:{CLIENT_SECRET}@127.0.0.1:9"
    errors.append(raised_by(lambda: client(proxy=down).generate_token(email=EMAIL)))
    tls = start_emulator(*Pki(tmp_path).emulator_args())
    try:
        untrusted = euid_sdk.PublisherClient(tls.url, API_KEY, CLIENT_SECRET, max_retries=0)
        errors.append(raised_by(lambda: untrusted.generate_token(email=EMAIL)))
    finally:
        tls.stop()
    closed = client()
    closed.close()
    errors.append(raised_by(lambda: closed.refresh_token(identity())))
    errors.append(raised_by(lambda: client(base_url_suffix=API_KEY)))

    # A refresh of an identity holding secrets: its failures do not quote it either.
    operator.faults({"endpoint": "refresh", "kind": "status", "status": 503})
    errors.append(raised_by(lambda: client().refresh_token(identity())))
    operator.faults({"endpoint": "refresh", "kind": "garbage"})
    errors.append(raised_by(lambda: client().refresh_token(identity())))
    operator.clear_faults()
    refreshed = client().refresh_token(identity())  # the emulator does not know the token
    assert_clean("refresh result", texts(refreshed))

    # The store's own exceptions quote the user (an email) and the identity JSON.
    store = FailingStore()
    manager = euid_sdk.IdentityManager(client(), store)
    errors.append(raised_by(lambda: manager.advertising_token(EMAIL)))
    errors.append(raised_by(lambda: manager.identity(EMAIL)))
    errors.append(raised_by(lambda: manager.establish(EMAIL, email=EMAIL)))
    errors.append(raised_by(lambda: manager.logout(EMAIL)))
    listened = euid_sdk.IdentityManager(
        client(), euid_sdk.MemoryStore(), listener=QuotingListener()
    )
    assert isinstance(listened.establish(EMAIL, email=EMAIL), euid_sdk.GenerateSuccess)

    # Errors without a request (their messages are checked in the test above, too).
    errors.append(raised_by(lambda: euid_sdk.hash_email(EMAIL.replace("@", ""))))
    errors.append(raised_by(lambda: euid_sdk.Identity.from_json(json.dumps(IDENTITY)[:60])))

    async def async_errors() -> list[BaseException]:
        async_client = euid_sdk.AsyncPublisherClient(operator.url, WRONG_API_KEY, CLIENT_SECRET)
        unreachable = euid_sdk.AsyncPublisherClient(
            "http://127.0.0.1:9", API_KEY, CLIENT_SECRET, max_retries=0
        )
        async_manager = euid_sdk.AsyncIdentityManager(async_client, store)
        found: list[BaseException] = []
        for call in (
            lambda: async_client.generate_token(email=EMAIL),
            lambda: unreachable.refresh_token(identity()),
            lambda: async_manager.advertising_token(EMAIL),
        ):
            try:
                await call()
            except euid_sdk.EuidError as err:
                found.append(err)
        return found

    found = asyncio.run(async_errors())
    assert len(found) == 3
    errors += found

    kinds = {error.kind for error in errors if isinstance(error, euid_sdk.EuidError)}
    assert {"unauthorized", "client_error", "clock_drift", "server_error", "rate_limited",
            "timeout", "network", "decryption_failed", "nonce_mismatch", "store"} <= kinds, kinds
    for error in errors:
        assert_clean(type(error).__name__, exception_texts(error))

    messages = [record.getMessage() for record in all_logs.records]
    assert any("the status listener failed: status_changed() raised RuntimeError: no metrics "
               "for <redacted>" in text for text in messages), messages
    assert any("POST /v2/token/generate -> HTTP 401" in text for text in messages), messages
    assert_clean("the logs", [all_logs.text, *messages])

    raised = {type(error) for error in errors}
    exceptions = {cls for cls in public_classes() if issubclass(cls, BaseException)}
    missing = exceptions - raised - NOT_RAISABLE - {euid_sdk.EuidError}
    assert not missing, f"raise a {sorted(cls.__name__ for cls in missing)} above"
