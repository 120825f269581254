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


# --- default_from: one of the account's senders, and can replies come back to it? (issue 24) ---------------------

from tests.unit.test_action_list_senders import NUMBERS_URL, OWN_URL, TAGS_URL, dedicated, own, serve, tag  # noqa: E402


ALL_NUMBERS_RULE = {"inbound_rule_id": 1, "dedicated_number": "*", "action": "POLL", "enabled": 1, "message_search_type": 0}


def connect(run, requests_mock, default_from, *rules_given, **senders):
    requests_mock.get(f"{BASE_URL}/account", json=envelope(ACCOUNT))
    requests_mock.get(f"{BASE_URL}/automations/sms/inbound", json=rules(*rules_given))
    serve(requests_mock, **senders)
    run("test_connectivity", config=asset_config(default_from=default_from))
    assert run.result["status"] == "success", run.result["message"]
    return run.result["message"]


def sender_paths(requests_mock):
    return [r.path for r in requests_mock.request_history if r.path in ("/v3/numbers", "/v3/own-numbers", "/v3/alpha-tags")]


def test_a_dedicated_number_with_a_poll_rule_for_all_numbers_can_take_replies(run, requests_mock):
    message = connect(run, requests_mock, "0431 111 112", ALL_NUMBERS_RULE, numbers=[dedicated("+61431111112")])
    assert "default_from +61431111112 is a dedicated number of the account and a POLL rule captures its replies" in message
    assert "WARNING" not in message
    assert sender_paths(requests_mock) == ["/v3/numbers"]  # found there: own numbers and alpha tags are not read


def test_a_poll_rule_for_that_very_number_counts_even_without_the_plus(run, requests_mock):
    rule = dict(ALL_NUMBERS_RULE, dedicated_number="61431111112")
    message = connect(run, requests_mock, "+61431111112", rule, numbers=[dedicated("+61431111112")])
    assert "a POLL rule captures its replies: approvals by SMS can work" in message


def test_a_dedicated_number_no_poll_rule_captures_is_a_warning_listed_first(run, requests_mock):
    rule = dict(ALL_NUMBERS_RULE, dedicated_number="+61499999999")
    message = connect(run, requests_mock, "+61431111112", rule, numbers=[dedicated("+61431111112")])
    warning = (
        "WARNING: default_from +61431111112 is a dedicated number of the account, but no POLL rule captures its replies: run "
        "configure polling, or add an inbound POLL rule for all numbers or for +61431111112"
    )
    assert message.startswith(warning)
    notes = run.platform.progress[run.platform.progress.index(warning) :]
    assert notes[1].startswith("Connected to ClickSend as") and notes[-1] == "Test Connectivity Passed"


def test_a_keyword_rule_captures_only_some_replies(run, requests_mock):
    rule = dict(ALL_NUMBERS_RULE, message_search_type=1, message_search_term="YES")
    message = connect(run, requests_mock, "+61431111112", rule, numbers=[dedicated("+61431111112")])
    assert "WARNING: default_from +61431111112 is a dedicated number of the account, but its POLL rules capture only some" in message
    assert "(all numbers, messages starting with 'YES')" in message


def test_a_dedicated_short_code_is_found_among_the_numbers(run, requests_mock):
    message = connect(run, requests_mock, "12345", ALL_NUMBERS_RULE, numbers=[dedicated("12345", number_type="shortcode")])
    assert "default_from 12345 is a dedicated number of the account and a POLL rule captures its replies" in message
    assert sender_paths(requests_mock) == ["/v3/numbers"]


def test_an_alpha_tag_cannot_take_replies_and_only_alpha_tags_are_read(run, requests_mock):
    message = connect(run, requests_mock, "SOCTeam", ALL_NUMBERS_RULE, tags=[tag("socteam")])
    assert "default_from SOCTeam is an alpha tag of the account: recipients cannot reply to it" in message
    assert "WARNING" not in message
    assert sender_paths(requests_mock) == ["/v3/alpha-tags"]


