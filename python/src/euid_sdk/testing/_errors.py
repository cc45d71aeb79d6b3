"""The test kit's one exception."""

from __future__ import annotations

from typing import Literal

EmulatorErrorKind = Literal["config", "io", "control", "not_running", "internal"]


class EmulatorError(Exception):
    """The emulator could not start, was stopped, or refused a control call.

    ``kind`` says which: ``config`` (an invalid setting, named in the message), ``io`` (no free
    port, or the emulator did not answer), ``control`` (a control call it refused, with its
    message), ``not_running`` (the emulator was closed), ``internal`` (a bug of the test kit).
    No message contains a credential.
    """

    def __init__(self, kind: EmulatorErrorKind, message: str) -> None:
        super().__init__(message)
        self.kind: EmulatorErrorKind = kind
