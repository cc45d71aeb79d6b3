"""A test kit for publishers: the EUID operator emulator in your tests, no credentials needed.

>>> from euid_sdk import PublisherClient
>>> from euid_sdk.testing import Emulator
>>> with Emulator() as emulator:
...     client = PublisherClient(emulator.url, emulator.api_key, emulator.client_secret)
...     client.generate_token(email="jane.doe@example.com").is_success
True

With pytest, the ``euid_emulator`` fixture (registered by the wheel) gives one emulator per test
session, reset before each test. Its native library ships in this package, apart from the SDK's
own, which carries no emulator.
"""

from ._emulator import Emulator
from ._errors import EmulatorError, EmulatorErrorKind
from ._types import Clock, Counters, EndpointCounts, Fault, FaultEndpoint, FaultKind

__all__ = [
    "Clock",
    "Counters",
    "Emulator",
    "EmulatorError",
    "EmulatorErrorKind",
    "EndpointCounts",
    "Fault",
    "FaultEndpoint",
    "FaultKind",
]
