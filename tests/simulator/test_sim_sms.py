"""POST /sms/send, POST /sms/price: validation statuses, parts, prices, list expansion, recipient statuses."""

from __future__ import annotations

import re
import time

import pytest

from .helpers import Client, assert_envelope, send


GUID = re.compile(r"^[0-9A-F]{8}-[0-9A-F]{4}-[0-9A-F]{4}-[0-9A-F]{4}-[0-9A-F]{12}$")
SEND_KEYS = {
    "direction", "date", "to", "body", "from", "schedule", "message_id", "message_parts", "message_price", "from_email",
    "list_id", "custom_string", "contact_id", "user_id", "subaccount_id", "is_shared_system_number", "country", "carrier", "status",
}


def test_send_one_message(client, sim):
    body = assert_envelope(send(client, {"to": "+61411111111", "body": "Alert 123", "custom_string": "soar-1", "from": "+61431111112"}),
                           200, "SUCCESS")
    data = body["data"]
    assert data["total_count"] == 1 and data["queued_count"] == 1 and data["blocked_count"] == 0
    assert isinstance(data["total_price"], float) and data["total_price"] == pytest.approx(0.0792)
    assert data["_currency"]["currency_name_short"] == "AUD"
    (msg,) = data["messages"]
    assert set(msg) == SEND_KEYS
    assert msg["status"] == "SUCCESS"
    assert GUID.match(msg["message_id"])
    assert msg["message_price"] == "0.0792" and msg["message_parts"] == 1
    assert msg["custom_string"] == "soar-1" and msg["from"] == "+61431111112" and msg["is_shared_system_number"] is False
    assert isinstance(msg["schedule"], int) and isinstance(msg["date"], int)
    assert abs(msg["date"] - time.time()) < 5
    assert msg["country"] == "AU"
    assert sim.sent == [msg]
    (row,) = sim.history
    assert row["message_id"] == msg["message_id"]
    assert (row["status"], row["status_code"], row["status_text"]) == ("Sent", "201", "Success: Message received on handset.")


@pytest.mark.parametrize(
    ("message", "status"),
    [
        ({"to": "+6100", "body": "x"}, "INVALID_RECIPIENT"),
        ({"to": "0411", "body": "x"}, "INVALID_RECIPIENT"),
        ({"to": "0411111111", "body": "x", "country": "ZZ"}, "INVALID_RECIPIENT"),
        ({"to": "0411111111", "body": "x"}, "SUCCESS"),  # national format, account default country AU
        ({"to": "+61411111111", "body": ""}, "EMPTY_MESSAGE"),
        ({"to": "+61411111111"}, "EMPTY_MESSAGE"),
        ({"to": "+61411111111", "body": "x", "from": "TWELVECHARSX"}, "INVALID_SENDER_ID"),
        ({"to": "+61411111111", "body": "x", "from": "Big SOC"}, "INVALID_SENDER_ID"),
        ({"to": "+61411111111", "body": "x", "schedule": "tomorrow"}, "INVALID_SCHEDULE"),
        ({"to": "+61411111111", "body": "x", "schedule": -5}, "INVALID_SCHEDULE"),
        ({"body": "x"}, "MISSING_REQUIRED_FIELDS"),
        ({"to": "+61411111111", "body": "x", "from": "SOCTeam"}, "SUCCESS"),
        ({"to": "+61411111111", "body": "x", "from": "SOC+1"}, "SUCCESS"),
        ({"to": "+61411111111", "body": "x", "from": "+61431111112"}, "SUCCESS"),
        ({"to": "+61411111111", "body": "x", "from": "12345"}, "SUCCESS"),  # dedicated short code, 3-8 digits
        ({"to": "+61411111111", "body": "x", "from": "123"}, "SUCCESS"),
        ({"to": "+61411111111", "body": "x", "from": "12"}, "INVALID_SENDER_ID"),
        ({"to": "+61411111111", "body": "x", "from": "123456789"}, "INVALID_SENDER_ID"),  # digits only: not a short code, not E.164
        ({"to": "+61411111111", "body": "x", "from": "61431111112"}, "INVALID_SENDER_ID"),
        ({"to": "+61411111111", "body": "x", "from": "+123"}, "INVALID_SENDER_ID"),
    ],
)
def test_per_message_validation(client, sim, message, status):
    for path in ("/sms/send", "/sms/price"):
        data = assert_envelope(client.post(path, json={"messages": [message]}), 200)["data"]
        (msg,) = data["messages"]
        assert msg["status"] == status
        assert data["queued_count"] == (1 if status == "SUCCESS" else 0)
        if status != "SUCCESS":
            assert msg["message_price"] == "0.0000"
    assert len(sim.sent) == (1 if status == "SUCCESS" else 0)


