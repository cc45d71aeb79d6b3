"""The identity manager's guarantees through the Python layer, end to end against the emulator:
single-flight refresh (threads and asyncio), independent users, nothing lost on failures, a
failing store, the status listener, and the browser cookie hand-off."""

from __future__ import annotations

import asyncio
import datetime as dt
import email.utils
import http.cookies
import json
import logging
import threading
import time
import urllib.parse
from concurrent.futures import ThreadPoolExecutor
from typing import Any

import pytest

import euid_sdk
from conftest import Emulator
from euid_sdk.cookie import (
    COOKIE_NAME,
    LOCAL_STORAGE_KEY,
    OPT_OUT_MARKER_MS,
    BrowserOptOut,
    identity_cookie,
    opt_out_cookie,
    parse_browser_identity,
)

HOUR_MS = 3_600_000
DAY_MS = 24 * HOUR_MS
CALLERS = 100
Status = euid_sdk.IdentityStatus


class World:
    """A client and a manager over one store, with a clock that moves with the emulator's."""

    def __init__(
        self,
        emulator: Emulator,
        store: euid_sdk.MemoryStore | None = None,
        *,
        listener: euid_sdk.StatusListener | None = None,
        max_retries: int = 0,
    ) -> None:
        self.emulator = emulator
        self.store = euid_sdk.MemoryStore() if store is None else store
        self.clock = euid_sdk.OffsetClock()
        self.client = emulator.client(clock=self.clock, max_retries=max_retries)
        self.manager = euid_sdk.IdentityManager(
            self.client, self.store, clock=self.clock, listener=listener
        )

    def async_manager(self) -> euid_sdk.AsyncIdentityManager:
        client = self.emulator.async_client(clock=self.clock, max_retries=0)
        return euid_sdk.AsyncIdentityManager(client, self.store, clock=self.clock)

    def advance(self, ms: int) -> None:
        self.emulator.advance_clock(ms)
        self.clock.advance_ms(ms)

    def establish(self, user: str, address: str) -> str:
        """Establishes ``user`` and returns the advertising token."""
        result = self.manager.establish(user, email=address)
        assert isinstance(result, euid_sdk.GenerateSuccess), result
        return result.identity.advertising_token

    def refreshes(self) -> int:
        return self.emulator.requests()["refresh"]


def token_of(answer: euid_sdk.TokenAnswer) -> str:
    assert isinstance(answer, euid_sdk.TokenReady), answer
    return answer.advertising_token


def slow_refresh(emulator: Emulator, latency_ms: int) -> None:
    emulator.faults({"endpoint": "refresh", "kind": "latency", "latency_ms": latency_ms})


# Single flight and independent users.


def test_a_hundred_threads_share_one_refresh(emulator: Emulator) -> None:
    world = World(emulator)
    old = world.establish("alice", "alice@example.com")
    world.advance(HOUR_MS)
    slow_refresh(emulator, 200)  # keeps the flight open while every caller joins it
    barrier = threading.Barrier(CALLERS)

    def call() -> tuple[float, euid_sdk.TokenAnswer, float]:
        barrier.wait()
        started = time.monotonic()
        answer = world.manager.advertising_token("alice")
        return started, answer, time.monotonic()

    with ThreadPoolExecutor(max_workers=CALLERS) as pool:
        calls = list(pool.map(lambda _: call(), range(CALLERS)))
    assert max(start for start, _, _ in calls) < min(end for _, _, end in calls), (
        "every caller was in flight before the first one returned"
    )
    tokens = {token_of(answer) for _, answer, _ in calls}
    assert world.refreshes() == 1
    assert len(tokens) == 1, "every caller got the refreshed token"
    assert tokens != {old}
    assert json.loads(world.store.load("alice") or "{}")["advertising_token"] in tokens


def test_a_hundred_coroutines_share_one_refresh(emulator: Emulator) -> None:
    world = World(emulator)
    manager = world.async_manager()

    async def call() -> tuple[float, euid_sdk.TokenAnswer, float]:
        started = time.monotonic()
        answer = await manager.advertising_token("alice")
        return started, answer, time.monotonic()

    async def flow() -> tuple[str, list[tuple[float, euid_sdk.TokenAnswer, float]]]:
        result = await manager.establish("alice", email="alice@example.com")
        assert isinstance(result, euid_sdk.GenerateSuccess)
        world.advance(HOUR_MS)
        slow_refresh(emulator, 200)
        calls = await asyncio.gather(*(call() for _ in range(CALLERS)))
        return result.identity.advertising_token, list(calls)

    old, calls = asyncio.run(flow())
    assert max(start for start, _, _ in calls) < min(end for _, _, end in calls)
    tokens = {token_of(answer) for _, answer, _ in calls}
    assert world.refreshes() == 1
    assert len(tokens) == 1
    assert tokens != {old}


