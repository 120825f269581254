"""Authentication, test usernames, envelope on errors, 404/405."""

from __future__ import annotations

import pytest
from clicksend_sim import TEST_KEY

from .helpers import Client, assert_envelope


def test_default_account_ok(client, sim):
    body = assert_envelope(client.get("/account"), 200, "SUCCESS")
    data = body["data"]
    assert data["username"] == sim.username == "soc-team@example.com"
    assert data["balance"] == "42.510000"
    assert data["_currency"]["currency_name_short"] == "AUD"
    # like the real API, the key is in _subaccount: the app must strip it
    assert data["_subaccount"]["api_key"] == sim.api_key
    assert isinstance(data["user_id"], int)


@pytest.mark.parametrize("auth", [None, ("soc-team@example.com", "WRONG"), ("nobody@example.com", "SIM-0000-KEY")])
def test_bad_auth_is_401(sim, auth):
    c = Client(sim, auth=auth or ())
    if auth is None:
        c.auth = None
    resp = c.get("/account")
    assert_envelope(resp, 401, "UNAUTHORIZED")


def test_garbage_authorization_header(client):
    resp = client.get("/account", auth=None, headers={"Authorization": "Basic !!!notbase64"})
    assert_envelope(resp, 401, "UNAUTHORIZED")


def test_added_account(sim):
    sim.add_account("second@example.com", "K2", balance="1.000000", currency="USD")
    body = assert_envelope(Client(sim, ("second@example.com", "K2")).get("/account"))
    assert body["data"]["balance"] == "1.000000"
    assert body["data"]["_currency"]["currency_name_short"] == "USD"
    assert body["data"]["_subaccount"]["api_key"] == "K2"


def test_notactive_is_403(sim):
    body = assert_envelope(Client(sim, ("notactive", TEST_KEY)).get("/account"), 403, "FORBIDDEN")
    assert "not activated" in body["response_msg"]


def test_banned_is_403(sim):
    body = assert_envelope(Client(sim, ("banned", TEST_KEY)).get("/account"), 403, "FORBIDDEN")
    assert "banned" in body["response_msg"]


def test_nocredit_authenticates_but_messages_fail(sim):
    c = Client(sim, ("nocredit", TEST_KEY))
    assert_envelope(c.get("/account"), 200)
    for path in ("/sms/send", "/sms/price"):
        body = assert_envelope(c.post(path, json={"messages": [{"to": "+61411111111", "body": "x"}, {"to": "+61422222222", "body": "y"}]}))
        assert body["data"]["queued_count"] == 0
        assert {m["status"] for m in body["data"]["messages"]} == {"INSUFFICIENT_CREDIT"}
    assert sim.sent == []
    assert sim.history == []


def test_wrong_key_for_test_username(sim):
    assert_envelope(Client(sim, ("nocredit", "nope")).get("/account"), 401, "UNAUTHORIZED")


def test_unknown_path_404_and_wrong_method_405(client):
    assert_envelope(client.get("/does/not/exist"), 404, "NOT_FOUND")
    resp = client.delete("/account")
    assert_envelope(resp, 405)
    assert resp.headers["Allow"] == "GET"
    assert_envelope(client.get("/sms/send"), 405)


def test_unauthenticated_unknown_path_is_404(sim):
    assert_envelope(Client(sim, auth=None).get("/nothing"), 404)


def test_invalid_json_body_is_400(client):
    resp = client.post("/sms/send", data=b"{not json", headers={"Content-Type": "application/json"})
    assert_envelope(resp, 400, "BAD_REQUEST")


def test_requests_log_never_holds_the_key(client, sim):
    client.get("/account", params={"x": ["1", "2"], "y": "3"})
    entry = sim.requests[-1]
    assert entry["method"] == "GET" and entry["path"] == "/v3/account"
    assert entry["username"] == sim.username
    assert entry["query"] == {"x": ["1", "2"], "y": "3"}
    assert entry["json"] is None and isinstance(entry["time"], float)
    assert sim.api_key not in repr(sim.requests)
    assert "Authorization" not in repr(sim.requests)