def test_mixed_batch(client, sim):
    data = send(client, {"to": "+61411111111", "body": "a"}, {"to": "bad", "body": "b"}, {"to": "+61422222222", "body": "c"}).json()["data"]
    assert [m["status"] for m in data["messages"]] == ["SUCCESS", "INVALID_RECIPIENT", "SUCCESS"]
    assert data["total_count"] == 3 and data["queued_count"] == 2
    assert data["total_price"] == pytest.approx(0.1584)
    assert len(sim.sent) == 2 and len(sim.history) == 2


@pytest.mark.parametrize(
    ("text", "parts"),
    [
        ("a" * 160, 1), ("a" * 161, 2), ("a" * 306, 2), ("a" * 307, 3), ("a" * 918, 6),
        ("€" * 80, 1), ("€" * 81, 2),  # GSM extension characters count double
        ("é" * 160, 1),  # é is in the GSM basic set
        ("ą" * 70, 1), ("ą" * 71, 2), ("ą" * 134, 2), ("ą" * 135, 3),
        ("a" * 69 + "😀", 2),  # an emoji is 2 UTF-16 units and makes the message Unicode
        ("a" * 158 + "\n", 1), ("a" * 159 + "\n", 2),  # a line break counts 2 (CR LF)
        ("a" * 158 + "\r\n", 1), ("a" * 159 + "\r\n", 2), ("a" * 158 + "\r", 1), ("a" * 159 + "\r", 2),
        ("ą" * 68 + "\n", 1), ("ą" * 69 + "\n", 2),
    ],
)
def test_message_parts(client, text, parts):
    msg = client.post("/sms/price", json={"messages": [{"to": "+61411111111", "body": text}]}).json()["data"]["messages"][0]
    assert msg["message_parts"] == parts
    assert msg["message_price"] == f"{parts * 0.0792:.4f}"


def test_price_records_nothing(client, sim):
    body = assert_envelope(client.post("/sms/price", json={"messages": [{"to": "+61411111111", "body": "x", "schedule": 2000000000}]}))
    data = body["data"]
    assert data["messages"][0]["date"] == "" and data["messages"][0]["schedule"] == ""
    assert data["total_price"] == pytest.approx(0.0792)
    assert {"total_price", "total_count", "queued_count", "blocked_count", "messages", "_currency"} <= set(data)
    assert sim.sent == [] and sim.history == []


def test_scheduled_send(client, sim):
    future = int(time.time()) + 3600
    msg = send(client, {"to": "+61411111111", "body": "later", "schedule": str(future)}).json()["data"]["messages"][0]
    assert msg["schedule"] == future and msg["status"] == "SUCCESS"
    row = sim.history[0]
    assert (row["status"], row["status_code"], row["schedule"]) == ("Scheduled", "200", str(future))


def test_recipient_status_override(client, sim):
    sim.set_recipient_status("+61400000001", "COUNTRY_NOT_ENABLED")
    data = send(client, {"to": "+61400000001", "body": "x"}, {"to": "+61411111111", "body": "y"}).json()["data"]
    assert [m["status"] for m in data["messages"]] == ["COUNTRY_NOT_ENABLED", "SUCCESS"]
    assert data["messages"][0]["message_price"] == "0.0000"
    assert data["queued_count"] == 1 and data["blocked_count"] == 1
    price = client.post("/sms/price", json={"messages": [{"to": "+61400000001", "body": "x"}]}).json()["data"]
    assert price["messages"][0]["status"] == "COUNTRY_NOT_ENABLED" and price["queued_count"] == 0
    sim.set_recipient_status("+61400000001", None)
    assert send(client, {"to": "+61400000001", "body": "x"}).json()["data"]["queued_count"] == 1


