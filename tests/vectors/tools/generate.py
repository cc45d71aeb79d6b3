#!/usr/bin/env python3
"""Writes the shared test vectors in tests/vectors/*.json.

This is an independent reference implementation of the EUID publisher protocol
(see docs: euid-protocol.md sections 2, 3, 4, 6, 7, 8, 10), written from the
protocol notes and the operator's source, never from the Rust core's output.
Everything is deterministic: fixed keys, IVs, nonces and timestamps.

Not run by CI. It documents where every expected value comes from, and
re-running it must reproduce the JSON files byte for byte:

    python3 tests/vectors/tools/generate.py

Needs Python 3.9+ and the `cryptography` package (AES-GCM).
"""

from __future__ import annotations

import base64
import binascii
import hashlib
import json
import re
import struct
from pathlib import Path

from cryptography.hazmat.primitives.ciphers.aead import AESGCM

OUT_DIR = Path(__file__).resolve().parent.parent


# ---------------------------------------------------------------------------------------------
# Reference implementation
# ---------------------------------------------------------------------------------------------

MAX_INPUT_BYTES = 1024  # the SDK's cap on email/phone input (the operator has none)
MAX_IDENTITY_JSON_BYTES = 65536  # the SDK's cap on identity JSON


def normalize_email(email: str) -> str | None:
    """The operator's InputUtil.normalizeEmailString, ported literally.

    Note the Java `switch` falls through from `Starting` into `Pre` without ever setting the
    state to `Pre`, so *every* U+0020 space before the `@` is skipped, not only leading ones
    (uid2-operator src/main/java/com/uid2/operator/service/InputUtil.java; the Java client's
    InputUtil.java is the same code).
    """
    if len(email.encode("utf-8")) > MAX_INPUT_BYTES:
        return None
    pre, pre_gmail, domain, ws = [], [], [], []
    in_domain = False
    in_extension = False
    for given in email:
        c = chr(ord(given) + 32) if "A" <= given <= "Z" else given
        if not in_domain:
            if c == " ":
                continue  # state `Starting` is never left before the '@'
            if c == "@":
                in_domain = True
            elif c == ".":
                pre.append(c)
            elif c == "+":
                pre.append(c)
                in_extension = True
            else:
                pre.append(c)
                if not in_extension:
                    pre_gmail.append(c)
        else:
            if c == "@":
                return None
            if c == " ":
                ws.append(c)
                continue
            domain.extend(ws)
            ws = []
            domain.append(c)
    if not domain:
        return None
    domain_part = "".join(domain)
    local = pre_gmail if domain_part == "gmail.com" else pre
    if not local:
        return None
    return "".join(local) + "@" + domain_part


def sha256_b64(text: str) -> str:
    return base64.b64encode(hashlib.sha256(text.encode("utf-8")).digest()).decode()


def hash_email(email: str) -> str | None:
    normalized = normalize_email(email)
    return None if normalized is None else sha256_b64(normalized)


PHONE_RE = re.compile(r"\+[0-9]{10,15}")  # [0-9] is ASCII only; fullmatch, so no '\n' slips in


def normalize_phone(phone: str) -> str | None:
    return phone if PHONE_RE.fullmatch(phone) else None


def hash_phone(phone: str) -> str | None:
    normalized = normalize_phone(phone)
    return None if normalized is None else sha256_b64(normalized)


def strict_b64decode(text: str) -> bytes | None:
    """Standard alphabet, '=' padding required."""
    if len(text) % 4 or not re.fullmatch(r"[A-Za-z0-9+/]*={0,2}", text):
        return None
    try:
        return base64.b64decode(text, validate=True)
    except binascii.Error:
        return None


def normalize_digest(text: str) -> str | None:
    """A pre-computed hash: 44-char standard base64 of 32 bytes, or 64 hex chars (any case)."""
    raw = text.encode("utf-8")
    if len(raw) == 44:
        decoded = strict_b64decode(text)
        return text if decoded is not None and len(decoded) == 32 else None
    if len(raw) == 64 and re.fullmatch(r"[0-9A-Fa-f]{64}", text):
        return base64.b64encode(bytes.fromhex(text)).decode()
    return None


def aes_gcm_seal(key: bytes, iv: bytes, plaintext: bytes) -> bytes:
    """IV | ciphertext | tag (AES-256-GCM, no AAD)."""
    return iv + AESGCM(key).encrypt(iv, plaintext, None)


def aes_gcm_open(key: bytes, envelope: bytes) -> bytes:
    return AESGCM(key).decrypt(envelope[:12], envelope[12:], None)


def seal_request(key: bytes, iv: bytes, nonce: bytes, ts: int, payload: bytes) -> bytes:
    return b"\x01" + aes_gcm_seal(key, iv, struct.pack(">q", ts) + nonce + payload)


def seal_response(key: bytes, iv: bytes, nonce: bytes, ts: int, payload: bytes) -> bytes:
    return aes_gcm_seal(key, iv, struct.pack(">q", ts) + nonce + payload)


def b64(data: bytes) -> str:
    return base64.b64encode(data).decode()


def compact(value) -> str:
    return json.dumps(value, separators=(",", ":"), ensure_ascii=False)


KNOWN_IDENTITY_FIELDS = [
    "advertising_token",
    "refresh_token",
    "identity_expires",
    "refresh_from",
    "refresh_expires",
    "refresh_response_key",
]
I64_MIN, I64_MAX = -(2**63), 2**63 - 1


def parse_identity(text: str):
    """Identity JSON -> (fields dict incl. extras, extra names) or None when invalid."""
    if len(text.encode("utf-8")) > MAX_IDENTITY_JSON_BYTES:
        return None
    try:
        value = json.loads(text, parse_constant=lambda name: (_ for _ in ()).throw(ValueError(name)))
    except ValueError:
        return None
    if not isinstance(value, dict):
        return None
    for field in ("advertising_token", "refresh_token"):
        if type(value.get(field)) is not str:
            return None
    for field in ("identity_expires", "refresh_from", "refresh_expires"):
        number = value.get(field)
        if type(number) is not int or not I64_MIN <= number <= I64_MAX:
            return None
    key = value.get("refresh_response_key")
    if key is not None:
        if type(key) is not str:
            return None
        decoded = strict_b64decode(key)
        if decoded is None or len(decoded) != 32:
            return None
    return value


def identity_to_map(value: dict) -> dict:
    """Known fields first in a fixed order (refresh_response_key omitted when null), then the
    unknown ones in their original order."""
    out = {}
    for field in KNOWN_IDENTITY_FIELDS:
        if field == "refresh_response_key" and value.get(field) is None:
            continue
        out[field] = value[field]
    for name, item in value.items():
        if name not in KNOWN_IDENTITY_FIELDS:
            out[name] = item
    return out


def identity_expectation(text: str) -> dict:
    value = parse_identity(text)
    assert value is not None, text[:200]
    return {
        "advertising_token": value["advertising_token"],
        "refresh_token": value["refresh_token"],
        "identity_expires": value["identity_expires"],
        "refresh_from": value["refresh_from"],
        "refresh_expires": value["refresh_expires"],
        "refresh_response_key": value.get("refresh_response_key"),
        "extra_fields": [name for name in value if name not in KNOWN_IDENTITY_FIELDS],
        "to_json": compact(identity_to_map(value)),
    }


def answer_outcome(payload: bytes, kind: str):
    """Reads a decrypted answer as the SDK must: ('ok', outcome dict) or ('error', kind)."""
    try:
        answer = json.loads(payload.decode("utf-8"))
    except (UnicodeDecodeError, ValueError):
        return "error", "invalid_json"
    if not isinstance(answer, dict) or type(answer.get("status")) is not str:
        return "error", "invalid_json"
    status = answer["status"]
    body = answer.get("body")
    if status == "success":
        if not isinstance(body, dict):
            return "error", "unexpected_response"
        if parse_identity(compact(body)) is None:
            return "error", "invalid_identity"
        identity = identity_to_map(body)
        return "ok", {"outcome": "success" if kind == "generate" else "refreshed", "identity": identity}
    table = (
        {"optout": "optout", "insufficient_user_consent": "insufficient_consent"}
        if kind == "generate"
        else {
            "optout": "optout",
            "expired_token": "expired_token",
            "invalid_token": "invalid_token",
            # unauthenticated refresh of an expired/invalid token (section 4): unusable token
            "error": "invalid_token",
        }
    )
    if status in table:
        return "ok", {"outcome": table[status]}
    return "error", "unexpected_response"


# ---------------------------------------------------------------------------------------------
# Lifecycle reference model (section 8.1 + the rules in the brief)
# ---------------------------------------------------------------------------------------------

CODES = {
    "established": 0,
    "refreshed": 1,
    "expired": 100,
    "no_identity": -1,
    "invalid": -2,
    "refresh_expired": -3,
    "optout": -4,
}
HOLDING = ("established", "refreshed", "expired")


def time_status(identity: dict, refreshed: bool, now: int) -> str:
    if not identity["advertising_token"] or not identity["refresh_token"]:
        return "invalid"
    # The operator's rule: expired only when refresh_expires is before now.
    if identity["refresh_expires"] < now:
        return "refresh_expired"
    if identity["identity_expires"] <= now:
        return "expired"
    return "refreshed" if refreshed else "established"


class Model:
    """status, the identity held (or None) and whether it came from a refresh."""

    def __init__(self, status, identity=None, refreshed=False):
        self.status, self.identity, self.refreshed = status, identity, refreshed

    @staticmethod
    def holding(identity, refreshed, now):
        status = time_status(identity, refreshed, now)
        return Model(status, identity if status in HOLDING else None, refreshed and status in HOLDING)

    @staticmethod
    def restore(state, identity, since):
        if state in ("established", "expired") and identity is not None:
            return Model.holding(identity, False, since)
        if state == "refreshed" and identity is not None:
            return Model.holding(identity, True, since)
        if state in ("optout", "invalid", "refresh_expired"):
            return Model(state)
        return Model("no_identity")

    def status_at(self, now):
        if self.identity is None:
            return self.status
        return time_status(self.identity, self.refreshed, now)

    def advice(self, now):
        status = self.status_at(now)
        if status in ("established", "refreshed"):
            return "use_and_refresh" if self.identity["refresh_from"] <= now else "use_as_is"
        if status == "expired":
            return "refresh_before_use"
        if status == "optout":
            return "do_not_use"
        return "reestablish"

    def apply(self, event, now):
        kind, outcome = event["type"], event.get("outcome")
        if kind == "generated":
            if outcome == "success":
                return Model.holding(event["identity"], self.identity is not None, now)
            return Model("optout" if outcome == "optout" else "no_identity")
        if kind == "logout":
            return Model("no_identity")
        if self.identity is None:  # refresh answers and time only touch a held identity
            return self
        if kind == "refreshed":
            if outcome == "refreshed":
                return Model.holding(event["identity"], True, now)
            return Model({"optout": "optout", "expired_token": "refresh_expired",
                          "invalid_token": "invalid"}[outcome])
        assert kind in ("refresh_failed", "time_passed"), kind
        return Model.holding(self.identity, self.refreshed, now)


# ---------------------------------------------------------------------------------------------
# Fixed inputs
# ---------------------------------------------------------------------------------------------

