"""Asyncio calls: each operation is submitted once (``euid_submit``) and its result comes back
through its event loop's completion queue.

One queue per event loop. Its file descriptor is readable while results wait; the loop watches
it (``add_reader``) and, on each wake-up, one ``euid_queue_take`` collects every finished
result and resolves the waiting futures. Nothing calls into Python from the SDK's threads, and
waiting costs nothing: no polling, no timer.
"""

from __future__ import annotations

import asyncio
import itertools
import struct
import weakref
from typing import Any

from . import _door
from ._errors import ConfigError, ErrorKind, InternalError

_RECORD = struct.Struct(">QI")


class Completions:
    """One event loop's queue and the calls waiting on it, by ticket."""

    __slots__ = ("queue", "waiting", "_tickets", "__weakref__")

    def __init__(self, loop: asyncio.AbstractEventLoop) -> None:
        queue = _door.queue_new()
        if not queue:
            raise InternalError(
                "the native library could not make a completion queue", kind=ErrorKind.INTERNAL
            )
        try:
            loop.add_reader(_door.queue_fd(queue), self._ready)
        except NotImplementedError:
            _door.queue_close(queue)
            raise ConfigError(
                f"euid_sdk's asyncio calls need an event loop with add_reader, which "
                f"{type(loop).__name__} lacks (on Windows: asyncio.WindowsSelectorEventLoopPolicy)",
                kind=ErrorKind.CONFIG,
            ) from None
        self.queue: int = queue
        self.waiting: dict[int, tuple[asyncio.Future[Any], _door.Decoder]] = {}
        self._tickets = itertools.count(1)
        # The queue lives as long as its loop.
        weakref.finalize(loop, _door.queue_close, queue)

    def _ready(self) -> None:
        """Resolves the future of every result that came (a cancelled caller's is dropped)."""
        data = _door.take_queue(self.queue)
        if data is None:
            return
        at, end = 0, len(data)
        while at < end:
            ticket, length = _RECORD.unpack_from(data, at)
            at += _RECORD.size
            result = data[at : at + length]
            at += length
            waiting = self.waiting.pop(ticket, None)
            if waiting is None or waiting[0].done():  # the caller was cancelled
                continue
            future, decode = waiting
            try:
                value = _door.decoded(result, decode)
            except Exception as err:
                future.set_exception(err)
            else:
                future.set_result(value)

    async def submit(self, op: _door.Op, target: int, args: bytes) -> Any:
        ticket = next(self._tickets)
        future: asyncio.Future[Any] = asyncio.get_running_loop().create_future()
        self.waiting[ticket] = (future, op.decode)
        if _door.submit_raw(op.code, target, args, len(args), self.queue, ticket) != 0:
            del self.waiting[ticket]
            raise InternalError("the completion queue is closed", kind=ErrorKind.INTERNAL)
        try:
            return await future
        except asyncio.CancelledError:
            self.waiting.pop(ticket, None)  # its result is dropped when it comes
            raise


_of_loop: weakref.WeakKeyDictionary[asyncio.AbstractEventLoop, Completions] = (
    weakref.WeakKeyDictionary()
)


def completions(loop: asyncio.AbstractEventLoop) -> Completions:
    """The loop's completions, made at its first call."""
    found = _of_loop.get(loop)
    if found is None:
        found = _of_loop[loop] = Completions(loop)
    return found


async def submit(op: _door.Op, target: int, *args: Any) -> Any:
    """Runs ``op`` on ``target`` on the SDK's runtime and returns its value, or raises its
    error, without blocking the running event loop."""
    data = op.encode(*args)
    return await completions(asyncio.get_running_loop()).submit(op, target, data)
