"""calculate price: idempotent POST sms/price calls planned like a send, their answers merged into one data item,
nothing sent."""

import pytest

from tests.conftest import BASE_URL, envelope
from tests.unit.test_action_send_message import (
    LIST_CALL,
    LIST_ID,
    MEDIA,
    URLS,
    answer,
    calls,
    contact_pages,
    echo,
    list_contacts,
    member,
    mock_list,
    msg,
    numbers,
    sent_bodies,
)


PRICE_URL = URLS["calculate_price"]


def price_answer(*messages):
    body = answer(list(messages))
    body["response_msg"] = "Here is some pricing."
    return body


def test_prices_the_send_message_inputs_and_sends_nothing(run, requests_mock):
    mock_list(requests_mock, 2, contacts=list_contacts(member(0), "+61411111111"))
    reply = price_answer(msg("+61411111111", message_parts=2, message_price="0.1584"), msg(member(0), message_parts=2))
    reply["data"]["total_price"] = 0.3168
    requests_mock.post(PRICE_URL, json=reply)
    params = {"to": "0411 111 111, +61411111111", "contact_list_id": LIST_ID, "message": "a" * 161, "from": "SOCTeam"}
    run("calculate_price", params, container_id=9)
    assert run.result["status"] == "success", run.result["message"]
    assert calls(requests_mock) == [LIST_CALL, *contact_pages(1), ("POST", "/v3/sms/price")]
    request = requests_mock.request_history[-1]
    assert request.json() == {
        "messages": [
            {"source": "splunk-soar", "from": "SOCTeam", "body": "a" * 161, "to": "+61411111111"},
            {"source": "splunk-soar", "from": "SOCTeam", "body": "a" * 161, "to": member(0)},
        ]
    }
    assert run.result["data"] == [reply["data"]]
    assert run.result["summary"] == {
        "total_price": 0.3168,
        "total_count": 2,
        "currency": "AUD",
        "message_type": "sms",
        "message_parts": [2, 2],
        "skipped_numbers": [],
    }
    assert run.result["message"] == (
        "ClickSend prices 2 messages at 0.3168 AUD in total; the text is 161 GSM-7 characters, 2 parts per message; list 77 was read by "
        "the app (2 numbers, 1 number of it also in 'to'; one message each); nothing was sent"
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
        "message_type": "sms",
        "message_parts": [1] * 1500,
        "skipped_numbers": [],
    }
    assert run.result["message"] == (
        "ClickSend prices 1500 messages at 118.8 AUD in total; the text is 1 GSM-7 character, 1 part per message; nothing was sent"
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
    assert run.result["message"].startswith("ClickSend would not accept the message: +61400000001 (COUNTRY_NOT_ENABLED)")


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


# --- message_type: MMS and voice, priced as their sends send them --------------------------------------------------

MMS_PRICE_URL = f"{BASE_URL}/mms/price"
VOICE_PRICE_URL = f"{BASE_URL}/voice/price"
USD = {"currency_name_short": "USD", "currency_prefix_d": "$", "currency_prefix_c": "c", "currency_name_long": "US Dollars"}


def test_an_mms_is_priced_at_mms_price_with_its_media_and_subject_and_the_accounts_currency(run, requests_mock):
    reply = price_answer(msg("+61411111111", message_price="0.5000"))
    del reply["data"]["_currency"]  # ClickSend's MMS answers are documented without one (OAS send_mms_data)
    reply["data"]["total_price"] = 0.5
    requests_mock.post(MMS_PRICE_URL, json=reply)
    requests_mock.get(f"{BASE_URL}/account", json=envelope({"username": "soc", "default_country_sms": "AU", "_currency": USD}))
    params = {"to": "+61411111111", "message": "Badge photo", "message_type": "MMS", "media_url": MEDIA, "subject": "Visitor", "from": "SOCTeam"}
    run("calculate_price", params)
    assert run.result["status"] == "success", run.result["message"]
    assert calls(requests_mock) == [("HEAD", "/evidence.jpg"), ("POST", "/v3/mms/price"), ("GET", "/v3/account")]
    assert requests_mock.request_history[1].json() == {
        "media_file": MEDIA,
        "messages": [{"source": "splunk-soar", "from": "SOCTeam", "subject": "Visitor", "body": "Badge photo", "to": "+61411111111"}],
    }
    assert (run.result["summary"]["message_type"], run.result["summary"]["currency"]) == ("mms", "USD")
    assert run.result["message"] == "ClickSend prices 1 MMS message at 0.5 USD in total; the text is 11 GSM-7 characters; nothing was sent"


def test_an_mms_price_checks_the_media_as_send_mms_does(run, requests_mock):
    requests_mock.head(MEDIA, headers={"Content-Length": "400000"})
    run("calculate_price", {"to": "+61411111111", "message": "x", "message_type": "mms", "media_url": MEDIA, "from": "SOCTeam"})
    assert run.result["status"] == "failed"
    assert run.result["message"].startswith("Parameter 'media_url': is 400000 bytes (about 400 kB) by its Content-Length")
    assert [r.method for r in requests_mock.request_history] == ["HEAD"]


def test_a_voice_message_is_priced_at_voice_price_with_its_voice_language_and_country(run, requests_mock):
    requests_mock.post(VOICE_PRICE_URL, json=price_answer(msg("+6421123456", message_price="0.0900")))
    params = {"to": "+6421123456", "message": "Alert 123", "message_type": "voice", "voice": "male", "language": "en-gb"}
    run("calculate_price", params)
    assert run.result["status"] == "success", run.result["message"]
    (sent,) = requests_mock.last_request.json()["messages"]
    assert sent.pop("custom_string").startswith("soar-ref-")  # as every voice message carries one
    assert sent == {"source": "splunk-soar", "body": "Alert 123", "voice": "male", "lang": "en-gb", "country": "NZ", "to": "+6421123456"}
    assert run.result["summary"]["message_type"] == "voice"
    assert run.result["message"].startswith("ClickSend prices 1 voice message at 0.0792 AUD in total; the text is 9 GSM-7 characters;")


@pytest.mark.parametrize(
    ("params", "needle"),
    [
        ({"message_type": "fax"}, "Parameter 'message_type': must be sms, mms or voice, not 'fax'"),
        ({"media_url": MEDIA}, "Parameter 'media_url': prices mms messages only: set message_type to mms, or leave media_url empty"),
        ({"message_type": "voice", "subject": "x"}, "Parameter 'subject': prices mms messages only"),
        ({"message_type": "mms", "media_url": MEDIA, "from": "SOCTeam", "voice": "male"}, "Parameter 'voice': prices voice messages only"),
        ({"language": "en-au"}, "Parameter 'language': prices voice messages only"),
        ({"message_type": "voice", "from": "SOCTeam"}, "Parameter 'from': voice messages go out without a sender"),
        ({"message_type": "mms", "from": "SOCTeam"}, "Parameter 'media_url': is required"),
        ({"message_type": "mms", "media_url": MEDIA}, "Parameter 'from': is required for MMS"),
        ({"message_type": "voice", "voice": "female", "language": "pt-pt"}, "Parameter 'voice': ClickSend offers no female"),
    ],
)
def test_message_type_and_the_parameters_of_each_kind_are_checked_before_any_request(run, requests_mock, params, needle):
    run("calculate_price", {"to": "+61411111111", "message": "x", **params})
    assert run.result["status"] == "failed"
    assert run.result["message"].startswith(needle), run.result["message"]
    assert requests_mock.call_count == 0