def test_a_slow_refresh_for_one_user_does_not_block_another(emulator: Emulator) -> None:
    world = World(emulator)
    slow_old = world.establish("slow", "slow@example.com")
    world.advance(HOUR_MS)
    fast_token = world.establish("fast", "fast@example.com")
    slow_refresh(emulator, 1_000)
    with ThreadPoolExecutor(max_workers=1) as pool:
        slow = pool.submit(world.manager.advertising_token, "slow")
        time.sleep(0.1)
        started = time.monotonic()
        assert token_of(world.manager.advertising_token("fast")) == fast_token
        elapsed = time.monotonic() - started
        assert elapsed < 0.5, f"the fast user waited {elapsed:.3f} s"
        assert not slow.done(), "the slow refresh was still in flight"
        assert token_of(slow.result(timeout=10)) != slow_old


def test_a_slow_refresh_does_not_block_another_user_in_asyncio(emulator: Emulator) -> None:
    world = World(emulator)
    manager = world.async_manager()
    world.establish("slow", "slow@example.com")
    world.advance(HOUR_MS)
    world.establish("fast", "fast@example.com")
    slow_refresh(emulator, 1_000)

    async def flow() -> float:
        slow = asyncio.ensure_future(manager.advertising_token("slow"))
        await asyncio.sleep(0.1)
        started = time.monotonic()
        assert isinstance(await manager.advertising_token("fast"), euid_sdk.TokenReady)
        elapsed = time.monotonic() - started
        assert not slow.done()
        assert isinstance(await slow, euid_sdk.TokenReady)
        return elapsed

    assert asyncio.run(flow()) < 0.5


# Nothing is lost.


def test_a_transient_failure_while_valid_answers_the_current_token_and_keeps_it(
    emulator: Emulator,
) -> None:
    world = World(emulator)
    token = world.establish("alice", "alice@example.com")
    before = world.store.load("alice")
    world.advance(HOUR_MS)
    emulator.faults({"endpoint": "refresh", "kind": "status", "status": 503})
    assert token_of(world.manager.advertising_token("alice")) == token
    assert world.store.load("alice") == before, "the stored identity is unchanged"
    assert world.manager.status("alice") is Status.ESTABLISHED
    emulator.clear_faults()
    assert token_of(world.manager.advertising_token("alice")) != token
    assert world.refreshes() == 2


@pytest.mark.parametrize(
    ("fault", "error"),
    [
        ({"kind": "status", "status": 503}, euid_sdk.ServerError),
        ({"kind": "close"}, euid_sdk.NetworkError),
    ],
    ids=["503", "connection_closed"],
)
def test_a_transient_failure_after_expiry_raises_a_typed_error_and_keeps_the_identity(
    emulator: Emulator, fault: dict[str, Any], error: type[euid_sdk.EuidError]
) -> None:
    world = World(emulator)
    token = world.establish("alice", "alice@example.com")
    before = world.store.load("alice")
    world.advance(3 * DAY_MS + 1_000)
    emulator.faults({"endpoint": "refresh", **fault})
    with pytest.raises(error) as caught:
        world.manager.advertising_token("alice")
    assert token not in str(caught.value)
    assert world.store.load("alice") == before
    assert world.manager.status("alice") is Status.EXPIRED
    emulator.clear_faults()
    assert token_of(world.manager.advertising_token("alice")) != token


def test_an_opt_out_on_refresh_deletes_the_identity_and_sets_the_marker(
    emulator: Emulator,
) -> None:
    world = World(emulator)
    world.establish("rita", "refresh-optout@example.com")
    world.advance(HOUR_MS)
    assert isinstance(world.manager.advertising_token("rita"), euid_sdk.UserOptedOut)
    assert world.store.load("rita") is None
    assert world.store.is_opted_out("rita")
    assert isinstance(world.manager.establish("rita", email="x@example.com"), euid_sdk.OptOut)
    assert emulator.requests() == {"generate": 1, "refresh": 1, "validate": 0}


