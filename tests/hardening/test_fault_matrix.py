"""Every action against every failure ClickSend or the network can produce, end to end over real HTTP.

For each action (its first successful contract scenario) and each fault: the action ends with a result (no
exception escapes the platform call), success where a retry recovers or failed with one clear sentence naming
the cause; nothing is sent twice; the sentinel API key appears nowhere the platform keeps.
"""

import base64
import socket
import time

import pytest

from clicksend_connector import ClickSendConnector
from tests import hostile
from tests.conftest import ACTIONS, asset_config
from tests.contract.scenarios import all_scenarios
from tests.hardening.matrix import record


SENTINEL_USER = "sentinel-user-8d2f"
SENTINEL_KEY = "SENTINEL-KEY-5b9e0c71"
ALL = {"regex": r"^/v3/"}
FAULTS = {
    "connection refused": None,
    "reset before answer": {"kind": "reset", "times": None},
    "reset mid-response": {"kind": "reset_mid", "times": None},
    "read timeout": {"kind": "delay", "delay": 1.0, "times": None},
    "429 Retry-After 1 (once)": {"status": 429, "headers": {"Retry-After": "1"}},
    "429 no Retry-After (once)": {"status": 429},
    "500": {"status": 500, "times": None},
    "502 (once)": {"status": 502},
    "503 (always)": {"status": 503, "times": None},
    "504 (once)": {"status": 504},
    "401": {"status": 401, "times": None},
    "403": {"status": 403, "times": None},
    "404": {"status": 404, "times": None},
    "HTML error page": {"kind": "html", "status": 502, "times": None},
    "truncated JSON": {"kind": "truncated", "times": None},
    "JSON without envelope": {"kind": "no_envelope", "times": None},
    "unexpected data shape": {"kind": "bad_data", "times": None},
}
SEND_PATHS = ("/v3/sms/send", "/v3/mms/send", "/v3/voice/send")
# Hostile servers (tests/hostile) that stand in for ClickSend as a whole: the asset's base_url points at them.
# Each is made from the recorder a redirect points to.
HOSTILE_TIMEOUT = 0.3
HOSTILE = {
    "drip body": lambda target: hostile.drip_body(interval=0.05),
    "redirect": lambda target: hostile.redirect(hostile.same_path_on(target), 307),
    "huge body": lambda target: hostile.huge_body(300, content_length=False),
    "gzip bomb": lambda target: hostile.gzip_bomb(64),
    "echoes key (JSON)": lambda target: hostile.echo_key("json"),
    "echoes key (HTML)": lambda target: hostile.echo_key("html"),
}


def first_success(identifier):
    return next(s for s in all_scenarios() if s.identifier == identifier and s.expect == "success")


def closed_port():
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def run_scenario(sim, platform, scenario, base_url=None, timeout=None):
    sim.reset()
    extra = scenario.setup(sim) if scenario.setup else None
    params = dict(scenario.params, **(extra or {}))
    config = asset_config(base_url=base_url or sim.url, username=SENTINEL_USER, key=SENTINEL_KEY, timeout=timeout, **scenario.config)
    if scenario.container_id:
        platform.add_container({"id": scenario.container_id, "name": "seeded", "label": "events"})
    return params, platform.run(
        ClickSendConnector,
        scenario.identifier,
        parameters=[params],
        config=config,
        asset_id="1",
        container_id=scenario.container_id,
        poll_now=scenario.poll_now,
    )


def is_send(request):
    return request["method"] == "POST" and request["path"] in SEND_PATHS


def sends(sim):
    return sum(1 for r in sim.requests if is_send(r))


@pytest.fixture(scope="module")
def matrix_sim():
    from clicksend_sim import ClickSendSimulator

    with ClickSendSimulator() as sim:
        sim.start()
        sim.add_account(SENTINEL_USER, SENTINEL_KEY)
        yield sim


