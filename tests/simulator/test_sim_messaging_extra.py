"""The simulator's MMS, voice and cancel endpoints (routes_messaging_extra), over plain HTTP."""

from __future__ import annotations

import time

import pytest
import requests
from clicksend_sim.routes_messaging_extra import mms_sent, voice_sent

from .helpers import assert_envelope, send


MEDIA = "https://example.com/a.jpg"
SENDER = "+61431111112"


def test_mms_statuses_and_keys(client, sim):
    lst = sim.add_list("On call", [{"phone_number": "+61422222222"}])
    resp = client.post(
        "/mms/send",
        json={
            "media_file": MEDIA,
            "messages": [
                {"to": "+61411111111", "subject": "S" * 25, "body": "b", "custom_string": "c-1", "from": SENDER},
                {"to": "+61433333333", "body": "no subject", "from": SENDER},
                {"list_id": lst["list_id"], "subject": "s", "body": "b", "from": SENDER},
                {"to": "+61444444444", "subject": "s", "body": "no sender"},
            ],
        },
    )
    data = assert_envelope(resp, 200, "SUCCESS")["data"]
    assert [m["status"] for m in data["messages"]] == ["SUCCESS", "SUBJECT_REQUIRED", "SUCCESS", "MISSING_REQUIRED_FIELDS"]
    first = data["messages"][0]
    assert set(first) == {
        "list_id", "contact_id", "message_id", "to", "subject", "from", "body", "country", "custom_string", "schedule",
        "message_parts", "message_price", "_media_file_url", "status",
    }  # fmt: skip
    assert (first["subject"], first["_media_file_url"], first["custom_string"]) == ("S" * 20, MEDIA, "c-1")
    assert isinstance(data["messages"][2]["contact_id"], int) and data["messages"][2]["list_id"] == str(lst["list_id"])
    assert data["queued_count"] == 2 and data["total_price"] == 1.0
    assert [m["to"] for m in mms_sent(sim)] == ["+61411111111", "+61422222222"]


@pytest.mark.parametrize("path", ["/mms/send", "/mms/price"])
def test_mms_answers_carry_no_currency_unless_asked(client, sim, path):
    """ClickSend's MMS answer (OAS send_mms_data) documents no _currency, unlike SMS and voice."""
    body = {"media_file": MEDIA, "messages": [{"to": "+61411111111", "subject": "s", "body": "b", "from": SENDER}]}
    data = assert_envelope(client.post(path, json=body))["data"]
    assert set(data) == {"total_price", "total_count", "queued_count", "blocked_count", "messages"}
    sim.mms_currency = True
    assert assert_envelope(client.post(path, json=body))["data"]["_currency"]["currency_name_short"] == "AUD"


def test_the_stand_in_media_host_answers_head_with_the_size_it_was_given(sim):
    default = requests.head(sim.root_url + "/_sim/media/anything.gif", timeout=5)
    assert (default.status_code, default.headers["Content-Type"], default.headers["Content-Length"]) == (200, "image/gif", "20000")
    big = requests.head(sim.media_url("big.jpg", size=300_000), timeout=5)
    assert (big.headers["Content-Type"], big.headers["Content-Length"]) == ("image/jpeg", "300000")
    unknown = requests.head(sim.media_url("chunked.jpg", size=None), timeout=5)
    assert unknown.status_code == 200 and "Content-Length" not in unknown.headers
    assert requests.head(sim.media_url("gone.jpg", status=404), timeout=5).status_code == 404
    assert len(requests.get(sim.media_url("small.jpg", size=10), timeout=5).content) == 10
    assert sim.requests == []  # not ClickSend: never recorded as an API request
    assert requests.head(sim.url + "/account", timeout=5).status_code == 405