def test_an_expired_refresh_token_is_deleted_without_a_request(emulator: Emulator) -> None:
    world = World(emulator)
    world.establish("alice", "alice@example.com")
    world.advance(30 * DAY_MS + 1_000)
    answer = world.manager.advertising_token("alice")
    assert isinstance(answer, euid_sdk.RefreshExpired)
    assert answer.needs_login and answer.advertising_token is None
    assert world.store.load("alice") is None and not world.store.is_opted_out("alice")
    assert world.refreshes() == 0
    assert isinstance(world.manager.advertising_token("alice"), euid_sdk.NoIdentity)


def test_an_invalid_refresh_token_is_deleted(emulator: Emulator) -> None:
    world = World(emulator)
    world.establish("alice", "alice@example.com")
    identity = json.loads(world.store.load("alice") or "{}")
    world.store.save("alice", json.dumps({**identity, "refresh_token": "not-a-v2-token"}))
    world.advance(HOUR_MS)
    answer = world.manager.advertising_token("alice")
    assert isinstance(answer, euid_sdk.IdentityInvalid) and answer.needs_login
    assert world.store.load("alice") is None and len(world.store) == 0


def test_logout_makes_no_request_and_keeps_the_opt_out_marker(emulator: Emulator) -> None:
    world = World(emulator)
    world.establish("alice", "alice@example.com")
    assert isinstance(world.manager.establish("olga", email="optout@example.com"), euid_sdk.OptOut)
    before = emulator.requests()
    world.manager.logout("alice")
    world.manager.logout("olga")
    assert emulator.requests() == before
    assert world.manager.identity("alice") is None
    assert world.manager.status("alice") is Status.NO_IDENTITY
    assert not world.store.is_opted_out("alice") and world.store.is_opted_out("olga")
    assert world.store.load("olga") is None and len(world.store) == 1  # olga's marker alone
    assert isinstance(world.manager.advertising_token("olga"), euid_sdk.UserOptedOut)


# The store and the listener.


class FlakyStore(euid_sdk.MemoryStore):
    """A store whose writes fail on demand."""

    def __init__(self) -> None:
        super().__init__()
        self.fail_writes = False

    def _check(self) -> None:
        if self.fail_writes:
            raise OSError("disk full")

    def save(self, user: str, identity_json: str) -> None:
        self._check()
        super().save(user, identity_json)

    def delete(self, user: str) -> None:
        self._check()
        super().delete(user)

    def set_opted_out(self, user: str) -> None:
        self._check()
        super().set_opted_out(user)


def test_a_failing_store_is_a_store_error_and_the_old_identity_survives(
    emulator: Emulator,
) -> None:
    store = FlakyStore()
    world = World(emulator, store)
    token = world.establish("alice", "alice@example.com")
    before = store.load("alice")
    world.advance(HOUR_MS)
    store.fail_writes = True
    with pytest.raises(euid_sdk.StoreError) as caught:
        world.manager.advertising_token("alice")
    assert caught.value.kind == "store"
    assert "save() raised OSError: disk full" in caught.value.detail
    assert store.load("alice") == before
    store.fail_writes = False
    assert token_of(world.manager.advertising_token("alice")) != token


def test_a_store_error_never_carries_the_user_key_or_the_identity(
    emulator: Emulator, caplog: pytest.LogCaptureFixture
) -> None:
    """The core's one redaction rule: the user key and the secrets the call knows (on save the
    identity's tokens and refresh response key) never appear, whatever the store's message."""

    class LeakyStore(euid_sdk.MemoryStore):
        leak = "advertising_token"
        fail_loads = False
        seen: list[dict[str, Any]] = []

        def save(self, user: str, identity_json: str) -> None:
            identity = json.loads(identity_json)
            self.seen.append(identity)
            raise ValueError(
                f"cannot write {user}: {identity['refresh_response_key']} {identity[self.leak]}"
            )

        def load(self, user: str) -> str | None:
            if self.fail_loads:
                raise KeyError(f"no row for {user.upper()}")
            return super().load(user)

    store = LeakyStore()
    world = World(emulator, store)
    errors: list[euid_sdk.EuidError] = []
    with caplog.at_level(logging.DEBUG, logger="euid_sdk"):
        for leak in ("advertising_token", "refresh_token"):
            store.leak = leak
            with pytest.raises(euid_sdk.StoreError) as saved:
                world.manager.establish("alice", email="alice@example.com")
            errors.append(saved.value)
        store.fail_loads = True
        with pytest.raises(euid_sdk.StoreError) as loaded:
            world.manager.identity("alice")
        errors.append(loaded.value)
    secrets = ["alice"] + [
        identity[field]
        for identity in store.seen
        for field in ("advertising_token", "refresh_token", "refresh_response_key")
    ]
    assert len(store.seen) == 2 and all(secrets)
    for err in errors:
        for shown in (str(err), repr(err), caplog.text):
            for secret in secrets:
                assert secret.lower() not in shown.lower()
    for err in errors[:2]:
        assert err.detail == (
            "identity store error: save() raised ValueError: cannot write <redacted>: <redacted> "
            "<redacted>"
        )
    assert loaded.value.detail == (
        "identity store error: load() raised KeyError: 'no row for <redacted>'"
    )


