"""The Rust core's log records reach Python's ``logging`` under ``euid_sdk``: what they say, at
which level, what they never say, and that a level nobody wants is not forwarded at all."""

from __future__ import annotations

import logging
from typing import Iterator

import pytest

import euid_sdk
from conftest import Emulator

EMAIL = "secret.person@example.com"
REFRESH_503_ONCE = {"endpoint": "refresh", "kind": "status", "status": 503, "count": 1}


@pytest.fixture
def sdk_logs(caplog: pytest.LogCaptureFixture) -> Iterator[pytest.LogCaptureFixture]:
    """``caplog``, with the SDK's forwarded level set back to the default afterwards."""
    yield caplog
    euid_sdk.set_log_level(None)


def sdk_records(caplog: pytest.LogCaptureFixture) -> list[logging.LogRecord]:
    return [record for record in caplog.records if record.name == "euid_sdk"]


def refresh_with_one_retry(emulator: Emulator, client: euid_sdk.PublisherClient) -> list[str]:
    """Generates, then refreshes through one 503. Returns every secret the exchange saw."""
    generated = client.generate_token(email=EMAIL)
    assert isinstance(generated, euid_sdk.GenerateSuccess)
    emulator.faults(REFRESH_503_ONCE)
    refreshed = client.refresh_token(generated.identity)
    assert isinstance(refreshed, euid_sdk.RefreshSuccess)
    secrets = [emulator.api_key, emulator.client_secret, EMAIL, EMAIL.split("@")[0]]
    for identity in (generated.identity, refreshed.identity):
        assert identity.refresh_response_key is not None
        secrets += [
            identity.advertising_token[:16],
            identity.refresh_token[:16],
            identity.refresh_response_key[:12],
        ]
    return secrets


def test_a_refresh_with_a_retry_is_logged_on_euid_sdk_without_secrets(
    emulator: Emulator, sdk_logs: pytest.LogCaptureFixture
) -> None:
    sdk_logs.set_level(logging.DEBUG, logger="euid_sdk")
    client = emulator.client(max_retries=2)  # picks up the level configured before it
    secrets = refresh_with_one_retry(emulator, client)

    records = sdk_records(sdk_logs)
    lines = [(record.levelno, record.getMessage()) for record in records]

    def logged(level: int, text: str) -> bool:
        return any(levelno == level and text in message for levelno, message in lines)

    assert logged(logging.DEBUG, "POST /v2/token/refresh -> HTTP 503"), lines
    assert logged(logging.INFO, "refresh: operator server error (HTTP 503)"), lines
    assert logged(logging.INFO, "retry 1 of 2"), lines
    assert logged(logging.DEBUG, "POST /v2/token/refresh -> HTTP 200"), lines
    assert logged(logging.DEBUG, "refresh answered refreshed"), lines
    assert logged(logging.DEBUG, "generate answered success"), lines
    assert all(getattr(record, "rust_target", "").startswith("euid_") for record in records)
    retry = next(record for record in records if "retry 1 of 2" in record.getMessage())
    assert getattr(retry, "rust_target") == "euid_core::client"

    shown = "\n".join(
        [sdk_logs.text]
        + [f"{record.getMessage()} {record.__dict__}" for record in sdk_logs.records]
    )
    for secret in secrets:
        assert secret not in shown, f"a log record shows a secret: {shown}"


def test_the_manager_logs_status_changes_without_the_user_key(
    emulator: Emulator, sdk_logs: pytest.LogCaptureFixture
) -> None:
    sdk_logs.set_level(logging.DEBUG, logger="euid_sdk")
    manager = euid_sdk.IdentityManager(emulator.client(), euid_sdk.MemoryStore())
    manager.establish(EMAIL, email=EMAIL)
    messages = [record.getMessage() for record in sdk_records(sdk_logs)]
    assert "identity status changed from no_identity to established" in messages, messages
    assert not any(EMAIL.split("@")[0] in message for message in messages), messages


def test_at_the_default_warning_level_no_debug_or_info_record_is_forwarded(
    emulator: Emulator, sdk_logs: pytest.LogCaptureFixture
) -> None:
    assert logging.getLogger("euid_sdk").getEffectiveLevel() == logging.WARNING
    client = emulator.client(max_retries=2)  # the SDK now forwards WARNING and above
    # Lowered behind the SDK's back: the logger would take DEBUG records, but Rust sends none.
    logging.getLogger("euid_sdk").setLevel(logging.DEBUG)
    refresh_with_one_retry(emulator, client)
    below_warning = [r.getMessage() for r in sdk_records(sdk_logs) if r.levelno < logging.WARNING]
    assert below_warning == []

    # set_log_level tells the SDK: the same exchange is logged now.
    euid_sdk.set_log_level(logging.DEBUG)
    sdk_logs.clear()
    refresh_with_one_retry(emulator, client)
    messages = [record.getMessage() for record in sdk_records(sdk_logs)]
    assert any("retry 1 of 2" in message for message in messages), messages


def test_set_log_level_sets_the_logger_level_and_none_inherits_again(
    sdk_logs: pytest.LogCaptureFixture,
) -> None:
    logger = logging.getLogger("euid_sdk")
    euid_sdk.set_log_level(logging.INFO)
    assert logger.level == logging.INFO
    euid_sdk.set_log_level(None)
    assert logger.level == logging.NOTSET
    with pytest.raises(TypeError):
        euid_sdk.set_log_level("DEBUG")  # type: ignore[arg-type]


def test_a_failing_log_handler_never_breaks_a_call(
    emulator: Emulator, sdk_logs: pytest.LogCaptureFixture
) -> None:
    class Explode(logging.Filter):
        calls = 0

        def filter(self, record: logging.LogRecord) -> bool:
            Explode.calls += 1
            raise RuntimeError("a broken logging configuration")

    logger = logging.getLogger("euid_sdk")
    explode = Explode()
    logger.addFilter(explode)
    try:
        euid_sdk.set_log_level(logging.DEBUG)
        client = emulator.client(max_retries=2)
        refresh_with_one_retry(emulator, client)
    finally:
        logger.removeFilter(explode)
    # The filter raised for the records of both requests and the retry, and each call went on.
    assert Explode.calls >= 5, Explode.calls
    assert sdk_records(sdk_logs) == [], "every record was dropped by the raising filter"
