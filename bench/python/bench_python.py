"""Python benchmarks: euid_sdk side by side with the official ``uid2-client`` (2.9.0).

Both run in one interpreter, against the same emulator, on the same inputs (the fixture that
``euid-bench-floor fixture`` wrote). Each case is warmed up, then timed in repetitions of about
half a second; the figure is the median over repetitions of the mean time per call, with the
spread (min, max) kept, and beside it the process CPU time (user + system, all threads) per call
over the same repetitions. Network cases count their successes: a failing call fails the run.
The ``*_10ms`` cases run with the emulator answering after 10 ms (a latency fault set through
its control API for their duration), in fewer, fixed-size repetitions.

    python bench_python.py --fixture F --url U --api-key K --secret S --out results.json
"""

from __future__ import annotations

import argparse
import asyncio
import base64
import contextlib
import datetime as dt
import json
import os
import statistics
import sys
import threading
import time
from concurrent.futures import ThreadPoolExecutor
import urllib.request
from typing import Any, Callable, Iterator

import euid_sdk
from euid_sdk import envelope as ours_envelope

import uid2_client
from uid2_client import TokenGenerateInput, Uid2PublisherClient
from uid2_client.encryption import _decrypt_gcm
from uid2_client.input_util import normalize_and_hash_email
from uid2_client.request_response_util import create_envelope, parse_response
from uid2_client.token_generate_response import TokenGenerateResponse
from uid2_client.token_refresh_response import TokenRefreshResponse
from uid2_client.uid2_response import Uid2Response

IN_FLIGHT = 32
REP_SECONDS = 0.5
LATENCY_MS = 10  # the emulator's answer time in the *_10ms cases


def batch_emails() -> list[str]:
    """The batch every language hashes (see core/benches/core.rs)."""
    return [
        f"First.Last{i}+x@GMail.com" if i % 4 == 0 else f"User.Name{i}+tag@Example{i % 100}.com"
        for i in range(10_000)
    ]


def summarize(per_call_us: list[float], cpu_us: list[float], ops: int, failures: int,
              in_flight: int) -> dict[str, Any]:
    median = statistics.median(per_call_us)
    return {
        "median_us": median,
        "min_us": min(per_call_us),
        "max_us": max(per_call_us),
        "reps": len(per_call_us),
        "samples_us": per_call_us,
        "cpu_median_us": statistics.median(cpu_us),
        "cpu_min_us": min(cpu_us),
        "cpu_max_us": max(cpu_us),
        "cpu_samples_us": cpu_us,
        "ops": ops,
        "failures": failures,
        "in_flight": in_flight,
        "per_second": 1e6 / median,
    }


def measure(run: Callable[[int], int], reps: int, in_flight: int = 1,
            warm_calls: int = 200, calls: int = 0) -> dict[str, Any]:
    """``run(n)`` makes n calls and returns how many failed. Warm-up, size (or ``calls`` per
    repetition), repeat; wall and process CPU time per call for each repetition."""
    started = time.perf_counter()
    failures = run(warm_calls)
    took = time.perf_counter() - started
    n = max(in_flight, calls or int(REP_SECONDS / (took / warm_calls)))
    n -= n % in_flight
    per_call, cpu, ops = [], [], 0
    for _ in range(reps):
        cpu_started = time.process_time_ns()
        started = time.perf_counter_ns()
        failures += run(n)
        per_call.append((time.perf_counter_ns() - started) / 1e3 / n)
        cpu.append((time.process_time_ns() - cpu_started) / 1e3 / n)
        ops += n
    return summarize(per_call, cpu, ops, failures, in_flight)


def control(url: str, method: str, body: dict[str, Any] | None = None) -> Any:
    """One call to the emulator's control API (``/emulator/faults``): the answer's JSON."""
    data = json.dumps(body).encode() if body is not None else None
    request = urllib.request.Request(f"{url}/emulator/faults", data=data, method=method,
                                     headers={"content-type": "application/json"})
    with urllib.request.urlopen(request, timeout=10) as answer:
        return json.load(answer)


@contextlib.contextmanager
def emulator_latency(url: str, latency_ms: int) -> Iterator[None]:
    """The emulator answers every token request after ``latency_ms`` while this is open."""
    fault = {"endpoint": "any", "kind": "latency", "latency_ms": latency_ms}
    listed = control(url, "POST", {"faults": [fault]})["faults"]
    assert len(listed) == 1 and listed[0]["latency_ms"] == latency_ms, listed
    try:
        yield
    finally:
        assert control(url, "DELETE")["faults"] == []


def loop(op: Callable[[], Any]) -> Callable[[int], int]:
    def run(n: int) -> int:
        for _ in range(n):
            op()
        return 0
    return run


def counting(op: Callable[[], bool]) -> Callable[[int], int]:
    def run(n: int) -> int:
        failed = 0
        for _ in range(n):
            try:
                failed += not op()
            except Exception:  # noqa: BLE001 - a failure is counted, not fatal
                failed += 1
        return failed
    return run