SECRET_B64 = "ioG3wKxAokmp+rERx6A4kM/13qhyolUXIu14WN16Spo="  # section 10.1
SECRET = base64.b64decode(SECRET_B64)
NONCE_HEX = "312fe5aa08b2a049"
NONCE = bytes.fromhex(NONCE_HEX)
IV_HEX = "cc3ccaca9889eab3800e787e"
IV = bytes.fromhex(IV_HEX)
TS = 1667885597644
OTHER_KEY = bytes(range(32))
OTHER_KEY_B64 = b64(OTHER_KEY)
IV2 = bytes.fromhex("000102030405060708090a0b")
NONCE2 = bytes.fromhex("0102030405060708")
TS2 = 1700000000000
REFRESH_KEY_A_B64 = "P941vVeuyjaDRVnFQ8DPd0AZnW4bPeiJPXER2K9QXcU="  # section 10.3 a
REFRESH_KEY_A = base64.b64decode(REFRESH_KEY_A_B64)
REFRESH_KEY_B_B64 = "WL0AYr41Db9m6dCIPtQlTz2kE4NMx3nLmloGHkQPGSQ="  # section 10.3 b
REFRESH_KEY_B = base64.b64decode(REFRESH_KEY_B_B64)
IV3 = bytes.fromhex("a0a1a2a3a4a5a6a7a8a9aaab")

CONSENT_OK = "CPhJRpMPhJRpMABAMBFRACBoALAAAEJAAIYgAKwAQAKgArABAAqAAA"
CONSENT_INSUFFICIENT = "CPehXK9PehXK9ABAMBFRACBoADAAAEJAAIYgAKwAQAKgArABAAqAAA"

ENVELOPES_10_1 = [
    ("unhashed_email", '{"email":"test@example.com"}',
     "Acw8ysqYieqzgA54fifdV1TB6V+da8p/AFc8Ju/IYrD77pL7JYMJj8YqD9EsrG3d2d2j0H7kZjH41YsNLpFVCH+oce28z9L9ug=="),
    ("unhashed_phone", '{"phone":"+12345678901"}',
     "Acw8ysqYieqzgA54fifdV1TB6V+da8p/AFc8Ju/IYqX+4JXyJYMJ0JJrSKV84juIkIH33GCmx+7RM2pSX9P4nAN0pn2g"),
    ("hashed_email", '{"email_hash":"tMmiiTI7IaAcPpQPFQ65uMVCWH8av9jw4cwf/F5HVRQ="}',
     "Acw8ysqYieqzgA54fifdV1TB6V+da8p/AFc8Ju/IYrD77pL7WNFKiMt7QbM9mWHZwOWPyVTqSnDVNzhXRdcmIkV0ODOdll2inDo9iIZQ5oV2NvSUSWG5j6ACiXKH0JxiTPzs716eIH7P1Q=="),
    ("hashed_gmail", '{"email_hash":"1hFzBkhe0OUK+rOshx6Y+BaZFR8wKBUn1j/18jNlbGk="}',
     "Acw8ysqYieqzgA54fifdV1TB6V+da8p/AFc8Ju/IYrD77pL7WNFKiMt7QbN4vErK69qumy3EXliuNSZ0a/4mTht7DyqMjF20oUECkYNZvtJhGo+wfXSDj6ACEfrViY4lnt1KEUjC4JlDaQ=="),
    ("hashed_email_with_tc_string",
     '{"email_hash":"tMmiiTI7IaAcPpQPFQ65uMVCWH8av9jw4cwf/F5HVRQ=","tcf_consent_string":"CPhJRpMPhJRpMABAMBFRACBoALAAAEJAAIYgAKwAQAKgArABAAqAAA"}',
     "Acw8ysqYieqzgA54fifdV1TB6V+da8p/AFc8Ju/IYrD77pL7WNFKiMt7QbM9mWHZwOWPyVTqSnDVNzhXRdcmIkV0ODOdll2inDo9iIZQ5oV2NvSUSWG5j6BTr3kl2OMGYCCQWOw+fx5/D8+7+J2+xJVUXN8K2yBbjpYqiOpOVVTktDh7TxkPwEGuYR5onLsXKFzjg7rdh0Mfu+emB6JrjFw/en304ydJgpPefDK/4/cohZQdgpjaqQ=="),
    ("hashed_phone", '{"phone_hash":"EObwtHBUqDNZR33LNSMdtt5cafsYFuGmuY4ZLenlue4="}',
     "Acw8ysqYieqzgA54fifdV1TB6V+da8p/AFc8Ju/IYqX+4JXyWNFKiMt7QbMMm27H3fmEq2zPRUnXdFpLTdVdc0RNWxOruBaarHYQksdqpbkVFa+walbcj6AClILBJjbDMl1IoeqJVG2fyw=="),
]

RESPONSE_10_2 = (
    "RUlLWcXlSdRhpf82J8iDqeVFbZQx2MCcVaTjhf1gVPpSS3SfOMzfCB8tW8VHzY15b5ZN6FKlZ/3FjHi54H7uyyVp2BS7puWgzGiv5jxhp0hpP2fL1KdmRs8UpX2XgmdEkfeYjTzFHFhq8SfocV2MIK8Gu4QtCtQdMg1Vk9fyeIOwgRUODkHnFZN8rcZIPDdqkZRS6Rftgdizss1FSkInYNpT2Cq07iIHVREmuJdZIinK0qDjIXcXUI3oE8WzdEtd/e4/8xEEZ4HRYuhNF640hX/O+ivBgygW/nqctAr6r9zYu65zs45UYClSUNaWsvE34IWq4q61T99z8etf81lS8E/PWrskOnH968azv0/FVFlLiKks0a1W1iDqq0/pps8LBq/Eo8ByadXQITDFwT6LN9qQE1lW4bGQrY3ZgALZQHsW1eAdaedaYwGOhp81xLlrq9aRaKXdiLuil/lgUNQX51yW8U8izYIq8cue0cUMg/TDV+5YtcC5eZiQskTjMFkInjfDI8k5F5KGnVRfsj8w+mcXv0O9E7djTy6Mmt4OQ1MxDFYuzptf3GnC7GK8VHpxHc84rOZADzBcgVOfYz4x8jA3fPVMkE08fMMpzH8OpH0riQHjk95rAF3KcOss5IvmPsUy+ZgCwOloWH+dwgYy8CDTR3RYPA+zOmEk4bGwvy6hQ5JJwah43ba73IrWZpiANfyCFMr7PY1HFvp7fC+i8w8zLTxMcLgH0m8zXMJXo6IVJDhuQKM/ViSkS/ONatlQvbtFehZfMwzPeD/mDmy1JAcvAAqmiAl13ULdNrIET9zyqmJVEaDEawVckomeIJoznbBS7WEFelcueYcXBi+Tl7qTlPL8UI4AjrzYp/sfMCvCoBtQnFYQAmChmE5OCpnE0X/uCa9oUK7HrVEqgBLft25w4d1mYtMV02gZ0SB/T2MA3BeSEp6RUKrYO63+/8eYUF4pEuQEjDcdRX6rxs9lpPPLKglnn9VteJ61BjsLphwYxqwgdlHZhS6xSvqYveHwwe94QyOYeyiJiEqJ+QooUciWSyRXBfJdcE4inuzO4T/wZauocgw8ZiKJMAfPzXjSLdVNM/sosd0vIhgXvlMpj+a+B4lbsfcVjRGrwU1VPZvHlubVCxJGieW7hQ8ugzpSYibMxxvhFBCyzjKHYodllp/umuq2KmoMdbB2lOsVFtZ3ufYs7cqSTcZIgPFUXlEJs/hUFvTnUCfZ1vC+YNF4d7ngVvCdMYsOCLQNAZeMaVoSG8m/cvY2FT0MGAgLhuu+IGWMcGVYPUrjP6Hy9gpq/wEkRnnfDAo+ENmMQsYcdzg+VNREZ4p4"
)
IDENTITY_10_2_JSON = (
    '{"advertising_token":"AgAAAAN6QZRCFTau+sfOlMMUY2ftElFMq2TCrcu1EAaD9WmEfoT2BWm2ZKz1tumbT00tWLffRDQ/9POXfA0O/Ljszn7FLtG5EzTBM3HYs4f5irkqeEvu38DhVCxUEpI+gZZZkynRap1oYx6AmC/ip3rk+7pmqa3r3saDs1mPRSSTm+Nh6A==",'
    '"user_token":"AgAAAAL6aleYI4BubI5ZXMBshqmMEfCkbCJF4fLeg1sdI0BTLzj9sXsSISjkG0lMC743diC2NVy3ElkbO1lLysd+Lm6alkqevPrcuWDisQ1939YdoH6LqpwBH3FNSE4/xa3Q+94=",'
    '"refresh_token":"AAAAAARomrP3NjjH+8mt5djfTHbmRZXjOMnAN8WpjJoe30AhUCvYksO/xoDSj77GzWv4M99DhnPl2cVco8CZFTcE10nauXI4Barr890ILnH0IIacOei5Zjwh6DycFkoXkAAuHY1zjmxb7niGLfSP2RctWkZdRVGWQv/UW/grw6+paU9bnKEWPzVvLwwdW2NgjDKu+szE6A+b5hkY+I3voKoaz8/kLDmX8ddJGLy/YOh/LIveBspSAvEg+v89OuUCwAqm8L3Rt8PxDzDnt0U4Na+AUawvvfsIhmsn/zMpRRks6GHhIAB/EQUHID8TedU8Hv1WFRsiraG9Dfn1Kc5/uYnDJhEagWc+7RgTGT+U5GqI6+afrAl5091eBLbmvXnXn9ts",'
    '"identity_expires":1668059799628,"refresh_expires":1668142599628,"refresh_from":1668056202628,'
    '"refresh_response_key":"P941vVeuyjaDRVnFQ8DPd0AZnW4bPeiJPXER2K9QXcU="}'
)
REFRESH_10_3_A = (
    "suJBe05BsUlmulBse8Kuq6haiirs5O8wokoXQz8rxK047Q60vZQrWGy3+ufTwpIKpoMGLFGvVXpE8ifoN4Z34qPrGaJaVuCmcVTbQ8kkou/RwLp+hjoXaaTBmlqVGGbVrBzFg14KMlZLKKEh7EfABSQeUvbi3TtOzbluHZn0jCri3qJEDnSFP4tXhGjJw5ufB4GiSGOzfuw6rvRrWh+FjpNein8ijVNzA4MQAYMGrZEeKd639hCu5Q4tdkuOZKrkLTUPoeKNmt3moyQtKxztpPa/UCDJ/bOpIiLXI+vLScHG0ekhRq/5eQ7nFk3wUd9mlrA3f/+MyqkaPSjIVYvmcpzC55qh0PXLXkOzhIrLUjaIP8UzU30us+pHL2exdUZrrh4w8Pp7MZkdYzEBvc7ZyeXObNzBJNED62T7GI5UxKAndMoSPxsewttZ2MpAepfRQ9RH97eIX+Bg2KJa5WOOLK5KfVS01oKxXbwcCsGpw5sDAIiobrYdWWn9UMUhbFpbuqsmSWW4vFZR02RMHzif8N/vJkBLyvxSAlP363QULrEVMOueG91MI1W9BICYvTM06ZHYt5dz2l1GkKu+OSKAaTLvCJAWsCDgowtJcHtl0kYmZBJn/yfcc3a8SQC1dv2el1l3DWG6J8Udrci6rmOzox0MqIWkBfOqEOHFOPpV8RqYTJVYuKEigYAiAvw7RFA7ZSCwJ3nhc6GUD7XoCK96Y/TrLud3gagxRUz4D+OZUidQP01LeVW9XfBi/UGxQC1WcZ/AS7MF3byjXDJRR6MZRbTm4hkLJm1hQzGsiVNBbBR/qCwoaAI9PwvBKoZpujMzH3+HdUOubCw6sOCWfgO4cwn7TTyQAf9KJ1B6Tj+RNWe3HyImcCpfBMl8suMRh8cZX48r/Z3um4w0bNLog7L1VVA4J6G8EXvpDdkE/78mIdL7dNraZdioF/X/vP7efkDTHTLiJsGq7fZxGqqrFt/ENqhsgpq7punMq8k96sDQ7ujVc4LN0M6qPqIYiC7lT4haXtdugFaKBZp80bbV5ZM1s0VH9nw7SgJUA9RZcxYkU5x77kY+i6fUK45bDC0x0j4lPpC027CgzJhGZffZyvRCPzXYDTa9s40JswKLnKf27HwwYCTJNsnIMRBJlUSnU/JqLvzYFIBSEa2SNsD4qlvdoWqo0bZvpDquqz2mH36w3u7j5L/CoTy7dcjORPdC9/nJN/b+b/G5vjE5bcDtfek3Kc6n6ABjRnXYVstK43ghUeczUHzRwUjdX616pphGliP+bTZHtcfr2DBp2N5vMgxf4bMmhseDlzc="
)
REFRESH_10_3_B = "d9I6qCdlJ6mkWYLyw2iGnCnJ5OocyQDtbbvW6YXAYKpxTXaOePQzPPJIrHnI7Io="