def test_a_store_must_subclass_identity_store(emulator: Emulator) -> None:
    with pytest.raises(TypeError):
        euid_sdk.IdentityManager(emulator.client(), {})  # type: ignore[arg-type]
    with pytest.raises(TypeError):
        euid_sdk.IdentityStore()  # type: ignore[abstract]


class Recorder(euid_sdk.StatusListener):
    def __init__(self) -> None:
        self.heard: list[tuple[str, euid_sdk.IdentityStatus, euid_sdk.IdentityStatus]] = []
        self.lock = threading.Lock()

    def status_changed(
        self, user: str, old: euid_sdk.IdentityStatus, new: euid_sdk.IdentityStatus
    ) -> None:
        with self.lock:
            self.heard.append((user, old, new))


def test_the_listener_hears_every_change(emulator: Emulator) -> None:
    listener = Recorder()
    world = World(emulator, listener=listener)
    world.establish("alice", "alice@example.com")
    world.manager.advertising_token("alice")
    world.advance(HOUR_MS)
    world.manager.advertising_token("alice")
    world.manager.logout("alice")
    world.manager.establish("olga", email="optout@example.com")
    assert listener.heard == [
        ("alice", Status.NO_IDENTITY, Status.ESTABLISHED),
        ("alice", Status.ESTABLISHED, Status.REFRESHED),
        ("alice", Status.ESTABLISHED, Status.NO_IDENTITY),
        ("olga", Status.NO_IDENTITY, Status.OPTOUT),
    ]
    assert all(type(old) is Status and type(new) is Status for _, old, new in listener.heard)


def test_a_failing_listener_is_logged_and_changes_nothing(
    emulator: Emulator, caplog: pytest.LogCaptureFixture
) -> None:
    class Broken(euid_sdk.StatusListener):
        def status_changed(
            self, user: str, old: euid_sdk.IdentityStatus, new: euid_sdk.IdentityStatus
        ) -> None:
            raise RuntimeError("listener bug")

    world = World(emulator, listener=Broken())
    with caplog.at_level(logging.WARNING, logger="euid_sdk"):
        token = world.establish("alice", "alice@example.com")
        world.manager.logout("alice")
    assert token
    assert world.store.load("alice") is None
    failures = [r for r in caplog.records if r.name == "euid_sdk" and r.levelno == logging.WARNING]
    assert len(failures) == 2
    assert all(
        r.getMessage() == "the status listener failed: status_changed() raised RuntimeError: "
        "listener bug"
        for r in failures
    ), [r.getMessage() for r in failures]


# The answers and the in-memory store.


def test_answers_match_by_class_and_say_whether_a_login_is_needed() -> None:
    answers: list[euid_sdk.TokenAnswer] = [
        euid_sdk.TokenReady("AT-secret"),
        euid_sdk.NoIdentity(),
        euid_sdk.UserOptedOut(),
        euid_sdk.RefreshExpired(),
        euid_sdk.IdentityInvalid(),
    ]
    assert [answer.needs_login for answer in answers] == [False, True, False, True, True]
    assert [answer.advertising_token for answer in answers] == ["AT-secret"] + [None] * 4
    assert [answer.name for answer in answers] == [
        "token", "no_identity", "opted_out", "refresh_expired", "invalid"
    ]
    assert isinstance(answers[0], euid_sdk.TokenReady)
    assert answers[0].advertising_token == "AT-secret"
    assert "AT-secret" not in repr(answers[0]) and "AT-secret" not in str(answers[0])
    assert euid_sdk.TokenReady("a") == euid_sdk.TokenReady("a") != euid_sdk.TokenReady("b")


