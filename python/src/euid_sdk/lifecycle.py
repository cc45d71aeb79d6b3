"""The identity lifecycle as a pure state machine: statuses, events, advice. No I/O, no
clock: every method takes the instant it applies at.

Most applications use :meth:`Identity.status` and :meth:`Identity.advice`; this module is for
code that tracks an identity through its events, as the browser SDK does.
"""

from __future__ import annotations

from . import _native
from ._errors import translated
from ._identity import Advice, Identity, IdentityStatus, Instant, to_ms
from ._results import GenerateResult, RefreshResult, generate_outcome, refresh_outcome

__all__ = ["Lifecycle"]


class Lifecycle:
    """One user's identity lifecycle. Immutable: each event returns the next lifecycle.

    >>> lifecycle = Lifecycle().on_generated(result, now=now)  # doctest: +SKIP
    >>> lifecycle.status  # doctest: +SKIP
    <IdentityStatus.ESTABLISHED: 0>
    """

    __slots__ = ("_inner",)

    def __init__(self) -> None:
        self._inner = _native.Lifecycle()

    @classmethod
    @translated
    def restore(
        cls, status: IdentityStatus, identity: Identity | None, now: Instant = None
    ) -> Lifecycle:
        """A lifecycle in ``status`` holding ``identity``, as restored from storage at ``now``.
        Statuses that depend on time are re-derived from the identity."""
        record = None if identity is None else identity._record
        return cls._wrap(_native.Lifecycle.restore(status._to_native(), record, to_ms(now)))

    @classmethod
    def _wrap(cls, inner: _native.Lifecycle) -> Lifecycle:
        lifecycle = cls.__new__(cls)
        lifecycle._inner = inner
        return lifecycle

    @property
    def status(self) -> IdentityStatus:
        """The status after the last event."""
        return IdentityStatus._from_native(self._inner.status())

    @property
    def identity(self) -> Identity | None:
        """The identity held, if any."""
        record = self._inner.identity()
        return None if record is None else Identity._wrap(record)

    def status_at(self, now: Instant = None) -> IdentityStatus:
        """The status at ``now``."""
        return IdentityStatus._from_native(self._inner.status_at(to_ms(now)))

    def advice(self, now: Instant = None) -> Advice:
        """What to do at ``now``."""
        return Advice._from_native(self._inner.advice(to_ms(now)))

    @translated
    def on_generated(self, result: GenerateResult, now: Instant = None) -> Lifecycle:
        """After ``/v2/token/generate`` answered ``result``."""
        event = _native.Event.GENERATED(generate_outcome(result))
        return Lifecycle._wrap(self._inner.apply(event, to_ms(now)))

    @translated
    def on_refreshed(self, result: RefreshResult, now: Instant = None) -> Lifecycle:
        """After ``/v2/token/refresh`` answered ``result``."""
        event = _native.Event.REFRESHED(refresh_outcome(result))
        return Lifecycle._wrap(self._inner.apply(event, to_ms(now)))

    @translated
    def on_refresh_failed(self, now: Instant = None) -> Lifecycle:
        """After a refresh failed for a transient reason (the identity is kept)."""
        return Lifecycle._wrap(self._inner.apply(_native.Event.REFRESH_FAILED(), to_ms(now)))

    @translated
    def on_time_passed(self, now: Instant = None) -> Lifecycle:
        """After time passed."""
        return Lifecycle._wrap(self._inner.apply(_native.Event.TIME_PASSED(), to_ms(now)))

    @translated
    def on_logout(self, now: Instant = None) -> Lifecycle:
        """After the user logged out."""
        return Lifecycle._wrap(self._inner.apply(_native.Event.LOGOUT(), to_ms(now)))

    def __repr__(self) -> str:
        return f"Lifecycle(status={self.status.name})"
