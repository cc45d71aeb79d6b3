# The emulator's controls from a publisher's test: an opt-out, an operator outage, the counters.
import pytest

from euid_sdk import OptOut, PublisherClient, ServerError
from euid_sdk.testing import Fault


@pytest.fixture
def client(euid_emulator):
    with PublisherClient(
        euid_emulator.url, euid_emulator.api_key, euid_emulator.client_secret, max_retries=0
    ) as client:
        yield client


def test_an_opted_out_user_gets_no_token(euid_emulator, client):
    euid_emulator.opt_out_email("jane.doe@example.com")
    assert isinstance(client.generate_token(email="jane.doe@example.com"), OptOut)


def test_an_outage_is_a_server_error(euid_emulator, client):
    euid_emulator.set_faults(Fault("status", endpoint="generate", status=503, count=1))
    with pytest.raises(ServerError):
        client.generate_token(email="jane.doe@example.com")
    assert client.generate_token(email="jane.doe@example.com").is_success
    assert euid_emulator.counters().generate.requests == 2  # earlier tests' requests were reset
