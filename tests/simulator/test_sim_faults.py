"""Fault injection: every kind, matching, times, after_processing."""

from __future__ import annotations

import re
import time

import pytest
import requests

from .helpers import assert_envelope, send


MSG = {"to": "+61411111111", "body": "x"}


def test_status_fault_with_standard_envelope_and_headers(client, sim):
    sim.add_fault("GET", "/v3/account", status=429, headers={"Retry-After": "1"})
    resp = client.get("/account")
    assert_envelope(resp, 429, "TOO_MANY_REQUESTS")
    assert resp.headers["Retry-After"] == "1"
    assert_envelope(client.get("/account"), 200)  # times=1: gone


def test_status_fault_custom_body_and_times(client, sim):
    sim.add_fault("GET", "/v3/account", status=500, body={"oops": True}, times=2)
    assert client.get("/account").json() == {"oops": True}
    assert client.get("/account").status_code == 500
    assert client.get("/account").status_code == 200
    sim.add_fault("GET", "/v3/account", status=503, body="plain text")
    resp = client.get("/account")
    assert resp.status_code == 503 and resp.text == "plain text"


def test_unlimited_fault_and_clear(client, sim):
    sim.add_fault("*", re.compile(r"^/v3/"), status=500, times=None)
    for _ in range(3):
        assert client.get("/account").status_code == 500
    assert client.post("/sms/send", json={"messages": [MSG]}).status_code == 500
    sim.clear_faults()
    assert client.get("/account").status_code == 200


def test_fault_matching_is_by_method_and_path(client, sim):
    sim.add_fault("POST", "/v3/sms/send", status=500)
    assert client.get("/account").status_code == 200
    assert client.post("/sms/price", json={"messages": [MSG]}).status_code == 200
    assert client.post("/sms/send", json={"messages": [MSG]}).status_code == 500
    assert sim.sent == []


def test_faults_are_matched_before_auth(sim, client):
    sim.add_fault("GET", "/v3/account", status=502)
    assert client.get("/account", auth=("x", "y")).status_code == 502


def test_reset(client, sim):
    sim.add_fault("POST", "/v3/sms/send", kind="reset")
    with pytest.raises(requests.exceptions.ConnectionError):
        send(client, MSG)
    assert sim.sent == []
    assert_envelope(send(client, MSG))  # the next request works


def test_reset_mid(client, sim):
    sim.add_fault("GET", "/v3/account", kind="reset_mid")
    with pytest.raises(requests.exceptions.RequestException):
        client.get("/account")
    assert_envelope(client.get("/account"))


def test_truncated(client, sim):
    sim.add_fault("GET", "/v3/account", kind="truncated")
    resp = client.get("/account")
    assert resp.status_code == 200
    with pytest.raises(ValueError):
        resp.json()


def test_html(client, sim):
    sim.add_fault("GET", "/v3/account", kind="html", status=503)
    resp = client.get("/account")
    assert resp.status_code == 503 and resp.headers["Content-Type"].startswith("text/html")
    assert "<html>" in resp.text
    with pytest.raises(ValueError):
        resp.json()


def test_no_envelope(client, sim):
    sim.add_fault("GET", "/v3/account", kind="no_envelope")
    resp = client.get("/account")
    assert resp.status_code == 200
    assert "http_code" not in resp.json() and "data" not in resp.json()


def test_bad_data(client, sim):
    sim.add_fault("GET", "/v3/account", kind="bad_data")
    body = assert_envelope(client.get("/account"))
    assert body["data"] == "{}"
    sim.add_fault("POST", "/v3/sms/send", kind="bad_data", body=[])
    assert send(client, MSG).json()["data"] == []


def test_delay_causes_client_timeout(client, sim):
    sim.add_fault("GET", "/v3/account", kind="delay", delay=1.0)
    with pytest.raises(requests.exceptions.ReadTimeout):
        client.get("/account", timeout=0.3)
    sim.add_fault("GET", "/v3/account", kind="delay", delay=0.2)
    start = time.monotonic()
    assert_envelope(client.get("/account"))
    assert time.monotonic() - start >= 0.2


def test_after_processing_records_the_send(client, sim):
    sim.add_fault("POST", "/v3/sms/send", status=500, after_processing=True)
    assert client.post("/sms/send", json={"messages": [MSG]}).status_code == 500
    assert len(sim.sent) == 1 and len(sim.history) == 1


def test_after_processing_reset_and_timeout(client, sim):
    sim.add_fault("POST", "/v3/sms/send", kind="reset", after_processing=True)
    with pytest.raises(requests.exceptions.ConnectionError):
        send(client, MSG)
    sim.add_fault("POST", "/v3/sms/send", kind="delay", delay=1.0, after_processing=True)
    with pytest.raises(requests.exceptions.ReadTimeout):
        client.post("/sms/send", json={"messages": [MSG]}, timeout=0.3)
    assert len(sim.sent) == 2


def test_after_processing_truncated_cuts_the_real_answer(client, sim):
    sim.add_fault("POST", "/v3/sms/send", kind="truncated", after_processing=True)
    resp = send(client, MSG)
    assert resp.text.startswith('{"http_code": 200')
    with pytest.raises(ValueError):
        resp.json()
    assert len(sim.sent) == 1


def test_faulted_requests_are_logged(client, sim):
    sim.add_fault("GET", "/v3/account", kind="reset")
    with pytest.raises(requests.exceptions.ConnectionError):
        client.get("/account")
    assert sim.requests[-1]["path"] == "/v3/account"


def test_bad_kind_rejected(sim):
    with pytest.raises(ValueError):
        sim.add_fault("GET", "/v3/account", kind="explode")
