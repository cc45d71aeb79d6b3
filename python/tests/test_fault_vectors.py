"""Every case of tests/vectors/faults.json, once through ``PublisherClient`` and once through
``IdentityManager`` over ``MemoryStore``: the emulator misbehaves, and the SDK answers with a
typed error or outcome, within bounded requests and time, losing nothing stored.

A port of the Rust runner (core/tests/client/fault_vectors.rs); the README's faults.json
section is the spec. Each case gets an emulator process of its own, since some kill it.
"""

from __future__ import annotations

import json
import time
from typing import Any, Callable

import pytest

import euid_sdk
from conftest import VECTORS_DIR, Emulator, load_vectors

DOCUMENT_NAME = "faults"
HOUR_MS = 60 * 60 * 1000
USER = "u"
EMAIL = "u@example.com"

DOCUMENT_FIELDS = {"description", "client", "cases"}
CLIENT_FIELDS = {"max_retries", "timeout_ms", "deadline_ms"}
CASE_FIELDS = {
    "name",
    "call",
    "faults",
    "expect",
    "requests",
    "max_elapsed_ms",
    "kill_operator",
    "operator_clock_offset_ms",
    "operator_clock_drift",
    "date_header",
    "error_message_contains",
    "note",
}
REQUIRED_CASE_FIELDS = {"name", "call", "faults", "expect", "requests", "max_elapsed_ms"}


def document() -> dict[str, Any]:
    with open(VECTORS_DIR / f"{DOCUMENT_NAME}.json", encoding="utf-8") as f:
        loaded: dict[str, Any] = json.load(f)
    return loaded


def check_fields(what: str, found: dict[str, Any], known: set[str], required: set[str]) -> None:
    """Fails on a field the runner does not know (it would be silently ignored) or lacks."""
    unknown = set(found) - known
    assert not unknown, f"{what}: unknown fields {sorted(unknown)}: the runner must learn them"
    missing = required - set(found)
    assert not missing, f"{what}: missing fields {sorted(missing)}"


def check_case(case: dict[str, Any]) -> None:
    check_fields(case.get("name", "a case"), case, CASE_FIELDS, REQUIRED_CASE_FIELDS)
    assert case["call"] in ("generate", "refresh"), f"unknown call {case['call']!r}"
    expect = case["expect"]
    assert len(expect) == 1 and set(expect) <= {"outcome", "error"}, f"bad expect {expect}"
    assert expect.get("outcome", "success") == "success", f"unknown outcome {expect}"
    requests = case["requests"]
    if isinstance(requests, dict):
        check_fields("requests", requests, {"min", "max"}, {"min", "max"})
    if "operator_clock_drift" in case:
        assert case["call"] == "generate", "operator_clock_drift is for generate cases"
        drift = case["operator_clock_drift"]
        check_fields("operator_clock_drift", drift, {"step_ms", "steps"}, {"step_ms", "steps"})


def case_params() -> list[Any]:
    """One param per case and path, with ids ``client:<name>`` and ``manager:<name>``."""
    return [
        pytest.param(path, case, id=f"{path}:{case['name']}")
        for case in load_vectors(DOCUMENT_NAME)
        for path in ("client", "manager")
    ]


def settings() -> dict[str, int]:
    loaded = document()
    check_fields(DOCUMENT_NAME, loaded, DOCUMENT_FIELDS, DOCUMENT_FIELDS)
    client: dict[str, int] = loaded["client"]
    check_fields("client", client, CLIENT_FIELDS, CLIENT_FIELDS)
    return client


def new_client(emulator: Emulator, clock: euid_sdk.OffsetClock) -> euid_sdk.PublisherClient:
    """A client built from the file's top-level ``client`` settings."""
    client = settings()
    return emulator.client(
        max_retries=client["max_retries"],
        timeout=client["timeout_ms"] / 1000,
        deadline=client["deadline_ms"] / 1000,
        clock=clock,
    )


def endpoint_requests(emulator: Emulator, call: str) -> int:
    return int(emulator.counters(call)["requests"])


def drift_first(case: dict[str, Any], emulator: Emulator, call: Callable[[], Any]) -> None:
    """``operator_clock_drift``: one successful ``call``, then ``steps - 1`` times a move of the
    emulator's clock by ``step_ms`` and a successful ``call``, then one move more, so the
    checked call is one step from what the client last learned."""
    drift = case.get("operator_clock_drift")
    if drift is None:
        return
    for step in range(drift["steps"]):
        if step:
            emulator.advance_clock(drift["step_ms"])
        result = call()
        assert isinstance(result, euid_sdk.GenerateSuccess), f"drift step {step}: {result!r}"
    emulator.advance_clock(drift["step_ms"])


def move_operator_clock(case: dict[str, Any], emulator: Emulator) -> None:
    """``operator_clock_offset_ms`` moves the emulator's clock alone; ``date_header`` makes it
    send a ``Date`` header, as a load balancer may (the operator sends none)."""
    if "operator_clock_offset_ms" in case:
        emulator.advance_clock(case["operator_clock_offset_ms"])
    emulator.date_header(case.get("date_header", False) is True)


def inject(case: dict[str, Any], emulator: Emulator) -> bool:
    """Sets the case's faults, or kills the operator. Returns whether it still runs."""
    if case.get("kill_operator", False):
        emulator.kill()
        return False
    emulator.faults(*case["faults"])
    return True


