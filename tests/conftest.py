"""Shared fixtures: the fake SOAR platform, the ClickSend simulator, and a runner for the connector."""

import json
import os
import pathlib
import threading
import time

import pytest
from hypothesis import settings as hypothesis_settings
from phantom_sdk_stubs import FakePlatform

from clicksend_connector import ClickSendConnector


ROOT = pathlib.Path(__file__).resolve().parent.parent
MANIFEST = json.loads((ROOT / "clicksend.json").read_text(encoding="utf-8"))
ACTIONS = {action["identifier"]: action for action in MANIFEST["actions"]}
BASE_URL = "https://rest.clicksend.com/v3"
USERNAME = "soc-team@example.com"
API_KEY = "UNIT-TEST-KEY-7d3f9c1e"


# Property tests draw the same examples on every run, so CI never fails by chance; `make fuzz` explores at random
# (HYPOTHESIS_PROFILE=explore). A failure found there becomes an example test of its own.
hypothesis_settings.register_profile("deterministic", derandomize=True)
hypothesis_settings.register_profile("explore", derandomize=False)
hypothesis_settings.load_profile(os.environ.get("HYPOTHESIS_PROFILE", "deterministic"))


def asset_config(**overrides):
    """An asset configuration as the platform hands it over (before password encryption)."""
    config = {"base_url": BASE_URL, "username": USERNAME, "key": API_KEY, "default_country": "AU"}
    config.update(overrides)
    return {key: value for key, value in config.items() if value is not None}


class Runner:
    """Runs one action of the connector through the fake platform and keeps what it returned."""

    def __init__(self, platform, config):
        self.platform = platform
        self.config = config

    def __call__(self, identifier, params=None, config=None, **kwargs):
        parameters = params if isinstance(params, list) else [params or {}]
        self.out = self.platform.run(ClickSendConnector, identifier, parameters=parameters, config=config or self.config, asset_id="1", **kwargs)
        return self.out

    @property
    def result(self):
        return self.out["result_data"][0]

    @property
    def connector(self):
        return self.platform.last_connector


@pytest.fixture
def platform(tmp_path):
    return FakePlatform(home=tmp_path)


@pytest.fixture
def run(platform):
    """Unit runner: the asset points at ClickSend's real URL, so requests_mock must answer every request."""
    return Runner(platform, asset_config())


@pytest.fixture
def sim():
    from clicksend_sim import ClickSendSimulator

    simulator = ClickSendSimulator()
    simulator.start()
    yield simulator
    simulator.stop()


def sim_config(simulator, **overrides):
    settings = {"base_url": simulator.url, "username": simulator.username, "key": simulator.api_key}
    settings.update(overrides)
    return asset_config(**settings)


@pytest.fixture
def sim_run(platform, sim):
    """End-to-end runner: the connector talks to the simulator over real HTTP on 127.0.0.1."""
    return Runner(platform, sim_config(sim))


def envelope(data, msg="Here are your data.", code="SUCCESS", http=200):
    return {"http_code": http, "response_code": code, "response_msg": msg, "data": data}


@pytest.fixture(autouse=True)
def quick_state_rereads(monkeypatch):
    """A state file that stays unreadable is read again for about a second before it counts as corrupt; tests that
    use corrupt state files on purpose need not wait for that (tests/unit/test_state_file.py checks the re-reads)."""
    import clicksend_state

    monkeypatch.setattr(clicksend_state, "READ_PAUSE", 0.001)


class Gauge:
    """Counts calls running at once (the most, and now), from any thread."""

    def __init__(self):
        self.lock = threading.Lock()
        self.now = 0
        self.most = 0
        self.started: list = []

    def __enter__(self):
        with self.lock:
            self.now += 1
            self.most = max(self.most, self.now)
        return self

    def __exit__(self, *exc):
        with self.lock:
            self.now -= 1


class OverlapGate:
    """Makes certain, on a loaded machine too, the overlap a test asserts. The second request that a worker thread of
    map_ordered sends waits (before it is sent, so requests_mock's lock is not held) until another request is in
    flight beside it, at most 8 s. Where the app really sends requests together this costs nothing; where it does
    not, nothing arrives in time and the test's assertion on overlap fails."""

    WAIT = 8.0  # below requests_mock's 10 s lock timeout

    def __init__(self):
        self.lock = threading.Lock()
        self.worker_entries = 0
        self.seen = 0  # requests in flight when the waiting request went on

    def wrap(self, enter):
        gate = self

        def gated_enter(throttle):
            enter(throttle)
            if not threading.current_thread().name.startswith("clicksend"):
                return
            with gate.lock:
                gate.worker_entries += 1
                waits = gate.worker_entries == 2
            if waits:
                deadline = time.monotonic() + gate.WAIT
                while throttle.in_flight < 2 and time.monotonic() < deadline:
                    time.sleep(0.001)
                gate.seen = throttle.in_flight

        return gated_enter


@pytest.fixture
def overlap(monkeypatch):
    """See OverlapGate: use it in a test that asserts requests went out together."""
    import clicksend_transport

    gate = OverlapGate()
    monkeypatch.setattr(clicksend_transport.Throttle, "__enter__", gate.wrap(clicksend_transport.Throttle.__enter__))
    return gate
