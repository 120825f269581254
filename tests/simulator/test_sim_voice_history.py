"""Voice history and voice cancel (plain HTTP and the official SDK)."""

from __future__ import annotations

import time

import pytest

from .helpers import Client, assert_envelope, send


VOICE_KEYS = {
    "date", "date_added", "list_id", "to", "to_type", "body", "from", "lang", "voice", "schedule", "message_id", "message_parts",
    "message_price", "custom_string", "user_id", "subaccount_id", "country", "require_input", "machine_detection",
    "machine_detected", "digits", "carrier", "status_code", "status_text", "status", "_api_username",
}  # fmt: skip


def _voice(client, *messages):
    return assert_envelope(client.post("/voice/send", json={"messages": list(messages)}))["data"]["messages"]


def test_voice_history_records_sends(client, sim):
    later = int(time.time()) + 3600
    now_msg, later_msg, bad = _voice(
        client,
        {"to": "+61411111111", "body": "Alert 123", "voice": "female", "custom_string": "soar-7", "country": "AU"},
        {"to": "+14055555555", "body": "later", "voice": "male", "schedule": later},
        {"to": "+61411111111", "body": "x", "voice": "robot"},
    )
    assert bad["status"] == "INVALID_VOICE"
    page = assert_envelope(client.get("/voice/history"))["data"]
    assert (page["total"], page["per_page"], page["current_page"]) == (2, 15, 1)
    first, second = page["data"]
    assert set(first) == VOICE_KEYS
    assert first["message_id"] == now_msg["message_id"]
    assert (first["status"], first["status_code"], first["status_text"]) == ("SUCCESS", "201", "Delivered")
    assert (first["custom_string"], first["country"], first["_api_username"]) == ("soar-7", "AU", sim.username)
    assert second["message_id"] == later_msg["message_id"]
    assert (second["status"], second["status_code"], second["country"]) == ("Scheduled", "200", "US")
    assert second["custom_string"] == ""
    desc = client.get("/voice/history", params={"order_by": "date:desc", "q": "status:Scheduled"}).json()["data"]
    assert [r["message_id"] for r in desc["data"]] == [later_msg["message_id"]]
    assert client.get("/voice/history", params={"q": f"message_id:{now_msg['message_id'].lower()}"}).json()["data"]["total"] == 1
    assert client.get("/voice/history", params={"date_from": int(time.time()) + 10}).json()["data"]["total"] == 0
    sim.advance(now=later + 1)
    assert client.get("/voice/history", params={"q": f"message_id:{later_msg['message_id']}"}).json()["data"]["data"][0]["status"] == "SUCCESS"
    sim.add_account("other@example.com", "K")
    assert Client(sim, ("other@example.com", "K")).get("/voice/history").json()["data"]["total"] == 0
    assert client.get("/sms/history").json()["data"]["total"] == 0  # voice is not SMS


def test_voice_cancel(client, sim):
    later = int(time.time()) + 3600
    scheduled, immediate = (m["message_id"] for m in _voice(
        client, {"to": "+61411111111", "body": "later", "voice": "female", "schedule": later},
        {"to": "+61411111111", "body": "now", "voice": "female"}))
    sms_id = send(client, {"to": "+61411111111", "body": "x", "schedule": later}).json()["data"]["messages"][0]["message_id"]

    assert_envelope(client.put(f"/sms/{scheduled}/cancel"), 404, "NOT_FOUND")  # a voice id is not an SMS
    assert_envelope(client.put(f"/voice/{sms_id}/cancel"), 404, "NOT_FOUND")
    assert_envelope(client.put("/voice/NOPE/cancel"), 404, "NOT_FOUND")
    assert_envelope(client.put(f"/voice/{immediate}/cancel"), 400, "BAD_REQUEST")
    body = assert_envelope(client.put(f"/voice/{scheduled.lower()}/cancel"))
    assert body["data"] == []
    row = sim.voice_history[0]
    assert (row["status"], row["status_code"]) == ("Cancelled", "301")
    assert_envelope(client.put(f"/voice/{scheduled}/cancel"), 400)
    sim.advance(now=later + 1)
    assert sim.voice_history[0]["status"] == "Cancelled"
    assert sim.history[0]["status"] == "Sent"


def test_sdk_parses_voice_history_and_cancel(sim, client):
    sdk = pytest.importorskip("clicksend")
    later = int(time.time()) + 3600
    scheduled = _voice(client, {"to": "+61411111111", "body": "later", "voice": "female", "schedule": later, "lang": "en-au"})[0]
    lst = sim.add_list("L", [{"phone_number": "+61422222222"}])
    _voice(client, {"list_id": lst["list_id"], "body": "now", "voice": "male"})
    cfg = sdk.Configuration(host=sim.root_url, username=sim.username, password=sim.api_key)
    with sdk.ApiClient(cfg) as api:
        voice = sdk.VoiceMessagingApi(api)
        history = voice.get_voice_history(page=1, limit=15)
        assert history.data.total == 2
        assert [m.status for m in history.data.data] == ["Scheduled", "SUCCESS"]
        assert history.data.data[1].list_id == str(lst["list_id"])
        cancelled = voice.cancel_voice_message(scheduled["message_id"])
        assert (cancelled.response_code, cancelled.data) == ("SUCCESS", [])
