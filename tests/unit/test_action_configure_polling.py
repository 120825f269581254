"""configure polling: the exact reads and writes of ClickSend's automation rules; a rule is never created twice."""

import pytest

from tests.conftest import BASE_URL, envelope


INBOUND_RULES = f"{BASE_URL}/automations/sms/inbound"
RECEIPT_RULES = f"{BASE_URL}/automations/sms/receipts"
NEW_INBOUND = {
    "dedicated_number": "*",
    "rule_name": "SOAR inbound SMS (ClickSend app)",
    "message_search_type": 0,
    "message_search_term": "",
    "action": "POLL",
    "action_address": "",
    "enabled": 1,
}
NEW_RECEIPTS = {"rule_name": "SOAR delivery receipts (ClickSend app)", "match_type": 0, "action": "POLL", "action_address": "", "enabled": 1}


def page(*items):
    return envelope({"total": len(items), "per_page": 100, "current_page": 1, "last_page": 1, "data": list(items)})


def inbound_rule(rule_id=101, enabled=1, action="POLL", number="*", search_type=0, term="", key="inbound_rule_id"):
    return {
        key: rule_id,
        "dedicated_number": number,
        "rule_name": "SOAR",
        "message_search_type": search_type,
        "message_search_term": term,
        "action": action,
        "action_address": "",
        "enabled": enabled,
    }


def receipt_rule(rule_id=201, enabled=1, action="POLL", match_type=0):
    rule = {"receipt_rule_id": rule_id, "rule_name": "receipts", "match_type": match_type, "action": action, "action_address": ""}
    return dict(rule, enabled=enabled)


def calls(requests_mock):
    return [(r.method, r.url.replace(BASE_URL, ""), r.json() if r.body else None) for r in requests_mock.request_history]


LIST_INBOUND = ("GET", "/automations/sms/inbound?page=1&limit=100", None)
LIST_RECEIPTS = ("GET", "/automations/sms/receipts?page=1&limit=100", None)


def test_with_no_rules_both_are_created(run, requests_mock):
    requests_mock.get(INBOUND_RULES, json=page(inbound_rule(action="URL")))
    requests_mock.get(RECEIPT_RULES, json=page())
    requests_mock.post(INBOUND_RULES, json=envelope(dict(NEW_INBOUND, inbound_rule_id=105), "Your record has been added."))
    requests_mock.post(RECEIPT_RULES, json=envelope(dict(NEW_RECEIPTS, receipt_rule_id=205), "Your record has been added."))
    run("configure_polling")
    assert run.result["status"] == "success", run.result["message"]
    assert calls(requests_mock) == [
        LIST_INBOUND,
        ("POST", "/automations/sms/inbound", NEW_INBOUND),
        LIST_RECEIPTS,
        ("POST", "/automations/sms/receipts", NEW_RECEIPTS),
    ]
    assert run.result["data"] == [
        {
            "rule_type": "inbound SMS",
            "outcome": "created",
            "rule_id": 105,
            "rule_name": "SOAR inbound SMS (ClickSend app)",
            "scope": "all numbers, every message",
            "other_poll_rules": 0,
        },
        {
            "rule_type": "delivery receipts",
            "outcome": "created",
            "rule_id": 205,
            "rule_name": "SOAR delivery receipts (ClickSend app)",
            "scope": "every delivery receipt",
            "other_poll_rules": 0,
        },
    ]
    assert run.result["summary"] == {"inbound_rule": "created", "receipt_rule": "created", "rules_created": 2}
    assert run.result["message"] == (
        "Inbound SMS polling: created rule 105 'SOAR inbound SMS (ClickSend app)' (all numbers, every message); "
        "delivery receipts polling: created rule 205 'SOAR delivery receipts (ClickSend app)' (every delivery receipt)"
    )


def test_existing_rules_are_found_and_nothing_is_written(run, requests_mock):
    requests_mock.get(INBOUND_RULES, json=page(inbound_rule(102, number="+61431111112"), inbound_rule(101)))
    requests_mock.get(RECEIPT_RULES, json=page(receipt_rule()))
    run("configure_polling")
    assert run.result["status"] == "success", run.result["message"]
    assert calls(requests_mock) == [LIST_INBOUND, LIST_RECEIPTS]
    assert run.result["summary"] == {"inbound_rule": "found", "receipt_rule": "found", "rules_created": 0}
    assert [(item["rule_id"], item["other_poll_rules"]) for item in run.result["data"]] == [(101, 1), (201, 0)]
    assert run.result["message"].startswith("Inbound SMS polling: found rule 101 'SOAR' (all numbers, every message) beside 1 other POLL rule; ")


