"""Fuzzing every action's parameters with the values a platform can send: nothing unhandled, and bad input is
refused with a message naming a declared parameter before any request.

The budget per action is FUZZ_EXAMPLES (default 15 here; `make fuzz` runs a longer campaign).
"""

import json
import os

import pytest
import requests_mock
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from clicksend_connector import ClickSendConnector
from tests import fake_clock
from tests.conftest import ACTIONS, asset_config, envelope, sim_config


EXAMPLES = int(os.environ.get("FUZZ_EXAMPLES", "15"))
REFUSAL = envelope(None, "Invalid request.", "BAD_REQUEST", 400)

platform_values = st.one_of(
    st.none(),
    st.just(""),
    st.just("   "),
    st.booleans(),
    st.integers(min_value=-(10**15), max_value=10**15),
    st.floats(allow_nan=True, allow_infinity=True),
    st.sampled_from(
        ["10.0", "1e3", "0", "-1", "+61411111111", "0411 111 111", "a@b.co", "2099-01-01T00:00:00Z", "1700000000", "female", "en-us"]
    ),
    st.text(max_size=40),
    st.text(alphabet="𝔘😀ж€{}%\\\"'\n", min_size=1, max_size=20),
    st.text(min_size=1500, max_size=2500),
)


def params_for(identifier):
    names = sorted(ACTIONS[identifier].get("parameters") or {})
    return st.fixed_dictionaries({}, optional={name: platform_values for name in names})


def check_result(out, declared, calls):
    assert out["exception_occured"] is False
    result = out["result_data"][0]
    message = result["message"]
    assert result["status"] in ("success", "failed")
    assert "Unexpected error" not in message and "Traceback" not in message, message
    assert "\n" not in message
    if message.startswith("Parameter '"):
        name = message.split("'")[1]
        assert name in declared, message
        assert calls == 0, f"{message} but {calls} request(s) were sent"
    elif result["status"] == "failed":
        assert "ClickSend" in message, message
    json.dumps(out)


def fuzz(identifier, run_once):
    declared = set(ACTIONS[identifier].get("parameters") or {})

    @settings(max_examples=EXAMPLES, deadline=None, suppress_health_check=list(HealthCheck), derandomize=True)
    @given(params=params_for(identifier))
    def check(params):
        out, calls = run_once(params)
        check_result(out, declared, calls)

    check()


@pytest.mark.parametrize("identifier", sorted(ACTIONS))
def test_fuzzed_parameters_against_a_refusing_server(platform, identifier):
    """Every request is refused: no input may crash, and bad input is refused before any request."""

    def run_once(params):
        platform.reset()
        with requests_mock.Mocker() as mocker:
            mocker.register_uri(requests_mock.ANY, requests_mock.ANY, status_code=400, json=REFUSAL)
            out = platform.run(ClickSendConnector, identifier, parameters=[params], config=asset_config(), asset_id="1", container_id=5)
            return out, mocker.call_count

    fuzz(identifier, run_once)


@pytest.fixture(autouse=True)
def no_real_waiting(monkeypatch):
    """The waits' pauses (a fuzzed message id is unknown, so a wait looks for it for a minute) pass on a fake clock."""
    return fake_clock.install(monkeypatch)


@pytest.fixture(scope="module")
def fuzz_sim():
    from clicksend_sim import ClickSendSimulator

    with ClickSendSimulator() as sim:
        sim.start()
        yield sim


@pytest.mark.parametrize("identifier", sorted(ACTIONS))
def test_fuzzed_parameters_against_the_simulator(platform, fuzz_sim, identifier):
    """The same against the simulator, where inputs that pass the checks reach the success paths too."""

    def run_once(params):
        platform.reset()
        fuzz_sim.reset()
        fuzz_sim.add_inbound_rule(action="POLL", enabled=1)
        fuzz_sim.add_inbound_message("+61411111111", "hello")
        fuzz_sim.add_list("Fuzz", contacts=[{"phone_number": "+61411111111", "email": "a@b.co"}])
        before = len(fuzz_sim.requests)
        config = sim_config(fuzz_sim)
        out = platform.run(ClickSendConnector, identifier, parameters=[params], config=config, asset_id="1", container_id=5, poll_now=True)
        return out, len(fuzz_sim.requests) - before

    fuzz(identifier, run_once)


GUARD_FIELDS = {"allowed_destinations": "Oz!", "max_cost_per_action": -1, "max_recipients_per_action": 0}  # field -> a bad value


@pytest.mark.parametrize("field", sorted(GUARD_FIELDS))
def test_fuzzed_guard_fields_are_taken_or_refused_naming_the_field(platform, field):
    """The guard rails' asset fields, given anything a platform can send: the asset is refused naming the field before
    any request, or the send runs to a clear result under the rails that value sets."""

    def message_for(value):
        platform.reset()
        with requests_mock.Mocker() as mocker:
            mocker.register_uri(requests_mock.ANY, requests_mock.ANY, status_code=400, json=REFUSAL)
            out = platform.run(
                ClickSendConnector,
                "send_message",
                parameters=[{"to": "+61411111111", "message": "x"}],
                config=asset_config(**{field: value}),
                asset_id="1",
            )
            calls = mocker.call_count
        message = out["result_data"][0]["message"] if out.get("result_data") else out["message"]
        assert "Unexpected error" not in message and "Traceback" not in message, message
        if message.startswith("Asset field '"):
            assert message.startswith(f"Asset field '{field}': "), message
            assert calls == 0, f"{message} but {calls} request(s) were sent"
        else:
            assert "ClickSend" in message, message
        return message

    @settings(max_examples=EXAMPLES, deadline=None, suppress_health_check=list(HealthCheck), derandomize=True)
    @given(value=platform_values)
    def check(value):
        message_for(value)

    check()
    assert message_for(GUARD_FIELDS[field]).startswith(f"Asset field '{field}': ")