def stored_identity(token: str) -> str:
    """Identity JSON as the core writes it."""
    return euid_sdk.Identity(
        advertising_token=token,
        refresh_token="RT-" + token,
        identity_expires=3,
        refresh_from=2,
        refresh_expires=4,
    ).to_json()


def test_the_memory_store_keeps_the_marker_and_evicts_the_oldest_user() -> None:
    store = euid_sdk.MemoryStore(max_users=2)
    assert store.max_users == 2 and euid_sdk.MemoryStore().max_users is None
    store.save("a", stored_identity("a"))
    store.set_opted_out("a")
    store.delete("a")
    assert store.load("a") is None and store.is_opted_out("a") and len(store) == 1
    store.save("b", stored_identity("b"))
    store.save("c", stored_identity("c"))
    # "a" went, identity and marker: the user stored first.
    assert len(store) == 2 and not store.is_opted_out("a")
    store.save("b", stored_identity("b2"))  # an update does not make room
    assert len(store) == 2
    assert (store.load("b"), store.load("c")) == (stored_identity("b2"), stored_identity("c"))
    store.delete("c")
    assert len(store) == 1 and store.load("c") is None
    assert "identity" not in repr(store) and "b2" not in repr(store)
    for bound in (0, -1):
        with pytest.raises(euid_sdk.InvalidInputError, match="max_users"):
            euid_sdk.MemoryStore(max_users=bound)
    with pytest.raises(TypeError):
        euid_sdk.MemoryStore(max_users=True)
    with pytest.raises(euid_sdk.InvalidIdentityError):
        store.save("d", '{"identity": "d"}')  # it keeps identities, not text
    assert store.load("d") is None and len(store) == 1
    store.set_opted_out("e")
    assert store.is_opted_out("e") and store.load("b") == stored_identity("b2")


def test_the_default_store_is_the_built_in_one(emulator: Emulator) -> None:
    manager = euid_sdk.IdentityManager(emulator.client())
    assert manager.store is None
    result = manager.establish("alice", email="alice@example.com")
    assert isinstance(result, euid_sdk.GenerateSuccess)
    assert isinstance(manager.advertising_token("alice"), euid_sdk.TokenReady)
    assert manager.status("alice") is Status.ESTABLISHED
    assert "built-in" in repr(manager)


def test_the_async_manager_establishes_and_logs_out(emulator: Emulator) -> None:
    world = World(emulator)
    manager = world.async_manager()

    async def flow() -> None:
        result = await manager.establish("pat", phone="+12345678901")
        assert isinstance(result, euid_sdk.GenerateSuccess)
        answer = await manager.advertising_token("pat")
        assert token_of(answer) == result.identity.advertising_token
        assert await manager.identity("pat") == result.identity
        assert await manager.status("pat") is Status.ESTABLISHED
        await manager.logout("pat")
        assert isinstance(await manager.advertising_token("pat"), euid_sdk.NoIdentity)
        with pytest.raises(euid_sdk.InvalidInputError):
            await manager.establish("pat")
        assert await manager.identity("pat") is None

    asyncio.run(flow())
    assert asyncio.run(manager.status("pat")) is Status.NO_IDENTITY


# The browser cookie hand-off.