# Lifecycle: issue time, refresh_from +1 h, identity_expires +3 d, refresh_expires +30 d
T0 = 1700000000000
HOUR = 3_600_000
DAY = 24 * HOUR


def lifecycle_identity(tag: str, issued: int, key: str | None = REFRESH_KEY_A_B64, **override) -> dict:
    identity = {
        "advertising_token": f"AT-{tag}",
        "refresh_token": f"RT-{tag}",
        "identity_expires": issued + 3 * DAY,
        "refresh_from": issued + HOUR,
        "refresh_expires": issued + 30 * DAY,
    }
    if key is not None:
        identity["refresh_response_key"] = key
    identity.update(override)
    return identity


# ---------------------------------------------------------------------------------------------
# normalization.json
# ---------------------------------------------------------------------------------------------


def build_normalization() -> list[dict]:
    cases: list[dict] = []

    def ok_or_error(op, value, result, error, **extra):
        case = {"name": None, "op": op, "input": value, **extra}
        if result is None:
            case["error"] = error
        else:
            case["expect"] = result
        return case

    def add(name, op, value, note=None):
        fn, error = {
            "normalize_email": (normalize_email, "invalid_email"),
            "hash_email": (hash_email, "invalid_email"),
            "normalize_phone": (normalize_phone, "invalid_phone"),
            "hash_phone": (hash_phone, "invalid_phone"),
            "normalize_email_hash": (normalize_digest, "invalid_email_hash"),
            "normalize_phone_hash": (normalize_digest, "invalid_phone_hash"),
        }[op]
        case = ok_or_error(op, value, fn(value), error)
        case["name"] = name
        if note:
            case["note"] = note
        cases.append(case)
        return case

    # -- section 6.3: operator InputNormalizationTest / PY test_normalization.py, valid emails --
    valid_6_3 = [
        ("mixed_case_with_trailing_space", "TEst.TEST@Test.com ", "test.test@test.com", "dvECjPKZHya0/SIhSGwP0m8SgTv1vzLxPULUOsm880M="),
        ("already_normalized_with_dot", "test.test@test.com", "test.test@test.com", "dvECjPKZHya0/SIhSGwP0m8SgTv1vzLxPULUOsm880M="),
        ("gmail_dot_removed", "test.test@gmail.com", "testtest@gmail.com", "LkLfFrut8Tc3h/fIvYDiBKSbaMiau/DtaLBPQYszdMw="),
        ("plus_kept_outside_gmail", "test+test@test.com", "test+test@test.com", "rQ4yzdOz4uG8N54326QyZD6/JwqrXn4lmy34cVCojB8="),
        ("leading_plus_kept_outside_gmail", "+test@test.com", "+test@test.com", "weFizOVVWKlLfyorbBU8oxYDv4HJtTZCPMyZ4THzUQE="),
        ("gmail_plus_extension_removed", "test+test@gmail.com", "test@gmail.com", "h5JGBrQTGorO7q6IaFMfu5cSqqB6XTp1aybOD11spnQ="),
        ("plain", "testtest@test.com", "testtest@test.com", "d1Lr/s4GLLX3SvQVMoQdIMfbQPMAGZYry+2V+0pZlQg="),
        ("leading_space", " testtest@test.com", "testtest@test.com", "d1Lr/s4GLLX3SvQVMoQdIMfbQPMAGZYry+2V+0pZlQg="),
        ("trailing_space", "testtest@test.com ", "testtest@test.com", "d1Lr/s4GLLX3SvQVMoQdIMfbQPMAGZYry+2V+0pZlQg="),
        ("space_each_side", " testtest@test.com ", "testtest@test.com", "d1Lr/s4GLLX3SvQVMoQdIMfbQPMAGZYry+2V+0pZlQg="),
        ("two_spaces_each_side", "  testtest@test.com  ", "testtest@test.com", "d1Lr/s4GLLX3SvQVMoQdIMfbQPMAGZYry+2V+0pZlQg="),
        ("gmail_leading_space", " test.test@gmail.com", "testtest@gmail.com", "LkLfFrut8Tc3h/fIvYDiBKSbaMiau/DtaLBPQYszdMw="),
        ("gmail_trailing_space", "test.test@gmail.com ", "testtest@gmail.com", "LkLfFrut8Tc3h/fIvYDiBKSbaMiau/DtaLBPQYszdMw="),
        ("gmail_space_each_side", " test.test@gmail.com ", "testtest@gmail.com", "LkLfFrut8Tc3h/fIvYDiBKSbaMiau/DtaLBPQYszdMw="),
        ("gmail_two_spaces_each_side", "  test.test@gmail.com  ", "testtest@gmail.com", "LkLfFrut8Tc3h/fIvYDiBKSbaMiau/DtaLBPQYszdMw="),
        ("gmail_upper_local_trailing_spaces", "TEstTEst@gmail.com  ", "testtest@gmail.com", "LkLfFrut8Tc3h/fIvYDiBKSbaMiau/DtaLBPQYszdMw="),
        ("gmail_upper_domain_trailing_spaces", "TEstTEst@GMail.Com  ", "testtest@gmail.com", "LkLfFrut8Tc3h/fIvYDiBKSbaMiau/DtaLBPQYszdMw="),
        ("gmail_upper_spaces_both_sides", " TEstTEst@GMail.Com  ", "testtest@gmail.com", "LkLfFrut8Tc3h/fIvYDiBKSbaMiau/DtaLBPQYszdMw="),
        ("gmail_upper_domain", "TEstTEst@GMail.Com", "testtest@gmail.com", "LkLfFrut8Tc3h/fIvYDiBKSbaMiau/DtaLBPQYszdMw="),
        ("gmail_upper_with_dot", "TEst.TEst@GMail.Com", "testtest@gmail.com", "LkLfFrut8Tc3h/fIvYDiBKSbaMiau/DtaLBPQYszdMw="),
        ("gmail_upper_dot_and_extension", "TEst.TEst+123@GMail.Com", "testtest@gmail.com", "LkLfFrut8Tc3h/fIvYDiBKSbaMiau/DtaLBPQYszdMw="),
        # the same test class's non-BMP cases (emoji kept as is in local part, domain, at the end)
        ("emoji_in_local_part", "\U0001F60Atesttest@test.com", "\U0001F60Atesttest@test.com", "fAFEUqApQ0V/M9mLj/IO54CgKgtQuARKsOMqtFklD4k="),
        ("emoji_in_domain", "testtest@\U0001F60Atest.com", "testtest@\U0001F60Atest.com", "tcng5pttf7Y2z4ylZTROvIMw1+IVrMpR4D1KeXSrdiM="),
        ("emoji_at_end", "testtest@test.com\U0001F60A", "testtest@test.com\U0001F60A", "0qI21FPLkuez/8RswfmircHPYz9Dtf7/Nch1rSWEQf0="),
    ]
    for i, (desc, given, normalized, digest) in enumerate(valid_6_3, 1):
        assert normalize_email(given) == normalized and hash_email(given) == digest, given
        add(f"operator_email_{i:02d}_{desc}", "normalize_email", given, "operator InputNormalizationTest")
        add(f"operator_email_{i:02d}_{desc}_hash", "hash_email", given, "operator InputNormalizationTest")

    invalid_6_3 = [
        ("empty", ""),
        ("space_then_at", " @"),
        ("at_only", "@"),
        ("no_domain", "a@"),
        ("no_local_part", "@b"),
        ("no_local_part_dotted_domain", "@b.com"),
        ("plus_only", "+"),
        ("single_space", " "),
        ("gmail_plus_only", "+@gmail.com"),
        ("gmail_dot_plus_only", ".+@gmail.com"),
        ("two_at_signs", "a@ba@z.com"),
        ("prose", "this is not an email address"),
        ("trailing_second_at", "neither.is@this@"),
    ]
    for desc, given in invalid_6_3:
        assert normalize_email(given) is None, given
        add(f"invalid_email_{desc}", "normalize_email", given)
    for desc, given in invalid_6_3[:4] + invalid_6_3[-3:]:
        add(f"invalid_email_{desc}_hash", "hash_email", given)

    # -- section 6.3: Java InputUtilTests + docs normalization table --
    docs_table = [
        ("my_email_mixed_case", "MyEmail@example.com", "FsGNM28LJQ8OLZB0Us65ZYp07NrovJSGTCMSKnLMJ6U="),
        ("my_email_upper_case", "MYEMAIL@example.com", "FsGNM28LJQ8OLZB0Us65ZYp07NrovJSGTCMSKnLMJ6U="),
        ("my_dot_email", "My.Email@example.com", "4itTvG+HEnTzpiqzejyu1yFPwU1nYhWpaiQvz62hyB8="),
        ("janesaoirse_upper", "JANESAOIRSE@example.com", "1mcOepIAfxtf94Xx/IHlOqbT170GvfXEc83HKGwoS20="),
        ("janesaoirse_camel", "JaneSaoirse@example.com", "1mcOepIAfxtf94Xx/IHlOqbT170GvfXEc83HKGwoS20="),
        ("jane_dot_saoirse_lower", "jane.saoirse@example.com", "sZZDLHuYmiypHIN5mVfFFdpT5sE6vyC3j+qU8RfpC/g="),
        ("jane_dot_saoirse_camel", "Jane.Saoirse@example.com", "sZZDLHuYmiypHIN5mVfFFdpT5sE6vyC3j+qU8RfpC/g="),
        ("janesaoirse_plus_work", "JaneSaoirse+Work@example.com", "KKruSBUjDNO069iMUVImVQZm6RrAGZKeOtrD9mwogYA="),
        ("janesaoirse_plus_uid2", "JaneSaoirse+UID2@example.com", "bhQ2aMIGWT1ey4p7JyavdNlIQ4pe11/rrcv0u1jrxCc="),
        ("gmail_jane_dot_saoirse_upper", "JANE.SAOIRSE@gmail.com", "ku4mBX7Z3qJTXWyLFB1INzkyR2WZGW4ANSJUiW21iI8="),
        ("gmail_jane_dot_saoirse_camel", "Jane.Saoirse@gmail.com", "ku4mBX7Z3qJTXWyLFB1INzkyR2WZGW4ANSJUiW21iI8="),
        ("gmail_janesaoirse_plus_work", "JaneSaoirse+Work@gmail.com", "ku4mBX7Z3qJTXWyLFB1INzkyR2WZGW4ANSJUiW21iI8="),
        ("gmail_janesaoirse_plus_uid2", "JaneSaoirse+UID2@gmail.com", "ku4mBX7Z3qJTXWyLFB1INzkyR2WZGW4ANSJUiW21iI8="),
        ("gmail_janesaoirse_lower", "janesaoirse@gmail.com", "ku4mBX7Z3qJTXWyLFB1INzkyR2WZGW4ANSJUiW21iI8="),
        ("user_upper", "USER@example.com", "tMmiiTI7IaAcPpQPFQ65uMVCWH8av9jw4cwf/F5HVRQ="),
    ]
    for desc, given, digest in docs_table:
        assert hash_email(given) == digest, given
        add(f"docs_table_{desc}_hash", "hash_email", given, "Java InputUtilTests / docs normalization table")
    add("docs_table_gmail_jane_dot_saoirse_normalizes", "normalize_email", "JANE.SAOIRSE@gmail.com")
    add("docs_table_janesaoirse_plus_work_normalizes", "normalize_email", "JaneSaoirse+Work@example.com")

    # -- section 10.1 hashedEmail / hashedGmail inputs (Java PublisherTests) --
    for desc, given, digest in [
        ("plain", "user@example.com", "tMmiiTI7IaAcPpQPFQ65uMVCWH8av9jw4cwf/F5HVRQ="),
        ("padded_upper", "   USER@EXAMPLE.COM   ", "tMmiiTI7IaAcPpQPFQ65uMVCWH8av9jw4cwf/F5HVRQ="),
    ]:
        assert hash_email(given) == digest
        add(f"publisher_tests_hashed_email_{desc}", "hash_email", given, "section 10.1 hashedEmail")
    for desc, given, digest in [
        ("plain", "janedoe@gmail.com", "1hFzBkhe0OUK+rOshx6Y+BaZFR8wKBUn1j/18jNlbGk="),
        ("padded_dot_and_extension", "   jane.doe+home@gmail.com   ", "1hFzBkhe0OUK+rOshx6Y+BaZFR8wKBUn1j/18jNlbGk="),
    ]:
        assert hash_email(given) == digest
        add(f"publisher_tests_hashed_gmail_{desc}", "hash_email", given, "section 10.1 hashedGmail")
    add("publisher_tests_hashed_gmail_padded_normalizes", "normalize_email", "   jane.doe+home@gmail.com   ")

    # -- section 7 test identities --
    for desc, given, digest in [
        ("validate", "validate@example.com", "ntI244ZRTXwAwpki6/M5cyBYW7h/Wq576lnN3l9+W/c="),
        ("optout", "optout@example.com", "DYsnJ8r5+cjRDHue98gIGDKvLIMuqAm/RRLODrjqK50="),
        ("refresh_optout", "refresh-optout@example.com", "NaNI8RU0bL1Jpp1jJLC5aJO/lchc6gGhgXQIAwJ7cV4="),
    ]:
        assert hash_email(given) == digest
        add(f"test_identity_{desc}_email_hash", "hash_email", given, "section 7")
    for desc, given, digest in [
        ("validate", "+12345678901", "EObwtHBUqDNZR33LNSMdtt5cafsYFuGmuY4ZLenlue4="),
        ("optout", "+00000000000", "313yQvZOTb0vjjEU7sTO/UWxGPzVppIbCyQEJEnfxLo="),
        ("refresh_optout", "+00000000002", "0VoxsIuk88qt7TnZaTC//C9Vur3pR1zBMIr1cJe7xjE="),
    ]:
        assert hash_phone(given) == digest
        add(f"test_identity_{desc}_phone_hash", "hash_phone", given, "section 7")

    # -- email edge cases (operator algorithm, section 6.1) --
    edge = [
        ("non_ascii_letters_keep_their_case", "ÄBC@test.com"),
        ("non_ascii_letters_in_domain_keep_their_case", "user@TËST.COM"),
        ("ascii_z_is_lowercased", "ZZZ@EXAMPLE.COM"),
        ("leading_tab_is_not_a_space", "\tuser@example.com"),
        ("trailing_tab_is_kept", "user@example.com\t"),
        ("trailing_newline_is_kept", "user@example.com\n"),
        ("leading_no_break_space_is_kept", "\u00a0user@example.com"),
        ("interior_domain_space_kept", "test@te st.com"),
        ("interior_domain_space_kept_trailing_dropped", "test@te st.com  "),
        ("leading_domain_space_kept_so_not_gmail", "te.st@ gmail.com"),
        ("googlemail_is_not_special", "Jane.Doe+x@googlemail.com"),
        ("gmail_with_trailing_dot_is_not_special", "jane.doe+x@gmail.com."),
        ("gmail_subdomain_is_not_special", "jane.doe+x@mail.gmail.com"),
        ("gmail_upper_case_domain_is_special", "JANE.DOE@GMAIL.COM"),
        ("gmail_everything_after_first_plus_dropped", "a+b+c@gmail.com"),
        ("gmail_dots_after_plus_dropped", "a.b.c+d.e@gmail.com"),
        ("non_gmail_keeps_plus_and_dots", "a.b+c.d@test.com"),
        ("non_gmail_local_part_of_dots_only", "...@test.com"),
        ("gmail_local_part_of_dots_only", "...@gmail.com"),
        ("only_spaces_before_at", "   @test.com"),
        ("at_then_spaces_only", "user@   "),
        # Operator: all U+0020 spaces before '@' are skipped (see normalize_email above).
        ("interior_local_part_space_dropped", "test test@test.com"),
        ("interior_local_part_space_dropped_gmail", "test test@gmail.com"),
    ]
    for desc, given in edge:
        note = None
        if "local_part_space" in desc:
            note = ("operator InputUtil.normalizeEmailString never leaves state Starting before "
                    "'@', so every U+0020 space in the local part is skipped; section 6.1 of the "
                    "notes says interior spaces are kept")
        add(f"edge_{desc}", "normalize_email", given, note)
    for desc in ["non_ascii_letters_keep_their_case", "leading_tab_is_not_a_space",
                 "interior_domain_space_kept", "googlemail_is_not_special",
                 "interior_local_part_space_dropped"]:
        given = dict(edge)[desc]
        note = None
        if "local_part_space" in desc:
            note = "hash of testtest@test.com, as the operator computes it from the raw email"
        add(f"edge_{desc}_hash", "hash_email", given, note)

    # -- input length cap: 1024 bytes (SDK), counted in UTF-8 bytes, before trimming --
    suffix = "@example.com"
    add("length_exactly_1024_bytes_accepted", "normalize_email", "a" * (1024 - len(suffix)) + suffix)
    add("length_1025_bytes_rejected", "normalize_email", "a" * (1025 - len(suffix)) + suffix)
    add("length_1025_bytes_with_leading_space_rejected", "normalize_email", " " + "a" * (1024 - len(suffix)) + suffix)
    add("length_1024_bytes_of_two_byte_letters_accepted", "normalize_email", "é" * 506 + suffix)
    add("length_1026_bytes_in_519_characters_rejected", "normalize_email", "é" * 507 + suffix)
    add("length_exactly_1024_bytes_accepted_hash", "hash_email", "A" * (1024 - len(suffix)) + suffix)
    add("length_1025_bytes_rejected_hash", "hash_email", "A" * (1025 - len(suffix)) + suffix)

    # -- phones (section 6.2 / 6.3) --
    valid_phones = ["+1234567890", "+12345678901", "+123456789012", "+1234567890123",
                    "+12345678901234", "+123456789012345"]
    for given in valid_phones:
        digits = len(given) - 1
        add(f"phone_with_{digits}_digits_valid", "normalize_phone", given)
        add(f"phone_with_{digits}_digits_hash", "hash_phone", given)
    add("docs_uk_phone_valid", "normalize_phone", "+442345678901")
    add("docs_france_phone_valid", "normalize_phone", "+33123456789")
    add("docs_france_phone_hash", "hash_phone", "+33123456789")
    invalid_phones = [
        ("empty", ""),
        ("letters", "asdaksjdakfj"),
        ("base64_43", "DH5qQFhi5ALrdqcPiib8cy0Hwykx6frpqxWCkR0uijs"),
        ("base64_fragment", "QFhi5ALrdqcPiib8cy0Hwykx6frpqxWCkR0uijs"),
        ("hex_lower", "06a418f467a14e1631a317b107548a1039d26f12ea45301ab14e7684b36ede58"),
        ("hex_upper", "0C7E6A405862E402EB76A70F8A26FC732D07C32931E9FAE9AB1582911D2E8A3B"),
        ("plus_only", "+"),
        ("8_digits_no_plus", "12345678"),
        ("9_digits_no_plus", "123456789"),
        ("10_digits_no_plus", "1234567890"),
        ("8_digits", "+12345678"),
        ("9_digits", "+123456789"),
        ("space_after_plus_8_digits", "+ 12345678"),
        ("space_after_plus_9_digits", "+ 123456789"),
        ("spaces_8_digits", "+ 1234 5678"),
        ("spaces_9_digits", "+ 1234 56789"),
        ("16_digits", "+1234567890123456"),
        ("trailing_letter", "+1234567890A"),
        ("trailing_space", "+1234567890 "),
        ("trailing_plus", "+1234567890+"),
        ("interior_plus", "+12345+67890"),
        ("dashes", "555-555-5555"),
        ("us_format", "(555) 555-5555"),
        ("java_spaces_and_dashes", "+123 44 555-66-77"),
        ("java_us_format_with_country", "1 (123) 456-7890"),
        ("java_prose", "this is not a phone number"),
        ("arabic_indic_digits", "+١٢٣٤٥٦٧٨٩٠١"),
        ("fullwidth_digits", "+１２３４５６７８９０１"),
        ("leading_space", " +12345678901"),
        ("trailing_newline", "+12345678901\n"),
        ("double_plus", "++12345678901"),
        ("docs_uk_unnormalized", "44 (234) 567-8901"),
    ]
    for desc, given in invalid_phones:
        assert normalize_phone(given) is None, given
        add(f"invalid_phone_{desc}", "normalize_phone", given)
    for desc, given in [("9_digits", "+123456789"), ("fullwidth_digits", "+１２３４５６７８９０１"),
                        ("16_digits", "+1234567890123456")]:
        add(f"invalid_phone_{desc}_hash", "hash_phone", given)

    # -- pre-computed hashes (operator InputNormalizationTest + section 3) --
    foo_b64 = "DH5qQFhi5ALrdqcPiib8cy0Hwykx6frpqxWCkR0uijs="
    foo_hex = "0C7E6A405862E402EB76A70F8A26FC732D07C32931E9FAE9AB1582911D2E8A3B"
    assert sha256_b64("foo@bar.com") == foo_b64 and base64.b64decode(foo_b64).hex().upper() == foo_hex
    mixed_hex = "".join(c.lower() if i % 2 else c for i, c in enumerate(foo_hex))
    hash_cases = [
        ("base64_kept", foo_b64),
        ("hex_upper_to_base64", foo_hex),
        ("hex_lower_to_base64", foo_hex.lower()),
        ("hex_mixed_case_to_base64", mixed_hex),
        ("empty_rejected", ""),
        ("short_garbage_rejected", "asdaksjdakfj"),
        ("base64_43_chars_without_padding_rejected", foo_b64[:-1]),
        ("base64_45_chars_extra_padding_rejected", foo_b64 + "="),
        ("base64_fragment_rejected", "QFhi5ALrdqcPiib8cy0Hwykx6frpqxWCkR0uijs"),
        ("base64_44_chars_not_base64_rejected", "DH5qQFhi5ALrdqcPiib8cy0Hwykx6frpqxWCkR0uij!="),
        ("base64_44_chars_url_safe_alphabet_rejected", "LkLfFrut8Tc3h_fIvYDiBKSbaMiau_DtaLBPQYszdMw="),
        ("base64_44_chars_of_31_bytes_rejected", b64(bytes(range(31)))),
        ("base64_with_surrounding_space_rejected", " " + foo_b64),
        ("hex_with_non_hex_letter_rejected", "0Z7E6A405862E402EB76A70F8A26FC732D07C32931E9FAE9AB1582911D2E8A3B"),
        ("hex_63_chars_rejected", foo_hex[:-1]),
        ("hex_65_chars_rejected", foo_hex + "0"),
        ("hex_66_chars_trailing_zeros_rejected", foo_hex + "00"),
        ("hex_66_chars_leading_zeros_rejected", "00" + foo_hex),
        ("hex_with_0x_prefix_rejected", "0x" + foo_hex[:-2]),
        ("raw_email_rejected", "foo@bar.com"),
    ]
    b31 = [c for c in hash_cases if c[0] == "base64_44_chars_of_31_bytes_rejected"][0][1]
    assert len(b31) == 44 and len(base64.b64decode(b31)) == 31
    for desc, given in hash_cases:
        add(f"email_hash_{desc}", "normalize_email_hash", given)
    phone_digest_hex = "10e6f0b47054a83359477dcb35231db6de5c69fb1816e1a6b98e192de9e5b9ee"
    assert normalize_digest(phone_digest_hex) == "EObwtHBUqDNZR33LNSMdtt5cafsYFuGmuY4ZLenlue4="
    for desc, given in [
        ("base64_kept", "EObwtHBUqDNZR33LNSMdtt5cafsYFuGmuY4ZLenlue4="),
        ("docs_hex_lower_to_base64", phone_digest_hex),
        ("hex_upper_to_base64", phone_digest_hex.upper()),
        ("empty_rejected", ""),
        ("raw_phone_rejected", "+12345678901"),
        ("base64_43_chars_rejected", "EObwtHBUqDNZR33LNSMdtt5cafsYFuGmuY4ZLenlue4"),
        ("hex_65_chars_rejected", phone_digest_hex + "a"),
        ("hex_with_non_hex_letter_rejected", "g" + phone_digest_hex[1:]),
    ]:
        add(f"phone_hash_{desc}", "normalize_phone_hash", given)

    # -- batch --
    def batch(name, inputs):
        cases.append({"name": name, "op": "hash_emails", "inputs": inputs,
                      "expect": [hash_email(value) for value in inputs]})

    batch("batch_keeps_order_and_marks_invalid_as_null",
          ["user@example.com", "not an email", "   jane.doe+home@gmail.com   ", "", "validate@example.com"])
    batch("batch_of_nothing_is_empty", [])
    batch("batch_all_invalid", ["@", "a@", "a@ba@z.com"])
    batch("batch_duplicates_hash_alike", ["TEstTEst@GMail.Com", "test.test@gmail.com", "TEst.TEst+123@GMail.Com"])
    return cases


