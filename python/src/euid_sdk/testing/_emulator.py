"""The emulator of the EUID operator, in this process."""

from __future__ import annotations

import threading
from types import TracebackType
from typing import Any, Optional

from ._control import control
from ._errors import EmulatorError
from ._library import library
from ._types import Clock, Counters, Fault


class Emulator:
    """A local EUID operator on ``127.0.0.1`` at a free port, running in this process from
    construction until :meth:`close` (or the end of the ``with`` block)::

        with Emulator() as emulator:
            client = PublisherClient(emulator.url, emulator.api_key, emulator.client_secret)
            assert client.generate_token(email="jane.doe@example.com").is_success

    It answers as the operator does (the same checks, statuses and messages, EUID production
    token lifetimes) and adds controls: its clock, opt-outs, injected faults, request counters,
    a ``Date`` header. Test identities: ``optout@example.com`` is always opted out,
    ``refresh-optout@example.com`` opts out at its first refresh.

    Every setting is optional: ``api_key`` and ``client_secret`` (standard base64 of 32 bytes;
    random by default), the token lifetimes in ms (``identity_lifetime_ms`` 3 days,
    ``refresh_lifetime_ms`` 30 days, ``refresh_from_ms`` 1 hour), ``drift_threshold_minutes``
    (1, the operator's), ``tcf_vendor_id`` (21), ``date_header`` (``False``: the operator sends
    none) and ``no_keyset`` (``True``: validate answers "Unauthorised to validate token").
    An invalid one raises :class:`EmulatorError` of kind ``config``.

    Thread-safe. ``repr()`` never shows the credentials.
    """

    def __init__(
        self,
        *,
        api_key: Optional[str] = None,
        client_secret: Optional[str] = None,
        identity_lifetime_ms: Optional[int] = None,
        refresh_lifetime_ms: Optional[int] = None,
        refresh_from_ms: Optional[int] = None,
        drift_threshold_minutes: Optional[int] = None,
        tcf_vendor_id: Optional[int] = None,
        date_header: bool = False,
        no_keyset: bool = False,
    ) -> None:
        settings = {
            "api_key": api_key,
            "client_secret": client_secret,
            "identity_lifetime_ms": identity_lifetime_ms,
            "refresh_lifetime_ms": refresh_lifetime_ms,
            "refresh_from_ms": refresh_from_ms,
            "drift_threshold_minutes": drift_threshold_minutes,
            "tcf_vendor_id": tcf_vendor_id,
            "date_header": date_header,
            "no_keyset": no_keyset,
        }
        self._library = library()
        started = self._library.start(
            {name: value for name, value in settings.items() if value is not None}
        )
        self._id = started.id
        self._url = started.url
        self._api_key = started.api_key
        self._client_secret = started.client_secret
        self._lock = threading.Lock()
        self._closed = False

    @property
    def url(self) -> str:
        """The operator's base URL, ``http://127.0.0.1:<port>``: the SDK's ``base_url``."""
        return self._url

    @property
    def api_key(self) -> str:
        """The one API key the emulator accepts."""
        return self._api_key

    @property
    def client_secret(self) -> str:
        """Its client secret, standard base64."""
        return self._client_secret

    def _control(self, method: str, path: str, body: Any = None) -> Any:
        if self._closed:
            raise EmulatorError("not_running", "the emulator is closed")
        return control(self._url, method, path, body)

    # --- Clock ----------------------------------------------------------------------------------

    def clock(self) -> Clock:
        """The emulator's clock: every time it uses (issue and expiry, the drift check, answer
        timestamps, the ``Date`` header) comes from it."""
        return Clock.from_json(self._control("GET", "clock"))

    def set_now_ms(self, now_ms: int) -> Clock:
        """Sets the emulator's now (epoch ms); it keeps ticking from there unless frozen."""
        return Clock.from_json(self._control("POST", "clock", {"now_ms": now_ms}))

    def advance_clock_ms(self, delta_ms: int) -> Clock:
        """Moves the emulator's clock by ``delta_ms`` (negative goes back), frozen or not."""
        return Clock.from_json(self._control("POST", "clock", {"advance_ms": delta_ms}))

    def freeze_clock_at(self, now_ms: int) -> Clock:
        """Stops the clock at ``now_ms`` (advancing still moves it), for exact edge tests."""
        body = {"now_ms": now_ms, "frozen": True}
        return Clock.from_json(self._control("POST", "clock", body))

    def unfreeze_clock(self) -> Clock:
        """Lets a frozen clock tick again from where it stands."""
        return Clock.from_json(self._control("POST", "clock", {"frozen": False}))

    def set_date_header(self, on: bool) -> Clock:
        """Adds (``True``) or drops a ``Date`` header on later answers, as a load balancer in
        front of the operator may add one; the operator itself sends none."""
        return Clock.from_json(self._control("POST", "clock", {"date_header": on}))

    # --- Opt-outs -------------------------------------------------------------------------------

    def opt_out_email(self, email: str) -> None:
        """Opts out a raw email (normalized as the operator does): its next generate and
        refresh answer ``optout``."""
        self._control("POST", "optout", {"email": email})

    def opt_out_phone(self, phone: str) -> None:
        """Opts out a normalized phone number (``+`` and 10 to 15 digits)."""
        self._control("POST", "optout", {"phone": phone})

    def opt_out_email_hash(self, email_hash: str) -> None:
        """Opts out an email hash (44 base64 or 64 hex characters)."""
        self._control("POST", "optout", {"email_hash": email_hash})

    def opt_out_phone_hash(self, phone_hash: str) -> None:
        """Opts out a phone hash (44 base64 or 64 hex characters)."""
        self._control("POST", "optout", {"phone_hash": phone_hash})

    # --- Faults ---------------------------------------------------------------------------------

    def set_faults(self, *faults: Fault) -> None:
        """Replaces the fault list (see :class:`Fault`)."""
        self._control("POST", "faults", {"faults": [fault.to_json() for fault in faults]})

    def faults(self) -> list[Fault]:
        """The fault list, with the remaining counts."""
        return [Fault.from_json(fault) for fault in self._control("GET", "faults")["faults"]]

    def clear_faults(self) -> None:
        """Removes every fault."""
        self._control("DELETE", "faults")

    # --- Counters and reset ---------------------------------------------------------------------

    def counters(self) -> Counters:
        """Requests to each token endpoint since the last reset, and their outcomes."""
        return Counters.from_json(self._control("GET", "counters"))

    def reset(self) -> None:
        """Clears counters, faults, opt-outs, the clock's offset and freeze, and the ``Date``
        header switch (back to the configured value). Credentials and tokens stay valid."""
        self._control("POST", "reset")

    # --- Lifetime -------------------------------------------------------------------------------

    def close(self) -> None:
        """Stops the emulator: its port is closed when this returns. Later calls do nothing."""
        with self._lock:
            if self._closed:
                return
            self._closed = True
        self._library.stop(self._id)

    def __enter__(self) -> Emulator:
        return self

    def __exit__(
        self,
        exc_type: Optional[type[BaseException]],
        exc: Optional[BaseException],
        traceback: Optional[TracebackType],
    ) -> None:
        self.close()

    def __repr__(self) -> str:
        state = "closed" if self._closed else "running"
        return f"Emulator(url={self._url!r}, {state})"
