"""Delivery progress (Queued -> Sent/Failed), forced outcomes, and SMS delivery receipts (pull)."""

from __future__ import annotations

import time

import pytest
import requests

from .helpers import Client, assert_envelope, send


MSG = {"to": "+61411111111", "body": "Alert 123", "custom_string": "soar-1"}
RECEIPT_KEYS = {"timestamp_send", "timestamp", "message_id", "status_code", "status_text", "error_code", "error_text",
                "custom_string", "subaccount_id", "message_type", "digits"}
RULE = {"rule_name": "SOAR receipts", "match_type": 0, "action": "POLL", "action_address": "", "enabled": 1}


def _row(client, mid):
    (row,) = client.get("/sms/history", params={"q": f"message_id:{mid}"}).json()["data"]["data"]
    return row


def _sent_id(client, message=MSG):
    return assert_envelope(send(client, message))["data"]["messages"][0]["message_id"]


def test_without_delay_a_message_is_delivered_at_once_and_receipted(client, sim):
    assert_envelope(client.post("/automations/sms/receipts", json=RULE))
    mid = _sent_id(client)
    assert (_row(client, mid)["status"], _row(client, mid)["status_code"]) == ("Sent", "201")
    page = assert_envelope(client.get("/sms/receipts"))["data"]
    (receipt,) = page["data"]
    assert set(receipt) == RECEIPT_KEYS
    assert (receipt["message_id"], receipt["status_code"], receipt["status_text"]) == (mid, "201", "Success: Message received on handset.")
    assert (receipt["custom_string"], receipt["message_type"], receipt["digits"], receipt["error_code"]) == ("soar-1", "sms", None, None)
    assert receipt["subaccount_id"] == client.get("/account").json()["data"]["_subaccount"]["subaccount_id"]
    assert receipt["timestamp"] >= receipt["timestamp_send"] and abs(receipt["timestamp"] - time.time()) < 5
    assert page["per_page"] == 15 and page["total"] == 1

    assert assert_envelope(client.get(f"/sms/receipts/{mid.lower()}"))["data"] == receipt
    body = assert_envelope(client.put("/sms/receipts-read"))
    assert body["data"] is None and body["response_msg"] == "Receipts have been marked as read."
    assert client.get("/sms/receipts").json()["data"]["total"] == 0
    assert client.get(f"/sms/receipts/{mid}").json()["data"] == receipt  # read receipts stay readable one by one


def test_receipts_need_a_poll_rule_when_sent_and_when_read(client, sim):
    before = _sent_id(client)  # no rule yet: never a receipt
    rule = sim.add_receipt_rule()
    after = _sent_id(client)
    assert [r["message_id"] for r in client.get("/sms/receipts").json()["data"]["data"]] == [after]
    assert_envelope(client.get(f"/sms/receipts/{before}"), 404, "NOT_FOUND")
    assert_envelope(client.put(f"/automations/sms/receipts/{rule['receipt_rule_id']}", json=dict(rule, enabled=0)))
    assert client.get("/sms/receipts").json()["data"]["total"] == 0  # no enabled POLL rule now
    sim.add_receipt_rule(action="URL", action_address="https://example.com/hook")
    url_only = _sent_id(client)
    assert_envelope(client.get(f"/sms/receipts/{url_only}"), 404)


def test_delivery_delay_keeps_messages_queued_until_due(client, sim):
    sim.add_receipt_rule()
    sim.delivery_delay = 30
    sent_at = time.time()
    mid = _sent_id(client)
    row = _row(client, mid)
    assert (row["status"], row["status_code"], row["error_code"]) == ("Queued", "200", None)
    assert client.get("/sms/history", params={"q": "status:Queued"}).json()["data"]["total"] == 1
    assert client.get("/sms/receipts").json()["data"]["total"] == 0
    assert_envelope(client.get(f"/sms/receipts/{mid}"), 404)
    sim.advance(now=sent_at + 31)
    assert (_row(client, mid)["status"], _row(client, mid)["status_code"]) == ("Sent", "201")
    (receipt,) = client.get("/sms/receipts").json()["data"]["data"]
    assert receipt["timestamp"] - receipt["timestamp_send"] in (29, 30, 31)


def test_delivery_delay_in_real_time(client, sim):
    sim.delivery_delay = 0.2
    mid = _sent_id(client)
    assert _row(client, mid)["status"] == "Queued"
    time.sleep(0.25)
    assert _row(client, mid)["status"] == "Sent"


def test_forced_outcomes(client, sim):
    sim.add_receipt_rule()
    sim.set_delivery_outcome("+61400000001")
    sim.set_delivery_outcome("+61400000002", status_code="300", status_text="Temporary network error.", error_code=16,
                             error_text="Network error")
    sim.set_delivery_outcome("+61400000003", status_code="200")
    ids = [_sent_id(client, {"to": f"+6140000000{n}", "body": "x"}) for n in (1, 2, 3)]
    rows = [_row(client, mid) for mid in ids]
    assert [(r["status"], r["status_code"], r["error_code"]) for r in rows] == [("Failed", "301", "8"), ("Failed", "300", "16"),
                                                                                ("Queued", "200", None)]
    assert rows[1]["status_text"] == "Temporary network error." and rows[1]["error_text"] == "Network error"
    receipts = client.get("/sms/receipts").json()["data"]["data"]
    assert [(r["message_id"], r["status_code"], r["error_code"]) for r in receipts] == [(ids[0], "301", "8"), (ids[1], "300", "16")]
    assert client.get("/sms/history", params={"q": "status:Failed"}).json()["data"]["total"] == 2
    sim.set_delivery_outcome("+61400000001", None)
    assert _row(client, _sent_id(client, {"to": "+61400000001", "body": "x"}))["status"] == "Sent"


