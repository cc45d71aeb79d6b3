"""The asyncio client end to end against the emulator."""

from __future__ import annotations

import asyncio
import time

import pytest

import euid_sdk
from conftest import Emulator
from euid_sdk import _door

HOUR_MS = 3_600_000


def run(coroutine):  # type: ignore[no-untyped-def]
    return asyncio.run(coroutine)


def test_generate_refresh_and_opt_out(emulator: Emulator) -> None:
    async def flow() -> None:
        # The operator's clock moves an hour: its Date header lets the later generate correct.
        emulator.date_header(True)
        async with emulator.async_client() as client:
            result = await client.generate_token(email="user@example.com")
            assert isinstance(result, euid_sdk.GenerateSuccess)
            emulator.advance_clock(HOUR_MS)
            refreshed = await client.refresh_token(result.identity)
            assert isinstance(refreshed, euid_sdk.RefreshSuccess)
            assert isinstance(
                await client.generate_token(email="optout@example.com"), euid_sdk.OptOut
            )
            opted = await client.generate_token(email="refresh-optout@example.com")
            assert opted.identity is not None
            assert isinstance(await client.refresh_token(opted.identity), euid_sdk.OptOut)
            assert await client.validate_token(
                result.identity.advertising_token, email="user@example.com"
            )

    run(flow())


def test_fifty_concurrent_generates_all_succeed_and_differ(emulator: Emulator) -> None:
    async def flow() -> list[euid_sdk.GenerateResult]:
        async with emulator.async_client() as client:
            return await asyncio.gather(
                *(client.generate_token(email=f"user{i}@example.com") for i in range(50))
            )

    results = run(flow())
    assert all(isinstance(result, euid_sdk.GenerateSuccess) for result in results)
    tokens = {result.identity.advertising_token for result in results if result.identity}
    assert len(tokens) == 50
    assert emulator.counters("generate")["outcomes"]["success"] == 50


def test_requests_run_concurrently_not_one_after_another(emulator: Emulator) -> None:
    emulator.faults({"endpoint": "generate", "kind": "latency", "latency_ms": 300})

    async def flow() -> float:
        async with emulator.async_client() as client:
            started = time.monotonic()
            await asyncio.gather(
                *(client.generate_token(email=f"user{i}@example.com") for i in range(10))
            )
            return time.monotonic() - started

    # Ten requests of 300 ms each finish together, not in three seconds.
    assert run(flow()) < 2.0


def test_errors_are_the_same_typed_exceptions(emulator: Emulator) -> None:
    async def flow() -> None:
        client = euid_sdk.AsyncPublisherClient(emulator.url, "wrong", emulator.client_secret)
        with pytest.raises(euid_sdk.UnauthorizedError):
            await client.generate_token(email="user@example.com")
        with pytest.raises(euid_sdk.InvalidInputError):
            await client.generate_token(email="not an email")
        emulator.faults({"endpoint": "generate", "kind": "status", "status": 503, "count": 1})
        async with emulator.async_client() as retrying:
            assert (await retrying.generate_token(email="user@example.com")).is_success

    run(flow())


def test_clock_drift_and_timeouts_async(emulator: Emulator) -> None:
    async def flow() -> None:
        emulator.advance_clock(-5 * 60_000)
        emulator.date_header(True)
        async with emulator.async_client() as client:
            assert (await client.generate_token(email="user@example.com")).is_success
            assert client.clock_offset_ms == pytest.approx(-5 * 60_000, abs=2_000)
        emulator.faults({"endpoint": "generate", "kind": "latency", "latency_ms": 3_000})
        async with emulator.async_client(timeout=0.2, deadline=0.8) as client:
            started = time.monotonic()
            with pytest.raises(euid_sdk.EuidTimeoutError):
                await client.generate_token(email="user@example.com")
            assert time.monotonic() - started < 1.8

    run(flow())


def test_a_cancelled_call_leaves_nothing_behind(emulator: Emulator) -> None:
    from euid_sdk import _completion

    async def flow() -> None:
        emulator.faults({"endpoint": "generate", "kind": "latency", "latency_ms": 300, "count": 1})
        async with emulator.async_client() as client:
            slow = asyncio.ensure_future(client.generate_token(email="slow@example.com"))
            await asyncio.sleep(0.05)
            completions = _completion.completions(asyncio.get_running_loop())
            assert len(completions.waiting) == 1
            slow.cancel()
            with pytest.raises(asyncio.CancelledError):
                await slow
            assert completions.waiting == {}, "the cancelled call waits no more"
            assert (await client.generate_token(email="next@example.com")).is_success
            await asyncio.sleep(0.5)  # the cancelled call finishes on the SDK's runtime
            assert emulator.counters("generate")["requests"] == 2, "it did reach the operator"
            assert (await client.generate_token(email="last@example.com")).is_success
            assert completions.waiting == {}

    errors: list[dict[str, object]] = []

    def run_recording_errors() -> None:
        loop = asyncio.new_event_loop()
        loop.set_exception_handler(lambda _, context: errors.append(context))
        try:
            loop.run_until_complete(flow())
        finally:
            loop.close()

    run_recording_errors()
    assert errors == [], "the dropped result reached no future"