# ---------------------------------------------------------------------------------------------
# envelope.json
# ---------------------------------------------------------------------------------------------


def build_envelope() -> list[dict]:
    cases: list[dict] = []

    # -- requests: section 10.1 byte for byte --
    for name, payload, expected in ENVELOPES_10_1:
        sealed = seal_request(SECRET, IV, NONCE, TS, payload.encode())
        assert b64(sealed) == expected, name
        cases.append({"name": f"java_{name}_request_envelope", "op": "seal_request", "key": SECRET_B64,
                      "iv": IV_HEX, "nonce": NONCE_HEX, "timestamp_ms": TS, "payload": payload,
                      "expect": expected, "note": "section 10.1 (Java PublisherTests)"})
    for name, payload, expected in ENVELOPES_10_1:
        cases.append({"name": f"operator_opens_java_{name}", "op": "open_request", "key": SECRET_B64,
                      "envelope": expected,
                      "expect": {"timestamp_ms": TS, "nonce": NONCE_HEX, "payload": payload}})

    # more requests: what this SDK sends (optout_check), other keys/IVs, edge payloads
    extra_requests = [
        ("sdk_email_hash_request_with_optout_check", OTHER_KEY, IV2, NONCE2, TS2,
         '{"email_hash":"tMmiiTI7IaAcPpQPFQ65uMVCWH8av9jw4cwf/F5HVRQ=","optout_check":1}'),
        ("sdk_phone_hash_request_with_consent", OTHER_KEY, IV2, NONCE2, TS2,
         '{"phone_hash":"EObwtHBUqDNZR33LNSMdtt5cafsYFuGmuY4ZLenlue4=","tcf_consent_string":"' + CONSENT_OK + '","optout_check":1}'),
        ("non_ascii_payload_is_utf8", SECRET, IV, NONCE, TS2, '{"email":"Äbc@test.com","optout_check":1}'),
        ("empty_payload_gives_minimum_envelope", SECRET, IV2, NONCE, TS, ""),
        ("timestamp_zero", SECRET, IV, NONCE2, 0, "{}"),
    ]
    for name, key, iv, nonce, ts, payload in extra_requests:
        sealed = seal_request(key, iv, nonce, ts, payload.encode())
        cases.append({"name": name, "op": "seal_request", "key": b64(key), "iv": iv.hex(),
                      "nonce": nonce.hex(), "timestamp_ms": ts, "payload": payload, "expect": b64(sealed)})
        cases.append({"name": f"{name}_opens", "op": "open_request", "key": b64(key),
                      "envelope": b64(sealed),
                      "expect": {"timestamp_ms": ts, "nonce": nonce.hex(), "payload": payload}})
    minimum = seal_request(SECRET, IV2, NONCE, TS, b"")
    assert len(minimum) == 45

    unhashed = base64.b64decode(ENVELOPES_10_1[0][2])

    def flip(data: bytes, index: int) -> bytes:
        changed = bytearray(data)
        changed[index] ^= 0x01
        return bytes(changed)

    def open_error(name, envelope, error, key=SECRET_B64):
        cases.append({"name": name, "op": "open_request", "key": key, "envelope": envelope, "error": error})

    open_error("request_44_bytes_is_too_short", b64(minimum[:44]), "envelope_too_short")
    open_error("request_empty_body_is_too_short", "", "envelope_too_short")
    open_error("request_version_2_is_rejected", b64(b"\x02" + minimum[1:]), "bad_version")
    open_error("request_version_0_is_rejected", b64(b"\x00" + unhashed[1:]), "bad_version")
    open_error("request_too_short_is_checked_before_version", b64(b"\x02" + minimum[1:44]), "envelope_too_short")
    open_error("request_with_wrong_key_fails", ENVELOPES_10_1[0][2], "decryption_failed", key=OTHER_KEY_B64)
    open_error("request_with_flipped_tag_bit_fails", b64(flip(unhashed, len(unhashed) - 1)), "decryption_failed")
    open_error("request_with_flipped_ciphertext_bit_fails", b64(flip(unhashed, 20)), "decryption_failed")
    open_error("request_with_flipped_iv_bit_fails", b64(flip(unhashed, 1)), "decryption_failed")
    open_error("request_not_base64", "this is not an encrypted request", "bad_base64")

    # -- responses: section 10.2 re-sealed exactly, and variants --
    decoded_10_2 = base64.b64decode(RESPONSE_10_2)
    plain_10_2 = aes_gcm_open(SECRET, decoded_10_2)
    ts_10_2 = struct.unpack(">q", plain_10_2[:8])[0]
    assert ts_10_2 == 1668056199629 and plain_10_2[8:16] == NONCE
    payload_10_2 = plain_10_2[16:].decode()
    answer_10_2 = json.loads(payload_10_2)
    assert answer_10_2["status"] == "success"
    assert answer_10_2["body"] == json.loads(IDENTITY_10_2_JSON)
    iv_10_2 = decoded_10_2[:12]
    cases.append({"name": "java_generate_response_sealed_exactly", "op": "seal_response", "key": SECRET_B64,
                  "iv": iv_10_2.hex(), "nonce": NONCE_HEX, "timestamp_ms": ts_10_2, "payload": payload_10_2,
                  "expect": RESPONSE_10_2, "note": "section 10.2: IV, timestamp and JSON recovered by decryption"})
    optout_payload = '{"status":"optout"}'
    optout_response = seal_response(SECRET, iv_10_2, NONCE, ts_10_2, optout_payload.encode())
    cases.append({"name": "java_optout_response_same_iv_and_nonce", "op": "seal_response", "key": SECRET_B64,
                  "iv": iv_10_2.hex(), "nonce": NONCE_HEX, "timestamp_ms": ts_10_2, "payload": optout_payload,
                  "expect": b64(optout_response)})
    consent_payload = '{"status":"insufficient_user_consent"}'
    consent_response = seal_response(OTHER_KEY, IV2, NONCE2, TS2, consent_payload.encode())
    cases.append({"name": "insufficient_consent_response", "op": "seal_response", "key": OTHER_KEY_B64,
                  "iv": IV2.hex(), "nonce": NONCE2.hex(), "timestamp_ms": TS2, "payload": consent_payload,
                  "expect": b64(consent_response)})

    def generate(name, body=None, expect=None, error=None, key=SECRET_B64, nonce=NONCE_HEX,
                 encoding="base64", body_hex=None, note=None):
        case = {"name": name, "op": "decrypt_generate_response", "key": key, "nonce": nonce, "encoding": encoding}
        if encoding == "base64":
            case["body"] = body
        else:
            case["body_hex"] = body_hex
        if error is not None:
            case["error"] = error
        else:
            case["expect"] = expect
        if note:
            case["note"] = note
        cases.append(case)

    def sealed_answer(payload: bytes, key=SECRET, iv=IV2, nonce=NONCE, ts=TS2) -> bytes:
        return seal_response(key, iv, nonce, ts, payload)

    def expect_generate(payload: bytes):
        kind, value = answer_outcome(payload, "generate")
        return (value, None) if kind == "ok" else (None, value)

    expected, err = expect_generate(payload_10_2.encode())
    assert err is None and "user_token" in expected["identity"]
    generate("java_generate_response_decrypts_with_unknown_user_token", RESPONSE_10_2, expected,
             note="section 10.2; user_token is an unknown field and must survive")
    generate("java_generate_response_in_binary_mode", expect=expected, encoding="binary",
             body_hex=decoded_10_2.hex())
    generate("java_optout_response", b64(optout_response), {"outcome": "optout"})
    generate("java_optout_response_in_binary_mode", expect={"outcome": "optout"}, encoding="binary",
             body_hex=optout_response.hex())
    generate("insufficient_user_consent_is_an_outcome", b64(consent_response), {"outcome": "insufficient_consent"},
             key=OTHER_KEY_B64, nonce=NONCE2.hex())

    generate("generate_response_with_wrong_key_fails", RESPONSE_10_2, error="decryption_failed", key=OTHER_KEY_B64)
    generate("generate_response_43_bytes_is_too_short", b64(decoded_10_2[:43]), error="envelope_too_short")
    generate("generate_response_empty_body_is_too_short", "", error="envelope_too_short")
    generate("generate_response_missing_last_byte_fails", b64(decoded_10_2[:-1]), error="decryption_failed")
    generate("generate_response_truncated_to_100_bytes_fails", b64(decoded_10_2[:100]), error="decryption_failed")
    generate("generate_response_with_flipped_tag_bit_fails", b64(flip(decoded_10_2, len(decoded_10_2) - 1)),
             error="decryption_failed")
    generate("generate_response_with_flipped_ciphertext_bit_fails", b64(flip(decoded_10_2, 40)),
             error="decryption_failed")
    generate("generate_response_with_flipped_iv_bit_fails", b64(flip(decoded_10_2, 0)), error="decryption_failed")
    generate("generate_response_with_other_nonce_is_a_mismatch", RESPONSE_10_2, error="nonce_mismatch",
             nonce="0000000000000000")
    generate("generate_response_nonce_off_by_one_bit_is_a_mismatch", RESPONSE_10_2, error="nonce_mismatch",
             nonce="312fe5aa08b2a048")
    generate("java_not_an_encrypted_response", "this is not an encrypted response", error="bad_base64",
             note="section 10.2 negative case")
    generate("java_request_envelope_is_not_a_response", ENVELOPES_10_1[0][2], error="decryption_failed",
             note="section 10.2 negative case: a request envelope decrypted as a response")
    generate("binary_mode_wrong_key_fails", error="decryption_failed", key=OTHER_KEY_B64, encoding="binary",
             body_hex=decoded_10_2.hex())
    generate("binary_mode_too_short", error="envelope_too_short", encoding="binary", body_hex=decoded_10_2[:43].hex())
    generate("binary_mode_body_that_is_base64_text_fails", error="decryption_failed", encoding="binary",
             body_hex=RESPONSE_10_2.encode().hex())

    answers = [
        ("plaintext_not_json", b"<html>Bad Gateway</html>"),
        ("plaintext_empty_after_prefix", b""),
        ("json_without_status", b'{"body":{}}'),
        ("json_status_not_a_string", b'{"status":1}'),
        ("json_array", b'["optout"]'),
        ("success_without_body", b'{"status":"success"}'),
        ("success_with_null_body", b'{"status":"success","body":null}'),
        ("success_with_string_body", b'{"status":"success","body":"token"}'),
        ("unknown_status", b'{"status":"something_new"}'),
        ("client_error_status_in_a_200", b'{"status":"client_error","message":"Invalid Identifier"}'),
        ("refresh_only_status_in_generate", b'{"status":"expired_token"}'),
        ("optout_with_message", b'{"status":"optout","message":"opted out"}'),
        ("success_identity_lacks_refresh_token", ('{"status":"success","body":'
            + compact({k: v for k, v in lifecycle_identity("g", T0).items() if k != "refresh_token"}) + "}").encode()),
        ("success_identity_with_string_timestamp", ('{"status":"success","body":'
            + compact(lifecycle_identity("g", T0, identity_expires="1700259200000")) + "}").encode()),
        ("success_identity_with_bad_refresh_response_key", ('{"status":"success","body":'
            + compact(lifecycle_identity("g", T0, key="c2hvcnQ=")) + "}").encode()),
        ("success_minimal_identity_body_first", ('{"body":' + compact(lifecycle_identity("g", T0)) + ',"status":"success"}').encode()),
        ("success_legacy_identity_without_key", ('{"status":"success","body":'
            + compact(lifecycle_identity("g", T0, key=None)) + "}").encode()),
        ("success_with_trailing_newline", ('{"status":"success","body":' + compact(lifecycle_identity("g", T0)) + "}\n").encode()),
    ]
    for index, (name, payload) in enumerate(answers):
        iv = bytes([index]) + IV2[1:]
        value, err = expect_generate(payload)
        generate(f"generate_answer_{name}", b64(sealed_answer(payload, iv=iv)), value, err)

    # -- refresh responses: section 10.3 --
    plain_a = aes_gcm_open(REFRESH_KEY_A, base64.b64decode(REFRESH_10_3_A))
    assert plain_a.startswith(b'{"body":{"advertising_token":"AgAAAANVKWUKoXWL9OdHdxoEhRlHC9')
    answer_a = json.loads(plain_a)
    body_a = answer_a["body"]
    assert answer_a["status"] == "success"
    assert (body_a["identity_expires"], body_a["refresh_expires"], body_a["refresh_from"]) == (
        1668065878329, 1668148678329, 1668062281329)
    assert body_a["refresh_response_key"] == "3df27Us3KXIy4LhebjNt0DDfF0N5zGXEQ1MmJ7jIU8o="
    assert aes_gcm_open(REFRESH_KEY_B, base64.b64decode(REFRESH_10_3_B)) == b'{"status":"optout"}'

    def refresh(name, key, body, expect=None, error=None, note=None):
        case = {"name": name, "op": "decrypt_refresh_response", "key": key, "body": body}
        if error is not None:
            case["error"] = error
        else:
            case["expect"] = expect
        if note:
            case["note"] = note
        cases.append(case)

    def expect_refresh(payload: bytes):
        kind, value = answer_outcome(payload, "refresh")
        return (value, None) if kind == "ok" else (None, value)

    value, err = expect_refresh(plain_a)
    assert err is None
    refresh("java_refresh_response_decrypts", REFRESH_KEY_A_B64, REFRESH_10_3_A, value,
            note="section 10.3 a; identity recovered by decryption")
    refresh("java_refresh_optout_response", REFRESH_KEY_B_B64, REFRESH_10_3_B, {"outcome": "optout"},
            note="section 10.3 b")
    refresh("refresh_response_with_other_identity_key_fails", REFRESH_KEY_A_B64, REFRESH_10_3_B,
            error="decryption_failed")
    refresh("refresh_response_with_client_secret_fails", SECRET_B64, REFRESH_10_3_A, error="decryption_failed")
    decoded_a = base64.b64decode(REFRESH_10_3_A)
    refresh("refresh_response_27_bytes_is_too_short", REFRESH_KEY_A_B64, b64(decoded_a[:27]),
            error="envelope_too_short")
    refresh("refresh_response_empty_body_is_too_short", REFRESH_KEY_A_B64, "", error="envelope_too_short")
    refresh("refresh_response_missing_last_byte_fails", REFRESH_KEY_A_B64, b64(decoded_a[:-1]),
            error="decryption_failed")
    refresh("refresh_response_with_flipped_tag_bit_fails", REFRESH_KEY_B_B64,
            b64(flip(base64.b64decode(REFRESH_10_3_B), len(base64.b64decode(REFRESH_10_3_B)) - 1)),
            error="decryption_failed")
    refresh("refresh_response_not_base64", REFRESH_KEY_A_B64, "this is not an encrypted response",
            error="bad_base64")
    refresh("generate_response_decrypted_as_refresh_has_prefix", SECRET_B64, RESPONSE_10_2, error="invalid_json",
            note="the 10.2 generate response, whose plaintext starts with timestamp and nonce")

    refresh_answers = [
        ("success", ('{"body":' + compact(lifecycle_identity("r", T0 + HOUR, key=REFRESH_KEY_B_B64)) + ',"status":"success"}').encode()),
        ("optout", b'{"status":"optout"}'),
        ("expired_token", b'{"status":"expired_token","message":"Expired Token presented"}'),
        ("invalid_token", b'{"status":"invalid_token","message":"Invalid Token presented"}'),
        ("unknown_status", b'{"status":"something_new"}'),
        ("success_without_body", b'{"status":"success"}'),
        ("identity_lacks_identity_expires", ('{"status":"success","body":'
            + compact({k: v for k, v in lifecycle_identity("r", T0).items() if k != "identity_expires"}) + "}").encode()),
        ("plaintext_not_json", b"not json"),
        ("empty_plaintext", b""),
    ]
    for index, (name, payload) in enumerate(refresh_answers):
        iv = bytes([index]) + IV3[1:]
        value, err = expect_refresh(payload)
        refresh(f"refresh_answer_{name}", REFRESH_KEY_A_B64, b64(aes_gcm_seal(REFRESH_KEY_A, iv, payload)),
                value, err)
    prefixed = struct.pack(">q", TS2) + NONCE + b'{"status":"optout"}'
    refresh("refresh_answer_with_timestamp_and_nonce_prefix_is_not_json", REFRESH_KEY_A_B64,
            b64(aes_gcm_seal(REFRESH_KEY_A, IV3, prefixed)), error="invalid_json",
            note="refresh plaintext is JSON only (section 2.3); a generate-style prefix is an error")

    legacy = [
        ("success", '{"status":"success","body":' + compact(lifecycle_identity("l", T0, key=None)) + "}"),
        ("success_with_new_key", '{"status":"success","body":' + compact(lifecycle_identity("l", T0)) + "}"),
        ("optout", '{"status":"optout"}'),
        ("expired_token", '{"status":"expired_token","message":"Expired Token presented"}'),
        ("invalid_token", '{"status":"invalid_token","message":"Invalid Token presented"}'),
        ("unauthenticated_error_is_invalid_token", '{"status":"error","message":"Error refreshing token"}'),
        ("not_json", "this is not json"),
        ("unknown_status", '{"status":"something_new"}'),
    ]
    for name, text in legacy:
        value, err = expect_refresh(text.encode())
        refresh(f"legacy_plain_refresh_{name}", None, text, value, err)

    # -- generate request JSON (section 3; core/src/wire.rs GenerateRequest::to_json) --
    def request(name, kind, value, consent=None, note=None):
        case = {"name": name, "op": "generate_request_json", "dii": {"type": kind, "value": value}}
        if consent is not None:
            case["tcf_consent_string"] = consent
        fn = {
            "email": (hash_email, "email_hash", "invalid_email"),
            "phone": (hash_phone, "phone_hash", "invalid_phone"),
            "email_hash": (normalize_digest, "email_hash", "invalid_email_hash"),
            "phone_hash": (normalize_digest, "phone_hash", "invalid_phone_hash"),
            "raw_email": (normalize_email, "email", "invalid_email"),
            "raw_phone": (normalize_phone, "phone", "invalid_phone"),
        }[kind]
        normalized = fn[0](value)
        if normalized is None:
            case["error"] = fn[2]
        elif consent is not None and consent == "":
            case["error"] = "invalid_argument"
        else:
            payload = {fn[1]: normalized}
            if consent is not None:
                payload["tcf_consent_string"] = consent
            payload["optout_check"] = 1
            case["expect"] = compact(payload)
        if note:
            case["note"] = note
        cases.append(case)

    request("email_is_hashed_locally", "email", "user@example.com")
    request("email_is_normalized_before_hashing", "email", "   USER@EXAMPLE.COM   ")
    request("gmail_is_normalized_before_hashing", "email", "   jane.doe+home@gmail.com   ")
    request("phone_is_hashed_locally", "phone", "+12345678901")
    request("email_hash_base64_sent_as_is", "email_hash", "tMmiiTI7IaAcPpQPFQ65uMVCWH8av9jw4cwf/F5HVRQ=")
    request("email_hash_hex_sent_as_base64", "email_hash", "0C7E6A405862E402EB76A70F8A26FC732D07C32931E9FAE9AB1582911D2E8A3B")
    request("phone_hash_hex_sent_as_base64", "phone_hash", "10e6f0b47054a83359477dcb35231db6de5c69fb1816e1a6b98e192de9e5b9ee")
    request("raw_email_sent_normalized", "raw_email", " Test@Example.COM ")
    request("raw_gmail_sent_normalized", "raw_email", "Jane.Doe+home@GMail.com")
    request("raw_phone_sent_as_is", "raw_phone", "+12345678901")
    request("raw_email_non_ascii_is_not_escaped", "raw_email", "ÄBC@test.com")
    request("raw_email_quote_and_backslash_are_escaped", "raw_email", 'a"b\\c@example.com')
    request("raw_email_tab_is_escaped", "raw_email", "\tuser@example.com")
    request("consent_string_comes_before_optout_check", "email", "user@example.com", CONSENT_OK,
            note="section 10.1 hashedEmailWithTcString, plus optout_check")
    request("insufficient_consent_string_is_still_sent", "phone_hash", "EObwtHBUqDNZR33LNSMdtt5cafsYFuGmuY4ZLenlue4=",
            CONSENT_INSUFFICIENT)
    request("empty_consent_string_is_invalid", "email", "user@example.com", "")
    request("invalid_email_is_rejected_locally", "email", "this is not an email address")
    request("invalid_raw_email_is_rejected_locally", "raw_email", "neither.is@this@")
    request("invalid_phone_is_rejected_locally", "phone", "+123 44 555-66-77")
    request("invalid_raw_phone_is_rejected_locally", "raw_phone", "1 (123) 456-7890")
    request("invalid_email_hash_is_rejected_locally", "email_hash", "DH5qQFhi5ALrdqcPiib8cy0Hwykx6frpqxWCkR0uijs")
    request("invalid_phone_hash_is_rejected_locally", "phone_hash", "+12345678901")
    return cases


