"""Every case of every shared vector file, through the public Python API."""

from __future__ import annotations

import base64
import json
from typing import Any, Callable

import pytest

import euid_sdk
from euid_sdk import envelope
from euid_sdk.lifecycle import Lifecycle

from conftest import VECTORS_DIR, load_vectors

FILES = ["normalization", "envelope", "identity", "lifecycle"]


def identity_of(obj: dict[str, Any]) -> euid_sdk.Identity:
    return euid_sdk.Identity.from_json(json.dumps(obj))


def as_object(identity: euid_sdk.Identity | None) -> Any:
    return None if identity is None else json.loads(identity.to_json())


# Each op returns the value to compare with the case's "expect".

def _simple(fn: Callable[[str], str]) -> Callable[[dict[str, Any]], Any]:
    return lambda case: fn(case["input"])


def op_hash_emails(case: dict[str, Any]) -> Any:
    lenient = euid_sdk.hash_emails(case["inputs"], invalid="none")
    if all(value is not None for value in lenient):
        assert euid_sdk.hash_emails(case["inputs"]) == lenient
    else:
        with pytest.raises(euid_sdk.InvalidInputError):
            euid_sdk.hash_emails(case["inputs"])
    return lenient


def op_seal_request(case: dict[str, Any]) -> Any:
    sealed = envelope.seal_request(
        case["key"],
        case["payload"].encode(),
        timestamp_ms=case["timestamp_ms"],
        nonce=bytes.fromhex(case["nonce"]),
        iv=bytes.fromhex(case["iv"]),
    )
    return base64.b64encode(sealed).decode()


def op_open_request(case: dict[str, Any]) -> Any:
    opened = envelope.open_request(case["key"], case["envelope"].encode())
    return {
        "timestamp_ms": opened.timestamp_ms,
        "nonce": opened.nonce.hex(),
        "payload": opened.payload.decode(),
    }


def op_seal_response(case: dict[str, Any]) -> Any:
    sealed = envelope.seal_response(
        case["key"],
        case["payload"].encode(),
        timestamp_ms=case["timestamp_ms"],
        nonce=bytes.fromhex(case["nonce"]),
        iv=bytes.fromhex(case["iv"]),
    )
    return base64.b64encode(sealed).decode()


def outcome_object(result: Any) -> dict[str, Any]:
    names = {
        euid_sdk.GenerateSuccess: "success",
        euid_sdk.RefreshSuccess: "refreshed",
        euid_sdk.OptOut: "optout",
        euid_sdk.InsufficientConsent: "insufficient_consent",
        euid_sdk.ExpiredToken: "expired_token",
        euid_sdk.InvalidToken: "invalid_token",
    }
    obj: dict[str, Any] = {"outcome": names[type(result)]}
    if result.identity is not None:
        obj["identity"] = as_object(result.identity)
    return obj


def op_decrypt_generate_response(case: dict[str, Any]) -> Any:
    binary = case["encoding"] == "binary"
    body = bytes.fromhex(case["body_hex"]) if binary else case["body"].encode()
    result = envelope.decrypt_generate_response(
        case["key"], body, nonce=bytes.fromhex(case["nonce"]), binary=binary
    )
    return outcome_object(result)


def op_decrypt_refresh_response(case: dict[str, Any]) -> Any:
    return outcome_object(envelope.decrypt_refresh_response(case["key"], case["body"].encode()))


def op_generate_request_json(case: dict[str, Any]) -> Any:
    dii = case["dii"]
    kind, value = dii["type"], dii["value"]
    raw = kind.startswith("raw_")
    field = kind[4:] if raw else kind
    return envelope.generate_request_json(
        **{field: value}, tcf_consent_string=case.get("tcf_consent_string"), send_unhashed=raw
    )


KNOWN_FIELDS = [
    "advertising_token",
    "refresh_token",
    "identity_expires",
    "refresh_from",
    "refresh_expires",
    "refresh_response_key",
]


def op_parse_identity(case: dict[str, Any]) -> Any:
    identity = euid_sdk.Identity.from_json(case["json"])
    text = identity.to_json()
    return {
        "advertising_token": identity.advertising_token,
        "refresh_token": identity.refresh_token,
        "identity_expires": identity.identity_expires,
        "refresh_from": identity.refresh_from,
        "refresh_expires": identity.refresh_expires,
        "refresh_response_key": identity.refresh_response_key,
        "extra_fields": [name for name in json.loads(text) if name not in KNOWN_FIELDS],
        "to_json": text,
    }


def status_of(name: str) -> euid_sdk.IdentityStatus:
    return euid_sdk.IdentityStatus[name.upper()]


def lifecycle_state(status: euid_sdk.IdentityStatus, advice: euid_sdk.Advice) -> dict[str, Any]:
    return {"status": status.name.lower(), "code": int(status), "advice": advice.value}