def test_a_call_cancelled_after_its_result_came_leaves_the_others_resolved(
    emulator: Emulator,
) -> None:
    """A result already taken for a caller cancelled in the same loop iteration is dropped,
    and the other results of that batch still reach their callers."""
    from euid_sdk import _completion

    async def flow() -> None:
        loop = asyncio.get_running_loop()
        async with emulator.async_client() as client:
            assert (await client.generate_token(email="first@example.com")).is_success
            completions = _completion.completions(loop)
            fd = _door.queue_fd(completions.queue)
            loop.remove_reader(fd)  # the results wait in the queue until taken below
            try:
                calls = [
                    asyncio.ensure_future(client.generate_token(email=f"u{i}@example.com"))
                    for i in range(3)
                ]
                await asyncio.sleep(0)  # each is submitted
                assert len(completions.waiting) == 3
                time.sleep(0.5)  # blocks the loop while all three finish
                calls[1].cancel()  # its future is cancelled; its task has not run yet
                completions._ready()  # one batch of three results
            finally:
                loop.add_reader(fd, completions._ready)
            first, third = await asyncio.wait_for(asyncio.gather(calls[0], calls[2]), 5)
            assert first.is_success and third.is_success
            with pytest.raises(asyncio.CancelledError):
                await calls[1]
            assert completions.waiting == {}

    run(flow())


def test_one_queue_per_loop_resolves_each_of_many_calls_once(emulator: Emulator) -> None:
    from euid_sdk import _completion

    resolved: list[int] = []

    async def flow() -> int:
        loop = asyncio.get_running_loop()
        async with emulator.async_client() as client, emulator.async_client() as other:
            calls = [
                (client if i % 2 else other).generate_token(email=f"user{i}@example.com")
                for i in range(200)
            ]
            for i, result in enumerate(await asyncio.gather(*calls)):
                assert isinstance(result, euid_sdk.GenerateSuccess)
                resolved.append(i)
            completions = _completion.completions(loop)
            assert completions.waiting == {}
            return completions.queue

    first, second = run(flow()), run(flow())
    assert first != second, "each event loop has its own queue"
    assert sorted(resolved) == sorted(list(range(200)) * 2)
    assert emulator.counters("generate")["outcomes"]["success"] == 400


def test_two_loops_in_two_threads_share_nothing(emulator: Emulator) -> None:
    import threading

    from euid_sdk import _completion

    queues: list[int] = []
    client = emulator.async_client()

    def in_thread() -> None:
        async def flow() -> None:
            results = await asyncio.gather(
                *(client.generate_token(email=f"t{i}@example.com") for i in range(20))
            )
            assert all(result.is_success for result in results)
            queues.append(_completion.completions(asyncio.get_running_loop()).queue)

        asyncio.run(flow())

    threads = [threading.Thread(target=in_thread) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=30)
    assert len(set(queues)) == 2
    assert emulator.counters("generate")["outcomes"]["success"] == 40


def test_a_loop_without_add_reader_gets_a_clear_error(emulator: Emulator) -> None:
    class NoReaders(asyncio.SelectorEventLoop):
        def add_reader(self, *args: object) -> None:  # type: ignore[override]
            raise NotImplementedError

    loop = NoReaders()
    try:
        with pytest.raises(euid_sdk.ConfigError, match="add_reader"):
            loop.run_until_complete(
                emulator.async_client().generate_token(email="user@example.com")
            )
    finally:
        loop.close()
    assert emulator.counters("generate")["requests"] == 0


def test_a_closed_async_client_refuses_calls(emulator: Emulator) -> None:
    async def flow() -> None:
        client = emulator.async_client()
        generated = await client.generate_token(email="user@example.com")
        assert isinstance(generated, euid_sdk.GenerateSuccess)
        client.close()
        for call in (
            lambda: client.generate_token(email="user@example.com"),
            lambda: client.refresh_token(generated.identity),
            lambda: client.validate_token("token", email="user@example.com"),
        ):
            with pytest.raises(euid_sdk.ClientClosedError) as caught:
                await call()
            assert caught.value.kind == "closed"

    run(flow())


def test_invalid_input_fails_at_once_with_the_typed_error(emulator: Emulator) -> None:
    async def flow() -> None:
        async with emulator.async_client() as client:
            with pytest.raises(euid_sdk.InvalidInputError):
                await client.generate_token(email="not an email")
            assert (await client.generate_token(email="user@example.com")).is_success

    run(flow())