# ---------------------------------------------------------------------------------------------
# identity.json
# ---------------------------------------------------------------------------------------------


def build_identity() -> list[dict]:
    cases: list[dict] = []

    def parse(name, text, note=None):
        case = {"name": name, "op": "parse_identity", "json": text}
        if parse_identity(text) is None:
            case["error"] = "invalid_identity"
        else:
            case["expect"] = identity_expectation(text)
        if note:
            case["note"] = note
        cases.append(case)
        return case

    base = lifecycle_identity("1", T0)
    base_json = compact(base)
    docs_example = {
        # The timestamps of DOCS _snpt-example-identity-generate-response.mdx (section 8: 1 h,
        # 15 min, 24 h from one issue time); tokens and key are placeholders of the same shape.
        "advertising_token": "E4AAAAdocs-example-advertising-token_base64url",
        "refresh_token": "EAAAAGZkb2NzLWV4YW1wbGUtcmVmcmVzaC10b2tlbg+/==",
        "identity_expires": 1724998239163,
        "refresh_from": 1724995539163,
        "refresh_expires": 1725081039163,
        "refresh_response_key": b64(hashlib.sha256(b"docs example refresh_response_key").digest()),
    }

    # -- real shapes --
    parse("java_generate_response_identity_with_user_token", IDENTITY_10_2_JSON,
          "section 10.2; user_token is kept and moves after the known fields")
    parse("docs_example_identity_without_user_token", compact(docs_example),
          "section 8: the DOCS example's timestamps; placeholder tokens")
    parse("docs_example_identity_pretty_printed", json.dumps(docs_example, indent=2))
    parse("realistic_identity", base_json)
    cookie = dict(base)
    cookie["private"] = {}
    parse("js_sdk_cookie_with_private_object_kept", compact(cookie), "section 8.1 cookie example has \"private\":{}")
    parse("unknown_fields_kept_in_order", compact({"zeta": 1, **base, "alpha": "a", "private": {"b": 1, "a": [1, 2]},
                                                   "flag": True, "nothing": None}))
    parse("unknown_fields_before_known_ones_move_after_them",
          compact({"user_token": "UT", "status": "success", **base}))
    parse("unknown_field_with_non_ascii_text", compact({**base, "note": "Ä ü 😊"}))
    # Found by the identity fuzz target: an unknown float must survive a round trip unchanged
    # (serde_json needs `float_roundtrip`).
    parse("unknown_float_field_round_trips_exactly",
          base_json[:-1] + ',"refresh_frnm":1.7000036000002223e+158}',
          "fuzz regression (target identity)")
    legacy = lifecycle_identity("1", T0, key=None)
    parse("legacy_identity_without_refresh_response_key", compact(legacy))
    parse("refresh_response_key_null_is_dropped_from_output", compact({**legacy, "refresh_response_key": None}))
    parse("empty_tokens_parse_lifecycle_marks_them_invalid",
          compact(lifecycle_identity("1", T0, advertising_token="", refresh_token="")))
    parse("negative_and_zero_timestamps_parse", compact(lifecycle_identity("1", 0, identity_expires=-1, refresh_from=0)))
    parse("largest_i64_timestamp", compact(lifecycle_identity("1", T0, refresh_expires=I64_MAX)))
    parse("escaped_characters_in_tokens_are_decoded",
          base_json.replace('"AT-1"', '"A\\u0054-\\/1"'))

    # -- equivalent spellings, one output --
    reordered = {k: base[k] for k in ["refresh_expires", "refresh_response_key", "refresh_from",
                                      "identity_expires", "refresh_token", "advertising_token"]}
    parse("key_order_does_not_matter", compact(reordered))
    parse("whitespace_does_not_matter", "\n { \"advertising_token\" : \"AT-1\" ,\t\"refresh_token\":\"RT-1\",\r\n"
          f"  \"identity_expires\": {base['identity_expires']}, \"refresh_from\" :{base['refresh_from']},"
          f"\"refresh_expires\":{base['refresh_expires']} , \"refresh_response_key\":\"{REFRESH_KEY_A_B64}\" }}\n")
    outputs = {c["expect"]["to_json"] for c in cases[-2:]} | {identity_expectation(base_json)["to_json"]}
    assert len(outputs) == 1

    # -- size cap: 65536 bytes --
    head = base_json[:-1]
    pad_at_limit = MAX_IDENTITY_JSON_BYTES - len(base_json.encode())
    parse("json_of_exactly_65536_bytes_accepted", head + " " * pad_at_limit + "}")
    parse("json_of_65537_bytes_rejected_even_if_whitespace", head + " " * (pad_at_limit + 1) + "}")
    filler = MAX_IDENTITY_JSON_BYTES + 1 - len(compact({**base, "blob": ""}).encode())
    parse("json_of_65537_bytes_with_large_unknown_field_rejected", compact({**base, "blob": "x" * filler}))

    # -- missing fields --
    for field in ["advertising_token", "refresh_token", "identity_expires", "refresh_from", "refresh_expires"]:
        parse(f"missing_{field}", compact({k: v for k, v in base.items() if k != field}))

    # -- wrong types --
    wrong = [
        ("identity_expires_as_string", "identity_expires", str(base["identity_expires"])),
        ("refresh_from_as_string", "refresh_from", str(base["refresh_from"])),
        ("refresh_expires_as_string", "refresh_expires", str(base["refresh_expires"])),
        ("identity_expires_as_float", "identity_expires", 1.5),
        ("refresh_from_as_float", "refresh_from", 1700003600000.5),
        ("refresh_expires_as_boolean", "refresh_expires", True),
        ("identity_expires_null", "identity_expires", None),
        ("refresh_from_as_object", "refresh_from", {}),
        ("advertising_token_null", "advertising_token", None),
        ("refresh_token_null", "refresh_token", None),
        ("advertising_token_as_number", "advertising_token", 12345),
        ("refresh_token_as_boolean", "refresh_token", False),
        ("advertising_token_as_array", "advertising_token", ["AT-1"]),
        ("refresh_response_key_as_number", "refresh_response_key", 32),
        ("refresh_response_key_not_base64", "refresh_response_key", "not base64 at all!"),
        ("refresh_response_key_of_31_bytes", "refresh_response_key", b64(bytes(31))),
        ("refresh_response_key_of_33_bytes", "refresh_response_key", b64(bytes(33))),
        ("refresh_response_key_empty", "refresh_response_key", ""),
    ]
    for desc, field, value in wrong:
        parse(f"wrong_type_{desc}", compact({**base, field: value}))
    text = base_json.replace(str(base["identity_expires"]), "9223372036854775808")
    parse("identity_expires_beyond_i64_rejected", text)
    text = base_json.replace(str(base["refresh_expires"]), "100000000000000000000000")
    parse("refresh_expires_far_beyond_i64_rejected", text)

    # -- not an identity at all --
    for desc, text in [
        ("top_level_array", "[" + base_json + "]"),
        ("top_level_string", json.dumps(base_json)),
        ("top_level_number", "1700000000000"),
        ("top_level_null", "null"),
        ("empty_object", "{}"),
        ("empty_string", ""),
        ("whitespace_only", "   "),
        ("truncated_json", base_json[:-1]),
        ("trailing_comma", base_json[:-1] + ",}"),
        ("single_quotes", base_json.replace('"', "'")),
        ("trailing_garbage", base_json + " x"),
        ("two_objects", base_json + base_json),
        ("uri_encoded_cookie_value", base_json.replace('"', "%22").replace("{", "%7B").replace("}", "%7D")),
    ]:
        parse(f"not_an_identity_{desc}", text)
    return cases


