"""A WSGI app for the pre-fork test: gunicorn --preload imports it in the parent, which uses
the SDK at import time, then forks the workers that serve the requests."""

from __future__ import annotations

import json
import os
from typing import Any, Callable, Iterable

import euid_sdk

CLIENT = euid_sdk.PublisherClient(
    os.environ["EUID_URL"], os.environ["EUID_API_KEY"], os.environ["EUID_CLIENT_SECRET"]
)
MANAGER = euid_sdk.IdentityManager(CLIENT)

# The parent's own calls, before any fork: this is what used to leave workers hanging.
assert CLIENT.generate_token(email="preload@example.com").is_success
assert MANAGER.establish("preload", email="preload@example.com").is_success
PARENT_PID = os.getpid()


def app(environ: dict[str, Any], start_response: Callable[..., Any]) -> Iterable[bytes]:
    user = environ.get("PATH_INFO", "/").strip("/") or "anonymous"
    result = CLIENT.generate_token(email=f"{user}@example.com")
    MANAGER.establish(user, email=f"{user}@example.com")
    answer = MANAGER.advertising_token(user)
    body = json.dumps(
        {
            "pid": os.getpid(),
            "parent_pid": PARENT_PID,
            "generated": result.is_success,
            "token": answer.advertising_token is not None,
        }
    ).encode()
    start_response("200 OK", [("Content-Type", "application/json")])
    return [body]