def start(case: dict[str, Any]) -> tuple[Lifecycle, euid_sdk.Identity | None]:
    identity = None if case["identity"] is None else identity_of(case["identity"])
    since = case.get("since_ms", case["now_ms"])
    return Lifecycle.restore(status_of(case["state"]), identity, since), identity


def op_status(case: dict[str, Any]) -> Any:
    lifecycle, _ = start(case)
    now = case["now_ms"]
    return lifecycle_state(lifecycle.status_at(now), lifecycle.advice(now))


GENERATE_RESULTS: dict[str, Callable[[dict[str, Any]], Any]] = {
    "success": lambda e: euid_sdk.GenerateSuccess(identity_of(e["identity"])),
    "optout": lambda e: euid_sdk.OptOut(),
    "insufficient_consent": lambda e: euid_sdk.InsufficientConsent(),
}
REFRESH_RESULTS: dict[str, Callable[[dict[str, Any]], Any]] = {
    "refreshed": lambda e: euid_sdk.RefreshSuccess(identity_of(e["identity"])),
    "optout": lambda e: euid_sdk.OptOut(),
    "expired_token": lambda e: euid_sdk.ExpiredToken(),
    "invalid_token": lambda e: euid_sdk.InvalidToken(),
}


def op_transition(case: dict[str, Any]) -> Any:
    lifecycle, before = start(case)
    event, now = case["event"], case["now_ms"]
    kind = event["type"]
    if kind == "generated":
        after = lifecycle.on_generated(GENERATE_RESULTS[event["outcome"]](event), now)
    elif kind == "refreshed":
        after = lifecycle.on_refreshed(REFRESH_RESULTS[event["outcome"]](event), now)
    elif kind == "refresh_failed":
        after = lifecycle.on_refresh_failed(now)
    elif kind == "time_passed":
        after = lifecycle.on_time_passed(now)
    elif kind == "logout":
        after = lifecycle.on_logout(now)
    else:
        pytest.fail(f"unknown event type {kind!r}")
    held = after.identity
    if held is None:
        which = "none"
    elif "identity" in event and held == identity_of(event["identity"]):
        which = "new"
    elif held == before:
        which = "kept"
    else:
        which = "other"
    return {**lifecycle_state(after.status, after.advice(now)), "identity": which}


OPS: dict[str, Callable[[dict[str, Any]], Any]] = {
    "normalize_email": _simple(euid_sdk.normalize_email),
    "hash_email": _simple(euid_sdk.hash_email),
    "normalize_phone": _simple(euid_sdk.normalize_phone),
    "hash_phone": _simple(euid_sdk.hash_phone),
    "normalize_email_hash": _simple(euid_sdk.normalize_email_hash),
    "normalize_phone_hash": _simple(euid_sdk.normalize_phone_hash),
    "hash_emails": op_hash_emails,
    "seal_request": op_seal_request,
    "open_request": op_open_request,
    "seal_response": op_seal_response,
    "decrypt_generate_response": op_decrypt_generate_response,
    "decrypt_refresh_response": op_decrypt_refresh_response,
    "generate_request_json": op_generate_request_json,
    "parse_identity": op_parse_identity,
    "status": op_status,
    "transition": op_transition,
}


def all_cases() -> list[Any]:
    params = []
    for name in FILES:
        for case in load_vectors(name):
            params.append(pytest.param(case, id=f"{name}:{case['name']}"))
    return params


def test_every_vector_file_is_run() -> None:
    files = sorted(path.stem for path in VECTORS_DIR.glob("*.json"))
    runs_elsewhere = {"manager", "faults"}
    assert sorted(set(files) - runs_elsewhere) == sorted(FILES)


@pytest.mark.parametrize("case", all_cases())
def test_vector(case: dict[str, Any]) -> None:
    op = OPS.get(case["op"])
    if op is None:
        pytest.fail(f"unknown op {case['op']!r}: the runner must learn it")
    if "error" in case:
        with pytest.raises(euid_sdk.EuidError) as caught:
            op(case)
        assert caught.value.kind == case["error"]
    else:
        assert op(case) == case["expect"]


@pytest.mark.parametrize(
    ("args", "error", "kind"),
    [
        (("A" * 43 + "=", b"AAAA", False), euid_sdk.ProtocolError, "envelope_too_short"),
        (("A" * 43 + "=", b"not base64!", False), euid_sdk.ProtocolError, "bad_base64"),
        (("not a key", b"AAAA", False), euid_sdk.ConfigError, "config"),
    ],
    ids=["too_short", "bad_base64", "bad_key"],
)
def test_bad_envelopes_are_typed_errors(
    args: tuple[str, bytes, bool], error: type[euid_sdk.EuidError], kind: str
) -> None:
    key, body, binary = args
    with pytest.raises(error) as caught:
        envelope.open_request(key, body, binary=binary)
    assert caught.value.kind == kind
