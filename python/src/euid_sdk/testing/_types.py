"""What the control API takes and gives: faults, the clock, the counters."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, Literal, Mapping, Optional, Union

FaultEndpoint = Literal["generate", "refresh", "validate", "any"]
FaultKind = Literal[
    "status", "latency", "close", "garbage", "truncate", "wrong_key", "wrong_nonce", "html"
]
_ENDPOINTS = ("generate", "refresh", "validate", "any")
_KINDS = ("status", "latency", "close", "garbage", "truncate", "wrong_key", "wrong_nonce", "html")


@dataclass(frozen=True)
class Fault:
    """A fault the emulator injects into requests to ``endpoint``, checked in list order before
    normal processing (the first that matches wins).

    ``kind`` is one of ``status`` (answer ``status``, default 500, with ``Retry-After:
    retry_after`` seconds if given, and ``body``: a string as ``text/plain``, anything else as
    JSON; by default the operator's 500 body), ``latency`` (wait ``latency_ms``, then answer
    normally), ``close`` (close the connection), ``garbage`` (200 with random bytes),
    ``truncate`` (200 with half the real body), ``wrong_key`` (200 sealed with another key),
    ``wrong_nonce`` (200 with another nonce), ``html`` (a load balancer's 502 page).

    ``count`` limits it to the next N matching requests (default: all); ``probability``
    (0..1) makes it apply at random.

    >>> Fault("status", endpoint="generate", status=503, retry_after=2, count=1)
    Fault(kind='status', endpoint='generate', status=503, retry_after=2, body=None, latency_ms=None, count=1, probability=None)
    """

    kind: FaultKind
    endpoint: FaultEndpoint = "any"
    status: Optional[int] = None
    retry_after: Optional[int] = None
    body: Union[str, Mapping[str, Any], list[Any], None] = None
    latency_ms: Optional[int] = None
    count: Optional[int] = None
    probability: Optional[float] = None

    def __post_init__(self) -> None:
        if self.kind not in _KINDS:
            raise ValueError(f"unknown fault kind {self.kind!r}; one of {', '.join(_KINDS)}")
        if self.endpoint not in _ENDPOINTS:
            raise ValueError(f"unknown endpoint {self.endpoint!r}; one of {', '.join(_ENDPOINTS)}")
        given = {
            name
            for name in ("status", "retry_after", "body", "latency_ms")
            if getattr(self, name) is not None
        }
        allowed = {"status": {"status", "retry_after", "body"}, "latency": {"latency_ms"}}
        extra = given - allowed.get(self.kind, set())
        if extra:
            raise ValueError(f"a {self.kind} fault takes no {', '.join(sorted(extra))}")
        if self.kind == "latency" and self.latency_ms is None:
            raise ValueError("a latency fault needs latency_ms")

    def to_json(self) -> dict[str, Any]:
        """The fault in the control API's JSON form."""
        fields = ("kind", "endpoint", "status", "retry_after", "body", "latency_ms", "count",
                  "probability")
        return {name: getattr(self, name) for name in fields if getattr(self, name) is not None}

    @classmethod
    def from_json(cls, data: Mapping[str, Any]) -> Fault:
        """A fault from the control API's JSON form (as ``faults()`` gives them)."""
        return cls(**data)


@dataclass(frozen=True)
class Clock:
    """The emulator's clock: its now and offset from this machine's clock (epoch ms), whether it
    is frozen, whether answers carry a ``Date`` header."""

    now_ms: int
    offset_ms: int
    frozen: bool
    date_header: bool

    @classmethod
    def from_json(cls, data: Mapping[str, Any]) -> Clock:
        return cls(
            now_ms=int(data["now_ms"]),
            offset_ms=int(data["offset_ms"]),
            frozen=bool(data["frozen"]),
            date_header=bool(data["date_header"]),
        )


@dataclass(frozen=True)
class EndpointCounts:
    """One endpoint's requests since the last reset, and how they ended: the answer's status
    (``success``, ``optout``, ``client_error``...) or the fault injected (``fault_status``...)."""

    requests: int
    outcomes: Mapping[str, int] = field(default_factory=dict)

    def outcome(self, name: str) -> int:
        """How many requests ended with ``name`` (0 if none did)."""
        return self.outcomes.get(name, 0)

    @classmethod
    def from_json(cls, data: Mapping[str, Any]) -> EndpointCounts:
        outcomes = {str(name): int(count) for name, count in data["outcomes"].items()}
        return cls(requests=int(data["requests"]), outcomes=outcomes)


@dataclass(frozen=True)
class Counters:
    """The request counters of the three token endpoints."""

    generate: EndpointCounts
    refresh: EndpointCounts
    validate: EndpointCounts

    @classmethod
    def from_json(cls, data: Mapping[str, Any]) -> Counters:
        return cls(
            generate=EndpointCounts.from_json(data["generate"]),
            refresh=EndpointCounts.from_json(data["refresh"]),
            validate=EndpointCounts.from_json(data["validate"]),
        )
