"""send voice message: the exact request ClickSend receives, and the result the playbook reads."""

import re

import pytest

from tests.conftest import envelope
from tests.unit.test_action_send_message import (
    LIST_ID,
    URLS,
    answer,
    calls,
    contact_pages,
    echo,
    list_contacts,
    member,
    mock_list,
    msg,
    soon,
    summary,
)


VOICE_URL = URLS["send_voice_message"]


def test_defaults_are_female_en_us_without_input_or_detection(run, requests_mock):
    requests_mock.post(VOICE_URL, json=answer([msg("+61411111111")], total_price=0.09))
    run("send_voice_message", {"to": "0411 111 111", "message": "Alert 123, host isolated"})
    assert run.result["status"] == "success", run.result["message"]
    (request,) = requests_mock.request_history
    assert (request.method, request.url, request.timeout) == ("POST", VOICE_URL, 30)
    (sent,) = request.json()["messages"]
    # ClickSend requires custom_string for voice: outside a container the app makes a reference of its own
    assert re.fullmatch(r"soar-ref-[0-9a-f]{16}", sent.pop("custom_string"))
    assert sent == {
        "source": "splunk-soar",
        "body": "Alert 123, host isolated",
        "voice": "female",
        "lang": "en-us",
        "require_input": 0,
        "machine_detection": 0,
        "to": "+61411111111",
        "country": "AU",
    }
    assert run.result["message"] == "Queued 1 of 1 voice message"
    assert run.result["summary"] == summary(["ID-+61411111111"], 0.09)


def test_each_send_gets_its_own_reference(run, requests_mock):
    requests_mock.post(VOICE_URL, json=echo())
    for _ in range(2):
        run("send_voice_message", {"to": "+61411111111,+61422222222", "message": "x"})
    first, second = ({m["custom_string"] for m in r.json()["messages"]} for r in requests_mock.request_history)
    assert len(first) == len(second) == 1  # one reference per send, on every message of it
    assert first != second


def test_every_option_reaches_clicksend(run, requests_mock):
    when = soon()
    mock_list(requests_mock, 1, contacts=list_contacts(member(0)))
    requests_mock.post(VOICE_URL, json=echo())
    run(
        "send_voice_message",
        {
            "to": "+61411111111",
            "contact_list_id": str(LIST_ID),
            "message": "Press 1 to acknowledge",
            "voice": "Male",
            "language": "EN-AU",
            "require_input": True,
            "machine_detection": "yes",
            "schedule": str(when),
            "custom_string": "case-9",
        },
        container_id=3,
    )
    assert run.result["status"] == "success", run.result["message"]
    common = {
        "source": "splunk-soar",
        "schedule": when,
        "custom_string": "case-9",
        "body": "Press 1 to acknowledge",
        "voice": "male",
        "lang": "en-au",
        "require_input": 1,
        "machine_detection": 1,
        "country": "AU",
    }
    assert calls(requests_mock) == [("GET", f"/v3/lists/{LIST_ID}"), *contact_pages(1), ("POST", "/v3/voice/send")]
    assert requests_mock.request_history[-1].json() == {"messages": [dict(common, to="+61411111111"), dict(common, to=member(0))]}
    assert run.result["summary"]["message_ids"] == ["ID-+61411111111", f"ID-{member(0)}"]


def test_each_number_carries_its_own_country(run, requests_mock):
    requests_mock.post(VOICE_URL, json=echo())
    run("send_voice_message", {"to": "+12025550125, +6421123456,0411111111,+33612345678", "message": "x"})
    assert run.result["status"] == "success", run.result["message"]
    sent = [(m["to"], m["country"]) for m in requests_mock.request_history[-1].json()["messages"]]
    assert sent == [("+12025550125", "US"), ("+6421123456", "NZ"), ("+61411111111", "AU"), ("+33612345678", "FR")]


def test_members_of_a_list_the_app_reads_carry_their_own_country(run, requests_mock):
    mock_list(requests_mock, None, [{"contact_id": 1, "phone_number": "+6421123456"}, {"contact_id": 2, "phone_number": "0411111111"}])
    requests_mock.post(VOICE_URL, json=echo())
    run("send_voice_message", {"contact_list_id": LIST_ID, "message": "x"})
    assert run.result["status"] == "success", run.result["message"]
    sent = [(m["to"], m["country"]) for m in requests_mock.request_history[-1].json()["messages"]]
    assert sent == [("+6421123456", "NZ"), ("+61411111111", "AU")]


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


def test_a_voice_send_is_retried_after_429_but_never_after_a_server_error(run, requests_mock):
    requests_mock.post(
        VOICE_URL,
        [
            {"status_code": 429, "json": envelope(None, "slow", "TOO_MANY_REQUESTS", 429), "headers": {"Retry-After": "0"}},
            {"status_code": 503, "json": envelope(None, "busy", "SERVICE_UNAVAILABLE", 503), "headers": {"Retry-After": "0"}},
        ],
    )
    run("send_voice_message", {"to": "+61411111111", "message": "x"})
    assert requests_mock.call_count == 2
    assert run.result["status"] == "failed"
    assert run.result["message"].startswith("ClickSend refused POST voice/send with HTTP 503 SERVICE_UNAVAILABLE: busy")


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
        ({"to": "+61411111111", "message": "\udfff"}, "Parameter 'message': holds an invalid character (a lone UTF-16 surrogate)"),
        ({"message": "x"}, "Parameter 'to': give at least one recipient"),
        ({"to": "+61411111111"}, "Parameter 'message': is required"),
        ({"to": "+61411111111", "message": "x", "schedule": "yesterday"}, "Parameter 'schedule':"),
        ({"to": "+61411111111", "message": "x", "schedule": str(soon(400))}, "Parameter 'schedule':"),
    ],
)
def test_bad_input_fails_naming_the_parameter_and_sends_nothing(run, requests_mock, params, needle):
    run("send_voice_message", params)
    assert run.result["status"] == "failed"
    assert run.result["message"].startswith(needle), run.result["message"]
    assert requests_mock.call_count == 0