# The EUID docs' example `__euid` cookie (docs/snippets/_example-euid-cookie.mdx), as the browser
# SDK writes it: `encodeURIComponent(JSON.stringify(identity))`.
DOCS_COOKIE_JSON = (
    '{"advertising_token":"E4AAAAW2T2Fj-aRzN_G_t-1UP9Ndl-e1kJLCL0b9wTq0UORlRIFjIS4Mz7I3TYy6Yr'
    "YyIGDwjHWZOifsnYTZawQcCwAkfyp0RbkLhB4Hznodt3ZLHrOYqFmvSrsbEuMrowfoGSJyFz3hj-Q4CArezZzamp1"
    '-aoOjJz3s-ydQADH7OapPv5iQBYBiWza3r3tBVY7drUMV8_08aBMqHuLyKzNUvws","identity_expires":17249'
    '95694316,"refresh_expires":1727586794316,"refresh_from":1724995094316,"refresh_response_k'
    'ey":"8yaj8hL5gS0fiB7CxvCxG25mDO3QWiqr73oF696QtiU=","refresh_token":"EAAABbf4KYu1LMa4+9wE7S'
    "qDIhSnSOMSmneocSaAxYl9ptV7iEOT0899ZUdtaTkSb5fHuArOtanqenPIDESXqg5uhqCDlHZfIqqq6HNBiV4ZZjPm"
    "3nA2LJAQ9Za0WydmWcpTdPSapcMyQPvW9CQTZcHNoYTVjtol4nraKDcn6ZGxea/4TA+zeFf9ohBZ8Eyt1zN+JKhB4c"
    "cvbCUeFaRrOKYyBUppGdaRiN6bL+d/uKY6XPVCw4lW7BJ87xDRb/JDfkG1bly0sIl3MWaFQK8AzEJJj8dzBYvpYAVX"
    "bvpxi/9gDEAzsdF3lT8Mdso8xj4Kx7jp79QDrIBL40E4pSDaNeNMnU8+Yo1nrQVCO2JBEy3kpvn8pUnDjxZlBTZ9I4"
    'PkmH/Q","private":{}}'
)


def encode_uri_component(text: str) -> str:
    return urllib.parse.quote(text, safe="-_.!~*'()")


def test_the_documented_cookie_is_read_and_written_back() -> None:
    value = encode_uri_component(DOCS_COOKIE_JSON)
    assert value.startswith("%7B%22advertising_token%22%3A%22E4AAAAW2T2Fj-aRzN_G_t-1UP9Ndl")
    identity = parse_browser_identity(value)
    assert isinstance(identity, euid_sdk.Identity)
    assert identity.refresh_from == 1_724_995_094_316
    assert identity.refresh_response_key == "8yaj8hL5gS0fiB7CxvCxG25mDO3QWiqr73oF696QtiU="
    assert "private" in json.loads(identity.to_json())
    # Local storage holds the same JSON without URI encoding.
    assert parse_browser_identity(DOCS_COOKIE_JSON) == identity

    cookie = identity_cookie(identity, domain=".example.com")
    assert cookie.name == COOKIE_NAME == "__euid"
    assert cookie.expires_ms == identity.refresh_expires
    expires = dt.datetime(2024, 9, 29, 5, 13, 14, 316_000, tzinfo=dt.timezone.utc)
    assert cookie.expires == expires and cookie.expires.tzinfo is dt.timezone.utc
    assert (cookie.path, cookie.domain, cookie.secure, cookie.same_site) == (
        "/", ".example.com", True, "Lax"
    )
    assert parse_browser_identity(cookie.value) == identity
    header = cookie.header()
    assert header.startswith("__euid=%7B%22advertising_token%22")
    assert header.endswith(
        "; Expires=Sun, 29 Sep 2024 05:13:14 GMT; Path=/; Domain=.example.com; Secure; SameSite=Lax"
    )
    # A standard parser reads the header back, and Starlette's way of writing `expires` agrees.
    jar: http.cookies.SimpleCookie = http.cookies.SimpleCookie()
    jar.load(header)
    morsel = jar[COOKIE_NAME]
    assert morsel.value == cookie.value
    assert (morsel["path"], morsel["domain"], morsel["samesite"]) == ("/", ".example.com", "Lax")
    assert morsel["secure"] is True and not morsel["httponly"]
    assert email.utils.format_datetime(cookie.expires, usegmt=True) == morsel["expires"]
    assert "E4AAAAW2T2Fj" not in repr(cookie)
    assert LOCAL_STORAGE_KEY == "EUID-sdk-identity"


def test_set_cookie_kwargs_fit_the_frameworks_set_cookie() -> None:
    identity = parse_browser_identity(DOCS_COOKIE_JSON)
    assert isinstance(identity, euid_sdk.Identity)
    cookie = identity_cookie(identity)
    kwargs = cookie.set_cookie_kwargs()
    assert kwargs == {
        "key": "__euid",
        "value": cookie.value,
        "expires": cookie.expires,
        "path": "/",
        "domain": None,
        "secure": True,
        "httponly": False,
        "samesite": "Lax",
    }
    assert "Domain=" not in cookie.header()


