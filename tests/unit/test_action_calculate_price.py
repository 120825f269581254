"""calculate price: one idempotent POST sms/price, ClickSend's answer as the data item, nothing sent."""

import pytest

from tests.conftest import BASE_URL, envelope
from tests.unit.test_action_send_message import answer, msg


PRICE_URL = f"{BASE_URL}/sms/price"


def price_answer(*messages):
    body = answer(list(messages))
    body["response_msg"] = "Here is some pricing."
    return body


def test_prices_the_send_message_inputs_and_sends_nothing(run, requests_mock):
    reply = price_answer(msg("+61411111111", message_parts=2, message_price="0.1584"), msg("+61422222222", list_id="77", message_parts=2))
    reply["data"]["total_price"] = 0.3168
    requests_mock.post(PRICE_URL, json=reply)
    run("calculate_price", {"to": "0411 111 111, +61411111111", "contact_list_id": 77, "message": "a" * 161, "from": "SOCTeam"}, container_id=9)
    assert run.result["status"] == "success", run.result["message"]
    (request,) = requests_mock.request_history
    assert (request.method, request.url) == ("POST", PRICE_URL)
    assert request.json() == {
        "messages": [
            {"source": "splunk-soar", "from": "SOCTeam", "body": "a" * 161, "to": "+61411111111"},
            {"source": "splunk-soar", "from": "SOCTeam", "body": "a" * 161, "list_id": 77},
        ]
    }
    assert run.result["data"] == [reply["data"]]
    assert run.result["summary"] == {"total_price": 0.3168, "total_count": 2, "currency": "AUD", "message_parts": [2, 2]}
    assert run.result["message"] == (
        "ClickSend prices 2 messages at 0.3168 AUD in total; the text is 161 GSM-7 characters, 2 parts per message; nothing was sent"
    )


def test_unicode_text_is_counted_as_clicksend_bills_it(run, requests_mock):
    requests_mock.post(PRICE_URL, json=price_answer(msg("+61411111111", message_parts=2)))
    run("calculate_price", {"to": "+61411111111", "message": "Привет " * 11})
    assert "the text is 77 Unicode characters, 2 parts per message" in run.result["message"]


def test_a_price_request_is_retried_like_a_read(run, requests_mock):
    requests_mock.post(
        PRICE_URL,
        [
            {"status_code": 503, "json": envelope(None, "busy", "SERVICE_UNAVAILABLE", 503), "headers": {"Retry-After": "0"}},
            {"json": price_answer(msg("+61411111111"))},
        ],
    )
    run("calculate_price", {"to": "+61411111111", "message": "x"})
    assert run.result["status"] == "success", run.result["message"]
    assert requests_mock.call_count == 2


def test_rejected_recipients_are_named(run, requests_mock):
    requests_mock.post(PRICE_URL, json=price_answer(msg("+61411111111"), msg("+61400000001", "COUNTRY_NOT_ENABLED")))
    run("calculate_price", {"to": "+61411111111,+61400000001", "message": "x"})
    assert run.result["status"] == "success"
    assert "ClickSend would reject 1: +61400000001 (COUNTRY_NOT_ENABLED)" in run.result["message"]


def test_all_rejected_fails(run, requests_mock):
    requests_mock.post(PRICE_URL, json=price_answer(msg("+61400000001", "COUNTRY_NOT_ENABLED")))
    run("calculate_price", {"to": "+61400000001", "message": "x"})
    assert run.result["status"] == "failed"
    assert run.result["message"].startswith("ClickSend would accept none of the 1 messages: +61400000001 (COUNTRY_NOT_ENABLED)")


def test_an_answer_without_messages_is_a_clear_failure(run, requests_mock):
    requests_mock.post(PRICE_URL, json=envelope("{}"))
    run("calculate_price", {"to": "+61411111111", "message": "x"})
    assert run.result["status"] == "failed"
    assert run.result["message"] == "ClickSend answered POST sms/price without a list of priced messages"


@pytest.mark.parametrize(
    ("params", "needle"),
    [
        ({"message": "x"}, "Parameter 'to': give at least one recipient"),
        ({"to": "+61411111111"}, "Parameter 'message': is required"),
        ({"to": "12", "message": "x"}, "Parameter 'to': '12' is not a valid phone number"),
        ({"to": "+61411111111", "message": "x", "from": "Bad Sender!"}, "Parameter 'from':"),
        ({"to": "+61411111111", "message": "a" * 1225}, "Parameter 'message': is 1225 GSM-7 characters"),
        ({"to": "+61411111111", "message": "x", "contact_list_id": -3}, "Parameter 'contact_list_id': must be at least 1"),
    ],
)
def test_bad_input_fails_naming_the_parameter_and_sends_nothing(run, requests_mock, params, needle):
    run("calculate_price", params)
    assert run.result["status"] == "failed"
    assert run.result["message"].startswith(needle), run.result["message"]
    assert requests_mock.call_count == 0