def test_an_own_number_sends_replies_to_that_phone(run, requests_mock):
    message = connect(run, requests_mock, "+61422222222", ALL_NUMBERS_RULE, numbers=[dedicated("+61431111112")], owns=[own("+61422222222")])
    assert "default_from +61422222222 is an own number of the account: replies go to that phone, not to ClickSend" in message
    assert sender_paths(requests_mock) == ["/v3/numbers", "/v3/own-numbers"]


def test_a_number_the_account_does_not_have_is_a_warning(run, requests_mock):
    message = connect(run, requests_mock, "+61400000009", ALL_NUMBERS_RULE, numbers=[dedicated("+61431111112")], owns=[own("+61422222222")])
    assert message.startswith(
        "WARNING: default_from +61400000009 is none of the account's dedicated numbers, own numbers or alpha tags: ClickSend may"
    )


def test_an_alpha_tag_waiting_for_approval_is_a_warning(run, requests_mock):
    message = connect(run, requests_mock, "SOCTeam", tags=[tag("SOCTeam", status="PENDING")])
    assert "WARNING: default_from SOCTeam is an alpha tag of the account that ClickSend has not approved (PENDING)" in message


def test_unreadable_senders_are_a_note_not_a_failure(run, requests_mock):
    requests_mock.get(f"{BASE_URL}/account", json=envelope(ACCOUNT))
    requests_mock.get(f"{BASE_URL}/automations/sms/inbound", json=rules(ALL_NUMBERS_RULE))
    requests_mock.get(NUMBERS_URL, status_code=403, json=envelope(None, "Forbidden.", "FORBIDDEN", 403))
    run("test_connectivity", config=asset_config(default_from="+61431111112"))
    assert run.result["status"] == "success", run.result["message"]
    assert "default_from +61431111112 could not be checked against the account's senders (ClickSend refused GET numbers" in run.result["message"]
    assert not any(r.path in ("/v3/own-numbers", "/v3/alpha-tags") for r in requests_mock.request_history)


def test_unreadable_poll_rules_leave_the_reply_question_open(run, requests_mock):
    requests_mock.get(f"{BASE_URL}/account", json=envelope(ACCOUNT))
    requests_mock.get(f"{BASE_URL}/automations/sms/inbound", status_code=403, json=envelope(None, "Forbidden.", "FORBIDDEN", 403))
    serve(requests_mock, numbers=[dedicated("+61431111112")])
    run("test_connectivity", config=asset_config(default_from="+61431111112"))
    assert "whether a POLL rule captures its replies could not be checked" in run.result["message"]


def test_without_default_from_no_sender_is_read(run, requests_mock):
    connect(run, requests_mock, None, ALL_NUMBERS_RULE)
    assert sender_paths(requests_mock) == []
    assert OWN_URL and TAGS_URL  # (the services exist; they are just not asked)


def test_each_note_is_one_progress_line_with_warnings_first(run, requests_mock):
    requests_mock.get(f"{BASE_URL}/account", json=envelope(dict(ACCOUNT, setting_sms_message_char_limit=1)))
    requests_mock.get(f"{BASE_URL}/automations/sms/inbound", json=rules())
    run("test_connectivity", config=asset_config(verify_server_cert=False))
    progress = run.platform.progress
    first = progress.index(next(line for line in progress if line.startswith("WARNING")))
    assert progress[first : first + 2] == [
        "WARNING: the asset allows SMS of up to 6 parts but this ClickSend account truncates beyond 1 part "
        "(setting_sms_message_char_limit): set the asset's sms_part_limit to 1",
        "WARNING: TLS certificate verification is off (asset field verify_server_cert)",
    ]
    assert progress[first + 2].startswith("Connected to ClickSend as")
    assert not any("WARNING" in line for line in progress[first + 2 :])
    assert progress[-1] == "Test Connectivity Passed"
    notes = progress[first:-1]  # one note a line: warnings, connected, guard rails, inbound rules, receipt rules
    assert len(notes) == 6 and run.result["message"] == "; ".join(notes)
