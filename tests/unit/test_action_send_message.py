"""send message: the exact request ClickSend receives, and the result the playbook reads."""

import base64

import pytest

from tests.conftest import API_KEY, BASE_URL, USERNAME, envelope


SEND_URL = f"{BASE_URL}/sms/send"


def answer(messages, total_price=None):
    queued = [m for m in messages if m["status"] == "SUCCESS"]
    return envelope(
        {
            "total_price": total_price if total_price is not None else round(0.0792 * len(queued), 4),
            "total_count": len(messages),
            "queued_count": len(queued),
            "blocked_count": 0,
            "messages": messages,
            "_currency": {
                "currency_name_short": "AUD",
                "currency_prefix_d": "$",
                "currency_prefix_c": "c",
                "currency_name_long": "Australian Dollars",
            },
        },
        "Messages queued for delivery.",
    )


def msg(to, status="SUCCESS", message_id=None, **extra):
    item = {
        "direction": "out",
        "to": to,
        "status": status,
        "message_id": message_id or f"ID-{to}",
        "message_price": "0.0792",
        "message_parts": 1,
    }
    item.update(extra)
    return item


def sent_bodies(requests_mock):
    return [r.json() for r in requests_mock.request_history if r.url.startswith(SEND_URL)]


def test_sends_normalised_deduplicated_numbers_in_one_request(run, requests_mock):
    requests_mock.post(SEND_URL, json=answer([msg("+61411111111"), msg("+61422222222")]))
    run("send_message", {"to": "0411 111 111, +61411111111,+61 422 222 222", "message": "Alert 123", "from": "SOCTeam"})

    assert run.result["status"] == "success", run.result["message"]
    (request,) = requests_mock.request_history
    assert request.method == "POST"
    assert request.url == SEND_URL
    assert request.timeout == 30
    assert request.headers["Authorization"] == "Basic " + base64.b64encode(f"{USERNAME}:{API_KEY}".encode()).decode()
    assert request.json() == {
        "messages": [
            {"source": "splunk-soar", "from": "SOCTeam", "body": "Alert 123", "to": "+61411111111"},
            {"source": "splunk-soar", "from": "SOCTeam", "body": "Alert 123", "to": "+61422222222"},
        ]
    }
    assert run.result["summary"] == {
        "total_recipients": 2,
        "queued_count": 2,
        "rejected_count": 0,
        "total_price": 0.1584,
        "message_ids": ["ID-+61411111111", "ID-+61422222222"],
        "response_message": "Messages queued for delivery.",
    }
    assert run.result["message"] == "Queued 2 of 2 messages"
    assert run.result["data"][0]["data"]["messages"][0]["to"] == "+61411111111"


def test_http_200_with_a_rejected_message_is_a_partial_success_naming_it(run, requests_mock):
    requests_mock.post(SEND_URL, json=answer([msg("+61411111111"), msg("+61400000001", "COUNTRY_NOT_ENABLED")]))
    run("send_message", {"to": "+61411111111,+61400000001", "message": "hi"})
    assert run.result["status"] == "success"
    assert run.result["summary"]["queued_count"] == 1
    assert run.result["summary"]["rejected_count"] == 1
    assert run.result["summary"]["message_ids"] == ["ID-+61411111111"]
    assert "+61400000001 (COUNTRY_NOT_ENABLED)" in run.result["message"]


def test_every_message_rejected_fails_the_action_with_the_codes(run, requests_mock):
    requests_mock.post(SEND_URL, json=answer([msg("+61411111111", "INSUFFICIENT_CREDIT")]))
    run("send_message", {"to": "+61411111111", "message": "hi"})
    assert run.result["status"] == "failed"
    assert run.result["message"] == "ClickSend accepted none of the 1 messages: +61411111111 (INSUFFICIENT_CREDIT)"
    assert run.result["summary"]["queued_count"] == 0


def test_contact_list_goes_as_one_message_object_with_list_id(run, requests_mock):
    requests_mock.post(
        SEND_URL, json=answer([msg("+61411111111", list_id="77", contact_id="5"), msg("+61422222222", list_id="77", contact_id="6")])
    )
    run("send_message", {"contact_list_id": 77, "message": "hi", "to": "+61433333333"})
    body = requests_mock.request_history[0].json()
    assert body["messages"] == [
        {"source": "splunk-soar", "body": "hi", "to": "+61433333333"},
        {"source": "splunk-soar", "body": "hi", "list_id": 77},
    ]
    assert run.result["summary"]["total_recipients"] == 2


