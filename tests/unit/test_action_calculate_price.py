"""calculate price: idempotent POST sms/price calls planned like a send, their answers merged into one data item,
nothing sent."""

import pytest

from tests.conftest import envelope
from tests.unit.test_action_send_message import LIST_CALL, LIST_ID, URLS, answer, calls, echo, member, mock_list, msg, numbers, sent_bodies


PRICE_URL = URLS["calculate_price"]


def price_answer(*messages):
    body = answer(list(messages))
    body["response_msg"] = "Here is some pricing."
    return body


def test_prices_the_send_message_inputs_and_sends_nothing(run, requests_mock):
    mock_list(requests_mock, 1)
    reply = price_answer(msg(member(0), list_id="77", message_parts=2), msg("+61411111111", message_parts=2, message_price="0.1584"))
    reply["data"]["total_price"] = 0.3168
    requests_mock.post(PRICE_URL, json=reply)
    params = {"to": "0411 111 111, +61411111111", "contact_list_id": LIST_ID, "message": "a" * 161, "from": "SOCTeam"}
    run("calculate_price", params, container_id=9)
    assert run.result["status"] == "success", run.result["message"]
    assert calls(requests_mock) == [LIST_CALL, ("POST", "/v3/sms/price")]
    request = requests_mock.request_history[1]
    assert request.json() == {
        "messages": [
            {"source": "splunk-soar", "from": "SOCTeam", "body": "a" * 161, "list_id": LIST_ID},
            {"source": "splunk-soar", "from": "SOCTeam", "body": "a" * 161, "to": "+61411111111"},
        ]
    }
    assert run.result["data"] == [reply["data"]]
    assert run.result["summary"] == {"total_price": 0.3168, "total_count": 2, "currency": "AUD", "message_parts": [2, 2], "skipped_numbers": []}
    assert run.result["message"] == (
        "ClickSend prices 2 messages at 0.3168 AUD in total; the text is 161 GSM-7 characters, 2 parts per message; nothing was sent"
    )


def test_more_than_1000_recipients_are_priced_in_calls_of_1000_merged_into_one_data_item(run, requests_mock):
    requests_mock.post(PRICE_URL, json=echo())
    run("calculate_price", {"to": ",".join(numbers(1500)), "message": "x"})
    assert run.result["status"] == "success", run.result["message"]
    assert [len(body["messages"]) for body in sent_bodies(requests_mock, PRICE_URL)] == [1000, 500]
    (data,) = run.result["data"]
    assert [item["to"] for item in data["messages"]] == numbers(1500)
    assert (data["total_price"], data["total_count"], data["queued_count"]) == (118.8, 1500, 1500)
    assert data["_currency"]["currency_name_short"] == "AUD"
    assert run.result["summary"] == {
        "total_price": 118.8,
        "total_count": 1500,
        "currency": "AUD",
        "message_parts": [1] * 1500,
        "skipped_numbers": [],
    }
    assert run.result["message"] == (
        "ClickSend prices 1500 messages at 118.8 AUD in total; the text is 1 GSM-7 characters, 1 part per message; nothing was sent"
    )


def test_a_list_over_1000_is_read_and_priced_as_numbers(run, requests_mock):
    members = numbers(1001, start=12000000)
    mock_list(requests_mock, 1001, [{"contact_id": n, "phone_number": phone} for n, phone in enumerate(members)])
    requests_mock.post(PRICE_URL, json=echo())
    run("calculate_price", {"contact_list_id": LIST_ID, "message": "x"})
    assert run.result["status"] == "success", run.result["message"]
    assert [m["to"] for body in sent_bodies(requests_mock, PRICE_URL) for m in body["messages"]] == members
    assert run.result["summary"]["total_count"] == 1001
    assert len(run.result["data"]) == 1


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
        ({"to": "+61411111111", "message": "x", "invalid_numbers": "some"}, "Parameter 'invalid_numbers': must be fail or skip"),
        ({"to": "+61411111111", "message": "x", "from": "Bad Sender!"}, "Parameter 'from':"),
        ({"to": "+61411111111", "message": "a" * 919}, "Parameter 'message': is 919 GSM-7 characters; ClickSend cuts an SMS (6 parts"),
        ({"to": "+61411111111", "message": "\ud83d"}, "Parameter 'message': holds an invalid character (a lone UTF-16 surrogate)"),
        ({"to": "+61411111111", "message": "x", "contact_list_id": -3}, "Parameter 'contact_list_id': must be at least 1"),
    ],
)
def test_bad_input_fails_naming_the_parameter_and_sends_nothing(run, requests_mock, params, needle):
    run("calculate_price", params)
    assert run.result["status"] == "failed"
    assert run.result["message"].startswith(needle), run.result["message"]
    assert requests_mock.call_count == 0


def test_message_parts_are_numbers_and_one_not_finite_is_null_not_an_unexpected_error(run, requests_mock):
    parts = [msg("+61411111111", message_parts="2.00"), msg("+61422222222", message_parts="NaN"), msg("+61433333333", message_parts="Infinity")]
    reply = price_answer(*parts)
    requests_mock.post(PRICE_URL, json=reply)
    run("calculate_price", {"to": "+61411111111,+61422222222,+61433333333", "message": "a" * 161})
    assert run.result["status"] == "success", run.result["message"]
    assert [item["message_parts"] for item in run.result["data"][0]["messages"]] == [2, None, None]
    assert run.result["summary"]["message_parts"] == [2, None, None]