class Call:
    """The timed call: its result or error, and the wall time it took."""

    def __init__(self, call: Callable[[], Any]) -> None:
        started = time.monotonic()
        self.result: Any = None
        self.error: euid_sdk.EuidError | None = None
        try:
            self.result = call()
        except euid_sdk.EuidError as err:
            self.error = err
        self.elapsed_ms = (time.monotonic() - started) * 1000


def check_expectation(case: dict[str, Any], call: Call, success: bool) -> None:
    """``success``: whether the call's result is the success the case may expect."""
    expect = case["expect"]
    if "outcome" in expect:
        assert call.error is None, f"expected success, got {call.error!r}"
        assert success, f"expected success, got {call.result!r}"
        return
    kinds = expect["error"] if isinstance(expect["error"], list) else [expect["error"]]
    assert call.error is not None, f"expected an error {kinds}, got {call.result!r}"
    assert call.error.kind in kinds, f"expected an error {kinds}, got {call.error!r}"
    if "error_message_contains" in case:
        part = case["error_message_contains"]
        assert part in call.error.detail, f"the message {call.error.detail!r} lacks {part!r}"


def check_bounds(
    case: dict[str, Any], emulator: Emulator, running: bool, before: int, call: Call
) -> None:
    """The requests the operator counted during the call (if it still runs), and the time."""
    if running:
        requests = endpoint_requests(emulator, case["call"]) - before
        expected = case["requests"]
        low, high = (
            (expected["min"], expected["max"]) if isinstance(expected, dict) else (expected,) * 2
        )
        assert low <= requests <= high, f"{requests} requests, expected {expected}"
    limit = case["max_elapsed_ms"]
    assert call.elapsed_ms <= limit, f"took {call.elapsed_ms:.0f} ms, more than {limit} ms"


def through_client(case: dict[str, Any], emulator: Emulator) -> None:
    call_name = case["call"]
    client = new_client(emulator, euid_sdk.OffsetClock())
    identity = None
    if call_name == "refresh":
        generated = client.generate_token(email=EMAIL)
        assert isinstance(generated, euid_sdk.GenerateSuccess), generated
        identity = generated.identity
    drift_first(case, emulator, lambda: client.generate_token(email=EMAIL))
    move_operator_clock(case, emulator)
    before = endpoint_requests(emulator, call_name)
    running = inject(case, emulator)
    if identity is not None:
        refresh = Call(lambda: client.refresh_token(identity))
        success = isinstance(refresh.result, euid_sdk.RefreshSuccess)
        check_expectation(case, refresh, success)
        check_bounds(case, emulator, running, before, refresh)
    else:
        generate = Call(lambda: client.generate_token(email=EMAIL))
        success = isinstance(generate.result, euid_sdk.GenerateSuccess)
        check_expectation(case, generate, success)
        check_bounds(case, emulator, running, before, generate)


def through_manager(case: dict[str, Any], emulator: Emulator) -> None:
    call_name = case["call"]
    clock = euid_sdk.OffsetClock()
    store = euid_sdk.MemoryStore()
    manager = euid_sdk.IdentityManager(new_client(emulator, clock), store, clock=clock)
    stored: str | None = None
    if call_name == "refresh":
        established = manager.establish(USER, email=EMAIL)
        assert isinstance(established, euid_sdk.GenerateSuccess), established
        stored = store.load(USER)
        assert stored is not None
        emulator.advance_clock(HOUR_MS)
        clock.advance_ms(HOUR_MS)
    drift_first(case, emulator, lambda: manager.establish(USER, email=EMAIL))
    move_operator_clock(case, emulator)
    before = endpoint_requests(emulator, call_name)
    running = inject(case, emulator)
    if stored is not None:
        # While the token is valid a failed refresh is hidden: the current token comes back.
        old_token = euid_sdk.Identity.from_json(stored).advertising_token
        call = Call(lambda: manager.advertising_token(USER))
        assert call.error is None, f"the manager raised {call.error!r}"
        answer = call.result
        assert isinstance(answer, euid_sdk.TokenReady), f"the manager answered {answer!r}"
        if "outcome" in case["expect"]:
            assert answer.advertising_token != old_token, "expected a new token, got the old one"
        else:
            assert answer.advertising_token == old_token, "expected the current token"
            assert store.load(USER) == stored, "the stored identity changed after a failure"
    else:
        call = Call(lambda: manager.establish(USER, email=EMAIL))
        has_identity = store.load(USER) is not None
        succeeded = isinstance(call.result, euid_sdk.GenerateSuccess)
        assert has_identity == succeeded, f"stored an identity: {has_identity} after {call.error!r}"
        check_expectation(case, call, succeeded)
    check_bounds(case, emulator, running, before, call)


def test_the_fault_vectors_are_all_run() -> None:
    cases = document()["cases"]
    names = [case["name"] for case in cases]
    assert names
    assert len(set(names)) == len(names), "case names are the test ids: keep them unique"
    for case in cases:
        check_case(case)
    assert len(case_params()) == 2 * len(cases)


@pytest.mark.parametrize(("path", "case"), case_params())
def test_fault_scenario(
    new_emulator: Callable[..., Emulator], path: str, case: dict[str, Any]
) -> None:
    check_case(case)
    emulator = new_emulator()
    if path == "client":
        through_client(case, emulator)
    else:
        through_manager(case, emulator)