def test_from_falls_back_to_the_asset_default(run, requests_mock):
    from tests.conftest import asset_config

    requests_mock.post(SEND_URL, json=answer([msg("+61411111111")]))
    run("send_message", {"to": "+61411111111", "message": "hi"}, config=asset_config(default_from="+61 431 111 112"))
    assert requests_mock.request_history[0].json()["messages"][0]["from"] == "+61431111112"


def test_container_run_without_custom_string_gets_the_thread_marker(run, requests_mock):
    requests_mock.post(SEND_URL, json=answer([msg("+61411111111")]))
    run("send_message", {"to": "+61411111111", "message": "Approve?"}, container_id=314)
    assert requests_mock.request_history[0].json()["messages"][0]["custom_string"] == "soar:container:314"


def test_callers_custom_string_is_never_changed(run, requests_mock):
    requests_mock.post(SEND_URL, json=answer([msg("+61411111111")]))
    run("send_message", {"to": "+61411111111", "message": "x", "custom_string": "  mine  "}, container_id=314)
    assert requests_mock.request_history[0].json()["messages"][0]["custom_string"] == "  mine  "


def test_schedule_iso_with_zone_becomes_unix_seconds(run, requests_mock):
    requests_mock.post(SEND_URL, json=answer([msg("+61411111111")]))
    run("send_message", {"to": "+61411111111", "message": "x", "schedule": "2099-01-01T10:00:00+10:00"})
    assert requests_mock.request_history[0].json()["messages"][0]["schedule"] == 4070908800
    assert run.result["message"] == "Queued 1 of 1 messages to go out at 2099-01-01T00:00:00Z"


def test_more_than_1000_recipients_go_in_batches_of_1000(run, requests_mock):
    numbers = [f"+614{n:08d}" for n in range(11000000, 11002500)]

    def reply(request, context):
        return answer([msg(m["to"]) for m in request.json()["messages"]])

    requests_mock.post(SEND_URL, json=reply)
    run("send_message", {"to": ",".join(numbers), "message": "x"})
    sizes = [len(body["messages"]) for body in sent_bodies(requests_mock)]
    assert sizes == [1000, 1000, 500]
    assert run.result["summary"]["queued_count"] == 2500
    assert len(run.result["data"]) == 3


def test_a_failed_later_batch_stops_the_rest_and_says_so(run, requests_mock):
    numbers = [f"+614{n:08d}" for n in range(11000000, 11002500)]
    calls = []

    def reply(request, context):
        calls.append(1)
        if len(calls) == 2:
            context.status_code = 500
            return envelope(None, "Internal error", "INTERNAL_SERVER_ERROR", 500)
        return answer([msg(m["to"]) for m in request.json()["messages"]])

    requests_mock.post(SEND_URL, json=reply)
    run("send_message", {"to": ",".join(numbers), "message": "x"})
    assert len(calls) == 2  # the third batch was not sent, and nothing was retried
    assert run.result["status"] == "success"
    assert run.result["summary"]["queued_count"] == 1000
    assert run.result["summary"]["failed_batch"] == 2
    assert run.result["message"].startswith("Queued 1000 of 1000 messages; batch 2 of 3 (1000 message objects) has an unknown outcome: ")
    assert run.result["message"].endswith("; the 500 message objects after it were not sent")


def test_a_first_batch_that_was_not_sent_fails_and_counts_what_was_not_sent(run, requests_mock):
    numbers = [f"+614{n:08d}" for n in range(11000000, 11001500)]
    requests_mock.post(SEND_URL, status_code=503, json=envelope(None, "down", "SERVICE_UNAVAILABLE", 503))
    run("send_message", {"to": ",".join(numbers), "message": "x"})
    assert requests_mock.call_count == 1
    assert run.result["status"] == "failed"
    assert run.result["message"].startswith("Batch 1 of 2 (1000 message objects) was not sent: ClickSend refused POST sms/send with HTTP 503")
    assert run.result["message"].endswith("; the 500 message objects after it were not sent")


