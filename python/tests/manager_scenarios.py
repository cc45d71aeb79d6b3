"""The runner of ``tests/vectors/manager.json`` through the Python API, for any store.

A port of the Rust runner (core/tests/client/manager_vectors.rs): each step acts, then checks
its optional ``store`` and ``requests``; ``token: "new"`` / ``"same"`` compare with the last
token seen for the user (from ``establish`` or ``token``).
"""

from __future__ import annotations

import json
from typing import Any, Callable

import pytest

import euid_sdk
from conftest import VECTORS_DIR, Emulator, load_vectors

DOCUMENT_NAME = "manager"

GENERATE_NAMES = {
    euid_sdk.GenerateSuccess: "success",
    euid_sdk.OptOut: "optout",
    euid_sdk.InsufficientConsent: "insufficient_consent",
}


def client_settings() -> dict[str, Any]:
    """The file's top-level ``client`` settings."""
    with open(VECTORS_DIR / f"{DOCUMENT_NAME}.json", encoding="utf-8") as f:
        settings: dict[str, Any] = json.load(f)["client"]
    return settings


def case_params() -> list[Any]:
    """One pytest param per case, with the case name as its id."""
    return [pytest.param(case, id=case["name"]) for case in load_vectors(DOCUMENT_NAME)]


class Scenario:
    """One case's world: a fresh client, manager and clock over ``store``."""

    def __init__(
        self, emulator: Emulator, settings: dict[str, Any], store: euid_sdk.IdentityStore
    ) -> None:
        self.emulator = emulator
        self.store = store
        self.clock = euid_sdk.OffsetClock()
        self.client = emulator.client(
            max_retries=settings["max_retries"],
            timeout=settings["timeout_ms"] / 1000,
            clock=self.clock,
        )
        self.manager = euid_sdk.IdentityManager(self.client, store, clock=self.clock)
        self.last_token: dict[str, str] = {}

    def check_token(self, user: str, token: str, expected: str) -> None:
        previous = self.last_token.get(user)
        self.last_token[user] = token
        same = previous == token
        assert expected in ("same", "new"), f"unknown token expectation {expected!r}"
        assert same == (expected == "same"), f"expected a {expected} token"

    def establish(self, step: dict[str, Any]) -> None:
        user, dii, expected = step["user"], step["dii"], step["expect"]
        kind = dii["type"]
        assert kind in ("email", "phone", "email_hash", "phone_hash"), f"unknown dii {kind}"
        call: Callable[[], euid_sdk.GenerateResult] = lambda: self.manager.establish(
            user, **{kind: dii["value"]}, tcf_consent_string=step.get("tcf_consent_string")
        )
        if isinstance(expected, dict):
            with pytest.raises(euid_sdk.EuidError) as caught:
                call()
            assert caught.value.kind == expected["error"]
            return
        result = call()
        assert GENERATE_NAMES[type(result)] == expected, f"expected {expected}, got {result!r}"
        if isinstance(result, euid_sdk.GenerateSuccess):
            self.last_token[user] = result.identity.advertising_token

    def token(self, step: dict[str, Any]) -> None:
        user, expected = step["user"], step["expect"]
        if "error" in expected:
            with pytest.raises(euid_sdk.EuidError) as caught:
                self.manager.advertising_token(user)
            assert caught.value.kind == expected["error"]
            return
        answer = self.manager.advertising_token(user)
        assert answer.name == expected["answer"], f"expected {expected}, got {answer!r}"
        if isinstance(answer, euid_sdk.TokenReady):
            self.check_token(user, answer.advertising_token, expected["token"])

    def corrupt_refresh_token(self, user: str) -> None:
        stored = self.store.load(user)
        assert stored is not None, f"no identity stored for {user}"
        identity = json.loads(stored)
        identity["refresh_token"] = "not-a-v2-refresh-token"
        self.store.save(user, json.dumps(identity))

    def step(self, step: dict[str, Any]) -> None:
        op = step["op"]
        if op == "establish":
            self.establish(step)
        elif op == "token":
            self.token(step)
        elif op == "status":
            status = self.manager.status(step["user"])
            assert status is euid_sdk.IdentityStatus[step["expect"].upper()], status
        elif op == "logout":
            self.manager.logout(step["user"])
        elif op == "advance":
            self.emulator.advance_clock(step["ms"])
            self.clock.advance_ms(step["ms"])
        elif op == "faults":
            self.emulator.faults(*step["faults"])
        elif op == "clear_faults":
            self.emulator.clear_faults()
        elif op == "operator_opt_out":
            self.emulator.opt_out(email=step["email"])
        elif op == "corrupt_refresh_token":
            self.corrupt_refresh_token(step["user"])
        else:
            pytest.fail(f"unknown op {op!r}: the runner must learn it")

    def check_after(self, step: dict[str, Any]) -> None:
        for user, expected in step.get("store", {}).items():
            stored, opted_out = self.store.load(user), self.store.is_opted_out(user)
            if stored is not None and not opted_out:
                state = "identity"
            elif stored is None and opted_out:
                state = "opted_out"
            elif stored is None:
                state = "none"
            else:
                pytest.fail(f"store for {user}: an identity and the opt-out marker")
            assert state == expected, f"store for {user}: expected {expected}, got {state}"
        if "requests" in step:
            counts = self.emulator.requests()
            for endpoint, expected in step["requests"].items():
                assert endpoint in counts, f"unknown endpoint {endpoint}"
                assert counts[endpoint] == expected, f"{endpoint} requests"


def run_case(emulator: Emulator, case: dict[str, Any], store: euid_sdk.IdentityStore) -> None:
    """Runs every step of ``case``; a failure names the step."""
    scenario = Scenario(emulator, client_settings(), store)
    for index, step in enumerate(case["steps"]):
        try:
            scenario.step(step)
            scenario.check_after(step)
        except (Exception, pytest.fail.Exception) as err:
            where = f"{case['name']} step {index} ({step['op']})"
            raise AssertionError(f"{where}: {type(err).__name__}: {err}") from err
