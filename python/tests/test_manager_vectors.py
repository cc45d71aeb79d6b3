"""Every scenario of tests/vectors/manager.json through ``IdentityManager`` and ``MemoryStore``."""

from __future__ import annotations

from typing import Any

import pytest

import euid_sdk
from conftest import Emulator, load_vectors
from manager_scenarios import case_params, run_case


def test_the_manager_vectors_have_cases() -> None:
    names = [case["name"] for case in load_vectors("manager")]
    assert names
    assert len(set(names)) == len(names), "case names are the test ids: keep them unique"


@pytest.mark.parametrize("case", case_params())
def test_manager_scenario(emulator: Emulator, case: dict[str, Any]) -> None:
    run_case(emulator, case, euid_sdk.MemoryStore())
