"""test connectivity: read-only checks and clear messages."""

import pytest

from tests.conftest import BASE_URL, asset_config, envelope


ACCOUNT = {"user_id": 1, "username": "soc-team@example.com", "balance": "4.20", "_subaccount": {"api_key": "SECRET"}}
RULES_EMPTY = {"total": 0, "per_page": 100, "current_page": 1, "last_page": 1, "data": []}


def rules(*items):
    return envelope({"total": len(items), "per_page": 100, "current_page": 1, "last_page": 1, "data": list(items)})


@pytest.fixture(autouse=True)
def receipt_rules(requests_mock):
    """Delivery-receipt rules (test connectivity reports them too): none, unless a test says otherwise."""
    return requests_mock.get(f"{BASE_URL}/automations/sms/receipts", json=rules())


def test_reads_account_and_rules_and_sends_nothing(run, requests_mock):
    requests_mock.get(f"{BASE_URL}/account", json=envelope(ACCOUNT, "Here's your account."))
    requests_mock.get(f"{BASE_URL}/automations/sms/inbound", json=rules())
    run("test_connectivity")
    assert run.result["status"] == "success"
    assert [r.method for r in requests_mock.request_history] == ["GET", "GET", "GET"]
    assert requests_mock.request_history[1].qs == {"page": ["1"], "limit": ["100"]}
    assert requests_mock.request_history[2].path == "/v3/automations/sms/receipts"
    assert "Connected to ClickSend as soc-team@example.com" in run.result["message"]
    assert "needs an enabled inbound SMS automation rule with action POLL" in run.result["message"]
    assert "Test Connectivity Passed" in run.platform.progress


def test_reports_polling_ready_with_a_poll_rule(run, requests_mock):
    requests_mock.get(f"{BASE_URL}/account", json=envelope(ACCOUNT))
    requests_mock.get(f"{BASE_URL}/automations/sms/inbound", json=rules({"inbound_rule_id": 1, "action": "POLL", "enabled": 1}))
    run("test_connectivity")
    assert "Inbound polling is ready" in run.result["message"]


def test_disabled_poll_rule_does_not_count(run, requests_mock):
    requests_mock.get(f"{BASE_URL}/account", json=envelope(ACCOUNT))
    requests_mock.get(f"{BASE_URL}/automations/sms/inbound", json=rules({"inbound_rule_id": 1, "action": "POLL", "enabled": 0}))
    run("test_connectivity")
    assert "needs an enabled inbound SMS automation rule" in run.result["message"]


def test_test_number_is_checked_with_a_price_estimate_never_a_send(run, requests_mock):
    requests_mock.get(f"{BASE_URL}/account", json=envelope(ACCOUNT))
    requests_mock.get(f"{BASE_URL}/automations/sms/inbound", json=rules())
    price = requests_mock.post(
        f"{BASE_URL}/sms/price",
        json=envelope(
            {
                "total_price": 0.0792,
                "messages": [{"to": "+61411111111", "status": "SUCCESS", "message_price": "0.0792"}],
                "_currency": {"currency_name_short": "AUD"},
            }
        ),
    )
    send = requests_mock.post(f"{BASE_URL}/sms/send", json=envelope({}))
    run("test_connectivity", config=asset_config(to="0411 111 111"))
    assert run.result["status"] == "success", run.result["message"]
    assert send.call_count == 0
    assert price.last_request.json()["messages"][0]["to"] == "+61411111111"
    assert "test number +61411111111 is routable" in run.result["message"]


def test_unroutable_test_number_fails(run, requests_mock):
    requests_mock.get(f"{BASE_URL}/account", json=envelope(ACCOUNT))
    requests_mock.post(f"{BASE_URL}/sms/price", json=envelope({"messages": [{"to": "+61411111111", "status": "COUNTRY_NOT_ENABLED"}]}))
    run("test_connectivity", config=asset_config(to="+61411111111"))
    assert run.result["status"] == "failed"
    assert run.result["message"] == "Asset field 'to': ClickSend would not send to +61411111111: COUNTRY_NOT_ENABLED"
    assert "Test Connectivity Failed" in run.platform.progress


def test_bad_credentials_give_a_clear_message(run, requests_mock):
    requests_mock.get(f"{BASE_URL}/account", status_code=401, json=envelope(None, "Invalid credentials.", "UNAUTHORIZED", 401))
    run("test_connectivity")
    assert run.result["status"] == "failed"
    assert run.result["message"] == (
        "ClickSend refused GET account with HTTP 401 UNAUTHORIZED: Invalid credentials.; check the asset's username and API key"
    )


def test_invalid_asset_test_number_is_named(run, requests_mock):
    requests_mock.get(f"{BASE_URL}/account", json=envelope(ACCOUNT))
    run("test_connectivity", config=asset_config(to="12"))
    assert run.result["status"] == "failed"
    assert run.result["message"].startswith("Asset field 'to': '12' is not a valid phone number")
    assert [r.method for r in requests_mock.request_history] == ["GET"]


def test_plain_http_to_a_remote_host_is_refused_before_any_request(run, requests_mock):
    out = run("test_connectivity", config=asset_config(base_url="http://rest.clicksend.com/v3"))
    assert out["status"] == "failed"
    assert "Asset field 'base_url': base_url must use https" in out["message"] + json_text(out)
    assert requests_mock.call_count == 0


def json_text(out):
    import json

    return json.dumps(out)


def test_unreadable_inbound_rules_are_a_note_not_a_failure(run, requests_mock):
    requests_mock.get(f"{BASE_URL}/account", json=envelope(ACCOUNT))
    requests_mock.get(f"{BASE_URL}/automations/sms/inbound", status_code=403, json=envelope(None, "Forbidden.", "FORBIDDEN", 403))
    run("test_connectivity")
    assert run.result["status"] == "success"
    assert "Inbound polling could not be checked (ClickSend refused GET automations/sms/inbound with HTTP 403" in run.result["message"]


def test_reports_delivery_receipt_polling_with_a_receipt_poll_rule(run, requests_mock):
    requests_mock.get(f"{BASE_URL}/account", json=envelope(ACCOUNT))
    requests_mock.get(f"{BASE_URL}/automations/sms/inbound", json=rules())
    rule = {"receipt_rule_id": 201, "action": "POLL", "enabled": 1, "match_type": 0}
    requests_mock.get(f"{BASE_URL}/automations/sms/receipts", json=rules(rule))
    run("test_connectivity")
    assert run.result["status"] == "success", run.result["message"]
    assert "Delivery receipt polling is ready (1 POLL rule)" in run.result["message"]


def test_without_a_receipt_poll_rule_the_message_says_receipts_are_not_polled(run, requests_mock):
    requests_mock.get(f"{BASE_URL}/account", json=envelope(ACCOUNT))
    requests_mock.get(f"{BASE_URL}/automations/sms/inbound", json=rules())
    run("test_connectivity")
    assert "Delivery receipts are not polled: that needs an enabled delivery receipt automation rule with action POLL" in run.result["message"]


def test_unreadable_receipt_rules_are_a_note_not_a_failure(run, requests_mock):
    requests_mock.get(f"{BASE_URL}/account", json=envelope(ACCOUNT))
    requests_mock.get(f"{BASE_URL}/automations/sms/inbound", json=rules())
    requests_mock.get(f"{BASE_URL}/automations/sms/receipts", status_code=403, json=envelope(None, "Forbidden.", "FORBIDDEN", 403))
    run("test_connectivity")
    assert run.result["status"] == "success"
    assert "Delivery receipt polling could not be checked (ClickSend refused GET automations/sms/receipts with HTTP 403" in run.result["message"]