def writable(rule):
    keys = ("dedicated_number", "rule_name", "message_search_type", "message_search_term", "match_type", "action", "action_address")
    return {key: rule[key] for key in keys if key in rule}


def test_a_disabled_rule_is_enabled_not_duplicated(run, requests_mock):
    requests_mock.get(INBOUND_RULES, json=page(inbound_rule(101, enabled=0)))
    requests_mock.get(RECEIPT_RULES, json=page(receipt_rule(201, enabled="0")))
    requests_mock.put(f"{INBOUND_RULES}/101", json=envelope(inbound_rule(101, enabled=1)))
    requests_mock.put(f"{RECEIPT_RULES}/201", json=envelope(receipt_rule(201, enabled=1)))
    run("configure_polling")
    assert run.result["status"] == "success", run.result["message"]
    assert calls(requests_mock) == [
        LIST_INBOUND,
        # the rule's own fields with enabled on: right whether ClickSend's PUT merges or replaces
        ("PUT", "/automations/sms/inbound/101", dict(writable(inbound_rule(101)), enabled=1)),
        LIST_RECEIPTS,
        ("PUT", "/automations/sms/receipts/201", dict(writable(receipt_rule(201)), enabled=1)),
    ]
    assert run.result["summary"] == {"inbound_rule": "enabled", "receipt_rule": "enabled", "rules_created": 0}


def test_enabling_a_rule_with_null_fields_sends_every_field(run, requests_mock):
    """ClickSend's PUT marks every field of a rule required (OAS update-sms-inbound-automation and
    update-sms-delivery-receipt-rule): a null term or address goes as "", not left out."""
    disabled = dict(inbound_rule(101, enabled=0), message_search_term=None, action_address=None, message_search_type=None)
    requests_mock.get(INBOUND_RULES, json=page(disabled))
    requests_mock.get(RECEIPT_RULES, json=page(dict(receipt_rule(201, enabled=0), action_address=None, rule_name=None)))
    requests_mock.put(f"{INBOUND_RULES}/101", json=envelope(inbound_rule(101, enabled=1)))
    requests_mock.put(f"{RECEIPT_RULES}/201", json=envelope(receipt_rule(201, enabled=1)))
    run("configure_polling")
    assert run.result["status"] == "success", run.result["message"]
    puts = [body for method, _, body in calls(requests_mock) if method == "PUT"]
    assert puts == [
        dict(NEW_INBOUND, rule_name="SOAR", message_search_type=0, message_search_term="", action_address=""),
        {"rule_name": "", "match_type": 0, "action": "POLL", "action_address": "", "enabled": 1},
    ]


def test_a_narrower_poll_rule_is_kept_and_a_full_one_added(run, requests_mock):
    requests_mock.get(INBOUND_RULES, json=page(inbound_rule(101, search_type=1, term="YES"), inbound_rule(102, number="+61431111112")))
    requests_mock.get(RECEIPT_RULES, json=page(receipt_rule(match_type=1)))
    requests_mock.post(INBOUND_RULES, json=envelope(dict(NEW_INBOUND, inbound_rule_id=105)))
    requests_mock.post(RECEIPT_RULES, json=envelope(dict(NEW_RECEIPTS, receipt_rule_id=205)))
    run("configure_polling")
    assert run.result["status"] == "success", run.result["message"]
    assert [(item["outcome"], item["other_poll_rules"]) for item in run.result["data"]] == [("created", 2), ("created", 1)]


def test_the_rule_id_is_read_under_the_name_clicksends_example_uses_too(run, requests_mock):
    requests_mock.get(INBOUND_RULES, json=page(inbound_rule(101, key="sms_inbound_rule_id")))
    requests_mock.get(RECEIPT_RULES, json=page(receipt_rule()))
    run("configure_polling")
    assert run.result["data"][0]["rule_id"] == 101


def test_a_create_whose_answer_is_lost_says_the_outcome_is_unknown(run, requests_mock):
    requests_mock.get(INBOUND_RULES, json=page())
    requests_mock.post(INBOUND_RULES, status_code=502, text="<html><title>Bad Gateway</title></html>")
    run("configure_polling")
    assert run.result["status"] == "failed"
    assert "outcome is unknown" in run.result["message"]
    assert [r.method for r in requests_mock.request_history] == ["GET", "POST"]  # a create is never sent twice


@pytest.mark.parametrize("status", [401, 403])
def test_an_unusable_asset_fails_before_anything_is_written(run, requests_mock, status):
    requests_mock.get(INBOUND_RULES, status_code=status, json=envelope(None, "No.", "FORBIDDEN", status))
    run("configure_polling")
    assert run.result["status"] == "failed"
    assert run.result["message"].startswith(f"ClickSend refused GET automations/sms/inbound with HTTP {status}")
    assert requests_mock.call_count == 1