def test_an_all_rejected_send_answered_with_http_400_names_each_recipient(run, requests_mock):
    body = answer([msg("+61411111111", "INVALID_RECIPIENT"), msg("+61422222222", "INVALID_RECIPIENT")])
    body.update(http_code=400, response_code="INVALID_RECIPIENT", response_msg="Invalid recipients.")
    requests_mock.post(SEND_URL, status_code=400, json=body)
    run("send_message", {"to": "+61411111111,+61422222222", "message": "x"})
    assert run.result["status"] == "failed"
    assert run.result["message"] == (
        "ClickSend accepted none of the 2 messages: +61411111111 (INVALID_RECIPIENT), +61422222222 (INVALID_RECIPIENT)"
    )
    assert run.result["summary"]["rejected_count"] == 2
    assert run.result["data"][0]["http_code"] == 400


def test_an_answer_listing_no_messages_is_reported_as_unknown(run, requests_mock):
    requests_mock.post(SEND_URL, json=answer([]))
    run("send_message", {"to": "+61411111111", "message": "x"})
    assert run.result["status"] == "failed"
    assert "outcome is unknown" in run.result["message"]


@pytest.mark.parametrize("status", [429, 500, 502, 503, 504])
def test_a_send_is_never_retried(run, requests_mock, status):
    requests_mock.post(SEND_URL, status_code=status, json=envelope(None, "nope", "X", status), headers={"Retry-After": "0"})
    run("send_message", {"to": "+61411111111", "message": "x"})
    assert requests_mock.call_count == 1
    assert run.result["status"] == "failed"
    assert f"HTTP {status}" in run.result["message"]


def test_a_timeout_on_send_says_the_outcome_is_unknown(run, requests_mock):
    import requests

    requests_mock.post(SEND_URL, exc=requests.exceptions.ReadTimeout)
    run("send_message", {"to": "+61411111111", "message": "x"})
    assert requests_mock.call_count == 1
    assert run.result["status"] == "failed"
    assert "did not answer POST sms/send within 30 s" in run.result["message"]
    assert "outcome is unknown" in run.result["message"]


@pytest.mark.parametrize(
    ("params", "needle"),
    [
        ({"message": "x"}, "Parameter 'to': give at least one recipient"),
        ({"to": "+61411111111"}, "Parameter 'message': is required"),
        ({"to": "+61411111111", "message": "   "}, "Parameter 'message': is required"),
        ({"to": "12", "message": "x"}, "Parameter 'to': '12' is not a valid phone number"),
        ({"to": "+61411111111, nonsense", "message": "x"}, "Parameter 'to': 'nonsense' is not a valid phone number"),
        ({"to": "+61411111111", "message": "x", "from": "Way Too Long Tag"}, "Parameter 'from':"),
        (
            {"to": "+61411111111", "message": "x", "schedule": "2001-01-01T00:00:00Z"},
            "Parameter 'schedule': 2001-01-01T00:00:00Z is in the past",
        ),
        ({"to": "+61411111111", "message": "x", "schedule": "2099-01-01 10:00"}, "Parameter 'schedule': '2099-01-01 10:00' has no time zone"),
        ({"to": "+61411111111", "message": "x", "schedule": "tomorrow"}, "Parameter 'schedule': 'tomorrow' is neither"),
        ({"to": "+61411111111", "message": "x", "contact_list_id": "abc"}, "Parameter 'contact_list_id': must be a whole number"),
        ({"to": "+61411111111", "message": "x", "contact_list_id": 0}, "Parameter 'contact_list_id': must be at least 1"),
        ({"to": "+61411111111", "message": "a" * 1225}, "Parameter 'message': is 1225 GSM-7 characters"),
        ({"to": "+61411111111", "message": "é€😀" * 200}, "Parameter 'message': is 800 Unicode characters"),
    ],
)
def test_bad_input_fails_naming_the_parameter_and_sends_nothing(run, requests_mock, params, needle):
    run("send_message", params)
    assert run.result["status"] == "failed"
    assert run.result["message"].startswith(needle), run.result["message"]
    assert requests_mock.call_count == 0


def test_longest_message_that_fits_is_sent(run, requests_mock):
    requests_mock.post(SEND_URL, json=answer([msg("+61411111111")]))
    run("send_message", {"to": "+61411111111", "message": "a" * 1224})
    assert run.result["status"] == "success"


def test_float_list_id_from_a_playbook_is_accepted(run, requests_mock):
    requests_mock.post(SEND_URL, json=answer([msg("+61411111111", list_id="10")]))
    run("send_message", {"contact_list_id": 10.0, "message": "x"})
    assert requests_mock.request_history[0].json()["messages"][0]["list_id"] == 10