@pytest.mark.parametrize("fault", list(FAULTS))
@pytest.mark.parametrize("identifier", sorted(ACTIONS))
def test_fault(matrix_sim, platform, fast_retries, identifier, fault):
    sim = matrix_sim
    scenario = first_success(identifier)
    run_scenario(sim, platform, scenario)  # a clean run: how many sends this scenario makes
    clean_sends = sends(sim)

    spec = FAULTS[fault]
    platform.reset()
    if spec is None:
        params, out = run_scenario(sim, platform, scenario, base_url=f"http://127.0.0.1:{closed_port()}/v3")
    else:
        sim.reset()
        spec = dict(spec)
        timeout = 0.3 if spec.get("kind") == "delay" else None
        # the fault must be armed after the scenario's own setup, so arm it inside setup
        original_setup = scenario.setup

        def setup(s, spec=spec):
            extra = original_setup(s) if original_setup else None
            s.add_fault("*", ALL, **spec)
            return extra

        scenario = type(scenario)(**{**scenario.__dict__, "setup": setup})
        params, out = run_scenario(sim, platform, scenario, timeout=timeout)

    result = out["result_data"][0] if out.get("result_data") else {"status": out["status"], "message": out["message"]}
    message = result["message"]
    record(identifier, fault, "ok" if result["status"] == "success" else "fail")
    assert result["status"] in ("success", "failed")
    assert message and "\n" not in message and "Traceback" not in message, message
    assert "Unexpected error" not in message, message
    if result["status"] == "failed":
        assert "ClickSend" in message, message
    if spec and spec.get("headers", {}).get("Retry-After") == "1" and result["status"] == "success":
        assert 1.0 in fast_retries, f"{identifier} did not wait the second ClickSend asked for: {fast_retries}"
    # a send answered 429 was not processed and is tried again: the one fault (the action's first request) may add one
    refused = 1 if spec and spec.get("status") == 429 and sim.requests and is_send(sim.requests[0]) else 0
    assert sends(sim) <= clean_sends + refused, f"{identifier} under {fault} sent {sends(sim)} times, a clean run {clean_sends}"
    assert_nothing_leaked(platform, params, identifier)


def assert_nothing_leaked(platform, params, identifier):
    everything = platform.all_output()
    assert SENTINEL_KEY not in everything
    assert "Authorization" not in everything
    personal = [str(v) for k, v in params.items() if k in ("to", "phone_number", "message", "email") and isinstance(v, str)]
    debug = "\n".join(platform.debug_log)
    for value in personal:
        for piece in value.split(","):
            assert piece.strip() not in debug, f"{identifier}: personal data {piece.strip()!r} in the debug log"


def hostile_sends(server):
    return sum(1 for r in server.requests if r.method == "POST" and r.path.split("?")[0] in SEND_PATHS)


@pytest.mark.parametrize("fault", list(HOSTILE))
@pytest.mark.parametrize("identifier", sorted(ACTIONS))
def test_hostile_server(matrix_sim, platform, fast_retries, identifier, fault):
    """The asset's base_url points at a hostile server: every action fails (or succeeds) in bounded time with one
    clear sentence, the key in none of its forms anywhere, nothing sent twice, nothing sent where a redirect points."""
    sim = matrix_sim
    scenario = first_success(identifier)
    run_scenario(sim, platform, scenario)
    clean_sends = sends(sim)
    platform.reset()
    with hostile.recorder() as target:
        with HOSTILE[fault](target) as server:
            started = time.monotonic()
            params, out = run_scenario(sim, platform, scenario, base_url=server.url, timeout=HOSTILE_TIMEOUT)
            elapsed = time.monotonic() - started
    result = out["result_data"][0] if out.get("result_data") else {"status": out["status"], "message": out["message"]}
    message = result["message"]
    record(identifier, fault, "ok" if result["status"] == "success" else "fail")
    assert result["status"] == "failed", message
    assert message and "\n" not in message and "Traceback" not in message and "Unexpected error" not in message, message
    assert "ClickSend" in message, message
    # every request ends within the timeout: an action that makes a few still ends in a few timeouts
    assert elapsed < 10 * HOSTILE_TIMEOUT + 15, f"{identifier} under {fault} took {elapsed:.1f} s"
    assert hostile_sends(server) <= clean_sends
    assert target.requests == [], f"{identifier} followed a redirect"
    if fault == "drip body" and server.requests:
        assert "did not answer" in message, message
    assert_nothing_leaked(platform, params, identifier)
    everything = platform.all_output()
    tokens = {request.basic_token for request in server.requests} | {base64.b64encode(f"{SENTINEL_USER}:{SENTINEL_KEY}".encode()).decode()}
    for secret in {SENTINEL_KEY, *tokens}:
        leaked = [secret[i : i + 6] for i in range(len(secret) - 5) if secret[i : i + 6] in everything]
        assert not leaked, f"{identifier} under {fault}: fragments of a secret in the output: {leaked}"