@pytest.mark.parametrize(
    ("media", "status"),
    [
        (None, "INVALID_MEDIA_FILE"), ("", "INVALID_MEDIA_FILE"), ("ftp://example.com/a.jpg", "INVALID_MEDIA_FILE"),
        ("not a url", "INVALID_MEDIA_FILE"),
        # jpeg, png and bmp must first be converted with POST /uploads?convert=mms
        ("https://example.com/a.jpeg", "INVALID_MEDIA_FILE"), ("https://example.com/a.png", "INVALID_MEDIA_FILE"),
        ("https://example.com/a.bmp", "INVALID_MEDIA_FILE"), ("https://example.com/a.jpg.png", "INVALID_MEDIA_FILE"),
        ("https://example.com/a.png?name=x.jpg", "INVALID_MEDIA_FILE"),
        (MEDIA, "SUCCESS"), ("https://example.com/A.JPG", "SUCCESS"), ("http://example.com/x/anim.Gif?sig=abc&v=2", "SUCCESS"),
    ],
)
def test_mms_media_file_and_price_records_nothing(client, sim, media, status):
    body = {"messages": [{"to": "+61411111111", "subject": "s", "body": "b", "from": SENDER}]}
    if media is not None:
        body["media_file"] = media
    data = assert_envelope(client.post("/mms/price", json=body))["data"]
    assert data["messages"][0]["status"] == status
    assert mms_sent(sim) == [] and sim.sent == []


def test_mms_body_is_truncated_past_1500_gsm_or_500_unicode_characters(client):
    messages = [{"to": "+61411111111", "subject": "s", "from": SENDER, "body": body} for body in ("a" * 1600, "ą" * 600, "a" * 1500)]
    data = assert_envelope(client.post("/mms/send", json={"media_file": MEDIA, "messages": messages}))["data"]
    assert [len(m["body"]) for m in data["messages"]] == [1500, 500, 1500]
    assert {m["message_parts"] for m in data["messages"]} == {1}


def test_voice_body_is_truncated_past_four_credits(client, sim):
    messages = [{"to": "+61411111111", "voice": "female", "body": body} for body in ("a" * 1300, "ą" * 700, "a" * 900)]
    data = assert_envelope(client.post("/voice/send", json={"messages": messages}))["data"]
    assert [(len(m["body"]), m["message_parts"]) for m in data["messages"]] == [(1200, 4), (600, 4), (900, 3)]
    assert [len(r["body"]) for r in sim.voice_history] == [1200, 600, 900]


def test_voice_statuses_parts_and_languages(client, sim):
    messages = [
        {"to": "+61411111111", "body": "a" * 301, "voice": "female", "require_input": 1},
        {"to": "+61411111111", "body": "b", "voice": "female", "lang": "pt-pt"},
        {"to": "+61411111111", "body": "b", "voice": "male", "lang": "en-in"},
        {"to": "+61411111111", "body": "b", "voice": "robot"},
        {"to": "+61411111111", "body": "b", "voice": "male", "lang": "zz-zz"},
        {"to": "+61411111111", "body": "b", "voice": "male", "lang": "pt-pt"},
    ]
    data = assert_envelope(client.post("/voice/send", json={"messages": messages}))["data"]
    assert [m["status"] for m in data["messages"]] == ["SUCCESS", "INVALID_VOICE", "INVALID_VOICE", "INVALID_VOICE", "INVALID_LANG", "SUCCESS"]
    first = data["messages"][0]
    assert (first["message_parts"], first["lang"], first["require_input"], first["machine_detection"]) == (2, "en-us", 1, 0)
    assert "contact_id" not in first and first["from"] is None
    assert len(voice_sent(sim)) == 2

    langs = assert_envelope(client.get("/voice/lang"))["data"]
    assert len(langs) == 23
    assert {"code": "en-in", "country": "English, India", "gender": "female"} in langs
    assert {"code": "en-us", "country": "English, US", "gender": ["female", "male"]} in langs


def test_cancel_only_a_scheduled_message_of_this_account(client, sim):
    later = int(time.time()) + 3600
    msgs = assert_envelope(send(client, {"to": "+61411111111", "body": "x", "schedule": later}, {"to": "+61422222222", "body": "y"}))["data"]
    scheduled, sent = (m["message_id"] for m in msgs["messages"])

    assert_envelope(client.put(f"/sms/{sent}/cancel"), 400, "BAD_REQUEST")
    assert_envelope(client.put("/sms/NOPE/cancel"), 404, "NOT_FOUND")
    body = assert_envelope(client.put(f"/sms/{scheduled.lower()}/cancel"), 200, "SUCCESS")
    assert body["data"] is None
    row = sim.state.history_by_id[scheduled]
    assert (row["status"], row["status_code"]) == ("Cancelled", "301")
    assert scheduled not in sim.state.scheduled
    assert_envelope(client.put(f"/sms/{scheduled}/cancel"), 400, "BAD_REQUEST")
