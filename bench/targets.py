"""The targets of the binding redesign (issue 14), judged on one `make bench` run.

Every table is keyed by (case, implementation), e.g. ("generate_32", "ours_suspend"), and holds
the case's result: ``median_us`` (wall time per call) and ``cpu_median_us`` (process CPU per
call). A target whose figures are missing from the run is reported as missed.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from units import times, us

Rows = dict[tuple[str, str], dict[str, Any]]

NEAR_CORE_US = 10.0
CPU_LIMIT_US = 30.0
CALLS = [("generate_seq", "full generate, sequential"),
         ("refresh_seq", "full refresh, sequential"),
         ("generate_32", "full generate, 32 in flight (per call)"),
         ("refresh_32", "full refresh, 32 in flight (per call)")]
# Which of our implementations a language's figure comes from; with two, the better one.
OURS = {
    ("Python", "seq"): {"ours": "blocking"},
    ("Python", "32"): {"ours": "asyncio"},
    ("JVM", "seq"): {"ours": "blocking"},
    ("JVM", "32"): {"ours": "blocking, threads", "ours_suspend": "coroutines"},
}


@dataclass(frozen=True)
class Target:
    target: str
    measured: str
    threshold: str
    met: bool


def _impls(language: str, op: str) -> dict[str, str]:
    return OURS[(language, "32" if op.endswith("_32") else "seq")]


def _best(rows: Rows, op: str, impls: dict[str, str]) -> tuple[float, str] | None:
    found = [(rows[(op, impl)]["median_us"], label) for impl, label in impls.items()
             if (op, impl) in rows]
    return min(found) if found else None


def _missing(target: str, threshold: str) -> Target:
    return Target(target, "not measured", threshold, False)


def near_core(language: str, rows: Rows, core: Rows) -> list[Target]:
    """Ours minus the Rust core's figure, per call, at most NEAR_CORE_US."""
    out = []
    for op, label in CALLS:
        target = f"{language} {label}: within {NEAR_CORE_US:.0f} µs of the Rust core"
        threshold = f"ours − Rust core ≤ {NEAR_CORE_US:.0f} µs"
        ours, rust = _best(rows, op, _impls(language, op)), core.get((op, "ours"))
        if ours is None or rust is None:
            out.append(_missing(target, threshold))
            continue
        gap = ours[0] - rust["median_us"]
        out.append(Target(target, f"{us(ours[0])} ({ours[1]}) − {us(rust['median_us'])} = "
                                  f"{gap:+.1f} µs", threshold, gap <= NEAR_CORE_US))
    return out


def faster(language: str, rows: Rows, op: str, label: str, need: float,
           impls: dict[str, str] | None = None) -> Target:
    """Ours (the better of ``impls``) at least ``need`` times as fast as the official SDK."""
    target = f"{language} {label}: ≥ {need:g}× the official" if need != 1 else \
        f"{language} {label}: no slower than the official"
    threshold = f"≥ {need:.1f}× faster" if need != 1 else "ours ≤ official"
    ours = _best(rows, op, impls or _impls(language, op))
    official = rows.get((op, "official"))
    if ours is None or official is None:
        return _missing(target, threshold)
    f = official["median_us"]
    return Target(target, f"{us(ours[0])} ({ours[1]}) vs {us(f)}: {times(ours[0], f)}",
                  threshold, f / ours[0] >= need)


def cpu(language: str, rows: Rows, op: str, label: str) -> Target:
    """Our process CPU per call at most CPU_LIMIT_US; the official's beside it."""
    target = f"{language} CPU per generate, {label}"
    threshold = f"≤ {CPU_LIMIT_US:.0f} µs CPU per call"
    ours, official = rows.get((op, "ours")), rows.get((op, "official"))
    if ours is None or "cpu_median_us" not in ours:
        return _missing(target, threshold)
    beside = f"; official {us(official['cpu_median_us'])} CPU / {us(official['median_us'])}" \
        if official else ""
    return Target(target, f"{us(ours['cpu_median_us'])} CPU / {us(ours['median_us'])} wall "
                          f"(blocking){beside}", threshold,
                  ours["cpu_median_us"] <= CPU_LIMIT_US)


def evaluate(python: Rows, jvm: Rows, core: Rows) -> list[Target]:
    """Every target, in the order of the issue."""
    out = near_core("Python", python, core) + near_core("JVM", jvm, core)
    for op, label in CALLS:
        out.append(faster("JVM", jvm, op, label, 2))
    out.append(faster("JVM", jvm, "hash_single", "hashEmail", 1, {"ours": "hashEmail"}))
    for op, label in CALLS:
        out.append(faster("Python", python, op, label, 30 if op.endswith("_32") else 10))
    for language, rows in [("Python", python), ("JVM", jvm)]:
        out.append(cpu(language, rows, "generate_seq", "emulator answering at once"))
        out.append(cpu(language, rows, "generate_seq_10ms", "emulator answering after 10 ms"))
    return out


def markdown(targets: list[Target]) -> list[str]:
    lines = ["| target | measured | threshold | result |", "|---|---|---|---|"]
    lines += [f"| {t.target} | {t.measured} | {t.threshold} | {'met' if t.met else '**missed**'} |"
              for t in targets]
    met = sum(t.met for t in targets)
    lines.append(f"\n{met} of {len(targets)} targets met.")
    return lines