def threaded(pool: ThreadPoolExecutor, op: Callable[[], bool]) -> Callable[[int], int]:
    """n calls spread over IN_FLIGHT threads, each making its share in a row."""
    single = counting(op)

    def run(n: int) -> int:
        share = max(1, n // IN_FLIGHT)
        return sum(pool.map(single, [share] * IN_FLIGHT))
    return run


def asynchronous(loop_: asyncio.AbstractEventLoop,
                 op: Callable[[], Any]) -> Callable[[int], int]:
    """n calls spread over IN_FLIGHT coroutines on one event loop."""
    async def worker(share: int) -> int:
        failed = 0
        for _ in range(share):
            try:
                failed += not await op()
            except Exception:  # noqa: BLE001
                failed += 1
        return failed

    async def burst(n: int) -> int:
        share = max(1, n // IN_FLIGHT)
        return sum(await asyncio.gather(*(worker(share) for _ in range(IN_FLIGHT))))

    return lambda n: loop_.run_until_complete(burst(n))


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--fixture", required=True)
    parser.add_argument("--url", required=True)
    parser.add_argument("--api-key", required=True)
    parser.add_argument("--secret", required=True)
    parser.add_argument("--out", required=True)
    parser.add_argument("--reps", type=int, default=7)
    parser.add_argument("--only", default="", help="comma-separated case names")
    parser.add_argument("--latency-reps", type=int, default=3)
    parser.add_argument("--latency-calls", type=int, default=250)
    args = parser.parse_args()
    fixture = json.load(open(args.fixture))
    only = set(filter(None, args.only.split(",")))
    results: list[dict[str, Any]] = []

    def case(op: str, impl: str, run: Callable[[int], int], *, in_flight: int = 1,
             warm: int = 200, unit: str = "call", reps: int = 0, calls: int = 0) -> None:
        if only and op not in only:
            return
        result = measure(run, reps or args.reps, in_flight, warm, calls)
        result.update(op=op, impl=impl, unit=unit)
        results.append(result)
        print(f"  {op:<24} {impl:<14} {result['median_us']:>12.2f} us/{unit}"
              f"  [{result['min_us']:.2f} .. {result['max_us']:.2f}]"
              f"  CPU {result['cpu_median_us']:.2f} us/{unit}"
              f"  failures {result['failures']}", file=sys.stderr, flush=True)

    email = fixture["email"]
    emails = batch_emails()
    assert euid_sdk.hash_email(email) == normalize_and_hash_email(email)
    assert euid_sdk.hash_emails(emails) == [normalize_and_hash_email(e) for e in emails]

    # --- hashing
    case("hash_single", "ours", loop(lambda: euid_sdk.hash_email(email)), warm=5000)
    case("hash_single", "official", loop(lambda: normalize_and_hash_email(email)), warm=5000)
    case("hash_batch_10000", "ours", loop(lambda: euid_sdk.hash_emails(emails)), warm=3,
         unit="batch")
    case("hash_batch_10000", "official",
         loop(lambda: [normalize_and_hash_email(e) for e in emails]), warm=3, unit="batch")

    # --- envelopes in process: the same key, payload sizes and answer bytes
    secret_b64 = fixture["secret"]
    secret = base64.b64decode(secret_b64)
    nonce = base64.b64decode(fixture["nonce_b64"])
    email_hash = euid_sdk.hash_email(email)
    ours_payload = fixture["request_payload"].encode()
    official_payload = TokenGenerateInput.from_hashed_email(email_hash).get_as_json_string().encode()
    generate_body = base64.b64encode(base64.b64decode(fixture["generate_response_b64"]))
    refresh_body = base64.b64encode(base64.b64decode(fixture["refresh_response_b64"]))
    identity_json = fixture["identity_json"]
    refresh_key_b64 = json.loads(identity_json)["refresh_response_key"]
    refresh_key = base64.b64decode(refresh_key_b64)

    def ours_seal() -> bytes:
        return base64.b64encode(ours_envelope.seal_request(
            secret_b64, ours_payload, timestamp_ms=time.time_ns() // 1_000_000,
            nonce=os.urandom(8), iv=os.urandom(12)))

    def official_seal() -> bytes:
        return create_envelope(secret, dt.datetime.now(tz=dt.timezone.utc),
                               official_payload).envelope

    def ours_open() -> Any:
        result = ours_envelope.decrypt_generate_response(secret_b64, generate_body, nonce=nonce)
        assert result.is_success
        return result

    def official_open() -> Any:
        response = TokenGenerateResponse(
            parse_response(secret, Uid2Response.from_string(generate_body), nonce))
        assert response.is_success()
        return response

    def ours_refresh_open() -> Any:
        result = ours_envelope.decrypt_refresh_response(refresh_key_b64, refresh_body)
        assert result.is_success
        return result

    now = dt.datetime.now(tz=dt.timezone.utc)

    def official_refresh_open() -> Any:
        decrypted = _decrypt_gcm(base64.b64decode(refresh_body), refresh_key)
        response = TokenRefreshResponse(decrypted.decode(), now)
        assert response.is_success()
        return response

    case("envelope_create", "ours", loop(ours_seal), warm=2000)
    case("envelope_create", "official", loop(official_seal), warm=2000)
    case("response_decrypt", "ours", loop(ours_open), warm=2000)
    case("response_decrypt", "official", loop(official_open), warm=2000)
    case("envelope_round_trip", "ours", loop(lambda: (ours_seal(), ours_open())), warm=2000)
    case("envelope_round_trip", "official",
         loop(lambda: (official_seal(), official_open())), warm=2000)
    case("refresh_decrypt", "ours", loop(ours_refresh_open), warm=2000)
    case("refresh_decrypt", "official", loop(official_refresh_open), warm=2000)

    # --- against the emulator
    ours = euid_sdk.PublisherClient(args.url, args.api_key, args.secret)
    official = Uid2PublisherClient(args.url, args.api_key, args.secret)
    first = ours.generate_token(email=email)
    assert first.is_success, first
    ours_identity = first.identity
    official_first = official.generate_token(TokenGenerateInput.from_email(email))
    assert official_first.is_success(), official_first.status
    official_identity = official_first.get_identity()

    def ours_generate() -> bool:
        return ours.generate_token(email=email).is_success

    def official_generate() -> bool:
        return official.generate_token(TokenGenerateInput.from_email(email)).is_success()

    def ours_refresh() -> bool:
        return ours.refresh_token(ours_identity).is_success

    def official_refresh() -> bool:
        return official.refresh_token(official_identity).is_success()

    case("generate_seq", "ours", counting(ours_generate), warm=300)
    case("generate_seq", "official", counting(official_generate), warm=100)
    case("refresh_seq", "ours", counting(ours_refresh), warm=300)
    case("refresh_seq", "official", counting(official_refresh), warm=100)

    slow = [f"generate_seq_{LATENCY_MS}ms", f"refresh_seq_{LATENCY_MS}ms"]
    if not only or only & set(slow):
        first_slow = len(results)
        with emulator_latency(args.url, LATENCY_MS):
            for op, ours_op, official_op in [(slow[0], ours_generate, official_generate),
                                             (slow[1], ours_refresh, official_refresh)]:
                for impl, call in [("ours", ours_op), ("official", official_op)]:
                    case(op, impl, counting(call), warm=20, reps=args.latency_reps,
                         calls=args.latency_calls)
        for r in results[first_slow:]:  # the fault applied to every call
            assert r["min_us"] >= LATENCY_MS * 1000, r

    pool = ThreadPoolExecutor(IN_FLIGHT)
    event_loop = asyncio.new_event_loop()
    aclient = euid_sdk.AsyncPublisherClient(args.url, args.api_key, args.secret)

    async def ours_generate_async() -> bool:
        return (await aclient.generate_token(email=email)).is_success

    async def ours_refresh_async() -> bool:
        return (await aclient.refresh_token(ours_identity)).is_success

    warm = IN_FLIGHT * 20
    case("generate_32", "ours", asynchronous(event_loop, ours_generate_async),
         in_flight=IN_FLIGHT, warm=warm)
    case("generate_32", "ours_threads", threaded(pool, ours_generate), in_flight=IN_FLIGHT,
         warm=warm)
    case("generate_32", "official", threaded(pool, official_generate), in_flight=IN_FLIGHT,
         warm=warm)
    case("refresh_32", "ours", asynchronous(event_loop, ours_refresh_async),
         in_flight=IN_FLIGHT, warm=warm)
    case("refresh_32", "ours_threads", threaded(pool, ours_refresh), in_flight=IN_FLIGHT,
         warm=warm)
    case("refresh_32", "official", threaded(pool, official_refresh), in_flight=IN_FLIGHT,
         warm=warm)
    pool.shutdown()
    event_loop.close()

    failed = [r for r in results if r["failures"]]
    out = {
        "python": sys.version.split()[0],
        "euid_sdk": getattr(euid_sdk, "__version__", "0.1.0"),
        "uid2_client": _version("uid2_client"),
        "threads": threading.active_count(),
        "results": results,
    }
    with open(args.out, "w") as handle:
        json.dump(out, handle, indent=1)
    if failed:
        print(f"{len(failed)} cases had failing calls", file=sys.stderr)
        return 1
    return 0


def _version(package: str) -> str:
    from importlib import metadata
    try:
        return metadata.version(package)
    except metadata.PackageNotFoundError:
        return getattr(uid2_client, "__version__", "unknown")


if __name__ == "__main__":
    sys.exit(main())
