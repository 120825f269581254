"""The /_sim/ control namespace, reset, the pytest fixture helper and the CLI."""

from __future__ import annotations

import os
import pathlib
import signal
import subprocess
import sys
import threading
import time

import pytest
import requests
from clicksend_sim import ClickSendSimulator

from .helpers import assert_envelope, send


TOOLS = pathlib.Path(__file__).resolve().parents[2] / "tools"
MSG = {"to": "+61411111111", "body": "x"}


def test_control_endpoints(client, sim):
    root = sim.root_url
    assert sim.url == root + "/v3" and root.startswith("http://127.0.0.1:")
    r = requests.post(root + "/_sim/faults", json={"method": "GET", "path": {"regex": r"^/v3/acc"}, "status": 500, "times": 1}, timeout=5)
    assert r.status_code == 200 and r.json()["ok"] is True
    assert requests.get(root + "/_sim/faults", timeout=5).json()[0]["path"] == {"regex": r"^/v3/acc"}
    assert client.get("/account").status_code == 500
    assert client.get("/account").status_code == 200

    assert_envelope(send(client, MSG))
    sent = requests.get(root + "/_sim/sent", timeout=5).json()
    assert len(sent) == 1 and sent[0]["to"] == "+61411111111"
    history = requests.get(root + "/_sim/history", timeout=5).json()
    assert history[0]["message_id"] == sent[0]["message_id"]
    reqs = requests.get(root + "/_sim/requests", timeout=5).json()
    assert [r["path"] for r in reqs] == ["/v3/account", "/v3/account", "/v3/sms/send"]  # /_sim/ calls are not logged

    rule = requests.post(root + "/_sim/inbound-rules", json={"action": "POLL", "enabled": 1}, timeout=5).json()
    assert client.get("/automations/sms/inbound").json()["data"]["data"][0]["inbound_rule_id"] == rule["inbound_rule_id"]

    requests.post(root + "/_sim/recipient-status", json={"number": "+61411111111", "status": "REGISTRATION_NEEDED"}, timeout=5)
    assert send(client, MSG).json()["data"]["messages"][0]["status"] == "REGISTRATION_NEEDED"

    lst = requests.post(root + "/_sim/lists", json={"list_name": "L", "contacts": [{"phone_number": "+61422222222"}]}, timeout=5).json()
    assert lst["_contacts_count"] == 1

    acct = requests.post(root + "/_sim/accounts", json={"username": "u2", "key": "k2"}, timeout=5).json()
    assert acct["username"] == "u2"

    msg = requests.post(root + "/_sim/inbound-messages", json={"from": "+61411111111", "body": "ACK"}, timeout=5).json()
    assert msg["from"] == "+61411111111" and sim.state.inbound[0]["message_id"] == msg["message_id"]

    assert requests.post(root + "/_sim/faults", json={"method": "GET", "path": "/x", "kind": "bogus"}, timeout=5).status_code == 400

    assert requests.post(root + "/_sim/reset", timeout=5).json() == {"ok": True}
    assert sim.sent == [] and sim.history == [] and sim.requests == [] and sim.faults == []
    assert sim.state.inbound_rules == {} and sim.state.recipient_status == {}
    # accounts survive a reset
    assert client.get("/account", auth=("u2", "k2")).status_code == 200


def test_reset_keeps_accounts(client, sim):
    sim.add_account("keep@example.com", "K")
    send(client, MSG)
    sim.add_fault("GET", "/v3/account", status=500)
    sim.reset()
    assert client.get("/account").status_code == 200
    assert client.get("/account", auth=("keep@example.com", "K")).status_code == 200
    assert sim.sent == [] and sim.history == []


def test_context_manager_and_loopback_only():
    with ClickSendSimulator() as s:
        assert requests.get(s.url + "/account", auth=s.auth, timeout=5).status_code == 200
        url = s.url
    with pytest.raises(requests.exceptions.ConnectionError):
        requests.get(url + "/account", timeout=2)
    with pytest.raises(ValueError):
        ClickSendSimulator().start(host="0.0.0.0")  # noqa: S104


def test_cli_prints_url_and_stops_on_sigterm():
    env = dict(os.environ, PYTHONPATH=str(TOOLS) + os.pathsep + os.environ.get("PYTHONPATH", ""))
    cmd = [sys.executable, "-m", "clicksend_sim", "--port", "0", "--latency", "0.01"]
    proc = subprocess.Popen(cmd, stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, env=env, text=True)  # noqa: S603
    try:
        url = proc.stdout.readline().strip()
        assert url.startswith("http://127.0.0.1:") and url.endswith("/v3")
        resp = requests.get(url + "/account", auth=("soc-team@example.com", "SIM-0000-KEY"), timeout=5)
        assert resp.status_code == 200
        proc.send_signal(signal.SIGTERM)
        assert proc.wait(timeout=10) == 0
    finally:
        if proc.poll() is None:
            proc.kill()
            proc.wait()


def test_latency_is_slept_outside_the_lock_so_requests_overlap(monkeypatch):
    """Four requests meet inside their latency wait: a wait taken under the state lock would let only one in, and the
    barrier would break. No assertion on time but lower bounds (a loaded machine only makes things slower)."""
    with ClickSendSimulator(latency=0.15) as s:
        session = requests.Session()
        start = time.monotonic()
        assert session.get(s.url + "/account", auth=s.auth, timeout=5).status_code == 200
        assert time.monotonic() - start >= 0.15
        meeting = threading.Barrier(4, timeout=30)
        waits = []

        def wait_latency(seconds):
            waits.append(seconds)
            meeting.wait()

        monkeypatch.setattr(s, "wait_latency", wait_latency)
        results = []

        def call():
            results.append(requests.get(s.url + "/account", auth=s.auth, timeout=60).status_code)

        threads = [threading.Thread(target=call) for _ in range(4)]
        for t in threads:
            t.start()
        for t in threads:
            t.join()
        assert results == [200] * 4 and waits == [0.15] * 4 and not meeting.broken
        requests.get(s.root_url + "/_sim/requests", timeout=5)  # control calls do not wait
        assert len(waits) == 4
        s.latency = 0
        session.get(s.url + "/account", auth=s.auth, timeout=5)
        assert len(waits) == 4
        assert requests.post(s.root_url + "/_sim/settings", json={"latency": 0.01}, timeout=5).json()["latency"] == 0.01
        assert s.latency == 0.01
