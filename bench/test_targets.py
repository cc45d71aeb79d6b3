"""Tests of the targets table (run by scripts/bench.sh before it measures):
python3 -m unittest discover -s bench -p 'test_*.py'"""

from __future__ import annotations

import unittest

import targets
from targets import Rows


def row(wall: float, cpu: float = 0.0) -> dict[str, float]:
    return {"median_us": wall, "cpu_median_us": cpu}


CORE: Rows = {("generate_seq", "ours"): row(50), ("refresh_seq", "ours"): row(50),
              ("generate_32", "ours"): row(40), ("refresh_32", "ours"): row(40)}


def by_name(found: list[targets.Target]) -> dict[str, targets.Target]:
    return {t.target: t for t in found}


class TargetsTest(unittest.TestCase):
    def test_near_core_is_the_gap_per_call_and_takes_the_better_jvm_client(self) -> None:
        jvm: Rows = {("generate_seq", "ours"): row(60), ("refresh_seq", "ours"): row(60.5),
                     ("generate_32", "ours"): row(80), ("generate_32", "ours_suspend"): row(45),
                     ("refresh_32", "ours"): row(45), ("refresh_32", "ours_suspend"): row(90)}
        found = targets.near_core("JVM", jvm, CORE)
        self.assertEqual([t.met for t in found], [True, False, True, True])
        self.assertIn("(coroutines)", found[2].measured)
        self.assertIn("(blocking, threads)", found[3].measured)
        self.assertIn("+10.5 µs", found[1].measured)

    def test_python_ratios_need_10x_and_30x(self) -> None:
        python: Rows = {("generate_seq", "ours"): row(100), ("generate_seq", "official"): row(999),
                        ("generate_32", "ours"): row(40), ("generate_32", "official"): row(1200),
                        ("generate_32", "ours_threads"): row(10)}
        found = by_name(targets.evaluate(python, {}, CORE))
        seq = found["Python full generate, sequential: ≥ 10× the official"]
        self.assertFalse(seq.met)
        self.assertIn("10.0× faster", seq.measured)  # 9.99×, printed rounded, still missed
        con = found["Python full generate, 32 in flight (per call): ≥ 30× the official"]
        self.assertTrue(con.met)
        self.assertIn("(asyncio)", con.measured)  # not the faster 32-thread figure

    def test_slower_is_said_and_missing_figures_are_missed(self) -> None:
        jvm: Rows = {("hash_single", "ours"): row(0.374), ("hash_single", "official"): row(0.219)}
        found = by_name(targets.evaluate({}, jvm, {}))
        hashing = found["JVM hashEmail: no slower than the official"]
        self.assertFalse(hashing.met)
        self.assertIn("1.7× slower", hashing.measured)
        missing = [t for t in found.values() if t.measured == "not measured"]
        self.assertEqual(len(missing), len(found) - 1)
        self.assertTrue(all(not t.met for t in missing))

    def test_cpu_per_generate_at_most_30us_in_both_cases(self) -> None:
        python: Rows = {("generate_seq", "ours"): row(110, 30.0),
                        ("generate_seq_10ms", "ours"): row(10_100, 31.0),
                        ("generate_seq_10ms", "official"): row(14_000, 1786.0)}
        found = [t for t in targets.evaluate(python, {}, {}) if "CPU" in t.target]
        self.assertEqual([t.met for t in found], [True, False, False, False])
        self.assertIn("official 1,786 µs CPU", found[1].measured)

    def test_markdown_has_one_row_per_target_and_a_count(self) -> None:
        found = targets.evaluate({}, {}, CORE)
        lines = targets.markdown(found)
        self.assertEqual(len(lines), 2 + len(found) + 1)
        self.assertTrue(lines[-1].strip().startswith(f"0 of {len(found)} targets met"))


if __name__ == "__main__":
    unittest.main()