def test_all_failed_is_still_200(client):
    body = assert_envelope(send(client, {"to": "nope", "body": "x"}), 200, "SUCCESS")
    assert body["data"]["queued_count"] == 0


def test_list_expansion(client, sim):
    lst = sim.add_list("SOC on-call", [
        {"phone_number": "+61411111111", "first_name": "Jane", "last_name": "Citizen"},
        {"phone_number": "+61422222222", "first_name": "Joe"},
        {"email": "nophone@example.com"},
    ])
    assert lst["_contacts_count"] == 3
    contacts = sim.state.list_contacts(lst["list_id"])
    data = send(client, {"list_id": lst["list_id"], "body": "page"}, {"to": "+61433333333", "body": "direct"}).json()["data"]
    assert data["total_count"] == 4 and data["queued_count"] == 3
    listed = data["messages"][:3]
    assert [m["to"] for m in listed[:2]] == ["+61411111111", "+61422222222"]
    assert {m["list_id"] for m in listed} == {str(lst["list_id"])}
    assert [m["contact_id"] for m in listed] == [str(c["contact_id"]) for c in contacts]
    assert listed[2]["status"] == "INVALID_RECIPIENT"
    assert data["messages"][3]["list_id"] is None and data["messages"][3]["contact_id"] is None
    assert sim.history[0]["first_name"] == "Jane"


def test_list_id_as_string_and_unknown_list(client, sim):
    lst = sim.add_list("L", [{"phone_number": "+61411111111"}])
    data = send(client, {"list_id": str(lst["list_id"]), "body": "x"}).json()["data"]
    assert data["queued_count"] == 1
    data = send(client, {"list_id": 999, "body": "x"}).json()["data"]
    (msg,) = data["messages"]
    assert msg["status"] == "NOT_ENOUGH_PERMISSION_TO_LIST_ID" and data["queued_count"] == 0


def test_too_many_recipients(client, sim):
    ok = send(client, *({"to": f"+6141{i:07d}", "body": "x"} for i in range(1000)))
    assert assert_envelope(ok)["data"]["queued_count"] == 1000
    too_many = send(client, *({"to": f"+6141{i:07d}", "body": "x"} for i in range(1001)))
    assert_envelope(too_many, 400, "TOO_MANY_RECIPIENTS")
    lst = sim.add_list("big", [{"phone_number": f"+6142{i:07d}"} for i in range(1000)])
    assert_envelope(send(client, {"list_id": lst["list_id"], "body": "x"}), 200)
    assert_envelope(send(client, {"list_id": lst["list_id"], "body": "x"}, {"to": "+61411111111", "body": "x"}), 400, "TOO_MANY_RECIPIENTS")
    assert len(sim.sent) == 2000


@pytest.mark.parametrize("payload", [{}, {"messages": []}, {"messages": "x"}, {"messages": ["x"]}, [1, 2]])
def test_malformed_requests_are_400(client, sim, payload):
    body = assert_envelope(client.post("/sms/send", json=payload), 400, "BAD_REQUEST")
    assert body["data"] is None or isinstance(body["data"], dict)
    assert sim.sent == []