def test_scheduled_then_queued_then_sent(client, sim):
    sim.add_receipt_rule()
    sim.delivery_delay = 10
    start = time.time()
    mid = _sent_id(client, dict(MSG, schedule=int(start) + 100))
    assert _row(client, mid)["status"] == "Scheduled"
    sim.advance(now=start + 101)
    assert _row(client, mid)["status"] == "Queued"
    sim.advance(now=start + 112)
    assert _row(client, mid)["status"] == "Sent"
    assert client.get(f"/sms/receipts/{mid}").json()["data"]["timestamp"] == int(start) + 110


def test_mark_receipts_read_before_a_date(client, sim):
    sim.add_receipt_rule()
    sim.delivery_delay = 100
    start = time.time()
    first = _sent_id(client)
    sim.advance(now=start + 101)
    sim.delivery_delay = 300
    second = _sent_id(client)
    sim.advance(now=start + 301)
    stamps = {r["message_id"]: r["timestamp"] for r in sim.receipts()}
    assert_envelope(client.put("/sms/receipts-read", json={"date_before": stamps[second]}))
    assert [r["message_id"] for r in client.get("/sms/receipts").json()["data"]["data"]] == [second]
    assert_envelope(client.put("/sms/receipts-read", json={"date_before": "soon"}), 400, "BAD_REQUEST")
    assert first in stamps


def test_receipts_belong_to_the_sending_account(client, sim):
    sim.add_receipt_rule()
    mid = _sent_id(client)
    sim.add_account("other@example.com", "K")
    other = Client(sim, ("other@example.com", "K"))
    assert other.get("/sms/receipts").json()["data"]["total"] == 0
    assert_envelope(other.get(f"/sms/receipts/{mid}"), 404)
    assert_envelope(other.put("/sms/receipts-read"))
    assert client.get("/sms/receipts").json()["data"]["total"] == 1


def test_receipt_test_helper(client, sim):
    sim.add_receipt_rule()
    assert_envelope(client.post("/sms/receipts", json={}), 400, "BAD_REQUEST")
    hooked = assert_envelope(client.post("/sms/receipts", json={"url": "https://example.com/hook"}))["data"]
    assert set(hooked) == RECEIPT_KEYS and hooked["status_code"] == "201"
    polled = assert_envelope(client.post("/sms/receipts", json={"url": "poll"}))["data"]
    assert [r["message_id"] for r in client.get("/sms/receipts").json()["data"]["data"]] == [polled["message_id"]]


def test_control_routes(client, sim):
    root = sim.root_url + "/_sim"
    assert requests.post(root + "/settings", json={"delivery_delay": 5}, timeout=5).json()["delivery_delay"] == 5.0
    assert requests.post(root + "/settings", json={"nope": 1}, timeout=5).status_code == 400
    requests.post(root + "/delivery-outcome", json={"number": "+61400000001", "status_code": "301"}, timeout=5)
    requests.post(root + "/receipt-rules", json={}, timeout=5)
    mid = _sent_id(client, {"to": "+61400000001", "body": "x"})
    assert requests.get(root + "/receipts", timeout=5).json() == []
    requests.post(root + "/advance", json={"now": time.time() + 6}, timeout=5)
    (receipt,) = requests.get(root + "/receipts", timeout=5).json()
    assert (receipt["message_id"], receipt["status_code"]) == (mid, "301")
    assert requests.post(root + "/delivery-outcome", json={"status_code": "301"}, timeout=5).status_code == 400
    sim.reset()
    assert sim.delivery_delay == 0 and sim.state.delivery_outcomes == {} and sim.receipts() == []


@pytest.mark.parametrize("delay", [0, 30])
def test_cancel_only_scheduled_not_queued(client, sim, delay):
    sim.delivery_delay = delay
    mid = _sent_id(client)
    assert_envelope(client.put(f"/sms/{mid}/cancel"), 400, "BAD_REQUEST")


def test_receipts_newest_first_and_marked_read_by_send_time_when_set(client, sim):
    """Two switches for what ClickSend does not document: the listing's order and the stamp date_before compares."""
    sim.add_receipt_rule()
    sim.delivery_delay = 100
    start = time.time()
    first = _sent_id(client)  # sent at start, receipt at start + 100
    sim.delivery_delay = 10
    second = _sent_id(client)  # sent at start, receipt at start + 10
    sim.advance(now=start + 101)
    listed = lambda: [r["message_id"] for r in client.get("/sms/receipts").json()["data"]["data"]]  # noqa: E731
    assert listed() == [second, first]  # oldest receipt first
    sim.state.settings["receipts_newest_first"] = True
    assert listed() == [first, second]
    sim.state.settings["receipts_read_by"] = "timestamp_send"
    sent = {r["message_id"]: r["timestamp_send"] for r in sim.receipts()}
    assert_envelope(client.put("/sms/receipts-read", json={"date_before": max(sent.values()) + 1}))
    assert listed() == []  # both were sent before the cut-off, though one receipt came after it
    sim.reset()
    assert sim.state.settings["receipts_read_by"] == "timestamp" and sim.state.settings["receipts_newest_first"] is False