# ---------------------------------------------------------------------------------------------
# lifecycle.json
# ---------------------------------------------------------------------------------------------


def build_lifecycle() -> list[dict]:
    cases: list[dict] = []
    I1 = lifecycle_identity("1", T0)
    RF, IE, RE = I1["refresh_from"], I1["identity_expires"], I1["refresh_expires"]

    def expect_of(model: Model, now: int) -> dict:
        status = model.status_at(now)
        return {"status": status, "code": CODES[status], "advice": model.advice(now)}

    def status_case(name, state, identity, now, since=None, note=None):
        model = Model.restore(state, identity, now if since is None else since)
        case = {"name": name, "op": "status", "state": state, "identity": identity}
        if since is not None:
            case["since_ms"] = since
        case["now_ms"] = now
        case["expect"] = expect_of(model, now)
        if note:
            case["note"] = note
        cases.append(case)
        return case

    def transition(name, state, identity, event, now, since=None, note=None):
        model = Model.restore(state, identity, now if since is None else since)
        after = model.apply(event, now)
        if after.identity is None:
            held = "none"
        elif event.get("identity") is not None and after.identity is event["identity"]:
            held = "new"
        else:
            assert after.identity is identity
            held = "kept"
        case = {"name": name, "op": "transition", "state": state, "identity": identity}
        if since is not None:
            case["since_ms"] = since
        case["now_ms"] = now
        case["event"] = event
        expect = expect_of(after, now)
        assert expect["status"] == after.status
        expect["identity"] = held
        case["expect"] = expect
        if note:
            case["note"] = note
        cases.append(case)
        return case

    # -- boundaries, status op --
    for state in ("established", "refreshed"):
        status_case(f"{state}_just_issued_use_as_is", state, I1, T0)
        status_case(f"{state}_one_ms_before_refresh_from_use_as_is", state, I1, RF - 1)
        status_case(f"{state}_at_refresh_from_use_and_refresh", state, I1, RF)
        status_case(f"{state}_one_ms_before_identity_expires_use_and_refresh", state, I1, IE - 1)
        status_case(f"{state}_at_identity_expires_expired", state, I1, IE)
        status_case(f"{state}_one_ms_before_refresh_expires_expired", state, I1, RE - 1)
        status_case(f"{state}_at_refresh_expires_still_refreshable", state, I1, RE)
        status_case(f"{state}_one_ms_after_refresh_expires_refresh_expired", state, I1, RE + 1)
    status_case("expired_state_at_identity_expires", "expired", I1, IE)
    status_case("expired_state_one_ms_before_refresh_expires", "expired", I1, RE - 1)
    status_case("expired_state_at_refresh_expires", "expired", I1, RE)
    status_case("expired_state_one_ms_after_refresh_expires", "expired", I1, RE + 1)
    status_case("expired_state_restored_before_expiry_is_established", "expired", I1, RF - 1,
                note="restore re-derives time-dependent statuses")
    status_case("established_state_restored_after_expiry_is_expired", "established", I1, IE + 1)
    status_case("established_restored_earlier_then_checked_later", "established", I1, IE + HOUR, since=T0 + 1)
    status_case("refreshed_restored_earlier_then_checked_after_refresh_expires", "refreshed", I1, RE + 1,
                since=RF)
    status_case("expired_restored_while_refreshable_then_refresh_expires", "expired", I1, RE + 1, since=IE)
    status_case("established_restored_after_refresh_expires_stays_refresh_expired", "established", I1, RE + DAY,
                since=RE)
    for state in ("no_identity", "invalid", "refresh_expired", "optout"):
        status_case(f"{state}_without_identity", state, None, T0)
    status_case("established_without_identity_is_no_identity", "established", None, T0)
    status_case("optout_ignores_a_valid_identity", "optout", I1, T0)
    status_case("invalid_ignores_a_valid_identity", "invalid", I1, T0)
    status_case("empty_advertising_token_is_invalid", "established",
                lifecycle_identity("1", T0, advertising_token=""), T0)
    status_case("empty_refresh_token_is_invalid", "established", lifecycle_identity("1", T0, refresh_token=""), T0)
    status_case("empty_tokens_invalid_even_after_refresh_expires", "refreshed",
                lifecycle_identity("1", T0, advertising_token="", refresh_token=""), RE + 1)
    status_case("legacy_identity_without_key_is_usable", "established", lifecycle_identity("1", T0, key=None), RF)
    status_case("identity_outliving_refresh_token_is_refresh_expired", "established",
                lifecycle_identity("1", T0, identity_expires=RE + DAY), RE + 1)
    status_case("refresh_from_after_expiry_still_expired", "established",
                lifecycle_identity("1", T0, refresh_from=IE + HOUR), IE)
    status_case("refresh_due_at_issue_time", "established", lifecycle_identity("1", T0, refresh_from=T0), T0,
                note="JS SDK legacy upgrade sets refresh_from = now")

    # the 10.2 identity (issued 1668056199628 in a 1 h / 24 h test config)
    java = json.loads(IDENTITY_10_2_JSON)
    status_case("java_identity_at_response_time", "established", java, 1668056199629)
    status_case("java_identity_one_ms_before_refresh_from", "established", java, java["refresh_from"] - 1)
    status_case("java_identity_at_refresh_from", "established", java, java["refresh_from"])
    status_case("java_identity_at_identity_expires", "established", java, java["identity_expires"])
    status_case("java_identity_one_ms_before_refresh_expires", "established", java, java["refresh_expires"] - 1)
    status_case("java_identity_at_refresh_expires", "established", java, java["refresh_expires"])
    status_case("java_identity_one_ms_after_refresh_expires", "established", java, java["refresh_expires"] + 1)
    status_case("java_identity_today", "established", java, 1780000000000,
                note="Java test: at today's clock not refreshable and due for refresh")

    # -- every status x every event --
    starts = {
        "established": (I1, T0 + 2 * HOUR),
        "refreshed": (I1, T0 + 30 * 60_000),
        "expired": (I1, IE + DAY),
        "no_identity": (None, T0 + 2 * HOUR),
        "invalid": (None, T0 + 2 * HOUR),
        "refresh_expired": (None, T0 + 2 * HOUR),
        "optout": (None, T0 + 2 * HOUR),
    }
    for state, (identity, now) in starts.items():
        fresh = lifecycle_identity("2", now)
        events = [
            ("generated_success", {"type": "generated", "outcome": "success", "identity": fresh}),
            ("generated_optout", {"type": "generated", "outcome": "optout"}),
            ("generated_insufficient_consent", {"type": "generated", "outcome": "insufficient_consent"}),
            ("refreshed_success", {"type": "refreshed", "outcome": "refreshed", "identity": fresh}),
            ("refreshed_optout", {"type": "refreshed", "outcome": "optout"}),
            ("refreshed_expired_token", {"type": "refreshed", "outcome": "expired_token"}),
            ("refreshed_invalid_token", {"type": "refreshed", "outcome": "invalid_token"}),
            ("refresh_failed", {"type": "refresh_failed"}),
            ("time_passed", {"type": "time_passed"}),
            ("logout", {"type": "logout"}),
        ]
        for event_name, event in events:
            transition(f"{state}_then_{event_name}", state, identity, event, now,
                       since=None if identity is None else T0 + 10 * 60_000)

    # -- time passing across each boundary (identity kept until refresh_expires) --
    for label, now in [("one_ms_before_refresh_from", RF - 1), ("at_refresh_from", RF),
                       ("one_ms_before_identity_expires", IE - 1), ("at_identity_expires", IE),
                       ("one_ms_before_refresh_expires", RE - 1), ("at_refresh_expires", RE),
                       ("one_ms_after_refresh_expires", RE + 1)]:
        transition(f"time_passes_to_{label}", "established", I1, {"type": "time_passed"}, now, since=T0)
    transition("refresh_failed_at_refresh_expires_keeps_identity", "expired", I1, {"type": "refresh_failed"}, RE,
               since=IE)
    transition("refresh_failed_one_ms_after_refresh_expires_drops_identity", "expired", I1,
               {"type": "refresh_failed"}, RE + 1, since=IE)
    transition("refresh_failed_keeps_refreshed_status", "refreshed", I1, {"type": "refresh_failed"}, RF + 1, since=T0)

    # -- generate / refresh answers carrying unusable identities --
    now = T0 + 2 * HOUR
    transition("generated_identity_with_empty_advertising_token_is_invalid", "no_identity", None,
               {"type": "generated", "outcome": "success",
                "identity": lifecycle_identity("2", now, advertising_token="")}, now)
    transition("refreshed_identity_with_empty_refresh_token_is_invalid", "established", I1,
               {"type": "refreshed", "outcome": "refreshed",
                "identity": lifecycle_identity("2", now, refresh_token="")}, now, since=T0)
    transition("generated_identity_already_expired_is_expired", "no_identity", None,
               {"type": "generated", "outcome": "success",
                "identity": lifecycle_identity("2", now - 4 * DAY)}, now)
    transition("generated_identity_already_refresh_expired", "no_identity", None,
               {"type": "generated", "outcome": "success",
                "identity": lifecycle_identity("2", now - 31 * DAY)}, now)
    transition("generated_identity_due_at_once_use_and_refresh", "no_identity", None,
               {"type": "generated", "outcome": "success",
                "identity": lifecycle_identity("2", now, refresh_from=now)}, now)
    transition("refreshed_identity_expiring_exactly_now_is_expired", "expired", I1,
               {"type": "refreshed", "outcome": "refreshed",
                "identity": lifecycle_identity("2", now, identity_expires=IE + DAY)}, IE + DAY, since=IE)
    transition("generate_while_expired_identity_held_is_refreshed", "expired", I1,
               {"type": "generated", "outcome": "success", "identity": lifecycle_identity("2", IE + DAY)},
               IE + DAY, since=IE, note="a held identity is replaced: REFRESHED (section 8.1)")
    transition("generate_after_refresh_expired_is_established", "refresh_expired", None,
               {"type": "generated", "outcome": "success", "identity": lifecycle_identity("2", RE + 1)}, RE + 1)
    transition("generate_replaces_java_identity", "established", java,
               {"type": "generated", "outcome": "success", "identity": lifecycle_identity("2", 1668056300000)},
               1668056300000, since=1668056199629)
    transition("java_identity_refreshed_with_10_3_identity", "established", java,
               {"type": "refreshed", "outcome": "refreshed",
                "identity": json.loads(aes_gcm_open(REFRESH_KEY_A, base64.b64decode(REFRESH_10_3_A)))["body"]},
               1668062281329, since=1668056202628)
    # opt-out stickiness over a sequence of restores
    transition("optout_then_refresh_failed_stays_optout", "optout", None, {"type": "refresh_failed"}, RE + DAY)
    transition("optout_then_time_passed_long_after", "optout", None, {"type": "time_passed"}, RE + 365 * DAY)
    return cases


