"""Inbound (and receipt) automation rules."""

from __future__ import annotations

from .helpers import assert_envelope


RULE = {"dedicated_number": "*", "rule_name": "SOAR poll", "message_search_type": 0, "message_search_term": "",
        "action": "POLL", "action_address": "", "enabled": 1}


def test_create_list_get_update_delete(client, sim):
    created = assert_envelope(client.post("/automations/sms/inbound", json=RULE))["data"]
    rule_id = created["inbound_rule_id"]
    assert isinstance(rule_id, int)
    assert {k: created[k] for k in RULE} == RULE
    assert created["webhook_type"] == "post"

    listing = assert_envelope(client.get("/automations/sms/inbound"))["data"]
    assert listing["total"] == 1 and listing["data"][0]["inbound_rule_id"] == rule_id
    assert {"total", "per_page", "current_page", "last_page", "next_page_url", "prev_page_url", "from", "to", "data"} <= set(listing)

    assert assert_envelope(client.get(f"/automations/sms/inbound/{rule_id}"))["data"]["rule_name"] == "SOAR poll"
    updated = assert_envelope(client.put(f"/automations/sms/inbound/{rule_id}", json=dict(RULE, enabled=0)))["data"]
    assert updated["enabled"] == 0 and updated["action"] == "POLL"
    assert sim.state.poll_inbound_rules() == []

    body = assert_envelope(client.delete(f"/automations/sms/inbound/{rule_id}"))
    assert body["data"] == []
    assert client.get("/automations/sms/inbound").json()["data"]["total"] == 0
    assert_envelope(client.delete(f"/automations/sms/inbound/{rule_id}"), 404, "NOT_FOUND")
    assert_envelope(client.get("/automations/sms/inbound/abc"), 404, "NOT_FOUND")


def test_an_update_needs_every_field_as_clicksend_marks_them_all_required(client):
    """OAS update-sms-inbound-automation / update-sms-delivery-receipt-rule: every property is required; "" is a value."""
    rule_id = assert_envelope(client.post("/automations/sms/inbound", json=RULE))["data"]["inbound_rule_id"]
    body = assert_envelope(client.put(f"/automations/sms/inbound/{rule_id}", json={"enabled": 0}), 400, "BAD_REQUEST")
    assert set(body["data"]) == {"dedicated_number", "rule_name", "message_search_type", "message_search_term", "action", "action_address"}
    no_term = {k: v for k, v in RULE.items() if k != "message_search_term"}
    assert set(assert_envelope(client.put(f"/automations/sms/inbound/{rule_id}", json=no_term), 400)["data"]) == {"message_search_term"}
    receipt = {"rule_name": "r", "match_type": 0, "action": "POLL", "action_address": "", "enabled": 1}
    receipt_id = assert_envelope(client.post("/automations/sms/receipts", json=receipt))["data"]["receipt_rule_id"]
    missing = assert_envelope(client.put(f"/automations/sms/receipts/{receipt_id}", json={"enabled": 0, "action": "POLL"}), 400)["data"]
    assert set(missing) == {"rule_name", "match_type", "action_address"}
    assert assert_envelope(client.put(f"/automations/sms/receipts/{receipt_id}", json=dict(receipt, enabled=0)))["data"]["enabled"] == 0


def test_create_validation(client):
    body = assert_envelope(client.post("/automations/sms/inbound", json={"action": "EXPLODE"}), 400, "BAD_REQUEST")
    assert {"rule_name", "dedicated_number", "action", "enabled"} <= set(body["data"])
    bad_type = dict(RULE, message_search_type=7)
    assert "message_search_type" in assert_envelope(client.post("/automations/sms/inbound", json=bad_type), 400)["data"]


def test_helper_add_inbound_rule(client, sim):
    rule = sim.add_inbound_rule(action="POLL", enabled=1)
    sim.add_inbound_rule(action="URL", action_address="https://example.com/hook", enabled=1)
    assert [r["inbound_rule_id"] for r in sim.state.poll_inbound_rules()] == [rule["inbound_rule_id"]]
    assert client.get("/automations/sms/inbound").json()["data"]["total"] == 2


def test_inbound_rules_pagination(client, sim):
    for _ in range(20):
        sim.add_inbound_rule()
    page2 = client.get("/automations/sms/inbound", params={"page": 2}).json()["data"]
    assert page2["current_page"] == 2 and len(page2["data"]) == 5 and page2["from"] == 16


def test_receipt_rules(client):
    created = assert_envelope(client.post("/automations/sms/receipts", json={"rule_name": "r", "match_type": 0, "action": "POLL",
                                                                              "action_address": "", "enabled": 1}))["data"]
    assert isinstance(created["receipt_rule_id"], int)
    assert client.get("/automations/sms/receipts").json()["data"]["total"] == 1
    assert_envelope(client.delete(f"/automations/sms/receipts/{created['receipt_rule_id']}"))
