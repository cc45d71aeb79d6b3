"""The pytest plugin of the test kit, registered by the euid-sdk wheel (entry point
``pytest11``, name ``euid_sdk``; ``-p no:euid_sdk`` turns it off): the ``euid_emulator``
fixture.

    def test_sign_in(euid_emulator):
        client = PublisherClient(euid_emulator.url, euid_emulator.api_key, euid_emulator.client_secret)
        assert client.generate_token(email="jane.doe@example.com").is_success
"""

from __future__ import annotations

from typing import Iterator

import pytest

from ._emulator import Emulator


@pytest.fixture(scope="session")
def euid_emulator_session() -> Iterator[Emulator]:
    """One emulator for the test session (started on first use, stopped at the end), not reset
    between tests: prefer ``euid_emulator``."""
    with Emulator() as emulator:
        yield emulator


@pytest.fixture
def euid_emulator(euid_emulator_session: Emulator) -> Emulator:
    """A running EUID operator emulator (:class:`euid_sdk.testing.Emulator`), reset before the
    test: no faults, opt-outs or clock changes from earlier tests, counters at 0. Point your
    code at ``euid_emulator.url`` with ``euid_emulator.api_key`` and
    ``euid_emulator.client_secret``."""
    euid_emulator_session.reset()
    return euid_emulator_session