# ---------------------------------------------------------------------------------------------


def check_unique(cases):
    names = [case["name"] for case in cases]
    duplicates = {name for name in names if names.count(name) > 1}
    assert not duplicates, duplicates
    for case in cases:
        assert re.fullmatch(r"[a-z0-9_]+", case["name"]), case["name"]
        assert ("expect" in case) != ("error" in case), case["name"]


def write(filename: str, description: str, cases: list[dict]) -> None:
    check_unique(cases)
    document = {"description": description, "cases": cases}
    text = json.dumps(document, indent=2, ensure_ascii=False) + "\n"
    (OUT_DIR / filename).write_text(text, encoding="utf-8")
    print(f"{filename}: {len(cases)} cases")


def main() -> None:
    write("normalization.json",
          "Email and phone normalization and hashing, and pre-computed hash acceptance "
          "(protocol notes section 6; operator InputUtil). Generated by tools/generate.py.",
          build_normalization())
    write("envelope.json",
          "The v2 envelope: request sealing/opening, generate and refresh response decryption, and "
          "the generate request JSON (protocol notes sections 2, 3, 4, 10). Generated by tools/generate.py.",
          build_envelope())
    write("identity.json",
          "Identity JSON parsing and its compact re-serialization (protocol notes sections 3, 8, 10). "
          "Generated by tools/generate.py.",
          build_identity())
    write("lifecycle.json",
          "Identity lifecycle: status, JS SDK code and advice at now_ms, and transitions on events "
          "(protocol notes section 8; core/src/lifecycle.rs rules). Generated by tools/generate.py.",
          build_lifecycle())


if __name__ == "__main__":
    main()