def test_a_server_identity_goes_to_the_browser_and_comes_back(emulator: Emulator) -> None:
    world = World(emulator)
    world.establish("alice", "alice@example.com")
    identity = world.manager.identity("alice")
    assert identity is not None
    cookie = identity_cookie(identity)
    assert parse_browser_identity(urllib.parse.unquote(cookie.value)) == identity
    assert parse_browser_identity(cookie.value) == identity
    with pytest.raises(euid_sdk.InvalidIdentityError):
        parse_browser_identity("%7Bnot json")


def test_a_browser_identity_is_taken_over_by_the_manager(emulator: Emulator) -> None:
    world = World(emulator)
    result = world.client.generate_token(email="browser@example.com")
    assert isinstance(result, euid_sdk.GenerateSuccess)
    browser_value = encode_uri_component(result.identity.to_json())
    taken = parse_browser_identity(browser_value)
    assert isinstance(taken, euid_sdk.Identity)
    world.store.save("bea", taken.to_json())
    assert token_of(world.manager.advertising_token("bea")) == result.identity.advertising_token
    world.advance(HOUR_MS)
    assert token_of(world.manager.advertising_token("bea")) != result.identity.advertising_token


def test_the_opt_out_marker_cookie() -> None:
    cookie = opt_out_cookie(now=1_000)
    assert cookie.expires_ms == 1_000 + OPT_OUT_MARKER_MS
    assert parse_browser_identity(cookie.value) == BrowserOptOut()
    now = dt.datetime(2026, 1, 1, tzinfo=dt.timezone.utc)
    later = opt_out_cookie(now=now, domain=".example.com")
    assert later.expires == now + dt.timedelta(hours=72)
    assert later.header().endswith("; Path=/; Domain=.example.com; Secure; SameSite=Lax")


def test_a_closed_manager_refuses_calls(emulator: Emulator) -> None:
    world = World(emulator)
    world.establish("alice", "alice@example.com")
    with world.manager as manager:
        assert isinstance(manager.advertising_token("alice"), euid_sdk.TokenReady)
    for call in (
        lambda: manager.establish("alice", email="alice@example.com"),
        lambda: manager.advertising_token("alice"),
        lambda: manager.logout("alice"),
        lambda: manager.status("alice"),
        lambda: manager.identity("alice"),
    ):
        with pytest.raises(euid_sdk.ClientClosedError, match="the identity manager is closed"):
            call()
    assert world.store.load("alice") is not None, "closing kept the store"
    # A manager built on a client keeps working after the client is closed; a new one fails.
    other = euid_sdk.IdentityManager(world.client, world.store, clock=world.clock)
    world.client.close()
    assert isinstance(other.advertising_token("alice"), euid_sdk.TokenReady)
    with pytest.raises(euid_sdk.ClientClosedError, match="the client is closed"):
        euid_sdk.IdentityManager(world.client)


def test_a_closed_async_manager_refuses_calls(emulator: Emulator) -> None:
    world = World(emulator)
    world.establish("alice", "alice@example.com")

    async def flow() -> None:
        async with world.async_manager() as manager:
            assert isinstance(await manager.advertising_token("alice"), euid_sdk.TokenReady)
        for call in (
            lambda: manager.establish("alice", email="alice@example.com"),
            lambda: manager.advertising_token("alice"),
            lambda: manager.logout("alice"),
            lambda: manager.status("alice"),
            lambda: manager.identity("alice"),
        ):
            with pytest.raises(euid_sdk.ClientClosedError) as caught:
                await call()
            assert caught.value.kind == "closed"

    asyncio.run(flow())
    assert world.store.load("alice") is not None


def test_the_async_manager_calls_a_slow_store_off_the_event_loop(emulator: Emulator) -> None:
    class SlowStore(euid_sdk.MemoryStore):
        threads: set[int] = set()

        def load(self, user: str) -> str | None:
            self.threads.add(threading.get_ident())
            time.sleep(0.3)
            return super().load(user)

    store = SlowStore()
    world = World(emulator, store)
    world.establish("alice", "alice@example.com")
    manager = world.async_manager()

    async def flow() -> int:
        ticks = 0

        async def tick() -> None:
            nonlocal ticks
            while True:
                ticks += 1
                await asyncio.sleep(0.01)

        ticker = asyncio.ensure_future(tick())
        assert await manager.status("alice") is Status.ESTABLISHED
        assert await manager.identity("alice") is not None
        ticker.cancel()
        return ticks

    store.threads.clear()
    assert asyncio.run(flow()) > 20, "the loop ran while the store slept"
    assert threading.get_ident() not in store.threads
