"""The emulator's HTTP control API (``/emulator/...``) on loopback, through urllib."""

from __future__ import annotations

import json
import urllib.error
import urllib.request
from typing import Any

from ._errors import EmulatorError

# Never through a proxy: the emulator listens on 127.0.0.1, whatever HTTP_PROXY says.
_OPENER = urllib.request.build_opener(urllib.request.ProxyHandler({}))
_TIMEOUT_S = 10


def control(url: str, method: str, path: str, body: Any = None) -> Any:
    """``method /emulator/<path>`` with ``body`` as JSON; the JSON answer.

    Raises :class:`EmulatorError`: ``control`` with the emulator's message for a refused call,
    ``io`` when it does not answer.
    """
    data = None if body is None else json.dumps(body).encode("utf-8")
    request = urllib.request.Request(
        f"{url}/emulator/{path}",
        data=data,
        method=method,
        headers={"Content-Type": "application/json"},
    )
    try:
        with _OPENER.open(request, timeout=_TIMEOUT_S) as response:
            return json.loads(response.read())
    except urllib.error.HTTPError as err:
        with err:
            text = err.read().decode("utf-8", "replace")
        try:
            message = str(json.loads(text)["error"])
        except (ValueError, KeyError, TypeError):
            message = f"HTTP {err.code}"
        raise EmulatorError("control", f"{method} /emulator/{path}: {message}") from None
    except OSError as err:
        raise EmulatorError("io", f"the emulator at {url} did not answer: {err}") from None