def test_national_numbers_are_formatted_with_the_country(client, sim):
    data = send(client, {"to": "0411 111 111", "body": "x"}, {"to": "(405) 555-5555", "body": "x", "country": "US"},
                {"to": "0061422222222", "body": "x"}).json()["data"]
    assert [m["to"] for m in data["messages"]] == ["+61411111111", "+14055555555", "+61422222222"]
    assert data["queued_count"] == 3
    assert [r["to"] for r in sim.history] == ["+61411111111", "+14055555555", "+61422222222"]
    sim.add_account("kiwi@example.com", "K", default_country_sms="NZ")
    kiwi = send(Client(sim, ("kiwi@example.com", "K")), {"to": "021 123 4567", "body": "x"}).json()["data"]["messages"][0]
    assert (kiwi["to"], kiwi["status"], kiwi["country"]) == ("+64211234567", "SUCCESS", "NZ")


@pytest.mark.parametrize(
    ("limit", "text", "kept", "parts"),
    [
        (6, "a" * 1000, "a" * 918, 6),
        (8, "a" * 1300, "a" * 1224, 8),
        (6, "ą" * 500, "ą" * 402, 6),
        (8, "ą" * 600, "ą" * 536, 8),
        (1, "a" * 200, "a" * 160, 1),
        (6, "a" * 917 + "€", "a" * 917, 6),  # an extension character (2) does not fit in the last septet
        (6, "a" * 916 + "\n" + "b", "a" * 916 + "\n", 6),  # the line break fits exactly (916 + 2)
        (6, "a" * 917 + "\r\n", "a" * 917, 6),  # CR LF is never split
        (6, "ą" * 401 + "😀", "ą" * 401, 6),  # an emoji (2 units) is never split
    ],
)
def test_long_messages_are_truncated_to_the_account_part_limit(client, sim, limit, text, kept, parts):
    sim.add_account("limited@example.com", "K", setting_sms_message_char_limit=limit)
    limited = Client(sim, ("limited@example.com", "K"))
    assert limited.get("/account").json()["data"]["setting_sms_message_char_limit"] == limit
    price = limited.post("/sms/price", json={"messages": [{"to": "+61411111111", "body": text}]}).json()["data"]
    assert (price["messages"][0]["body"], price["messages"][0]["message_parts"]) == (kept, parts)
    assert price["messages"][0]["message_price"] == f"{parts * 0.0792:.4f}"
    msg = send(limited, {"to": "+61411111111", "body": text}).json()["data"]["messages"][0]
    assert (msg["status"], msg["body"], msg["message_parts"]) == ("SUCCESS", kept, parts)
    (row,) = sim.history
    assert (row["body"], row["message_parts"]) == (kept, parts)


def test_default_part_limit_is_six(client, sim):
    assert client.get("/account").json()["data"]["setting_sms_message_char_limit"] == 6
    msg = send(client, {"to": "+61411111111", "body": "a" * 1224}).json()["data"]["messages"][0]
    assert (len(msg["body"]), msg["message_parts"], msg["message_price"]) == (918, 6, "0.4752")


def test_short_code_sender_is_echoed_unchanged(client, sim):
    msg = send(client, {"to": "+61411111111", "body": "x", "from": "12345"}).json()["data"]["messages"][0]
    assert (msg["from"], msg["is_shared_system_number"]) == ("12345", False)
    assert sim.history[0]["from"] == "12345"


@pytest.mark.parametrize("path", ["/sms/send", "/mms/send", "/voice/send"])
def test_too_many_recipients_counts_list_members_for_every_channel(client, sim, path):
    lst = sim.add_list("big", [{"phone_number": f"+6142{i:07d}"} for i in range(1000)])
    extra = {"subject": "s", "from": "+61431111112", "voice": "female"}
    top = {"media_file": "https://example.com/a.jpg"} if path == "/mms/send" else {}
    messages = [dict(extra, list_id=lst["list_id"], body="x"), dict(extra, to="+61411111111", body="x")]
    assert_envelope(client.post(path, json={"messages": messages, **top}), 400, "TOO_MANY_RECIPIENTS")
    assert sim.sent == [] and sim.history == [] and sim.voice_history == []
    assert sim.state.extra.get("mms_sent", []) == [] and sim.state.extra.get("voice_sent", []) == []
    ok = client.post(path, json={"messages": messages[:1], **top})
    assert assert_envelope(ok)["data"]["queued_count"] == 1000
