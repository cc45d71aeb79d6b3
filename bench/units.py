"""How the bench report writes times and ratios."""

from __future__ import annotations


def us(value: float | None) -> str:
    """A time in µs, in the unit that reads best (ns, µs or ms)."""
    if value is None:
        return "–"
    if value >= 10_000:
        return f"{value / 1000:,.1f} ms"
    if value >= 100:
        return f"{value:,.0f} µs"
    if value >= 1:
        return f"{value:.2f} µs"
    return f"{value * 1000:.0f} ns"


def times(ours: float, other: float) -> str:
    """How many times faster (or slower) ``ours`` is than ``other``: "2.1× faster"."""
    if ours <= other:
        return f"{other / ours:.1f}× faster"
    return f"{ours / other:.1f}× slower"
