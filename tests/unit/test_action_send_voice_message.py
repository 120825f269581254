"""send voice message: the exact request ClickSend receives, and the result the playbook reads."""

import pytest

from tests.conftest import BASE_URL
from tests.unit.test_action_send_message import answer, msg


VOICE_URL = f"{BASE_URL}/voice/send"


def test_defaults_are_female_en_us_without_input_or_detection(run, requests_mock):
    requests_mock.post(VOICE_URL, json=answer([msg("+61411111111")], total_price=0.09))
    run("send_voice_message", {"to": "0411 111 111", "message": "Alert 123, host isolated"})
    assert run.result["status"] == "success", run.result["message"]
    (request,) = requests_mock.request_history
    assert (request.method, request.url, request.timeout) == ("POST", VOICE_URL, 30)
    assert request.json() == {
        "messages": [
            {
                "source": "splunk-soar",
                "body": "Alert 123, host isolated",
                "voice": "female",
                "lang": "en-us",
                "require_input": 0,
                "machine_detection": 0,
                "to": "+61411111111",
            }
        ]
    }
    assert run.result["message"] == "Queued 1 of 1 voice messages"
    assert run.result["summary"]["message_ids"] == ["ID-+61411111111"]
    assert run.result["summary"]["total_price"] == 0.09


def test_every_option_reaches_clickSend(run, requests_mock):
    requests_mock.post(VOICE_URL, json=answer([msg("+61411111111"), msg("+61422222222", list_id="77")]))
    run(
        "send_voice_message",
        {
            "to": "+61411111111",
            "contact_list_id": "77",
            "message": "Press 1 to acknowledge",
            "voice": "Male",
            "language": "EN-AU",
            "require_input": True,
            "machine_detection": "yes",
            "schedule": "2099-01-01T00:00:00Z",
            "custom_string": "case-9",
        },
        container_id=3,
    )
    assert run.result["status"] == "success", run.result["message"]
    common = {
        "source": "splunk-soar",
        "schedule": 4070908800,
        "custom_string": "case-9",
        "body": "Press 1 to acknowledge",
        "voice": "male",
        "lang": "en-au",
        "require_input": 1,
        "machine_detection": 1,
    }
    assert requests_mock.request_history[0].json() == {"messages": [dict(common, to="+61411111111"), dict(common, list_id=77)]}


def test_portuguese_portugal_uses_its_only_voice_by_default(run, requests_mock):
    requests_mock.post(VOICE_URL, json=answer([msg("+61411111111")]))
    run("send_voice_message", {"to": "+61411111111", "message": "Olá", "language": "pt-pt"})
    assert run.result["status"] == "success", run.result["message"]
    assert requests_mock.request_history[0].json()["messages"][0]["voice"] == "male"


def test_rejected_call_is_named(run, requests_mock):
    requests_mock.post(VOICE_URL, json=answer([msg("+61411111111"), msg("+61400000001", "COUNTRY_NOT_ENABLED")]))
    run("send_voice_message", {"to": "+61411111111,+61400000001", "message": "x"})
    assert run.result["status"] == "success"
    assert run.result["message"] == "Queued 1 of 2 voice messages; ClickSend rejected 1: +61400000001 (COUNTRY_NOT_ENABLED)"


def test_a_voice_send_is_never_retried(run, requests_mock):
    requests_mock.post(
        VOICE_URL, status_code=429, json={"http_code": 429, "response_code": "TOO_MANY_REQUESTS", "response_msg": "slow", "data": None}
    )
    run("send_voice_message", {"to": "+61411111111", "message": "x"})
    assert requests_mock.call_count == 1
    assert run.result["status"] == "failed"


def test_longest_text_that_fits_is_sent(run, requests_mock):
    requests_mock.post(VOICE_URL, json=answer([msg("+61411111111")]))
    run("send_voice_message", {"to": "+61411111111", "message": "a" * 1200})
    assert run.result["status"] == "success", run.result["message"]


@pytest.mark.parametrize(
    ("params", "needle"),
    [
        (
            {"to": "+61411111111", "message": "x", "language": "xx-yy"},
            "Parameter 'language': 'xx-yy' is not a language ClickSend's voice service offers",
        ),
        ({"to": "+61411111111", "message": "x", "language": "en"}, "Parameter 'language': 'en' is not a language"),
        ({"to": "+61411111111", "message": "x", "voice": "robot"}, "Parameter 'voice': must be female or male, not 'robot'"),
        (
            {"to": "+61411111111", "message": "x", "voice": "male", "language": "en-in"},
            "Parameter 'voice': ClickSend offers no male voice for en-in; it offers female only",
        ),
        (
            {"to": "+61411111111", "message": "x", "voice": "female", "language": "pt-pt"},
            "Parameter 'voice': ClickSend offers no female voice for pt-pt; it offers male only",
        ),
        ({"to": "+61411111111", "message": "x", "require_input": "maybe"}, "Parameter 'require_input': must be true or false"),
        ({"to": "+61411111111", "message": "x", "machine_detection": 2}, "Parameter 'machine_detection': must be true or false"),
        (
            {"to": "+61411111111", "message": "a" * 1201},
            "Parameter 'message': is 1201 GSM-7 characters; ClickSend cuts a voice message (4 parts) beyond 1200",
        ),
        (
            {"to": "+61411111111", "message": "ж" * 601},
            "Parameter 'message': is 601 Unicode characters; ClickSend cuts a voice message (4 parts) beyond 600",
        ),
        ({"message": "x"}, "Parameter 'to': give at least one recipient"),
        ({"to": "+61411111111"}, "Parameter 'message': is required"),
        ({"to": "+61411111111", "message": "x", "schedule": "yesterday"}, "Parameter 'schedule':"),
    ],
)
def test_bad_input_fails_naming_the_parameter_and_sends_nothing(run, requests_mock, params, needle):
    run("send_voice_message", params)
    assert run.result["status"] == "failed"
    assert run.result["message"].startswith(needle), run.result["message"]
    assert requests_mock.call_count == 0
