"""The site: sign-in, the identity the server established and stored, its hand-off to the
EUID browser SDK through the ``__euid`` cookie, "come back later" and sign-out."""

from __future__ import annotations

import secrets
import threading
from pathlib import Path
from typing import Any

from flask import Flask, Response, abort, redirect, request, send_file, session

import euid_sdk
from euid_sdk import IdentityManager, MemoryStore, TokenReady
from euid_sdk.cookie import (
    COOKIE_NAME,
    BrowserIdentity,
    BrowserOptOut,
    identity_cookie,
    opt_out_cookie,
    parse_browser_identity,
)

from .operators import Operator

WEB = Path(__file__).resolve().parents[2] / "web"
BROWSER_SDK = WEB / "node_modules/@unified-id/euid-sdk/euidSdk.mjs"


def create_app(operator: Operator) -> Flask:
    client = euid_sdk.PublisherClient(
        operator.base_url, operator.api_key, operator.client_secret, clock=operator.clock
    )
    store = MemoryStore()  # one process; RedisStore shares identities across a fleet
    # The manager judges when a refresh is due by the server's own clock, which "come back
    # later" does not move: the browser SDK refreshes, and the server reads the cookie back.
    server_clock = euid_sdk.OffsetClock()  # type: ignore[no-untyped-call]  # generated __init__
    manager = IdentityManager(client, store, clock=server_clock)
    app = Flask(__name__, static_folder=WEB / "static", static_url_path="/static")
    app.secret_key = secrets.token_bytes(32)

    def see_other() -> Response:
        return redirect("/", 303)  # type: ignore[return-value]

    @app.get("/")
    def index() -> Response:
        return send_file(WEB / "static/index.html")

    @app.get("/vendor/euid-sdk.mjs")
    def browser_sdk() -> Response:
        if not BROWSER_SDK.is_file():
            abort(500, "the browser SDK is not installed: run scripts/setup-examples.sh")
        return send_file(BROWSER_SDK, mimetype="text/javascript")

    @app.get("/api/state")
    def state() -> dict[str, Any]:
        user = session.get("user")
        now = operator.now_ms()
        body: dict[str, Any] = {
            "backend": "Python · Flask",
            "emulator": operator.is_emulator,
            "base_url": operator.base_url,
            "now_ms": now,
            "clock_offset_ms": operator.clock_offset_ms(),
            "user": user,
            "opted_out": False,
            "advertising_token": None,
            "identity": None,
        }
        if user is None:
            return body
        body["opted_out"] = store.is_opted_out(user)
        try:
            answer = manager.advertising_token(user)  # 2-a; refreshes first when due
            if isinstance(answer, TokenReady):
                body["advertising_token"] = answer.advertising_token
        except euid_sdk.EuidError as error:  # expired and the refresh failed: kept for a retry
            body["error"] = error.kind.value
        identity = manager.identity(user)
        if identity is not None:
            body["identity"] = {
                "status": identity.status(now).name,
                "refresh_from": identity.refresh_from,
                "identity_expires": identity.identity_expires,
                "refresh_expires": identity.refresh_expires,
            }
        return body

    @app.post("/login")
    def login() -> Response:
        email = request.form.get("email", "")
        user = email.strip().lower()  # the site's key for the user
        try:
            manager.establish(user, email=email)  # 1-d..1-f: hash, generate, store
        except euid_sdk.InvalidInputError:
            return see_other()
        session["user"] = user
        response = see_other()
        identity = manager.identity(user)
        if identity is not None:  # hand it to the browser SDK
            response.set_cookie(**identity_cookie(identity).set_cookie_kwargs())
        elif store.is_opted_out(user):  # the browser SDK's own opt-out marker
            response.set_cookie(**opt_out_cookie(now=operator.now_ms()).set_cookie_kwargs())
        else:
            response.delete_cookie(COOKIE_NAME)
        return response

    @app.post("/later")
    def later() -> Response:
        user = session.get("user")
        identity = manager.identity(user) if user else None
        if identity is None or not operator.is_emulator:
            abort(409)
        operator.advance_past(identity.refresh_from)
        return see_other()

    read_back = threading.Lock()  # the page's read-backs can overlap: one at a time

    def take_back(user: str, browser: BrowserIdentity) -> None:
        """Keeps what the browser SDK holds: its opt-out, or its identity when newer (as the
        SDK decides). An opted-out user gets no identity back from a late, older request."""
        if isinstance(browser, BrowserOptOut):
            store.delete(user)
            store.set_opted_out(user)
        elif not store.is_opted_out(user):
            current = manager.identity(user)
            if current is None or browser.identity_expires > current.identity_expires:
                store.save(user, browser.to_json())

    @app.get("/api/cookie")
    def read_cookie() -> dict[str, Any]:
        """3-a..3-c: the identity the browser SDK keeps (it refreshes it), back on the server."""
        user = session.get("user")
        value = request.cookies.get(COOKIE_NAME)
        if value is None:
            return {"cookie": "none"}
        try:
            browser = parse_browser_identity(value)
        except euid_sdk.InvalidIdentityError:
            return {"cookie": "invalid"}
        if user is not None:
            with read_back:
                take_back(user, browser)
        if isinstance(browser, BrowserOptOut):
            return {"cookie": "optout"}
        return {"cookie": "identity", "advertising_token": browser.advertising_token}

    @app.post("/logout")
    def logout() -> Response:
        user = session.pop("user", None)
        if user is not None:
            manager.logout(user)  # 4-a: no request; an opt-out stays remembered
        response = see_other()
        response.delete_cookie(COOKIE_NAME)  # 4-b
        return response

    return app
